"""A unit's staff types the quarter's figures in a real browser: each mistake shows next
to its field as it is typed, with no round trip, in the page's language, and a form with
a mistake left is not sent."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from commitments import services
from commitments.models import Figure, Membership
from tests import factories
from tests.browser.test_security import RECORD_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-dai-123"
RESOLVED = "#id_dossiers_resolved__land"
ON_TIME = "#id_dossiers_on_time__land"
RECEIVED = "#id_dossiers_received__land"
EPAYMENT = "#id_epayment_applied"


@pytest.fixture
def staff(db):
    """Staff of a receiving desk that reported land dossiers in Q1 2021."""
    services.catalogue.catalogue_load(name="hcmc-dard-2021")
    desk = factories.unit("vp", parent=factories.department(), receives_dossiers=True)
    factories.figure(desk, "dossiers_resolved", 100, category="land")
    user = get_user_model().objects.create_user("chuyenvien", password=PASSWORD)
    Membership.objects.create(user=user, unit=desk, role=Membership.Role.STAFF)
    return user


@pytest.fixture
def report_page(page, live_server, staff):
    """The Q2 2021 report, logged in; what the page sends and what the policy refuses
    are recorded from then on."""
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("input[name=username]", "chuyenvien")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.add_init_script(RECORD_VIOLATIONS)
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )

    def open_report() -> list[str]:
        response = page.goto(
            f"{live_server.url}{reverse('commitments:quarterly_report', args=['vp', 2021, 2])}"
        )
        assert response.ok
        page.wait_for_load_state("load")
        sent: list[str] = []
        page.on("request", lambda r: sent.append(f"{r.method} {r.url}"))
        return sent

    yield page, open_report
    assert refused == []
    assert page.evaluate("window.__cspViolations") == []


def _error(page, selector: str) -> str | None:
    """The message next to a field, as the server shows it, or None; checks that the
    field and its cell are marked exactly when there is one."""
    field = page.locator(selector)
    name = field.get_attribute("name")
    box = page.locator(f"#err_{name}")
    cell_class = field.locator("xpath=..").get_attribute("class")
    if box.count() == 0:
        assert field.get_attribute("aria-invalid") is None
        assert "invalid" not in cell_class.split()
        return None
    assert box.evaluate("b => b.matches('td > div.error')")
    assert field.get_attribute("aria-invalid") == "true"
    assert field.get_attribute("aria-describedby") == f"err_{name}"
    assert "invalid" in cell_class.split()
    return box.inner_text()


def test_mistakes_show_next_to_their_field_as_they_are_typed(report_page, screenshot):
    page, open_report = report_page
    sent = open_report()
    assert page.locator("html").get_attribute("lang") == "vi"
    whole = "Nhập một số nguyên từ 0 trở lên."

    page.locator(RECEIVED).press_sequentially("-1")  # key by key, as a person types
    assert _error(page, RECEIVED) == whole
    for typed in ("1.5", "abc"):
        page.fill(RECEIVED, typed)
        assert _error(page, RECEIVED) == whole, typed
    page.fill(RECEIVED, "1.234")  # a thousands separator, as the pages show numbers
    assert "phân cách hàng nghìn" in _error(page, RECEIVED)
    page.fill(RECEIVED, "1234")
    assert _error(page, RECEIVED) is None

    page.fill(EPAYMENT, "2")
    assert _error(page, EPAYMENT) == "Chỉ nhập 0 (chưa) hoặc 1 (có)."
    page.fill(EPAYMENT, "1")
    assert _error(page, EPAYMENT) is None

    page.fill(RESOLVED, "10")
    page.fill(ON_TIME, "12")
    rule = "Hồ sơ giải quyết đúng hạn (12) không được lớn hơn Hồ sơ đã giải quyết (10)."
    assert _error(page, ON_TIME) == rule
    assert _error(page, RESOLVED) is None  # the message goes on the smaller figure
    screenshot(page, "report-typing-vi")
    page.fill(RESOLVED, "12")  # raising the bound clears the other field
    assert _error(page, ON_TIME) is None
    page.fill(RESOLVED, "11")  # and lowering it marks it again
    assert "(12)" in _error(page, ON_TIME) and "(11)" in _error(page, ON_TIME)
    page.fill(RESOLVED, "")  # an empty bound counts as 0, as on the server
    assert "(0)" in _error(page, ON_TIME)

    assert sent == []  # no round trip


def test_a_form_with_a_mistake_is_not_sent(report_page, staff):
    page, open_report = report_page
    sent = open_report()
    page.fill(RESOLVED, "20")
    page.fill(EPAYMENT, "5")
    page.fill(ON_TIME, "21")
    page.get_by_role("button", name="Lưu nháp").click()
    alert = page.locator("form.report > p.error[role=alert]")
    assert alert.inner_text() == "Chưa lưu gì: hãy sửa các ô được đánh dấu bên dưới."
    # The first marked field in the page's order gets the focus.
    assert page.evaluate("document.activeElement.name") == "dossiers_on_time__land"
    page.get_by_role("button", name="Lưu và gửi lãnh đạo").click()
    assert alert.count() == 1
    assert sent == []
    assert not Figure.objects.filter(quarter=2).exists()

    page.fill(ON_TIME, "19")
    page.fill(EPAYMENT, "1")
    assert alert.count() == 0  # every mistake corrected
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu nháp").click()
    assert "Đã lưu báo cáo." in page.locator("p.message").inner_text()
    assert any(request.startswith("POST ") for request in sent)  # what counts sends
    saved = dict(Figure.objects.filter(quarter=2).values_list("element__code", "value"))
    assert saved == {"dossiers_resolved": 20, "dossiers_on_time": 19, "epayment_applied": 1}


def test_the_checks_speak_english_on_an_english_page(report_page, live_server, screenshot):
    page, open_report = report_page
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    sent = open_report()
    assert page.locator("html").get_attribute("lang") == "en"

    page.fill(RECEIVED, "-1")
    assert _error(page, RECEIVED) == "Enter a whole number of 0 or more."
    page.fill(RECEIVED, "1.234")
    assert _error(page, RECEIVED)  # its English waits for the catalogue
    page.fill(EPAYMENT, "2")
    assert _error(page, EPAYMENT) == "Enter 0 (no) or 1 (yes) only."
    page.fill(RESOLVED, "10")
    page.fill(ON_TIME, "12")
    assert _error(page, ON_TIME) == (
        "Dossiers resolved on time (12) cannot exceed Dossiers resolved (10)."
    )
    page.get_by_role("button", name="Save draft").click()
    alert = page.locator("form.report > p.error[role=alert]")
    assert alert.inner_text() == "Nothing saved: correct the fields marked below."
    screenshot(page, "report-typing-en")
    assert sent == []

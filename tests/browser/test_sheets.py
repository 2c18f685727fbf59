"""The demo's signed sheets in a real browser: the current year's sheet reads its own
year and the year before as its baseline, one commitment still waits for review (its
definition changed in 2022); the admin copies it into the next year, where every
commitment waits for review, and confirms them; a target set above its signed words is
warned of; a department's sheet is loaded from a file, a bad one read line by line. In
Vietnamese and in English, with nothing refused by the CSP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from commitments.demo import demo_load
from commitments.models import Sheet, Target, Unit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AS_OF = dt.date(2026, 11, 27)
WORDS = {
    "vi": {
        "baseline": "so với năm 2025",
        "to_review": "1 cam kết đang chờ rà soát.",
        "version": "Chỉ tiêu 4.3: định nghĩa của chỉ tiêu có phiên bản mới áp dụng từ năm 2022",
        "copy": "Sao chép bản đăng ký",
        "copied": "9 cam kết đang chờ rà soát.",
        "confirm_one": "Xác nhận cam kết này",
        "confirm_all": "Xác nhận tất cả cam kết đã rà soát",
        "warning": "«từ 91% trở lên» nghĩa là ≥ 91%, nhưng mục tiêu đặt ≥ 93%",
    },
    "en": {
        "baseline": "against 2025",
        "to_review": "1 commitment waits for review.",
        "version": "Indicator 4.3: its definition has a new version that applies from 2022",
        "copy": "Copy the sheet",
        "copied": "9 commitments wait for review.",
        "confirm_one": "Confirm this commitment",
        "confirm_all": "Confirm every reviewed commitment",
        "warning": "«từ 91% trở lên» mean ≥ 91%, but the target is ≥ 93%",
    },
}


def _log_in(page, live_server, language: str) -> list[str]:
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{live_server.url}{reverse('login')}")
    page.fill("input[name=username]", "demo-admin")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    if language == "en":
        page.click("form.lang button[value=en]")
        page.wait_for_load_state("load")
    return refused


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_admin_copies_the_years_sheet_into_the_next(page, live_server, screenshot, language):
    demo_load(as_of=AS_OF)
    words = WORDS[language]
    refused = _log_in(page, live_server, language)
    sheet_2026 = Sheet.objects.get(year=2026, department__code="sonn")

    page.goto(f"{live_server.url}{reverse('commitments:sheet', args=[sheet_2026.pk])}")
    body = page.locator("main").inner_text()
    assert words["baseline"] in body and words["to_review"] in body
    assert words["version"] in body
    assert page.locator("tr.review-row").count() == 1
    screenshot(page, f"sheet-2026-{language}")

    page.fill("input[name=year]", "2027")
    page.click(f"button:has-text('{words['copy']}')")
    page.wait_for_load_state("load")
    sheet_2027 = Sheet.objects.get(year=2027, department__code="sonn")
    assert page.url.endswith(reverse("commitments:sheet", args=[sheet_2027.pk]))
    assert words["copied"] in page.locator("main").inner_text()
    assert page.locator("tr.review-row").count() == 9
    screenshot(page, f"sheet-2027-copied-{language}")

    page.locator(f"button:has-text('{words['confirm_one']}')").first.click()
    page.wait_for_load_state("load")
    assert page.locator("tr.review-row").count() == 8
    page.click(f"button:has-text('{words['confirm_all']}')")
    page.wait_for_load_state("load")
    assert page.locator("tr.review-row").count() == 0
    assert not sheet_2027.commitments.filter(to_review=True).exists()
    assert refused == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_threshold_above_its_words_is_warned_of(page, live_server, screenshot, language):
    demo_load(as_of=AS_OF)
    dard = {"indicator__sheet__department__code": "sonn"}
    Target.objects.filter(year=2026, indicator__code="4.1", **dard).update(threshold=93)
    refused = _log_in(page, live_server, language)

    page.goto(f"{live_server.url}{reverse('commitments:targets')}?year=2026")
    assert WORDS[language]["warning"] in page.locator("tr.mismatch").inner_text()
    page.goto(f"{live_server.url}{reverse('commitments:indicator', args=['4.1'])}?year=2026")
    assert WORDS[language]["warning"] in page.locator("p.warning").inner_text()
    screenshot(page, f"indicator-4.1-wording-{language}")
    assert refused == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_admin_loads_a_sheet_from_a_file(page, live_server, screenshot, tmp_path, language):
    """A file with two bad rows is refused with both, by line and column, next to the
    form; the sample file then loads, and the new sheet opens with its commitments."""
    demo_load(as_of=AS_OF)
    Unit.objects.create(code="soyt", name="Sở Y tế Thành phố Hồ Chí Minh", kind="department")
    sample = settings.BASE_DIR / "commitments" / "data" / "stnmt-2021.csv"
    bad = tmp_path / "so-y-te-2021.csv"
    text = sample.read_text(encoding="utf-8")
    bad.write_text(text.replace(",90,>=,", ",90,<=,").replace("desks-surveyed", "desks"))
    refused = _log_in(page, live_server, language)

    page.goto(f"{live_server.url}{reverse('commitments:sheets')}")
    page.set_input_files("input[name=file]", str(bad))
    page.select_option("select[name=department]", "soyt")
    page.fill("input[name=year]", "2021")
    page.click("#load button[type=submit]")
    page.wait_for_load_state("load")
    problems = page.locator("#load .problems table tbody tr")
    assert problems.count() == 2
    assert problems.nth(0).inner_text().split("\t")[:2] == ["5", "comparator"]
    assert problems.nth(1).inner_text().split("\t")[:2] == ["10", "definition"]
    screenshot(page, f"sheets-load-refused-{language}")
    assert not Sheet.objects.filter(department__code="soyt").exists()

    page.set_input_files("input[name=file]", str(sample))
    page.select_option("select[name=department]", "soyt")
    page.click("#load button[type=submit]")
    page.wait_for_load_state("load")
    sheet = Sheet.objects.get(department__code="soyt", year=2021)
    assert page.url.endswith(reverse("commitments:sheet", args=[sheet.pk]))
    assert page.locator("tr.commitment").count() == 4
    screenshot(page, f"sheets-loaded-{language}")
    assert refused == []

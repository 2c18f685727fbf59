"""Every page works under the Content Security Policy in a real browser: nothing is
refused, the indicator's chart still draws and the admin's own scripts still run."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commitments.demo import demo_load
from commitments.models import Target
from tests.browser.pages import CHART_DRAWN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium reports each refusal on the console ("Refused to execute inline script because
# it violates the following Content Security Policy directive: …") and as an event.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def test_no_page_breaks_the_content_security_policy(page, live_server, settings, screenshot):
    settings.AXES_ENABLED = True  # log in through django-axes, as in production
    demo_load()
    refused: list[str] = []

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            refused.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.add_init_script(RECORD_VIOLATIONS)

    visit = _visitor(page, live_server)
    visit(reverse("password_reset"))
    visit(reverse("login"))
    page.fill("input[name=username]", "demo-admin")
    page.fill("input[name=password]", "demo")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    visit("/?year=2021&quarter=2")
    # DARD's commitment 5 (land) and the second department's 8 (the online share).
    assert page.locator("li.card.not_met").count() == 2

    # Publishing DARD's quarter from the dashboard, through its confirmation page (every
    # report of the quarter is approved: no note), then the public page shows it.
    publish = f"form[action='{reverse('commitments:results_publish')}']"
    page.click(f"{publish}:has(input[name=unit][value=sonn]) button[type=submit]")
    page.wait_for_url(f"**{reverse('commitments:results_publish')}?**quarter=2**")
    assert page.evaluate("window.__cspViolations") == []
    page.click("form.publish-confirm button[type=submit]")
    page.wait_for_url(f"{live_server.url}/?year=2021&quarter=2")
    visit(reverse("commitments:results"))
    assert page.locator("li.card.not_met").count() == 1

    visit(reverse("commitments:indicator", args=["5.1"]) + "?year=2021&quarter=2")
    page.wait_for_function("document.getElementById('indicator-chart').width > 0")
    assert page.evaluate(CHART_DRAWN), "the chart canvas is empty"
    screenshot(page, "csp-indicator-5.1")

    visit(reverse("commitments:targets"))
    visit(reverse("commitments:report_print") + "?year=2021&quarter=2")
    assert page.locator("button[data-print]").is_visible()  # print.js ran

    target = Target.objects.filter(year=2021).order_by("pk").first()
    visit(reverse("admin:commitments_target_change", args=[target.pk]))
    # The admin's own scripts ran: its jQuery namespace and its translated strings.
    assert page.evaluate("typeof django.jQuery === 'function'")
    assert page.evaluate("typeof window.gettext === 'function'")
    screenshot(page, "csp-admin-target")

    assert refused == []
    _the_listener_catches_an_inline_script(page, refused)


def _visitor(page, live_server):
    """Open a page and check it loaded under the policy with no violation."""

    def visit(path: str) -> None:
        response = page.goto(f"{live_server.url}{path}")
        assert response.ok, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        events = page.evaluate("window.__cspViolations")
        assert events == [], f"{path}: {events}"

    return visit


def _the_listener_catches_an_inline_script(page, refused: list[str]) -> None:
    """The listener catches a violation: an inline script is refused and reported."""
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate(
            "() => { const s = document.createElement('script');"
            " s.textContent = 'window.__ran = true'; document.body.appendChild(s); }"
        )
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__cspViolations.length") == 1
    assert len(refused) == 1

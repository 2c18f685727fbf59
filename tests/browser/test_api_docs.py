"""The API's docs (/api/v1/docs/) render in a real browser under the Content Security
Policy: Swagger UI comes from the project's own static files, lists the endpoints, and
nothing is refused; the tokens page opens too."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser.test_security import RECORD_VIOLATIONS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_with_no_csp_violation(page, live_server, screenshot):
    factories.superuser()
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "quantri")
    page.fill("input[name=password]", factories.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/**")

    response = page.goto(f"{live_server.url}/api/v1/docs/")
    assert response.ok
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # Swagger UI read the schema and lists the operations.
    page.wait_for_selector("text=/api/v1/statuses/")
    page.click("text=/api/v1/statuses/")
    page.wait_for_selector("text=basis")
    screenshot(page, "api-docs")
    assert page.evaluate("window.__cspViolations") == []

    response = page.goto(f"{live_server.url}/api/tokens/")
    assert response.ok
    page.fill("input[name=name]", "một cửa")
    page.click("form.token-form button[type=submit]")
    assert len(page.locator("#new-token").inner_text()) == 64
    assert page.evaluate("window.__cspViolations") == []
    assert refused == []

"""A real headless Chromium (Debian's package) driven by Playwright against a live
server. Screenshots go to test-artifacts/ for people to look at.

CI (``.ci/run``) runs the suite side by side on PostgreSQL and on SQLite, and each
browser test once: ``BROWSER_TESTS=flows`` keeps the tests that write through a flow
(report, review, publication, survey, recompute) for the real server's database,
``BROWSER_TESTS=pages`` the tests that read pages for the other. Without it (``make
test`` by hand) every browser test runs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# The modules whose tests write through a flow; every other module reads pages.
FLOWS = {
    "test_broker_down",
    "test_publish",
    "test_report_flow",
    "test_report_survey",
    "test_review",
    "test_review_inbox",
    "test_sheets",
    "test_stale",
    "test_survey",
    "test_survey_desks",
}


def pytest_collection_modifyitems(config, items):
    """With ``BROWSER_TESTS`` (``flows`` or ``pages``), the browser tests of the other
    kind are left out, said in the summary."""
    chosen = os.environ.get("BROWSER_TESTS", "")
    if not chosen:
        return
    if chosen not in ("flows", "pages"):
        raise pytest.UsageError(f"BROWSER_TESTS must be flows or pages, not {chosen!r}")
    kept, left = [], []
    for item in items:
        if item.get_closest_marker("browser") is None:
            kept.append(item)
            continue
        kind = "flows" if item.module.__name__.rsplit(".", 1)[-1] in FLOWS else "pages"
        (kept if kind == chosen else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required here and missing at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot as a test artefact; returns its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take

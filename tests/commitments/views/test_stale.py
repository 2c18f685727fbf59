"""Statuses that may be behind say so (``templates/commitments/_stale.html``): on every
page that shows a status and in the XLSX, since when, and, when the last recompute
failed, when; an admin also sees why and the button to recompute."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from commitments import engine, services, tasks
from commitments.models import RecomputeState
from reform.celery import app
from tests import factories

PAGES = {
    "dashboard": [],
    "matrix": [],
    "indicator": ["5.1"],
    "unit": ["vp"],
    "report_print": [],
}


@pytest.fixture
def department(catalogue):
    department = factories.department()
    desk = factories.unit("vp", parent=department, receives_dossiers=True)
    factories.figure(desk, "dossiers_resolved", 1000, category="land")
    factories.figure(desk, "dossiers_on_time", 955, category="land")
    tasks.recompute_year(2021)
    return department


@pytest.fixture
def director(department):
    return factories.director("giamdoc", department)


def _page(client, page: str) -> str:
    url = reverse(f"commitments:{page}", args=PAGES[page])
    response = client.get(url, {"year": 2021, "quarter": 1})
    assert response.status_code == 200
    return response.content.decode()


def _notice(html: str) -> str:
    """The notice's text, tags removed and spaces collapsed; "" when there is none."""
    found = re.search(r'<div class="stale-note".*?</div>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group()).split()) if found else ""


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _recompute_fails(monkeypatch) -> RecomputeState:
    """A recompute of 2021 fails in its task; returns the year's state."""

    def broken(*args, **kwargs):
        raise RuntimeError("Bảng số liệu quý 1 không đọc được")

    monkeypatch.setattr(engine, "compute_statuses", broken)
    with pytest.raises(RuntimeError):
        tasks.recompute_year.delay(2021)
    monkeypatch.undo()
    return RecomputeState.objects.get(year=2021)


def _save_queued(django_capture_on_commit_callbacks) -> RecomputeState:
    """A save asks for a recompute of 2021, whose task is queued but has not run."""
    app.conf.task_always_eager = False  # published to the broker; nothing runs here
    with django_capture_on_commit_callbacks(execute=True):
        services.recompute.recompute_request(years=[2021])
    app.conf.task_always_eager = True
    return RecomputeState.objects.get(year=2021)


@pytest.mark.parametrize("page", list(PAGES))
def test_statuses_just_computed_say_nothing(client, admin, department, page):
    client.force_login(admin)
    assert _notice(_page(client, page)) == ""


def test_a_failed_recompute_says_when_and_only_an_admin_sees_why(
    client, director, admin, monkeypatch
):
    state = _recompute_fails(monkeypatch)
    failed = _local(state.failed_at)
    client.force_login(director)
    notice = _notice(_page(client, "dashboard"))
    assert notice == (
        f"Số liệu có thể chưa cập nhật từ {failed}. Lần tính lại gần nhất bị lỗi lúc {failed}."
    )
    html = _page(client, "dashboard")
    assert "RuntimeError" not in html
    assert reverse("commitments:recompute_now") not in html

    client.force_login(admin)
    html = _page(client, "dashboard")
    notice = _notice(html)
    assert notice.startswith(f"Số liệu có thể chưa cập nhật từ {failed}. Lần tính lại")
    assert "RuntimeError: Bảng số liệu quý 1 không đọc được" in notice
    assert "Tính lại ngay" in notice
    # The button of the notice stands for the dashboard's own: there is one.
    assert html.count(f'action="{reverse("commitments:recompute_now")}"') == 1
    assert "Traceback" not in html

    # The next recompute that succeeds clears it.
    tasks.recompute_year.delay(2021)
    html = _page(client, "dashboard")
    assert _notice(html) == ""
    assert html.count(f'action="{reverse("commitments:recompute_now")}"') == 1


@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_says_the_last_recompute_failed(client, director, admin, monkeypatch, page):
    state = _recompute_fails(monkeypatch)
    failed = f"Lần tính lại gần nhất bị lỗi lúc {_local(state.failed_at)}."
    client.force_login(director)
    assert failed in _notice(_page(client, page))
    assert "RuntimeError" not in _page(client, page)
    client.force_login(admin)
    notice = _notice(_page(client, page))
    assert failed in notice and "RuntimeError: Bảng số liệu" in notice


@pytest.mark.parametrize("page", list(PAGES))
def test_a_save_after_the_last_compute_says_since_when_until_the_recompute_runs(
    client, director, django_capture_on_commit_callbacks, page
):
    state = _save_queued(django_capture_on_commit_callbacks)
    assert state.pending and state.requested_at > state.computed_at
    client.force_login(director)
    assert _notice(_page(client, page)) == (
        f"Số liệu có thể chưa cập nhật từ {_local(state.requested_at)} (đang chờ tính lại)."
    )
    tasks.recompute_year(2021)
    assert _notice(_page(client, page)) == ""


def test_the_notice_in_english(
    client, admin, department, monkeypatch, django_capture_on_commit_callbacks
):
    state = _recompute_fails(monkeypatch)
    state = _save_queued(django_capture_on_commit_callbacks)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(admin)
    notice = _notice(_page(client, "indicator"))
    assert notice.startswith(
        f"Figures may be out of date since {_local(state.requested_at)} (recompute pending). "
        f"The last recompute failed at {_local(state.failed_at)}. Error (shown to admins "
        "only): RuntimeError: Bảng số liệu quý 1 không đọc được Recompute now"
    )


def _summary_rows(client) -> list[list]:
    response = client.get(reverse("commitments:report_xlsx"), {"year": 2021, "quarter": 1})
    book = load_workbook(io.BytesIO(response.content))
    return [[c.value for c in row] for row in book.worksheets[0].iter_rows()]


def test_the_xlsx_says_so_below_its_summary(client, director, django_capture_on_commit_callbacks):
    client.force_login(director)
    fresh = _summary_rows(client)
    state = _save_queued(django_capture_on_commit_callbacks)
    rows = _summary_rows(client)
    assert rows[: len(fresh)] == fresh
    note = f"Số liệu có thể chưa cập nhật từ {_local(state.requested_at)} (đang chờ tính lại)."
    assert rows[len(fresh) :] == [[None] * 5, [note, *[None] * 4]]  # a blank row, the note

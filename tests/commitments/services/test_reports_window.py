"""Staff write only the quarters open for reporting: the last ``REPORT_OPEN_QUARTERS``
(the current one included) and those an admin reopened; never an old year, the
baseline or a year long gone through a hand-made request."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from commitments import access, engine, services
from commitments.models import Figure, QuarterlyReport
from tests import factories


@pytest.fixture(autouse=True)
def _a_year_of_quarters(settings):
    settings.REPORT_OPEN_QUARTERS = 4


def _quarters_ago(n: int) -> tuple[int, int]:
    today = timezone.localdate()
    year, quarter = today.year, engine.quarter_of(today)
    for _ in range(n):
        year, quarter = engine.previous_quarter(year, quarter)
    return year, quarter


@pytest.mark.parametrize(("ago", "open_"), [(0, True), (3, True), (4, False), (20, False)])
def test_the_window_counts_quarters_back_from_today(ago, open_):
    year, quarter = _quarters_ago(ago)
    report = QuarterlyReport(year=year, quarter=quarter)
    assert access.report_open(report=report) is open_


def test_a_quarter_that_has_not_begun_is_never_open():
    today = timezone.localdate()
    year, quarter = engine.previous_quarter(today.year + 1, engine.quarter_of(today))
    assert not access.report_open(report=QuarterlyReport(year=year + 1, quarter=quarter))


@pytest.mark.parametrize("year", [2000, 2020])
def test_staff_cannot_write_an_old_year_by_posting_its_report(client, staff, units, year):
    client.force_login(staff)
    response = client.post(
        f"/report/vp/{year}/2/", {"action": "save", "version": "0", "docs_issued": "9"}
    )
    assert response.status_code == 200
    assert "không còn mở để báo cáo" in response.content.decode()
    assert not Figure.objects.filter(year=year).exists()
    assert not QuarterlyReport.objects.filter(year=year).exists()


def test_staff_write_a_quarter_inside_the_window(staff, units):
    year, quarter = _quarters_ago(1)
    report = factories.report(units["desk"], year=year, quarter=quarter)
    services.reports.report_save(
        report=report, values={("docs_issued", None): "9"}, version=0, user=staff
    )
    assert Figure.objects.get(unit=units["desk"], year=year, quarter=quarter).value == 9


def test_a_quarter_outside_the_window_is_read_only_on_its_page(client, staff, units):
    client.force_login(staff)
    html = client.get("/report/vp/2025/1/").content.decode()
    assert 'name="docs_issued"' in html and "disabled" in html.split('name="docs_issued"')[1][:200]


def test_an_admin_writes_any_quarter_and_a_reopened_one_is_open_to_staff(staff, units):
    admin = factories.superuser()
    report = factories.report(units["desk"], year=2020, quarter=3)
    services.reports.report_save(
        report=report, values={("docs_issued", None): "4"}, version=0, user=admin
    )
    services.reports.report_submit(report=report, user=admin)
    services.reports.report_reopen(report=report, user=admin, reason="Sửa số năm gốc")
    report.refresh_from_db()
    assert access.report_open(report=report)
    services.reports.report_save(
        report=report, values={("docs_issued", None): "5"}, version=report.version, user=staff
    )
    assert Figure.objects.get(unit=units["desk"], year=2020, quarter=3).value == 5


def test_evidence_of_a_closed_quarter_is_refused(staff, units):
    report = factories.report(units["desk"], year=2021, quarter=2)
    with pytest.raises(services.reports.ReportRefused):
        services.evidence.evidence_add(
            report=report, user=staff, kind="dialogue", date=dt.date(2021, 5, 7),
            reference="1/TB", link="https://example.invalid/1",
        )  # fmt: skip

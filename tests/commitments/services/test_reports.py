"""The report service: optimistic locking before anything is written, a decision on a
report taken once, and a submitted report taken back by its staff before a decision. (What the page does with these refusals: views/test_reporting.py.)"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest

from commitments import access, selectors, services
from commitments.models import AuditEntry, QuarterlyReport
from tests import factories
from tests.commitments.shortcuts import desk_figures, desk_report


def test_the_service_refuses_a_stale_version_before_writing(staff, units):
    report = desk_report(units)
    services.reports.report_save(report=report, values={("docs_issued", None): "7"}, version=0)
    with pytest.raises(services.reports.ReportRefused) as refused:
        services.reports.report_save(report=report, values={("docs_issued", None): "8"}, version=0)
    assert services.reports.NON_FIELD in refused.value.errors
    assert desk_figures(units) == {"docs_issued": 7}


def test_a_decision_happens_once(staff, director, units):
    report = desk_report(units)
    services.reports.report_submit(report=report, user=staff)
    services.reports.report_approve(report=report, user=director)
    with pytest.raises(services.reports.ReportRefused):
        services.reports.report_return(report=report, user=director, comment="Muộn")
    report.refresh_from_db()
    assert report.state == QuarterlyReport.State.APPROVED


# --- taking back a submitted report ----------------------------------------------------


def test_staff_withdraw_a_submitted_report_into_a_draft(staff, units):
    report = desk_report(units)
    factories.report_submitted(report, staff, at=factories.utc(2021, 7, 5, 2))
    with mock.patch("django.utils.timezone.now", return_value=factories.utc(2021, 7, 6, 2)):
        services.reports.report_withdraw(report=report, user=staff)
    report.refresh_from_db()
    assert report.state == QuarterlyReport.State.DRAFT
    assert report.version == 2
    # The first submission's time stays; the report is no longer waiting for anyone.
    assert report.first_submitted_at == factories.utc(2021, 7, 5, 2)
    assert (report.submitted_at, report.submitted_by) == (None, None)
    entry = AuditEntry.objects.filter(unit=units["desk"]).latest("pk")
    assert (entry.subject, entry.action, entry.user) == ("report", "withdrawn", staff)
    assert entry.changes == [["state", "submitted", "draft"]]
    # A draft again: its staff save and submit it as before.
    services.reports.report_save(report=report, values={("docs_issued", None): "9"}, version=2)
    services.reports.report_submit(report=report, user=staff)
    assert report.state == QuarterlyReport.State.SUBMITTED


@pytest.mark.parametrize("decision", ["approve", "return"])
def test_a_report_decided_on_cannot_be_withdrawn(staff, director, units, decision):
    report = desk_report(units)
    services.reports.report_submit(report=report, user=staff)
    # The director acts on the stored row while the staff's page still says "submitted".
    stale = desk_report(units)
    if decision == "approve":
        services.reports.report_approve(report=report, user=director)
    else:
        services.reports.report_return(report=report, user=director, comment="Thiếu")
    with pytest.raises(services.reports.ReportRefused) as refused:
        services.reports.report_withdraw(report=stale, user=staff)
    assert "chưa duyệt hoặc trả lại" in refused.value.errors[services.reports.NON_FIELD]
    report.refresh_from_db()
    assert report.state == (
        QuarterlyReport.State.APPROVED if decision == "approve" else QuarterlyReport.State.RETURNED
    )
    assert not AuditEntry.objects.filter(action="withdrawn").exists()


def test_a_draft_cannot_be_withdrawn(staff, units):
    with pytest.raises(services.reports.ReportRefused):
        services.reports.report_withdraw(report=desk_report(units), user=staff)
    assert not QuarterlyReport.objects.exclude(state="draft").exists()


def test_a_withdrawn_report_sent_again_late_is_on_time_by_its_first_submission(mix):
    # Sent on 9 April, withdrawn, sent again on 16 April: the deadline was the 14th.
    staff = factories.user("chuyenvien-2")
    report = factories.report(mix["not_started"])
    factories.report_submitted(report, staff, at=factories.utc(2021, 4, 9, 2))
    services.reports.report_withdraw(report=report, user=staff)
    factories.report_submitted(report, staff, at=factories.utc(2021, 4, 16, 2))
    rows = {
        row.unit.code: row
        for row in selectors.completeness.report_completeness(
            scope=access.ALL_UNITS, year=2021, quarter=1, today=dt.date(2021, 4, 20)
        ).units
    }
    assert rows["u1-chua"].timeliness == "on_time"
    assert rows["u1-chua"].first_submitted_at == factories.utc(2021, 4, 9, 2)

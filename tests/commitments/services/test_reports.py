"""The report service: optimistic locking before anything is written, and a decision on a
report taken once. (What the page does with these refusals: views/test_reporting.py.)"""

from __future__ import annotations

import pytest

from commitments import services
from commitments.models import QuarterlyReport
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

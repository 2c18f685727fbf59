"""DOMAIN.md, "Official figures": what a director signs, exports and publishes counts
only approved figures; an admin's import is official on arrival; a reopened report
keeps its last approved values official until it is approved again."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from commitments import selectors, services
from commitments.models import AuditEntry, OfficialFigure, QuarterlyReport, Status
from tests import factories

LAND = ("dossiers_on_time", "land")
RESOLVED = ("dossiers_resolved", "land")


@pytest.fixture
def desk(catalogue):
    department = factories.department()
    return factories.unit("vp", parent=department, receives_dossiers=True)


def _recomputed() -> None:
    """Recompute the year, as the worker does once a write commits."""
    services.recompute.statuses_recompute(year=2021)


def _exported(desk, quarter: int = 2) -> tuple | None:
    """The desk's 5.1 land row of Q2 2021 as ``export_statuses`` writes it: its value
    and status, or None when there is none (no official figure of land)."""
    rows = selectors.statuses.status_export_rows(year=2021)
    row = next(
        (
            r
            for r in rows
            if r["indicator"] == "5.1"
            and r["unit"] == desk.code
            and r["category"] == "land"
            and r["period"] == f"2021-Q{quarter}"
        ),
        None,
    )
    return None if row is None else (row["value"], row["status"])


def _provisional(desk, quarter: int = 2) -> Status:
    return Status.every.get(
        provisional=True, indicator__code="5.1", unit=desk, category="land", year=2021,
        quarter=quarter,
    )  # fmt: skip


def _save(report, user, on_time: str, resolved: str = "100") -> None:
    report.refresh_from_db()
    services.reports.report_save(
        report=report,
        values={RESOLVED: resolved, LAND: on_time},
        version=report.version,
        user=user,
    )


def test_a_draft_moves_nothing_official_until_the_director_approves(desk):
    staff = factories.staff("chuyenvien", desk)
    director = factories.director("giamdoc", desk.parent)
    admin = factories.superuser()
    report = factories.report(desk, year=2021, quarter=2)

    _save(report, staff, "99")
    _recomputed()
    # Saved as a draft: nothing official; the provisional view has it, marked.
    assert _exported(desk) is None
    assert not Status.objects.filter(unit=desk, year=2021, quarter=2, value__isnull=False)
    assert (_provisional(desk).value, _provisional(desk).differs) == (99, True)

    services.reports.report_submit(report=report, user=staff)
    _recomputed()
    assert _exported(desk) is None  # submitted: still not official

    services.reports.report_approve(report=report, user=director)
    _recomputed()
    assert _exported(desk) == (99.0, "met")  # approved: official now
    assert not Status.every.filter(provisional=True, year=2021).exists()

    # Reopened to fix a typo: the approved 99% stays official while the unit works.
    services.reports.report_reopen(report=report, user=admin, reason="Sai số liệu đất đai")
    _save(report, staff, "50")
    _recomputed()
    assert _exported(desk) == (99.0, "met")
    assert (_provisional(desk).value, _provisional(desk).status) == (50, "not_met")
    assert OfficialFigure.objects.filter(unit=desk, year=2021, quarter=2).count() == 2

    services.reports.report_submit(report=report, user=staff)
    services.reports.report_approve(report=report, user=director)
    _recomputed()
    assert _exported(desk) == (50.0, "not_met")  # approved again: the new values count
    assert not OfficialFigure.objects.exists()


def test_a_returned_report_does_not_count(desk):
    staff = factories.staff("chuyenvien", desk)
    director = factories.director("giamdoc", desk.parent)
    report = factories.report(desk, year=2021, quarter=2)
    _save(report, staff, "99")
    services.reports.report_submit(report=report, user=staff)
    services.reports.report_return(report=report, user=director, comment="Chưa khớp sổ")
    _recomputed()
    assert _exported(desk) is None


def test_reopening_a_report_that_was_only_submitted_keeps_nothing(desk):
    staff = factories.staff("chuyenvien", desk)
    report = factories.report(desk, year=2021, quarter=2)
    _save(report, staff, "99")
    services.reports.report_submit(report=report, user=staff)
    services.reports.report_reopen(report=report, user=factories.superuser(), reason="Gửi nhầm kỳ")
    assert not OfficialFigure.objects.exists()


def test_an_admins_import_is_official_on_arrival_and_approves_its_reports(desk, write_file):
    staff = factories.staff("chuyenvien", desk)
    report = factories.report(desk, year=2021, quarter=2)
    _save(report, staff, "80")  # a draft the import lands in
    path = write_file(
        "so-lieu.csv",
        "year,quarter,unit,element,category,value\n"
        "2021,2,vp,dossiers_resolved,land,100\n"
        "2021,2,vp,dossiers_on_time,land,97\n"
        "2021,3,vp,dossiers_resolved,land,10\n",
    )
    version = QuarterlyReport.objects.get(pk=report.pk).version
    call_command("import_figures", path, stdout=io.StringIO())
    _recomputed()
    assert _exported(desk) == (97.0, "met")
    reports = QuarterlyReport.objects.filter(unit=desk, year=2021).order_by("quarter")
    assert [(r.quarter, r.state) for r in reports] == [(2, "approved"), (3, "approved")]
    # The form opened before the import cannot save over it.
    assert reports[0].version > version
    approvals = AuditEntry.objects.filter(subject="report", action="approved", unit=desk)
    assert approvals.count() == 2
    assert all("so-lieu.csv" in entry.note for entry in approvals)


def test_figures_without_any_report_are_official(desk):
    """Written outside the report cycle (the admin, a trusted system): official."""
    factories.figure(desk, "dossiers_resolved", 100, quarter=2, category="land")
    factories.figure(desk, "dossiers_on_time", 98, quarter=2, category="land")
    _recomputed()
    assert _exported(desk) == (98.0, "met")


def test_an_import_grows_the_version_only_of_the_reports_it_changes(desk, write_file):
    """A form opened before an import cannot save over what it changed; a report the
    import leaves as it was (approved, the same figures) keeps its version."""
    header = "year,quarter,unit,element,category,value\n"
    first = header + "2021,2,vp,dossiers_resolved,land,100\n2021,3,vp,dossiers_resolved,land,10\n"
    path = write_file("so-lieu.csv", first)

    def versions() -> dict[int, int]:
        reports = QuarterlyReport.objects.filter(unit=desk)
        return dict(reports.values_list("quarter", "version"))

    call_command("import_figures", path, stdout=io.StringIO())
    assert versions() == {2: 1, 3: 1}  # created, then approved
    call_command("import_figures", path, stdout=io.StringIO())
    assert versions() == {2: 1, 3: 1}  # the same file: nothing changed
    second = header + "2021,2,vp,dossiers_resolved,land,100\n2021,3,vp,dossiers_resolved,land,12\n"
    call_command("import_figures", write_file("so-lieu-2.csv", second), stdout=io.StringIO())
    assert versions() == {2: 1, 3: 2}
    # A reopened report (not approved) grows it even when its figures stay the same.
    services.reports.report_reopen(
        report=QuarterlyReport.objects.get(unit=desk, quarter=2),
        user=factories.superuser(),
        reason="Kiểm tra lại",
    )
    reopened = versions()[2]
    call_command("import_figures", write_file("so-lieu-3.csv", second), stdout=io.StringIO())
    assert versions() == {2: reopened + 1, 3: 2}
    assert QuarterlyReport.objects.get(unit=desk, quarter=2).state == "approved"

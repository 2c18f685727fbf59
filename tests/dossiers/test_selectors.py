"""The late dossiers of a quarter, the open ones overdue at its end, the reconciliation,
and the report form showing derived figures read-only."""

from __future__ import annotations

from django.urls import reverse

from commitments import selectors, services
from commitments.models import Figure
from dossiers import selectors as dossier_selectors
from tests import factories


def test_late_dossiers_of_the_quarter(imported, desk):
    late = dossier_selectors.late_dossiers(unit=desk, year=2021, quarter=1, category="land")
    assert [(d.code, d.procedure, d.days_late) for d in late] == [("HS-2", "TT-01", 2)]
    assert dossier_selectors.late_dossiers(unit=desk, year=2021, quarter=1, category="crop") == []


def test_open_dossiers_overdue_at_the_end_of_the_quarter(imported, desk):
    overdue = dossier_selectors.overdue_open(unit=desk, year=2021, quarter=1)
    # HS-6 was due on 25 March and is still open: six days late on 31 March.
    assert [(d.code, d.days_late) for d in overdue] == [("HS-6", 6)]
    assert dossier_selectors.overdue_open(unit=desk, year=2020, quarter=4) == []


def test_reconciliation_shows_where_the_hand_count_disagrees(desk, write_file):
    from dossiers.services import dossiers_import
    from tests.dossiers.conftest import HEADER, WORKED

    factories.figure(desk, "dossiers_received", 7, category="land")
    factories.figure(desk, "dossiers_on_time", 3, category="land")
    dossiers_import(path=write_file("d.csv", HEADER + WORKED))
    rows = dossier_selectors.reconciliation(year=2021)
    assert [(r.element, r.typed, r.derived, r.difference) for r in rows] == [
        ("dossiers_received", 7, 6, 1),
        ("dossiers_on_time", 3, 3, 0),
    ]


def test_report_form_shows_derived_figures_read_only_with_their_records(
    imported, desk, client, django_capture_on_commit_callbacks
):
    admin = factories.superuser()
    client.force_login(admin)
    url = reverse("commitments:quarterly_report", args=[desk.code, 2021, 1])
    html = client.get(url).content.decode()
    assert "Từ hồ sơ một cửa: 6 hồ sơ" in html
    assert 'name="dossiers_received__land"' not in html
    assert 'class="num read-only" id="id_dossiers_received__land">6<' in html


def test_a_derived_figure_is_never_typed_over(imported, desk):
    admin = factories.superuser()
    report = selectors.reports.report_for(unit=desk, year=2021, quarter=1)
    services.reports.report_reopen(report=report, user=admin, reason="sửa số liệu")
    report.refresh_from_db()
    services.reports.report_save(
        report=report,
        values={("dossiers_received", "land"): "99", ("dossiers_received", "crop"): "4"},
        version=report.version,
        user=admin,
    )
    values = dict(
        Figure.objects.filter(unit=desk, year=2021, quarter=1)
        .values_list("element__code", "category__code", "value")
        .values_list("category__code", "value")
        .filter(element__code="dossiers_received")
    )
    assert values == {"land": 6, "crop": 4}

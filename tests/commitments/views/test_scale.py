"""The pages that list units at 2,000 units: each shows a page of them, a level of the
tree or the first few by name, never every unit, and stays small; what it leaves out
it counts. The tree is a country's in small: a root, four provinces of four
departments of twenty units each, and 415 communes a province (2,001 units), with
the statuses of Q1 2021 stored as the recompute would store them and a report of Q1
from every commune, sent."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from commitments import engine
from commitments.models import Indicator, QuarterlyReport, Status, Unit
from commitments.views.paging import PER_PAGE
from commitments.views.units import CHILDREN_NAMED, MATRIX_PER_PAGE
from tests import factories

PROVINCES, DEPARTMENTS, UNITS, COMMUNES = 4, 4, 20, 415
# No page shows more table rows than this, however many units there are.
MOST_ROWS = 200
LARGEST_PAGE = 500 * 1024


def _tree() -> list[Unit]:
    """The units, the root first."""
    root = factories.unit("vn", kind="department", name="Cả nước")
    provinces = Unit.objects.bulk_create(
        Unit(code=f"p{p}", name=f"Tỉnh {p}", parent=root, kind="department")
        for p in range(PROVINCES)
    )
    departments = Unit.objects.bulk_create(
        Unit(code=f"{p.code}-d{d}", name=f"Sở {d} {p.name}", parent=p, kind="department")
        for p in provinces
        for d in range(DEPARTMENTS)
    )
    leaves = Unit.objects.bulk_create(
        Unit(code=f"{d.code}-u{u:02d}", name=f"Phòng {u} {d.name}", parent=d, kind="division")
        for d in departments
        for u in range(UNITS)
    )
    communes = Unit.objects.bulk_create(
        Unit(code=f"{p.code}-x{c:03d}", name=f"Xã {c} {p.name}", parent=p,
             kind="affiliated_unit", receives_dossiers=True)
        for p in provinces
        for c in range(COMMUNES)
    )  # fmt: skip
    return [root, *provinces, *departments, *leaves, *communes]


def _statuses(units: list[Unit]) -> None:
    """5.1 of every unit (the communes' ratios from 90% up, one in three short of 98%),
    and 6.1 of the root, which every commune misses."""
    on_time = Indicator.objects.get(code="5.1")
    surveyed = Indicator.objects.get(code="6.1")
    now = timezone.now()

    def row(indicator, unit, quarter, status, value=None, **detail):
        return Status(indicator=indicator, unit=unit, year=2021, quarter=quarter, status=status,
                      value=value, target=Decimal(98 if indicator == on_time else 100),
                      comparator=engine.GE, detail=detail, computed_at=now)  # fmt: skip

    rows = []
    for n, unit in enumerate(units):
        value = Decimal(90) + Decimal(n % 100) / 10
        status = engine.MET if value >= 98 else engine.NOT_MET
        for quarter in (0, 1):
            rows.append(row(on_time, unit, quarter, status, value, numerator=int(value * 10),
                            denominator=1000))  # fmt: skip
    communes = [u.code for u in units if u.receives_dossiers]
    for quarter in (0, 1):
        rows.append(row(surveyed, units[0], quarter, engine.NOT_MET, Decimal(0), covered=0,
                        units=len(communes), missing=communes))  # fmt: skip
    Status.objects.bulk_create(rows, batch_size=2000)


@pytest.fixture
def country(catalogue):
    units = _tree()
    _statuses(units)
    sent = factories.utc(2021, 4, 12, 2)
    QuarterlyReport.objects.bulk_create(
        QuarterlyReport(unit=u, year=2021, quarter=1, state="submitted", submitted_at=sent,
                        first_submitted_at=sent)
        for u in units
        if u.receives_dossiers
    )  # fmt: skip
    return units


@pytest.fixture
def admin(client, country):
    client.force_login(factories.superuser())
    return client


def _small(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.content) < LARGEST_PAGE
    assert html.count("<tr") <= MOST_ROWS
    return html


def test_the_matrix_shows_a_level_of_the_tree_at_a_time(admin, country):
    html = _small(admin.get(reverse("commitments:matrix"), {"year": 2021, "quarter": 1}))
    # The country at the top, then its four provinces, each leading a level down.
    assert len(re.findall(r"<tr[ >]", html)) == 1 + 1 + PROVINCES
    assert "?year=2021&amp;quarter=1&amp;unit=p0" in html
    assert f"{DEPARTMENTS + COMMUNES} đơn vị trực thuộc" in html


def test_a_province_in_the_matrix_is_paged_worst_first(admin, country):
    response = admin.get(reverse("commitments:matrix"), {"year": 2021, "quarter": 1, "unit": "p1"})
    html = _small(response)
    page = response.context["page"]
    assert page.paginator.count == DEPARTMENTS + COMMUNES
    rows = response.context["rows"]
    assert (rows[0]["unit"].code, rows[0]["top"]) == ("p1", True)
    assert len(rows) == 1 + MATRIX_PER_PAGE
    # The units that miss 6.1 and 5.1 come first; the way back up is named.
    assert rows[1]["not_met"] >= rows[-1]["not_met"]
    assert 'unit=vn">Cả nước</a> \u203a <strong>Tỉnh 1</strong>' in html
    following = admin.get(
        reverse("commitments:matrix"), {"year": 2021, "quarter": 1, "unit": "p1", "page": 2}
    )
    seen = {r["unit"].code for r in rows[1:]}
    assert not seen & {r["unit"].code for r in following.context["rows"][1:]}


def test_the_indicator_page_ranks_every_unit_a_page_at_a_time(admin, country):
    response = admin.get(
        reverse("commitments:indicator", args=["5.1"]), {"year": 2021, "quarter": 1}
    )
    _small(response)
    page = response.context["page"]
    assert page.paginator.count == len(country) - 1  # every unit below the country
    values = [row.value for row in response.context["unit_rows"]]
    assert len(values) == PER_PAGE
    assert values == sorted(values) and values[0] == Decimal(90)
    last = admin.get(
        reverse("commitments:indicator", args=["5.1"]),
        {"year": 2021, "quarter": 1, "page": page.paginator.num_pages},
    )
    assert last.context["unit_rows"][-1].status == engine.MET


def test_a_row_that_misses_thousands_of_units_names_the_first_few(admin, country):
    html = _small(
        admin.get(reverse("commitments:indicator", args=["6.1"]), {"year": 2021, "quarter": 1})
    )
    named = PROVINCES * COMMUNES - 10
    assert "Chưa đạt: Xã 0 Tỉnh 0, Xã 1 Tỉnh 0" in html
    assert f"và {named:,} đơn vị khác".replace(",", ".") in html
    dashboard = _small(admin.get(reverse("commitments:dashboard"), {"year": 2021, "quarter": 1}))
    assert f"và {named:,} đơn vị khác".replace(",", ".") in dashboard


def test_a_unit_page_names_the_first_units_below_it(admin, country):
    response = admin.get(reverse("commitments:unit", args=["p1"]), {"year": 2021, "quarter": 1})
    html = _small(response)
    assert len(response.context["children"]) == CHILDREN_NAMED
    more = DEPARTMENTS + COMMUNES - CHILDREN_NAMED
    assert f"và {more} đơn vị khác" in html
    assert "unit=p1" in html  # the matrix, a level down, lists them all


def test_completeness_and_the_review_inbox_are_paged(admin, country):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "localdate", lambda: dt.date(2021, 4, 20))
        completeness = admin.get(reverse("commitments:completeness"), {"year": 2021, "quarter": 1})
        review = admin.get(reverse("commitments:review"))
    html = _small(completeness)
    summary = completeness.context["completeness"]
    reporting = len(country) - 1 - PROVINCES * (1 + DEPARTMENTS)  # the departments do not
    assert summary.expected == reporting
    assert summary.submitted == PROVINCES * COMMUNES
    assert len(summary.units) == PER_PAGE
    # The units that have not reported, overdue, first.
    assert {row.timeliness for row in summary.units} == {"late"}
    assert "Quá hạn (320)" in html
    _small(review)
    assert review.context["page"].paginator.count == PROVINCES * COMMUNES
    assert len(review.context["items"]) == PER_PAGE


def test_the_publish_page_names_the_first_units_not_approved(admin, country):
    response = admin.get(
        reverse("commitments:results_publish"), {"unit": "vn", "year": 2021, "quarter": 1}
    )
    html = _small(response)
    reporting = len(country) - 1 - PROVINCES * (1 + DEPARTMENTS)
    assert html.count('<span class="unit">') == 50
    assert f"và {reporting - 50:,} đơn vị khác".replace(",", ".") in html


def test_the_survey_overview_is_paged(admin, country):
    response = admin.get(reverse("surveys:overview"), {"year": 2021})
    _small(response)
    assert response.context["page"].paginator.count == PROVINCES * COMMUNES
    assert len(response.context["rows"]) == PER_PAGE

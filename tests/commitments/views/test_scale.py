"""The pages that list units at 2,000 units (``tests.commitments.country``): each
shows a page of them, a level of the tree or the first few by name, never every unit,
and stays small; what it leaves out it counts."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from commitments import engine, selectors
from commitments.models import Indicator
from commitments.views.paging import PER_PAGE
from commitments.views.units import CHILDREN_NAMED, MATRIX_PER_PAGE
from tests import factories
from tests.commitments.country import COMMUNES, DEPARTMENTS, PROVINCES
from tests.commitments.country import country as small_country

# No page shows more table rows than this, however many units there are.
MOST_ROWS = 200
LARGEST_PAGE = 500 * 1024


@pytest.fixture
def country(catalogue):
    return small_country()


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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan")
def test_the_indicator_pages_first_page_is_read_in_order_from_an_index(country):
    """The first page of the ranking is read from ``status_indicator_period`` in the
    ranking's order (worst first, the lowest value), only the rows of equal rank and
    value sorted by code: not every unit's row sorted to keep fifty."""
    ranked = selectors.statuses.indicator_units_worst_first(
        indicator=Indicator.objects.get(code="5.1"), year=2021, quarter=1, scope=None
    )
    sql, params = ranked[:PER_PAGE].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE commitments_status, commitments_unit")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "using status_indicator_period" in plan, plan
    assert not re.search(r"(?<!Incremental )Sort\b(?! Key)", plan), plan


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

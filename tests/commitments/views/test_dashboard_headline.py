"""The dashboard's headline (``commitments.headline``): the counts by status, the change
since the quarter before, the three things most worth attention, each a link; and the
indicators' comparison column, sparkline and categories as the headline reads them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from commitments import engine, insights, services
from commitments.models import Indicator, Status
from tests import factories

# The desk's quarters of 2021: (land on time of 100 resolved, satisfied of 100 surveyed).
QUARTERS = {1: (100, 95), 2: (90, 95), 3: (99, 80), 4: (100, 95)}


@pytest.fixture
def director(client, catalogue):
    """The department's director; its desk met satisfaction (4.1, 91%) in Q1, Q2 and Q4
    and missed it in Q3 (80%); land on time (5.1, 96%) missed only in Q2."""
    department = factories.department()
    desk = factories.unit("vp", parent=department, receives_dossiers=True)
    for quarter, (on_time, satisfied) in QUARTERS.items():
        factories.figure(desk, "dossiers_resolved", 100, quarter=quarter, category="land")
        factories.figure(desk, "dossiers_on_time", on_time, quarter=quarter, category="land")
        factories.figure(desk, "survey_responses", 100, quarter=quarter)
        factories.figure(desk, "survey_satisfied", satisfied, quarter=quarter)
    services.recompute.statuses_recompute(year=2021)
    client.force_login(factories.director("giamdoc", department))
    return client


def _page(client, **period):
    return client.get(reverse("commitments:dashboard"), {"year": 2021, **period})


def _headline(response):
    return response.context["sections"][0]["headline"]


def _section(html: str) -> str:
    start = html.index('<section class="headline"')
    return html[start : html.index("</section>", start)]


def test_the_headline_counts_the_commitments_and_their_change_on_the_quarter_before(director):
    q2, q3 = _headline(_page(director, quarter=2)), _headline(_page(director, quarter=3))
    counts = {c.status: c for c in q3.counts}
    before = {c.status: c.count for c in q2.counts}
    # Commitment 4 (4.1 alone in a quarter) goes from met to not met.
    assert counts[engine.NOT_MET].count == before[engine.NOT_MET] + 1
    assert counts[engine.NOT_MET].change == 1
    assert counts[engine.MET].change == -1
    # Commitment 5 stays not met (land is met again, but no dialogue was held).
    assert [(m.commitment.code, m.before, m.after) for m in q3.moves] == [
        ("4", engine.MET, engine.NOT_MET)
    ]
    assert sum(c.count for c in q3.counts) == q3.judged


def test_the_headline_names_the_three_things_most_worth_attention_worst_and_newest_first(
    director,
):
    response = _page(director, quarter=3)
    attention = _headline(response).attention
    assert len(attention) == 3
    assert all(a.reason == engine.NOT_MET for a in attention)
    # 4.1 got worse since Q2: it comes first among those not met.
    assert (attention[0].reading.indicator.code, attention[0].newly) == ("4.1", True)
    html = _section(response.content.decode())
    # One click away, on the department's own sheet.
    assert 'href="/indicators/4.1/?year=2021&amp;quarter=3&amp;unit=sonn"' in html
    assert "xấu đi so với quý trước" in html
    assert html.count("<li>") == 3


def test_the_headline_reads_before_any_card(director):
    html = _page(director, quarter=3).content.decode()
    assert html.index('<section class="headline"') < html.index('<ol class="cards">')
    section = _section(html)
    assert "cam kết đánh giá trong quý" in section
    assert "Trong ngoặc: so với Quý 2/2021." in section
    assert 'href="#c4">cam kết 4</a>' in section


def test_the_year_view_compares_its_last_two_quarters(director):
    response = _page(director, quarter=0)
    headline = _headline(response)
    # 2021 is over: Q4 on Q3; commitment 4 is met again in Q4.
    assert [(m.commitment.code, m.before, m.after) for m in headline.moves] == [
        ("4", engine.NOT_MET, engine.MET)
    ]
    assert all(c.change is None for c in headline.counts)  # the counts are the year's
    html = response.content.decode()
    assert "Từ Quý 3/2021 sang Quý 4/2021:" in _section(html)
    assert "Quý 4 so với quý 3" in html  # the comparison column says what it compares


def test_the_comparison_column_is_filled_in_the_year_view_with_its_unit(director, settings):
    response = _page(director, quarter=0)
    readings = {
        r.indicator.code: r for card in response.context["sections"][0]["cards"] for r in card.shown
    }
    assert readings["4.1"].change == 15  # Q4 95% on Q3 80%
    assert "▲ 15 điểm %" in response.content.decode()
    director.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _page(director, quarter=0).content.decode()
    assert "▲ 15 pp" in html and "Q4 on Q3" in html


def test_a_quarters_sparkline_stops_at_that_quarter(director):
    response = _page(director, quarter=2)
    readings = {
        r.indicator.code: r for card in response.context["sections"][0]["cards"] for r in card.shown
    }
    trend = readings["4.1"].trend
    assert trend[:2] == [95, 95] and trend[2:] == [None, None]  # never Q3 or Q4


def test_the_year_views_sparkline_leaves_out_the_open_quarter(catalogue):
    department = factories.department()
    indicator = Indicator.objects.select_related("commitment").get(code="4.1")
    statuses = [
        Status(indicator=indicator, unit=department, category="", year=2026, quarter=quarter,
               value=Decimal(value), target=Decimal(91), comparator=engine.GE,
               status=engine.MET)
        for quarter, value in ((1, 95), (2, 94), (3, 93), (4, 0), (engine.YEAR, 94))
    ]  # fmt: skip
    # On 30 November 2026: three quarters have ended; Q4's 0 so far is left out.
    cards = insights.commitment_cards(
        statuses, unit=department, quarter=engine.YEAR, is_open=True,
        category_names={}, unit_names={}, ended=3,
    )  # fmt: skip
    assert cards[0].indicators[0].trend == [95, 94, 93, None]


def test_the_headline_in_english(director, settings):
    director.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _section(_page(director, quarter=3).content.decode())
    assert "commitments judged in the quarter" in html
    assert "Most worth your attention" in html
    assert "In brackets: the change on Q2 2021." in html
    assert "worse than the quarter before" in html


def test_the_indicator_page_lists_categories_in_the_catalogues_order(client, catalogue):
    department = factories.department()
    desk = factories.unit("vp", parent=department, receives_dossiers=True)
    for category in ("investment", "land", "crop"):
        factories.figure(desk, "dossiers_resolved", 100, category=category)
        factories.figure(desk, "dossiers_on_time", 99, category=category)
    services.recompute.statuses_recompute(year=2021)
    client.force_login(factories.director("giamdoc", department))
    response = client.get(
        reverse("commitments:indicator", args=["5.1"]), {"year": 2021, "quarter": 1}
    )
    rows = [s.category for s in response.context["department_rows"]]
    assert rows == ["", "crop", "land", "investment"]  # as the dashboard and the form

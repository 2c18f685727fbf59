"""A desk's public results page (/s/<code>/results/): its published quarters only,
newest first, as frozen when published, in a fixed number of queries."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from surveys import services
from tests import factories
from tests.surveys.conftest import answer
from tests.surveys.views.conftest import assert_csp_safe

pytestmark = pytest.mark.django_db


@pytest.fixture
def director(desks):
    return factories.director("giam-doc", desks["department"])


def results_url(unit):
    return reverse("surveys:public_results", args=[unit.code])


def publish(unit, director, *quarters, year=2021):
    for quarter in quarters:
        services.desk_publish(unit=unit, year=year, quarter=quarter, user=director)


def quarter_section(html: str, label: str) -> str:
    found = re.search(rf"<h2 [^>]*>{label}</h2>(.*?)</section>", html, re.S)
    assert found, f"no section {label}"
    return found[1]


def test_only_published_quarters_are_shown_newest_first(client, desks, director):
    desk = desks["desk"]
    for n in range(4):
        answer(desk, 5 if n < 3 else 2, quarter=1)
    kept = answer(desk, 4, quarter=1, comment="Cán bộ rất tận tình")
    services.comment_moderate(response=kept, user=director, publish=True)
    answer(desk, 1, quarter=1, comment="Ý kiến chưa duyệt")
    answer(desk, 5, quarter=2)
    answer(desk, 4, quarter=3)
    publish(desk, director, 1, 3)
    answer(desk, 1, quarter=3)  # after publication: the page keeps what was published
    html = client.get(results_url(desk)).content.decode()
    assert html.index("Quý 3/2021") < html.index("Quý 1/2021")
    assert "Quý 2/2021" not in html
    first = quarter_section(html, "Quý 1/2021")
    assert '<span class="share">66,67%</span>' in first
    assert "4 trên 6 phiếu hài lòng" in first
    assert re.search(r"Đánh giá chung.*?<td class=\"num\">3,67</td>", first, re.S)
    assert re.search(
        r"Tiếp cận dịch vụ.*?<td class=\"num\">4,00</td>\s*<td class=\"num\">100%", first, re.S
    )
    assert "Cán bộ rất tận tình" in first and "Ý kiến chưa duyệt" not in html
    third = quarter_section(html, "Quý 3/2021")
    assert '<span class="share">100%</span>' in third and "1 trên 1 phiếu hài lòng" in third
    assert_csp_safe(html)


def test_a_desk_that_published_nothing_says_so(client, desks):
    answer(desks["desk"], 5)
    html = client.get(results_url(desks["desk"])).content.decode()
    assert "Bộ phận này chưa công bố kết quả khảo sát nào." in html
    assert f'href="{reverse("surveys:survey", args=["mot-cua"])}"' in html


def test_the_results_in_english_with_the_language_cookie(client, desks, director):
    answer(desks["desk"], 5)
    publish(desks["desk"], director, 1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(results_url(desks["desk"])).content.decode()
    assert '<html lang="en">' in html
    assert "Q1 2021" in html and "1 of 1 answers satisfied" in html
    assert "Access to the service" in html and "Tiếp cận dịch vụ" not in html


@pytest.mark.parametrize("quarters", [1, 4])
def test_the_page_reads_in_two_queries_whatever_the_number_of_quarters(
    client, desks, director, quarters, django_assert_max_num_queries
):
    for quarter in range(1, quarters + 1):
        answer(desks["desk"], 5, quarter=quarter, comment="Tốt")
        publish(desks["desk"], director, quarter)
    with django_assert_max_num_queries(2):
        response = client.get(results_url(desks["desk"]))
    assert response.content.decode().count('class="quarter"') == quarters

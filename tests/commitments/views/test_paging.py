"""A long list a page at a time (``views.paging``): the pages read one after another
are the whole list in its order, each row once, with the list's count."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from commitments.models import Unit
from commitments.views import paging
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    root = factories.unit("root")
    # Names out of the codes' order, some the same: the order is the query's, not ids'.
    for n in range(23):
        factories.unit(f"u{n:02d}", parent=root, name=f"Đơn vị {(n * 7) % 5}")
    return Unit.objects.filter(parent=root).order_by("-name", "code")


def _page(pager, queryset, page, per_page=5):
    return pager(queryset, RequestFactory().get("/", {"page": page}), per_page)


@pytest.mark.parametrize("pager", [paging.page_counted, paging.page_of])
def test_the_pages_are_the_list_in_its_order_each_row_once(units, pager):
    expected = list(units.values_list("code", flat=True))
    read = []
    for number in range(1, 6):
        page = _page(pager, units, number)
        assert page.paginator.count == 23 and page.paginator.num_pages == 5
        assert page.number == number
        read += [unit.code for unit in page.object_list]
    assert read == expected


@pytest.mark.parametrize("pager", [paging.page_counted, paging.page_of])
def test_a_page_past_the_end_or_not_a_number(units, pager):
    last = _page(pager, units, 9)
    assert (
        last.number == 5
        and [u.code for u in last] == list(units.values_list("code", flat=True))[20:]
    )
    assert _page(pager, units, "abc").number == 1
    assert _page(pager, units.none(), 1).paginator.count == 0


def test_a_page_reads_two_queries_whatever_the_length(units, django_assert_num_queries):
    # The count, then the page's rows: each of which an index can answer in order.
    with django_assert_num_queries(2):
        page = _page(paging.page_of, units, 2)
        assert [unit.parent_id for unit in page.object_list]

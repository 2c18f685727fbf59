"""Pages of a long list (phân trang): a page that lists units shows a page of them, so
that a national tree of thousands of units never makes a page of thousands of rows.
The list is a query (the database counts and reads one page) or rows already ranked."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest
from django.utils.http import urlencode

# Rows of a table a page shows at most: enough to read through, few enough that a page
# stays quick to make and to load.
PER_PAGE = 50


def page_of(
    items, request: HttpRequest, per_page: int = PER_PAGE, *, count: int | None = None
) -> Page:
    """The page of ``items`` the query string asks for (``?page=``); the first for a
    page that is not a number, the last for one past the end. With ``count`` (how many
    items there are, counted already), a query is not counted again."""
    paginator = Paginator(items, per_page) if count is None else _Counted(items, per_page, count)
    return paginator.get_page(request.GET.get("page"))


class _Counted(Paginator):
    """A paginator told its count: the count came with the page's rows."""

    def __init__(self, object_list, per_page: int, count: int):
        super().__init__(object_list, per_page)
        self.count = count


def page_counted(queryset: QuerySet, request: HttpRequest, per_page: int = PER_PAGE) -> Page:
    """``page_of`` a query in one query rather than two: the page's rows each carry
    the number of rows of the whole list (a window count, which SQLite and PostgreSQL
    both compute before the page is cut). A page past the end costs a count and the
    last page. For a list an index reads in order, ``page_of`` is quicker: the window
    count has every row of the list read and sorted before the page is cut, where the
    count alone and the first page are each read from the index."""
    number = _number(request)
    start = (number - 1) * per_page
    rows = list(queryset.annotate(rows_in_list=Window(Count("pk")))[start : start + per_page])
    if not rows and number > 1:
        return Paginator(queryset, per_page).get_page(number)
    count = rows[0].rows_in_list if rows else 0
    return Page(rows, number, _Counted(queryset, per_page, count))


def _number(request: HttpRequest) -> int:
    """The page asked for (``?page=``); the first for one that is not a number."""
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


def query(request: HttpRequest, *, without: tuple[str, ...] = ("page",), **values) -> str:
    """The page's query string without ``without`` and with ``values`` (none left out
    when empty), for the links that keep what the reader chose: another page, another
    sort, a level further down."""
    kept = {k: v for k, v in request.GET.items() if k not in without and k not in values}
    kept.update({k: v for k, v in values.items() if v not in (None, "")})
    return urlencode(kept)

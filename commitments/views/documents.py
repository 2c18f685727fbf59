"""The quarterly report document: the XLSX workbook, the CSV of a year's statuses and
the printable report a department sends to the City People's Committee. Each holds the
statuses of the units the user sees (``access.reading_scope``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from commitments import access, engine, exports, print_report
from commitments.templatetags import recompute as recompute_text
from commitments.views.periods import period, recompute_state


def _report_period(request: HttpRequest) -> tuple[access.Scope, int, int]:
    """The units the user sees, and the year and quarter asked for, read as the
    dashboard reads them (this year or the latest year with targets; quarter 0, the
    year to date, when absent or not 1-4). A year without statuses has no report: 404."""
    scope = access.reading_scope(user=request.user)
    _years, year, quarter = period(request)
    if not exports.year_has_statuses(year=year):
        raise Http404("No statuses for this year.")
    return scope, year, quarter


def _attachment(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    return HttpResponse(
        content,
        content_type=content_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@login_required
@require_GET
def report_xlsx(request: HttpRequest) -> HttpResponse:
    """The report of a quarter or of the year to date as an XLSX workbook."""
    scope, year, quarter = _report_period(request)
    stale_note = recompute_text.stale_note(recompute_state(request))
    return _attachment(
        exports.workbook(year=year, quarter=quarter, scope=scope, stale_note=stale_note),
        content_type=exports.XLSX_CONTENT_TYPE,
        filename=f"bao-cao-cchc-{engine.period_label(year, quarter)}.xlsx",
    )


@login_required
@require_GET
def report_csv(request: HttpRequest) -> HttpResponse:
    """Every status of a year (each quarter and the year to date) in the columns of the
    status export contract, UTF-8 with a byte order mark for Excel; streamed as it is
    read, so that the whole country's year starts at once and is never held whole."""
    scope, year, _quarter = _report_period(request)
    return StreamingHttpResponse(
        exports.status_csv(year=year, scope=scope),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="trang-thai-{year}.csv"'},
    )


@login_required
@require_GET
def report_print(request: HttpRequest) -> HttpResponse:
    """The report of a period laid out for print (A4), to sign and send."""
    scope, year, quarter = _report_period(request)
    return render(
        request,
        "commitments/report_print.html",
        {
            "report": print_report.period_report(year=year, quarter=quarter, scope=scope),
            "today": timezone.localdate(),
        },
    )

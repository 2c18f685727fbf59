"""The dossier pages: the upload of an export (admins), the late dossiers of a unit,
field and quarter (with a CSV export) and the reconciliation of the hand count with the
records (directors)."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments import access
from commitments.models import Category, Unit
from commitments.tabular import ImportFailed, problem_parts, uploaded_file
from dossiers import demo, reading, selectors, services

# What each column of an export holds, as the upload page says it (README, "The file");
# its names and accepted values are the reader's own (``reading``).
COLUMN_HELP = {
    "code": gettext_lazy("Mã hồ sơ, không trùng; nạp lại một mã đã có thì cập nhật hồ sơ đó"),
    "unit": gettext_lazy("Mã đơn vị tiếp nhận"),
    "field": gettext_lazy("Mã lĩnh vực (land, investment …)"),
    "procedure": gettext_lazy("Mã thủ tục hành chính"),
    "channel": gettext_lazy("Kênh nộp hồ sơ, một trong"),
    "received_at": gettext_lazy("Ngày, giờ tiếp nhận; không sau lúc nạp"),
    "due_at": gettext_lazy("Hạn giải quyết; chỉ ghi ngày thì hạn là hết ngày đó"),
    "resolved_at": gettext_lazy(
        "Ngày có kết quả (giải quyết xong hoặc từ chối); để trống khi đang giải quyết"
    ),
    "paused_days": gettext_lazy("Số ngày tạm dừng chờ người dân bổ sung (để trống: 0)"),
    "status": gettext_lazy("Tình trạng hồ sơ, một trong"),
    "paid_online": gettext_lazy("1 hoặc 0 khi thủ tục có phí, để trống khi không có phí"),
}
VALUES = {"channel": reading.CHANNELS, "status": reading.STATUSES}


def _unit_for_user(request: HttpRequest, code: str) -> Unit:
    """The unit of ``code`` when the user may read it, else 404 (the same as unknown)."""
    unit = Unit.objects.filter(code=code).first()
    if unit is None or unit not in access.reading_scope(user=request.user):
        raise Http404(_("Không có đơn vị này."))
    return unit


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """An admin uploads a dossier export: all or nothing, every bad row listed."""
    if not request.user.is_superuser:
        raise PermissionDenied
    context: dict = {}
    if request.method == "POST" and request.FILES.get("file"):
        upload_file = request.FILES["file"]
        try:
            with uploaded_file(upload_file) as path:
                context["result"] = services.dossiers_import(path=path, user=request.user)
        except ImportFailed as failed:
            context["problems"] = [problem_parts(p) for p in failed.errors]
        context["name"] = upload_file.name
    context["columns"] = _columns()
    return render(request, "dossiers/upload.html", context)


def _columns() -> list[dict]:
    """The columns of an export as the upload page lists them: the English name, the
    Vietnamese headers, whether required, what it holds and the values it accepts."""
    return [
        {
            "name": column,
            "headers": [capfirst(header) for header in headers],
            "required": column not in reading.OPTIONAL,
            "help": COLUMN_HELP[column],
            "values": list(VALUES.get(column, ())),
        }
        for column, headers in reading.COLUMNS.items()
    ]


@login_required
def example(request: HttpRequest) -> FileResponse:
    """The demo's export, an example of the format to download (superusers)."""
    if not request.user.is_superuser:
        raise PermissionDenied
    return FileResponse(
        demo.EXPORT.open("rb"),
        as_attachment=True,
        filename=demo.EXPORT.name,
        content_type="text/csv; charset=utf-8",
    )


@login_required
def late(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    """The late dossiers of a unit in a quarter, of one field when asked (``?field=``):
    those resolved late, and those still open past their due date at its end."""
    unit = _unit_for_user(request, code)
    if not 1 <= quarter <= 4:
        raise Http404
    field = request.GET.get("field") or None
    resolved = selectors.late_dossiers(unit=unit, year=year, quarter=quarter, category=field)
    still_open = selectors.overdue_open(unit=unit, year=year, quarter=quarter, category=field)
    if request.GET.get("format") == "csv":
        return _late_csv(unit, year, quarter, resolved, still_open)
    return render(
        request,
        "dossiers/late.html",
        {
            "unit": unit,
            "year": year,
            "quarter": quarter,
            "field": field,
            "fields": Category.objects.filter(kind=Category.Kind.FIELD),
            "resolved": resolved,
            "still_open": still_open,
        },
    )


def _late_csv(unit: Unit, year: int, quarter: int, resolved, still_open) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="late-dossiers-{unit.code}-{year}-q{quarter}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["kind", "code", "procedure", "field", "received_at", "due_by", "resolved_at", "days_late"])  # fmt: skip
    for kind, rows in (("resolved_late", resolved), ("open_overdue", still_open)):
        for d in rows:
            writer.writerow(
                [
                    kind, d.code, d.procedure, d.category, d.received_at.isoformat(),
                    d.due_by.isoformat(), d.resolved_at.isoformat() if d.resolved_at else "",
                    d.days_late,
                ]
            )  # fmt: skip
    return response


@login_required
def reconciliation(request: HttpRequest) -> HttpResponse:
    """For a director: where a unit's hand count disagrees with its dossier records."""
    scope = access.reading_scope(user=request.user)
    if not (scope.sees_all or access.directs_units(scope=scope)):
        raise PermissionDenied
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    years = selectors.reconciliation_years()
    if year is None:
        year = years[-1] if years else None
    units = None if scope.sees_all else Unit.objects.filter(pk__in=scope.unit_ids)
    rows = selectors.reconciliation(year=year, units=units) if year else []
    return render(
        request,
        "dossiers/reconciliation.html",
        {"year": year, "years": years, "rows": rows},
    )

"""A department's signed sheet of a year through the API: the sheets listed, one read
as the lines of its file, and written (admins of targets) as the sheet file is loaded:
all or nothing, each problem pointing at its line and column (``/lines/3/threshold``)."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as io
from api.problems import Refused
from api.views.reads import SeesSomething, YearFilter, _filters
from commitments import access, selectors, services, sheet_file, tabular
from commitments.models import Unit
from commitments.tabular import Row

NO_SHEET = _("Không có bản đăng ký này.")
SHEETS_REFUSED = _("Chỉ người quản lý mục tiêu được nạp bản đăng ký.")
SHEET_REFUSED = _("Bản đăng ký có lỗi: chưa lưu gì.")
NOT_LINES = _('Gửi một đối tượng {"lines": [...]} có từ 1 đến %(max)s dòng.')
NOT_A_LINE = _("Mỗi dòng là một đối tượng gồm các cột của tệp bản đăng ký.")
NOT_A_COLUMN = _("Tệp bản đăng ký không có cột này.")
NOT_A_CELL = _("Ô phải là chuỗi, số hoặc null.")
NAMED = frozenset((*sheet_file.COLUMNS, *sheet_file.MEASURE_COLUMNS))


class SheetList(APIView):
    """The sheets the caller reads (of a year), the latest year first."""

    permission_classes = [SeesSomething]

    @extend_schema(parameters=[YearFilter], responses=io.SheetSummarySerializer(many=True))
    def get(self, request):
        year = _filters(request, YearFilter).get("year")
        sheets = selectors.sheets.visible_sheets(scope=access.sheets_scope(user=request.user))
        if year is not None:
            sheets = [sheet for sheet in sheets if sheet.year == year]
        return Response(io.SheetSummarySerializer(sheets, many=True).data)


class SheetOfDepartment(APIView):
    """``GET``: the sheet that applies to a department in a year (its own, else the
    common one), as the lines of its file. ``PUT`` (admins of targets): the
    department's own sheet of the year replaced by these lines, as ``load_sheet
    --replace`` loads a file: all or nothing, refused once its results are published."""

    permission_classes = [SeesSomething]

    @extend_schema(responses=io.SheetSerializer)
    def get(self, request, department: str, year: int):
        unit = _department(department)
        sheet = selectors.sheets.sheet_of_unit(unit=unit, year=year)
        if sheet is None or not selectors.sheets.sheet_visible(
            sheet=sheet, scope=access.sheets_scope(user=request.user)
        ):
            raise Http404(NO_SHEET)
        rows = sheet_file.sheet_rows(selectors.sheets.sheet_contents(sheet=sheet))
        lines = [{k: v for k, v in row.items() if v != ""} for row in rows]
        body = {
            "department": unit.code,
            "year": year,
            "common": sheet.department_id is None,
            "lines": lines,
        }
        return Response(io.SheetSerializer(body).data)

    @extend_schema(
        request=io.SheetLinesSerializer,
        responses={
            200: io.SheetLoadedSerializer,
            201: io.SheetLoadedSerializer,
            422: OpenApiResponse(description="Lines refused: errors with their pointers"),
        },
    )
    def put(self, request, department: str, year: int):
        if not request.user.has_perm(access.CHANGE_TARGETS):
            raise exceptions.PermissionDenied(SHEETS_REFUSED)
        unit = _department(department)
        rows = _rows(request.data)
        try:
            loaded = services.sheet_files.sheet_rows_load(
                rows=rows,
                department=unit.code,
                year=year,
                replace=True,
                user=request.user,
                source="API",
            )
        except services.sheet_files.SheetLoadFailed as failed:
            raise Refused(SHEET_REFUSED, errors=_pointed(failed.errors)) from None
        body = {
            "sheet": loaded.sheet,
            "created": loaded.created,
            "written": loaded.written,
            "counts": loaded.counts,
            "definitions_added": loaded.definitions_added,
            "warnings": _pointed(loaded.warnings),
        }
        return Response(io.SheetLoadedSerializer(body).data, status=201 if loaded.created else 200)


def _department(code: str) -> Unit:
    unit = Unit.objects.filter(code=code, parent__isnull=True).first()
    if unit is None:
        raise Http404(NO_SHEET)
    return unit


def _rows(data) -> list[Row]:
    """The body's lines as the rows of a file (line ``n + 1`` for ``/lines/n``: the
    reasons count lines from 1, as a file's); a line that is not an object of the
    file's columns, or a cell that is not text, a number or null, is refused."""
    lines = data.get("lines") if isinstance(data, dict) else None
    if not isinstance(lines, list) or not 1 <= len(lines) <= io.MAX_SHEET_LINES:
        detail = str(NOT_LINES % {"max": io.MAX_SHEET_LINES})
        raise Refused(detail, errors=[{"pointer": "/lines", "detail": detail}])
    rows, errors = [], []
    for index, line in enumerate(lines):
        if not isinstance(line, dict):
            errors.append({"pointer": f"/lines/{index}", "detail": str(NOT_A_LINE)})
            continue
        values = dict.fromkeys(NAMED, "")
        for column, cell in line.items():
            at = f"/lines/{index}/{column}"
            if column not in NAMED:
                errors.append({"pointer": at, "detail": str(NOT_A_COLUMN)})
            elif cell is None or isinstance(cell, bool) or not isinstance(cell, str | int | float):
                if cell is not None:
                    errors.append({"pointer": at, "detail": str(NOT_A_CELL)})
            else:
                values[column] = str(cell).strip()
        rows.append(Row(index + 1, values))
    if errors:
        raise Refused(SHEET_REFUSED, errors=errors)
    return rows


def _pointed(problems: list[str]) -> list[dict]:
    """``line N: column: reason`` as ``{"pointer": "/lines/N-1/column", "detail"}``;
    a problem of the whole sheet (line 0) points at the body."""
    pointed = []
    for problem in problems:
        line, column, reason = tabular.problem_parts(problem)
        pointer = f"/lines/{line - 1}/{column}" if line else "/"
        pointed.append({"pointer": pointer, "detail": reason})
    return pointed

"""The signed sheets (bản đăng ký chỉ tiêu): the sheets a user may read and one sheet
with its commitments, indicators, definitions and targets, where a target says
otherwise than its signed words, and the scanned signed document. Admins (who may
change targets) confirm the commitments a copy marked to review, copy a sheet into
the next year, record who signed it and load a department's sheet from a file. A
sheet of a department the user does not see answers 404, the same as one that does not
exist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from commitments import access, selectors, services, sheet_file, tabular
from commitments.forms import SheetCopyForm, SheetLoadForm, SheetSignForm, evidence_file_type
from commitments.models import Sheet


def _sheet_for(request: HttpRequest, pk: int) -> Sheet:
    """The sheet, if the user may read it; else 404, as if it did not exist."""
    sheet = get_object_or_404(Sheet.objects.select_related("department", "copied_from"), pk=pk)
    scope = access.sheets_scope(user=request.user)
    if not selectors.sheets.sheet_visible(sheet=sheet, scope=scope):
        raise Http404(_("Không có bản đăng ký này."))
    return sheet


def _may_change(request: HttpRequest) -> bool:
    return request.user.has_perm(access.CHANGE_TARGETS)


def _admins_only(view):
    return login_required(permission_required(access.CHANGE_TARGETS, raise_exception=True)(view))


@login_required
@require_GET
def sheet_list(request: HttpRequest) -> HttpResponse:
    """The sheets the user may read, the latest year first; for admins, the form that
    loads a department's sheet from a file."""
    return _list_page(request)


def _list_page(request: HttpRequest, *, load_form=None, failed=None) -> HttpResponse:
    """The list of sheets; ``failed``: a load refused, its problems shown next to the
    form as a table of lines, columns and reasons."""
    may_change = _may_change(request)
    if may_change:
        load_form = load_form or SheetLoadForm(initial={"year": timezone.localdate().year})
    return render(
        request,
        "commitments/sheets.html",
        {
            "sheets": selectors.sheets.visible_sheets(scope=access.sheets_scope(user=request.user)),
            "may_change": may_change,
            "load_form": load_form,
            "file_name": load_form.files["file"].name if failed else "",
            "problems": [tabular.problem_parts(p) for p in failed.errors] if failed else [],
            "warnings": [tabular.problem_parts(w) for w in failed.warnings] if failed else [],
        },
        status=400 if failed or (load_form and load_form.errors) else 200,
    )


@_admins_only
@require_POST
def sheet_load(request: HttpRequest) -> HttpResponse:
    """Load a department's sheet of a year from an uploaded CSV or XLSX file: on
    success the sheet's page, else this list with every problem of the file."""
    form = SheetLoadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, load_form=form)
    upload, data = form.cleaned_data["file"], form.cleaned_data
    try:
        with tabular.uploaded_file(upload) as path:
            loaded = services.sheet_files.sheet_load(
                path=path,
                department=data["department"].code,
                year=data["year"],
                replace=data["replace"],
                user=request.user,
                source=upload.name,
            )
    except services.sheet_files.SheetLoadFailed as failed:
        return _list_page(request, load_form=form, failed=failed)
    _loaded_say(request, loaded, upload.name)
    return redirect(reverse("commitments:sheet", args=[loaded.sheet.pk]))


def _loaded_say(request: HttpRequest, loaded, name: str) -> None:
    """What the load did, and whether the signed words state other targets."""
    values = {
        "year": loaded.sheet.year,
        "unit": loaded.sheet.department.label,
        "file": name,
        "commitments": loaded.counts["commitments"],
        "indicators": loaded.counts["indicators"],
    }
    if loaded.created:
        said = _(
            "Đã nạp bản đăng ký năm %(year)s của %(unit)s từ tệp %(file)s: %(commitments)s "
            "cam kết, %(indicators)s chỉ tiêu."
        )
    elif loaded.written:
        said = _(
            "Đã thay bản đăng ký năm %(year)s của %(unit)s bằng tệp %(file)s: %(commitments)s "
            "cam kết, %(indicators)s chỉ tiêu."
        )
    else:
        said = _(
            "Tệp %(file)s giống bản đăng ký năm %(year)s của %(unit)s đang lưu: không có gì "
            "thay đổi."
        )
    messages.success(request, said % values)
    if loaded.warnings:
        count = len(loaded.warnings)
        messages.warning(
            request,
            ngettext(
                "Lời văn đã ký của %(count)s mục tiêu nêu khác mục tiêu đã đặt: xem cảnh báo "
                "bên cạnh chỉ tiêu.",
                "Lời văn đã ký của %(count)s mục tiêu nêu khác mục tiêu đã đặt: xem cảnh báo "
                "bên cạnh chỉ tiêu.",
                count,
            )
            % {"count": count},
        )


@login_required
@require_GET
def sheet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One sheet: who signed it and when, its document, the departments it applies to,
    its commitments (those to review with why) and each indicator with its definition's
    version, its target and where the target says otherwise than its words."""
    return _detail_page(request, _sheet_for(request, pk))


def _detail_page(request: HttpRequest, sheet: Sheet, *, sign_form=None, copy_form=None):
    may_change = _may_change(request)
    if may_change:
        sign_form = sign_form or SheetSignForm(
            initial={"signed_by": sheet.signed_by, "signed_on": sheet.signed_on}
        )
        copy_form = copy_form or SheetCopyForm(initial={"year": sheet.year + 1})
    contents = selectors.sheets.sheet_contents(sheet=sheet)
    return render(
        request,
        "commitments/sheet.html",
        {
            "sheet": sheet,
            "departments": selectors.sheets.sheet_departments(sheet=sheet),
            "contents": contents,
            "to_review": sum(1 for part in contents if part.commitment.to_review),
            "mismatched": sum(1 for part in contents for line in part.lines if line.mismatches),
            "may_change": may_change,
            "sign_form": sign_form,
            "copy_form": copy_form,
        },
        status=400 if (sign_form and sign_form.errors) or (copy_form and copy_form.errors) else 200,
    )


@login_required
@require_GET
def sheet_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The scanned signed document, to those who may read the sheet."""
    sheet = _sheet_for(request, pk)
    if not sheet.document:
        raise Http404(_("Không có tệp này."))
    try:
        handle = sheet.document.open("rb")
    except FileNotFoundError:
        raise Http404(_("Không có tệp này.")) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=sheet.document_name or "sheet",
        content_type=evidence_file_type(sheet.document.name),
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def sheet_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The sheet as the rows of its file (CSV, with a BOM for spreadsheet programs), to
    those who may read it: a template to edit and load again."""
    sheet = _sheet_for(request, pk)
    rows = sheet_file.sheet_rows(selectors.sheets.sheet_contents(sheet=sheet))
    who = sheet.department.code if sheet.department_id else "chung"
    response = HttpResponse(
        "\ufeff" + sheet_file.csv_text(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{who}-{sheet.year}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@_admins_only
@require_POST
def sheet_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm one commitment marked to review (``commitment``), or all of them."""
    sheet = _sheet_for(request, pk)
    chosen = request.POST.get("commitment", "")
    if chosen:
        commitment = get_object_or_404(sheet.commitments.select_related("sheet"), pk=chosen)
        done = int(services.sheets.commitment_confirm(commitment=commitment, user=request.user))
    else:
        done = services.sheets.sheet_confirm(sheet=sheet, user=request.user)
    messages.success(request, _("Đã xác nhận %(count)s cam kết.") % {"count": done})
    return redirect(reverse("commitments:sheet", args=[sheet.pk]))


@_admins_only
@require_POST
def sheet_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy the sheet into another year (the next by default)."""
    sheet = _sheet_for(request, pk)
    form = SheetCopyForm(request.POST)
    if form.is_valid():
        try:
            copy = services.targets.sheet_copy(
                sheet=sheet, year=form.cleaned_data["year"], user=request.user
            )
        except services.targets.TargetsCopyRefused as refusal:
            form.add_error("year", str(refusal))
        else:
            messages.success(
                request,
                _(
                    "Đã sao chép bản đăng ký sang năm %(year)s. Mọi cam kết đang chờ rà "
                    "soát: hãy đọc lại lời văn và mục tiêu rồi xác nhận."
                )
                % {"year": copy.year},
            )
            return redirect(reverse("commitments:sheet", args=[copy.pk]))
    return _detail_page(request, sheet, copy_form=form)


@_admins_only
@require_POST
def sheet_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Who signed the sheet and when, and its scanned document."""
    sheet = _sheet_for(request, pk)
    form = SheetSignForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.sheets.sheet_sign(
                sheet=sheet,
                signed_by=form.cleaned_data["signed_by"],
                signed_on=form.cleaned_data["signed_on"],
                document=form.cleaned_data["document"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Đã lưu thông tin ký bản đăng ký."))
            return redirect(reverse("commitments:sheet", args=[sheet.pk]))
    return _detail_page(request, sheet, sign_form=form)

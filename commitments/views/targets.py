"""The targets page (mục tiêu): an admin prepares a year from another, edits each
target and its scoped thresholds, previews how the current figures would be judged,
and reads the history of changes. Only for users who may change targets."""

from __future__ import annotations

import copy
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commitments import access, selectors, services
from commitments.forms import OVERRIDES_PREFIX, CopyYearForm, TargetForm, override_formset
from commitments.views.periods import default_year

HISTORY_LENGTH = 30


def _may_change_targets(view):
    """Anonymous users go to the log-in page; users without the permission get 403."""
    return login_required(permission_required(access.CHANGE_TARGETS, raise_exception=True)(view))


def _year_from(request: HttpRequest, years: list[int]) -> int:
    """The year asked for (any year, so that an empty one can be prepared), else this
    year when it has targets, else the latest year that has."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year is not None and 2000 <= year <= 2100:
        return year
    return default_year(years)


def _copy_defaults(years: list[int], shown: int) -> dict[str, int]:
    """Copy the latest year before the new one; the new year is the year shown when it
    is still empty, else the year after the latest prepared."""
    if not years:
        return {}
    new = shown if shown not in years else max(years[-1] + 1, timezone.localdate().year)
    earlier = [y for y in years if y < new]
    return {"source_year": earlier[-1] if earlier else years[-1], "year": new}


def _list_page(request: HttpRequest, year: int, years: list[int], copy_form: CopyYearForm):
    targets = selectors.targets.targets_of_year(year=year)
    sheets = [
        {
            "sheet": sheet,
            "commitments": [
                {"commitment": commitment, "targets": list(rows)}
                for commitment, rows in groupby(in_sheet, key=lambda t: t.indicator.commitment)
            ],
        }
        for sheet, in_sheet in groupby(targets, key=lambda t: t.indicator.sheet)
    ]
    return render(
        request,
        "commitments/targets_list.html",
        {
            "year": year,
            "years": sorted(set(years) | {year}),
            "sheets": sheets,
            "commitments": [group for part in sheets for group in part["commitments"]],
            "mismatched": sum(1 for t in targets if t.mismatches),
            "to_review": len(
                {t.indicator.commitment_id for t in targets if t.indicator.commitment.to_review}
            ),
            "copy_form": copy_form,
            "changes": selectors.targets.target_changes(year=year, limit=HISTORY_LENGTH),
        },
    )


@_may_change_targets
def targets(request: HttpRequest) -> HttpResponse:
    """The targets of a year, commitment by commitment, the form that prepares a year
    from another, and the recent changes of the year."""
    years = selectors.engine_inputs.years_with_targets()
    year = _year_from(request, years)
    copy_form = CopyYearForm(years=years, initial=_copy_defaults(years, year))
    return _list_page(request, year, years, copy_form)


@_may_change_targets
@require_POST
def targets_copy(request: HttpRequest) -> HttpResponse:
    """Copy every target of a year (with its overrides) into a year without targets."""
    years = selectors.engine_inputs.years_with_targets()
    form = CopyYearForm(request.POST, years=years)
    if form.is_valid():
        source_year, year = form.cleaned_data["source_year"], form.cleaned_data["year"]
        try:
            count = services.targets.targets_copy_year(
                source_year=source_year, year=year, user=request.user
            )
        except services.targets.TargetsCopyRefused as refusal:
            form.add_error("year", str(refusal))
        else:
            messages.success(
                request,
                _(
                    "Đã sao chép %(count)s mục tiêu từ năm %(source)s sang năm %(year)s. "
                    "Trạng thái năm %(year)s đang được tính."
                )
                % {"count": count, "source": source_year, "year": year},
            )
            return redirect(f"{reverse('commitments:targets')}?year={year}")
    shown = _year_from(request, years)
    return _list_page(request, shown, years, form)


def _with_added_row(post):
    """The form data, with one more override row when "add_row" was pressed."""
    if "add_row" not in post:
        return post
    data = post.copy()
    total = f"{OVERRIDES_PREFIX}-TOTAL_FORMS"
    data[total] = str(int(data.get(total) or 0) + 1)
    return data


@_may_change_targets
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """One target and its scoped thresholds. "Xem trước" judges the current figures
    against what was typed without saving; "Lưu" saves and records the change."""
    target = get_object_or_404(selectors.targets.targets_for_edit(), pk=pk)
    sectors = selectors.targets.unit_sectors()
    preview = None
    if request.method == "POST":
        # The form writes what was typed onto its instance; the page keeps the stored one.
        form = TargetForm(request.POST, instance=copy.copy(target))
        formset = override_formset(target, _with_added_row(request.POST), sectors=sectors)
        if "add_row" not in request.POST and form.is_valid() and formset.is_valid():
            if "preview" in request.POST:
                preview = selectors.targets.target_preview(
                    target=target,
                    spec=form.target_spec(formset.inputs()),
                    as_of=timezone.localdate(),
                )
            else:
                try:
                    entry = services.targets.target_update(
                        target=target,
                        data=form.cleaned_data,
                        overrides=formset.inputs(),
                        user=request.user,
                        note=form.cleaned_data["note"],
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    if entry is None:
                        messages.info(request, _("Không có thay đổi nào để lưu."))
                    else:
                        messages.success(
                            request,
                            _(
                                "Đã lưu mục tiêu %(code)s năm %(year)s. Trạng thái đang "
                                "được tính lại."
                            )
                            % {"code": target.indicator.code, "year": target.year},
                        )
                    return redirect(
                        f"{reverse('commitments:targets')}?year={target.year}#t{target.pk}"
                    )
    else:
        form = TargetForm(instance=copy.copy(target))
        formset = override_formset(target, sectors=sectors)
    return render(
        request,
        "commitments/targets_edit.html",
        {
            "target": target,
            "form": form,
            "formset": formset,
            **_preview_context(preview),
            "changes": selectors.targets.target_changes(target=target, limit=HISTORY_LENGTH),
            **_wording_context(target, form, formset),
        },
    )


def _preview_context(preview) -> dict:
    """What the page shows of a preview: the departments' rows, then the other units'
    rows whose status changes."""
    if preview is None:
        return {"preview": None, "unit_changes": [], "unit_rows": 0, "category_names": {}}
    return {
        "preview": preview.departments,
        "unit_changes": preview.units,
        "unit_rows": preview.unit_rows,
        "category_names": selectors.statuses.category_names(),
        "preview_changed": sum(1 for row in preview.departments if row.status_changed),
    }


def _wording_context(target, form: TargetForm, formset) -> dict:
    """Where the stored target says otherwise than its signed words, and the typed one
    once it is valid (with the words typed)."""
    typed = []
    if form.is_bound and not form.errors and formset.is_valid():
        typed = selectors.sheets.target_mismatches(
            form.instance, indicator=target.indicator, overrides=formset.inputs()
        )
    return {
        "mismatches": selectors.sheets.target_mismatches(target),
        "typed_mismatches": typed,
    }

"""Writing: figures in batches (the import's checks, all or nothing, an
``Idempotency-Key`` making a retry a no-op) and the actions on a quarterly report
(the form's rules and version check)."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from api import idempotency
from api import serializers as io
from api.problems import Refused
from commitments import access, selectors, services
from commitments.models import Category, Target, TargetOverride, Unit

NOT_A_BATCH = _('Gửi một đối tượng {"rows": [...]} có từ 1 đến %(max)s dòng.')
BATCH_REFUSED = _("Lô số liệu có lỗi: chưa lưu gì.")
NO_UNIT = _("Không có đơn vị này.")
ACTION_REFUSED = _("Bạn không có quyền làm việc này với báo cáo.")
REPORT_REFUSED = _("Báo cáo chưa được xử lý.")
TARGETS_REFUSED = _("Chỉ người quản lý mục tiêu được sửa mục tiêu.")
TARGET_REFUSED = _("Mục tiêu chưa được lưu.")
NO_CATEGORY = _("Không có phân loại này.")

KEY_PARAMETER = OpenApiParameter(
    idempotency.HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="A retry with the same key and body changes nothing and answers the same.",
)


class FigureBatch(APIView):
    """Figures in a batch of up to 10,000 rows, all or nothing: one bad row and nothing
    is written; each error points at its row and field (``/rows/17/value``)."""

    @extend_schema(
        request=io.FigureBatchSerializer,
        parameters=[KEY_PARAMETER],
        responses={
            200: io.BatchResultSerializer,
            409: OpenApiResponse(description="Idempotency-Key reused with another body"),
            422: OpenApiResponse(description="Rows refused: errors with their pointers"),
        },
    )
    def post(self, request):
        return idempotency.once(request, lambda: self._write(request))

    def _write(self, request) -> Response:
        rows = request.data.get("rows") if isinstance(request.data, dict) else None
        if not isinstance(rows, list) or not 1 <= len(rows) <= services.batches.MAX_ROWS:
            raise Refused(
                NOT_A_BATCH % {"max": f"{services.batches.MAX_ROWS:,}"},
                errors=[
                    {
                        "pointer": "/rows",
                        "detail": str(NOT_A_BATCH % {"max": services.batches.MAX_ROWS}),
                    }
                ],
            )
        key = request.headers.get(idempotency.HEADER, "").strip()
        label = f"API {key}" if key else "API"
        try:
            result = services.batches.figures_batch_save(rows=rows, user=request.user, label=label)
        except services.batches.BatchRefused as refused:
            raise Refused(BATCH_REFUSED, errors=[e.as_json() for e in refused.errors]) from None
        return Response(
            {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "deleted": result.deleted,
            }
        )


class ReportAction(APIView):
    """Submit, withdraw, approve, return (with a comment) or reopen (with a reason) a
    unit's quarterly report, as read at ``version``: the form's rules, and a report
    changed since is refused (409)."""

    @extend_schema(
        request=io.ReportActionSerializer,
        responses={
            200: io.ReportSerializer,
            409: OpenApiResponse(description="The report changed since, or cannot take the action"),
        },
    )
    def post(self, request, code: str, year: int, quarter: int):
        body = io.ReportActionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        action = body.validated_data["action"]
        unit = Unit.objects.filter(code=code).first()
        roles = access.report_roles(user=request.user, unit=unit) if unit else frozenset()
        if not roles or not (2000 <= year <= 2100 and 1 <= quarter <= 4):
            raise Http404(NO_UNIT)
        if not access.may_take_report_action(roles=roles, action=action):
            raise exceptions.PermissionDenied(ACTION_REFUSED)
        report = selectors.reports.report_for(unit=unit, year=year, quarter=quarter)
        try:
            report = services.reports.report_act(
                report=report,
                user=request.user,
                action=action,
                version=body.validated_data["version"],
                comment=body.validated_data["comment"],
            )
        except services.reports.ReportRefused as refused:
            errors = [
                {"pointer": "/" if field == "__all__" else f"/{field}", "detail": message}
                for field, message in refused.errors.items()
            ]
            raise Refused(REPORT_REFUSED, errors=errors, status_code=409) from None
        return Response(io.ReportSerializer(report).data)


class TargetUpdate(APIView):
    """Change a target (admins of targets, ``change_target``): its threshold,
    comparator, deadline, baseline and wording, and its overrides when given; the
    targets page's checks and history, and the year is recomputed."""

    @extend_schema(
        request=io.TargetWriteSerializer,
        responses={
            200: io.TargetSerializer,
            422: OpenApiResponse(description="Values refused: errors with their pointers"),
        },
    )
    def patch(self, request, pk: int):
        if not request.user.has_perm(access.CHANGE_TARGETS):
            raise exceptions.PermissionDenied(TARGETS_REFUSED)
        target = get_object_or_404(selectors.targets.targets_for_edit(), pk=pk)
        body = io.TargetWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        overrides = _overrides(target, data.pop("overrides", None))
        try:
            services.targets.target_update(
                target=target,
                data=data,
                overrides=overrides,
                user=request.user,
                note=data.pop("note", ""),
            )
        except ValidationError as error:
            raise Refused(TARGET_REFUSED, errors=_model_errors(error)) from None
        target = selectors.api.targets_listed(year=None).get(pk=pk)
        return Response(io.TargetSerializer(target).data)


def _overrides(target: Target, given: list | None) -> list[TargetOverride]:
    """The overrides given, as unsaved rows (unknown categories refused); the stored
    ones when none were given."""
    if given is None:
        return list(target.overrides.all())
    categories = {c.code: c for c in Category.objects.all()}
    errors, rows = [], []
    for index, item in enumerate(given):
        code = item.get("category")
        if code and code not in categories:
            errors.append({"pointer": f"/overrides/{index}/category", "detail": str(NO_CATEGORY)})
            continue
        rows.append(TargetOverride(**{**item, "category": categories.get(code) if code else None}))
    if errors:
        raise Refused(TARGET_REFUSED, errors=errors)
    return rows


def _model_errors(error: ValidationError) -> list[dict]:
    if not hasattr(error, "error_dict"):
        return [{"pointer": "/", "detail": message} for message in error.messages]
    return [
        {"pointer": "/" if field == NON_FIELD_ERRORS else f"/{field}", "detail": message}
        for field, messages in error.message_dict.items()
        for message in messages
    ]

"""Reading: units (as a tree), indicators, targets, statuses, figures and reports, each
as the pages show them to the caller (``access``)."""

from __future__ import annotations

import hashlib
import json

from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, permissions, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as out
from commitments import access, selectors
from commitments.models import Commitment, Evidence, Indicator, QuarterlyReport, Status
from surveys import selectors as surveys_selectors


class Cursor(CursorPagination):
    """Cursor pagination on the large lists: ``next`` and ``previous`` links."""

    page_size = 500
    page_size_query_param = "page_size"
    max_page_size = 1000
    ordering = ("id",)


class SeesSomething(permissions.BasePermission):
    """A user who sees some unit's results, or who edits the targets (the pages that
    show indicators and targets)."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return False
        return not access.reading_scope(user=user).empty or user.has_perm(access.CHANGE_TARGETS)


def _filters(request, serializer_class) -> dict:
    """The query's filters, checked (a bad one is a 400 problem naming it)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return {k: v for k, v in serializer.validated_data.items() if v not in (None, "")}


class UnitList(APIView):
    """The units the caller sees, as a tree: each names its parent and its depth."""

    @extend_schema(responses=out.UnitSerializer(many=True))
    def get(self, request):
        scope = access.reading_scope(user=request.user)
        rows = []
        for unit, depth in selectors.api.units_tree(scope=scope):
            unit.depth = depth
            rows.append(unit)
        return Response(out.UnitSerializer(rows, many=True).data)


class YearFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class CommitmentList(APIView):
    """The commitments of the sheets (of a year), with the department of their sheet
    (``null`` for a sheet common to every department)."""

    permission_classes = [SeesSomething]

    @extend_schema(parameters=[YearFilter], responses=out.CommitmentSerializer(many=True))
    def get(self, request):
        year = _filters(request, YearFilter).get("year")
        commitments = Commitment.objects.select_related("sheet__department").order_by(
            "sheet__year", "sheet_id", "position", "pk"
        )
        if year is not None:
            commitments = commitments.filter(sheet__year=year)
        return Response(out.CommitmentSerializer(commitments, many=True).data)


class IndicatorList(APIView):
    """The indicators of the sheets (of a year), with their commitment."""

    permission_classes = [SeesSomething]

    @extend_schema(parameters=[YearFilter], responses=out.IndicatorSerializer(many=True))
    def get(self, request):
        year = _filters(request, YearFilter).get("year")
        indicators = Indicator.objects.select_related("commitment", "sheet").order_by(
            "sheet__year", "sheet_id", "commitment__position", "position", "pk"
        )
        if year is not None:
            indicators = indicators.filter(sheet__year=year)
        return Response(out.IndicatorSerializer(indicators, many=True).data)


class TargetList(APIView):
    """The targets (of a year) with their overrides."""

    permission_classes = [SeesSomething]

    @extend_schema(parameters=[YearFilter], responses=out.TargetSerializer(many=True))
    def get(self, request):
        year = _filters(request, YearFilter).get("year")
        targets = selectors.api.targets_listed(year=year)
        return Response(out.TargetSerializer(targets, many=True).data)


class StatusFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    period = serializers.RegexField(r"^\d{4}(-Q[1-4])?$", required=False)
    unit = serializers.CharField(required=False, max_length=50)
    indicator = serializers.CharField(required=False, max_length=20)
    category = serializers.CharField(required=False, max_length=50)
    status = serializers.ChoiceField(choices=Status.Value.choices, required=False)
    basis = serializers.ChoiceField(
        choices=["official", "provisional"], required=False, default="official"
    )


class StatusList(generics.ListAPIView):
    """Statuses of the units the caller reads (official unless ``basis=provisional``),
    filtered; answers ``304 Not Modified`` to an ``If-None-Match`` of its ``ETag``."""

    serializer_class = out.StatusSerializer
    pagination_class = Cursor

    def get_queryset(self):
        filters = _filters(self.request, StatusFilter)
        provisional = filters.pop("basis", "official") == "provisional"
        period = filters.pop("period", None)
        if period:
            year, _, quarter = period.partition("-Q")
            filters["year"], filters["quarter"] = int(year), int(quarter or 0)
        return selectors.api.statuses_listed(
            scope=access.reading_scope(user=self.request.user),
            filters=filters,
            provisional=provisional,
        )

    @extend_schema(
        parameters=[StatusFilter],
        responses={
            200: out.StatusSerializer(many=True),
            304: OpenApiResponse(description="Not modified"),
        },
    )
    def get(self, request, *args, **kwargs):
        response = self.list(request, *args, **kwargs)
        body = json.dumps(response.data, sort_keys=True, default=str)
        tag = '"' + hashlib.sha256(f"{get_language()}{body}".encode()).hexdigest()[:32] + '"'
        if tag in request.headers.get("If-None-Match", ""):
            return Response(status=304, headers={"ETag": tag})
        response["ETag"] = tag
        return response


class FigureFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)
    unit = serializers.CharField(required=False, max_length=50)
    element = serializers.CharField(required=False, max_length=50)


class FigureList(generics.ListAPIView):
    """The figures of the units whose reports the caller writes or reviews."""

    serializer_class = out.FigureSerializer
    pagination_class = Cursor

    def get_queryset(self):
        return selectors.api.figures_listed(
            scope=access.user_scope(user=self.request.user),
            filters=_filters(self.request, FigureFilter),
        )

    @extend_schema(parameters=[FigureFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReportFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)
    unit = serializers.CharField(required=False, max_length=50)
    state = serializers.ChoiceField(choices=QuarterlyReport.State.choices, required=False)


class ReportList(generics.ListAPIView):
    """The quarterly reports (and their states) of the units whose reports the caller
    writes or reviews."""

    serializer_class = out.ReportSerializer
    pagination_class = Cursor

    def get_queryset(self):
        return selectors.api.reports_listed(
            scope=access.user_scope(user=self.request.user),
            filters=_filters(self.request, ReportFilter),
        )

    @extend_schema(parameters=[ReportFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ApiRoot(APIView):
    """The API's entry: links to its lists, its schema and its docs."""

    @extend_schema(responses={200: {"type": "object", "additionalProperties": {"type": "string"}}})
    def get(self, request):
        names = (
            "units",
            "commitments",
            "indicators",
            "targets",
            "statuses",
            "figures",
            "reports",
            "evidence",
            "publications",
            "survey_results",
            "sheets",
            "schema",
            "docs",
        )
        return Response(
            {name: request.build_absolute_uri(reverse(f"api:{name}")) for name in names}
        )


@extend_schema(exclude=True)
class NoSuchEndpoint(APIView):
    """Any other address under /api/v1/: a 404 problem, not the site's HTML page."""

    permission_classes = []

    def dispatch(self, request, *args, **kwargs):
        self.http_method_names = [m for m in APIView.http_method_names if m != "options"]
        return super().dispatch(request, *args, **kwargs)

    def _not_found(self, request, *args, **kwargs):
        raise exceptions.NotFound()

    get = post = put = patch = delete = head = _not_found


class EvidenceFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)
    unit = serializers.CharField(required=False, max_length=50)
    kind = serializers.ChoiceField(choices=Evidence.Kind.choices, required=False)


class EvidenceList(generics.ListAPIView):
    """The evidence records (metadata) of the units whose reports the caller writes or
    reviews."""

    serializer_class = out.EvidenceSerializer
    pagination_class = Cursor

    def get_queryset(self):
        return selectors.api.evidence_listed(
            scope=access.user_scope(user=self.request.user),
            filters=_filters(self.request, EvidenceFilter),
        )

    @extend_schema(parameters=[EvidenceFilter])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PublicationFilter(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    unit = serializers.CharField(required=False, max_length=50)


class PublicationList(APIView):
    """The results the departments' directors published (public, as /results/), each
    with its snapshot."""

    @extend_schema(parameters=[PublicationFilter], responses=out.PublicationSerializer(many=True))
    def get(self, request):
        publications = selectors.api.publications_listed(
            filters=_filters(request, PublicationFilter)
        )
        return Response(out.PublicationSerializer(publications, many=True).data)


class SurveyResultList(APIView):
    """The desks' published survey results (public, as each desk's results page)."""

    @extend_schema(parameters=[PublicationFilter], responses=out.SurveyResultSerializer(many=True))
    def get(self, request):
        filters = _filters(request, PublicationFilter)
        rows = surveys_selectors.desk_publications_listed(**filters)
        return Response(out.SurveyResultSerializer(rows, many=True).data)

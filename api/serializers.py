"""What the API's endpoints answer and accept, in the shape the OpenAPI schema
describes; names in the caller's language (``Accept-Language``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.services import max_token_days
from commitments.models import QuarterlyReport, Status
from commitments.selectors.statuses import export_number
from commitments.services import batches

TOO_LONG = _("Mã truy cập sống nhiều nhất %(max)s ngày.")
MAX_SHEET_LINES = 10_000
ACTIONS = ("submit", "withdraw", "approve", "return", "reopen")


class UnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField(source="label")
    kind = serializers.CharField()
    parent = serializers.CharField(source="parent.code", allow_null=True, default=None)
    depth = serializers.IntegerField()
    sector = serializers.CharField()
    public_service = serializers.BooleanField()
    receives_dossiers = serializers.BooleanField()


class CommitmentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    year = serializers.IntegerField(source="sheet.year")
    department = serializers.CharField(
        source="sheet.department.code", allow_null=True, default=None
    )


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    commitment = serializers.CharField(source="commitment.code")
    year = serializers.IntegerField(source="sheet.year")
    kind = serializers.CharField()
    quarterly = serializers.BooleanField()
    yearly = serializers.BooleanField()
    tracked = serializers.BooleanField()


class OverrideSerializer(serializers.Serializer):
    category = serializers.CharField(source="category.code", allow_null=True, default=None)
    unit_kind = serializers.CharField()
    unit_sector = serializers.CharField()
    threshold = serializers.DecimalField(max_digits=12, decimal_places=4, coerce_to_string=False)
    comparator = serializers.CharField()


class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    indicator = serializers.CharField(source="indicator.code")
    year = serializers.IntegerField()
    threshold = serializers.DecimalField(
        max_digits=12, decimal_places=4, coerce_to_string=False, allow_null=True
    )
    comparator = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    baseline_year = serializers.IntegerField(allow_null=True)
    overrides = OverrideSerializer(many=True, source="overrides.all")


class StatusSerializer(serializers.Serializer):
    """A status in the shape of the statuses export (CONTRACT.md), with the names and
    whether it is provisional."""

    indicator = serializers.CharField(source="indicator.code")
    indicator_name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.label")
    category = serializers.SerializerMethodField()
    period = serializers.CharField()
    value = serializers.SerializerMethodField()
    target = serializers.SerializerMethodField()
    comparator = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Status.Value.choices)
    status_label = serializers.CharField(source="get_status_display")
    provisional = serializers.BooleanField()
    computed_at = serializers.DateTimeField()

    @extend_schema_field({"type": "string", "nullable": True})
    def get_category(self, status) -> str | None:
        return status.category or None

    @extend_schema_field({"type": "number", "nullable": True})
    def get_value(self, status):
        return export_number(status.value)

    @extend_schema_field({"type": "number", "nullable": True})
    def get_target(self, status):
        return export_number(status.target)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_comparator(self, status) -> str | None:
        return status.comparator or None


class FigureSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    element = serializers.CharField(source="element.code")
    category = serializers.CharField(source="category.code", allow_null=True, default=None)
    value = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class ReportSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.code")
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    state = serializers.ChoiceField(choices=QuarterlyReport.State.choices)
    state_label = serializers.CharField(source="get_state_display")
    version = serializers.IntegerField()
    comment = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)


# --- what the writes accept (described for the schema; read by the services) ---


class FigureRowSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    quarter = serializers.IntegerField(min_value=1, max_value=4)
    unit = serializers.CharField()
    element = serializers.CharField()
    category = serializers.CharField(allow_null=True, required=False)
    value = serializers.IntegerField(min_value=0)


class FigureBatchSerializer(serializers.Serializer):
    rows = FigureRowSerializer(many=True, max_length=batches.MAX_ROWS, allow_empty=False)


class BatchResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    deleted = serializers.IntegerField()


class ReportActionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ACTIONS)
    version = serializers.IntegerField(min_value=0, max_value=2**31 - 1)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class EvidenceSerializer(serializers.Serializer):
    """An evidence record's metadata (the file itself: /evidence/<id>/file/, signed in)."""

    id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.code")
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    date = serializers.DateField()
    subject_unit = serializers.CharField(source="subject_unit.code", allow_null=True, default=None)
    reference = serializers.CharField()
    title = serializers.CharField()
    has_file = serializers.SerializerMethodField()
    link = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_has_file(self, evidence) -> bool:
        return bool(evidence.file)


class PublicationSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.code")
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    note = serializers.CharField()
    snapshot = serializers.JSONField()


class OverrideWriteSerializer(serializers.Serializer):
    category = serializers.CharField(allow_null=True, required=False, max_length=50)
    unit_kind = serializers.CharField(allow_blank=True, required=False, default="", max_length=20)
    unit_sector = serializers.CharField(allow_blank=True, required=False, default="", max_length=50)
    threshold = serializers.DecimalField(max_digits=12, decimal_places=4)
    comparator = serializers.CharField(max_length=2)


class TargetWriteSerializer(serializers.Serializer):
    """A target's new values (those given), as on the targets page; ``overrides``
    given replace its scoped thresholds, left out keep them."""

    threshold = serializers.DecimalField(
        max_digits=12, decimal_places=4, allow_null=True, required=False
    )
    comparator = serializers.CharField(allow_blank=True, required=False, max_length=2)
    deadline = serializers.DateField(allow_null=True, required=False)
    baseline_year = serializers.IntegerField(
        allow_null=True, required=False, min_value=2000, max_value=2100
    )
    baseline_value = serializers.DecimalField(
        max_digits=16, decimal_places=4, allow_null=True, required=False
    )
    wording = serializers.CharField(allow_blank=True, required=False, max_length=500)
    note = serializers.CharField(allow_blank=True, required=False, default="", max_length=1000)
    overrides = OverrideWriteSerializer(many=True, required=False, max_length=100)


class SurveyResultSerializer(serializers.Serializer):
    """A desk's published survey results of a quarter (its snapshot as published)."""

    unit = serializers.CharField(source="unit.code")
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    snapshot = serializers.JSONField()


class TokenRequestSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    days = serializers.IntegerField(required=False, min_value=1)

    def validate_days(self, days: int) -> int:
        if days > max_token_days():
            raise serializers.ValidationError(TOO_LONG % {"max": max_token_days()})
        return days


class TokenCreatedSerializer(serializers.Serializer):
    """A new token: ``token`` is shown this once (only its hash is kept)."""

    token = serializers.CharField()
    token_key = serializers.CharField(help_text="Its first characters, as the tokens page lists it")
    name = serializers.CharField()
    expiry = serializers.DateTimeField()


class SheetSummarySerializer(serializers.Serializer):
    """A signed sheet: its department (``null`` for the sheet common to every department
    that signed none of its own), year, signature and commitments waiting for review."""

    id = serializers.IntegerField()
    department = serializers.CharField(source="department.code", allow_null=True, default=None)
    year = serializers.IntegerField()
    signed_by = serializers.CharField()
    signed_on = serializers.DateField(allow_null=True)
    to_review = serializers.SerializerMethodField()

    def get_to_review(self, sheet) -> int:
        return len(getattr(sheet, "waiting", ()))


class SheetLinesSerializer(serializers.Serializer):
    """A sheet as the lines of its file (README, the sheet file): each line an object of
    the file's columns, its empty cells left out."""

    lines = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)),
        max_length=MAX_SHEET_LINES,
    )


class SheetSerializer(SheetLinesSerializer):
    department = serializers.CharField()
    year = serializers.IntegerField()
    common = serializers.BooleanField(help_text="The sheet common to every department")


class SheetLoadedSerializer(serializers.Serializer):
    sheet = SheetSummarySerializer()
    created = serializers.BooleanField()
    written = serializers.IntegerField(
        help_text="Parts written; 0 when the lines say what is stored"
    )
    counts = serializers.DictField(child=serializers.IntegerField())
    definitions_added = serializers.ListField(child=serializers.CharField())
    warnings = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        help_text="Signed words stating another target than the one given, with their pointers",
    )

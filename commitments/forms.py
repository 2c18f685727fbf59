"""Forms of the pages: what an admin types, checked field by field in the words of the
commitment sheet. The model's ``full_clean`` runs too (``ModelForm``), so a rule lives
in one place: the pairing of threshold and comparator and the baseline year are the
model's; what depends on the indicator's kind is here."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import get_format, number_format
from django.utils.translation import gettext_lazy as _

from commitments import engine, selectors
from commitments.models import (
    Category,
    Comparator,
    Evidence,
    Indicator,
    Target,
    TargetOverride,
    Unit,
    sector_name,
)

# Kinds whose value is a percentage of something: a threshold above 100 is never met.
PERCENT_KINDS = {engine.RATIO, engine.COVERAGE, engine.MILESTONE}
GROWTH_KINDS = {engine.GROWTH_POINTS, engine.GROWTH_RELATIVE}


class ThresholdField(forms.DecimalField):
    """A decimal typed the Vietnamese way (96,5) or the English way (96.5), shown
    without trailing zeros in the active language's notation."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 4)
        kwargs.setdefault("error_messages", {"invalid": _("Nhập một số, ví dụ 96 hoặc 96,5.")})
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 8}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            # One comma and no point: a decimal comma. Grouped thousands are refused
            # rather than guessed (1,000 could be one or a thousand).
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            text = format(value.normalize(), "f")
            return text.replace(".", get_format("DECIMAL_SEPARATOR"))
        return value


COMPARATOR_OR_TRACKED = [("", _("— không đánh giá (chỉ theo dõi)")), *Comparator.choices]


class TargetForm(forms.ModelForm):
    """A target's threshold, comparator, deadline, baseline and wording."""

    threshold = ThresholdField(label=_("ngưỡng"), required=False)
    comparator = forms.ChoiceField(
        label=_("phép so sánh"), choices=COMPARATOR_OR_TRACKED, required=False
    )
    deadline = forms.DateField(
        label=_("thời hạn"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Nhập một ngày (năm-tháng-ngày), ví dụ 2026-12-31.")},
        help_text=_("Mốc hoàn thành, hoặc hạn của nhiệm vụ kế hoạch; trống: cuối năm."),
    )
    baseline_year = forms.IntegerField(
        label=_("năm gốc"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
        error_messages={"invalid": _("Nhập một năm, ví dụ 2025.")},
        help_text=_("Chỉ tiêu tăng trưởng so với năm này."),
    )
    baseline_value = ThresholdField(
        label=_("giá trị năm gốc"),
        required=False,
        max_digits=16,
        help_text=_("Dùng khi số liệu năm gốc không có trong hệ thống."),
    )
    note = forms.CharField(
        label=_("ghi chú thay đổi"),
        required=False,
        max_length=500,
        help_text=_("Lý do, số văn bản... được ghi vào lịch sử."),
    )

    class Meta:
        model = Target
        fields = ["threshold", "comparator", "deadline", "baseline_year", "baseline_value",
                  "wording"]  # fmt: skip
        widgets = {"wording": forms.TextInput(attrs={"size": 60})}

    def clean(self):
        data = super().clean()
        indicator: Indicator = self.instance.indicator
        threshold = data.get("threshold")
        if threshold is not None:
            if indicator.tracked:
                self.add_error(
                    "threshold",
                    _("Chỉ tiêu này chỉ được theo dõi, không đánh giá: để trống ngưỡng."),
                )
            else:
                check_threshold_range(self, "threshold", threshold, indicator)
        no_baseline = data.get("baseline_year") is None and data.get("baseline_value") is None
        if indicator.kind in GROWTH_KINDS and no_baseline and "baseline_year" not in self.errors:
            self.add_error(
                "baseline_year", _("Chỉ tiêu tăng trưởng cần năm gốc hoặc giá trị năm gốc.")
            )
        value = data.get("baseline_value")
        if indicator.kind == engine.GROWTH_RELATIVE and value is not None and value <= 0:
            self.add_error("baseline_value", _("Giá trị năm gốc phải lớn hơn 0."))
        deadline = data.get("deadline")
        if deadline is not None and deadline.year < self.instance.year:
            self.add_error("deadline", _("Thời hạn không được trước năm của mục tiêu."))
        return data

    def target_spec(self, overrides: Sequence[TargetOverride]) -> engine.TargetSpec:
        """The target as the engine reads it, from what was typed (for the preview):
        once valid, the form's instance holds the typed values."""
        return selectors.engine_inputs.target_spec(self.instance, overrides)


def check_threshold_range(form, name: str, threshold: Decimal, indicator: Indicator) -> None:
    """A percentage is between 0 and 100, a count is not negative."""
    if indicator.kind in PERCENT_KINDS and not 0 <= threshold <= 100:
        form.add_error(name, _("Ngưỡng của chỉ tiêu này là một tỷ lệ: từ 0 đến 100."))
    elif indicator.kind == engine.COUNT and threshold < 0:
        form.add_error(name, _("Ngưỡng của chỉ tiêu đếm không được âm."))


class OverrideForm(forms.Form):
    """A scoped threshold: a category, a unit kind or a unit sector (at least one)."""

    category = forms.ModelChoiceField(
        label=_("phân loại"), queryset=Category.objects.none(), required=False, empty_label="—"
    )
    unit_kind = forms.ChoiceField(
        label=_("loại đơn vị"), choices=[("", "—"), *Unit.Kind.choices], required=False
    )
    unit_sector = forms.ChoiceField(label=_("lĩnh vực đơn vị"), choices=(), required=False)
    comparator = forms.ChoiceField(
        label=_("phép so sánh"), choices=Comparator.choices, initial=engine.GE
    )
    threshold = ThresholdField(label=_("ngưỡng"))

    def __init__(self, *args, indicator: Indicator, categories, sectors: Sequence[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = lambda category: category.name
        self.fields["unit_sector"].choices = [("", "—"), *((s, sector_name(s)) for s in sectors)]
        self.fields["threshold"].widget.attrs["size"] = 6

    def clean(self):
        data = super().clean()
        has_condition = data.get("category") or data.get("unit_kind") or data.get("unit_sector")
        if not has_condition and "category" not in self.errors:
            self.add_error(
                "category",
                _(
                    "Ngưỡng riêng cần ít nhất một điều kiện: phân loại, loại đơn vị "
                    "hoặc lĩnh vực đơn vị."
                ),
            )
        if data.get("threshold") is not None:
            check_threshold_range(self, "threshold", data["threshold"], self.indicator)
        return data

    def scope(self) -> tuple:
        data = self.cleaned_data
        category = data.get("category")
        return (category.pk if category else None, data.get("unit_kind"), data.get("unit_sector"))

    def to_input(self) -> TargetOverride:
        """The scoped threshold typed, of no target yet (the service saves it)."""
        data = self.cleaned_data
        return TargetOverride(
            threshold=data["threshold"],
            comparator=data["comparator"],
            category=data.get("category"),
            unit_kind=data.get("unit_kind") or "",
            unit_sector=data.get("unit_sector") or "",
        )


class BaseOverrideFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.kept_forms():
            scope = form.scope()
            if scope in seen:
                form.add_error(
                    "category",
                    _("Một ngưỡng riêng khác đã có đúng các điều kiện này."),
                )
            seen.add(scope)

    def kept_forms(self) -> list[OverrideForm]:
        """The rows that stay: filled in and not marked for removal."""
        return [
            form
            for form in self.forms
            # An empty extra row has no cleaned data.
            if form.cleaned_data and not self._should_delete_form(form)
        ]

    def inputs(self) -> list[TargetOverride]:
        return [form.to_input() for form in self.kept_forms()]


OverrideFormSet = forms.formset_factory(
    OverrideForm, formset=BaseOverrideFormSet, extra=1, can_delete=True
)
OVERRIDES_PREFIX = "overrides"


def override_formset(target: Target, data=None, *, sectors: Sequence[str]) -> BaseOverrideFormSet:
    """The overrides of a target as a formset: its current rows and one empty row.

    Categories are those the indicator is split by, and only for an indicator judged
    in each category: elsewhere a category override would never apply.
    """
    indicator = target.indicator
    element = indicator.denominator or indicator.element
    if indicator.per_category and element is not None and element.category_kind:
        categories = Category.objects.filter(kind=element.category_kind)
    else:
        categories = Category.objects.none()
    overrides = list(target.overrides.all())
    used = {o.unit_sector for o in overrides if o.unit_sector}
    initial = [
        {
            "category": o.category_id,
            "unit_kind": o.unit_kind,
            "unit_sector": o.unit_sector,
            "comparator": o.comparator,
            "threshold": o.threshold,
        }
        for o in overrides
    ]
    return OverrideFormSet(
        data,
        initial=initial,
        prefix=OVERRIDES_PREFIX,
        form_kwargs={
            "indicator": indicator,
            "categories": categories,
            "sectors": sorted(set(sectors) | used),
        },
    )


class CopyYearForm(forms.Form):
    """Prepare a year from another: the year to copy and the new year."""

    source_year = forms.TypedChoiceField(label=_("Sao chép từ năm"), coerce=int, choices=())
    year = forms.IntegerField(
        label=_("sang năm"),
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
        error_messages={"invalid": _("Nhập một năm, ví dụ 2026.")},
    )

    def __init__(self, *args, years: Sequence[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.years = list(years)
        self.fields["source_year"].choices = [(y, str(y)) for y in reversed(self.years)]

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year in self.years:
            raise ValidationError(
                _("Năm %(year)s đã có mục tiêu: hãy sửa từng mục tiêu thay vì sao chép."),
                params={"year": year},
            )
        return year


# What an evidence file may be: its extension, the bytes it must start with, and the
# type it is served as. The first bytes are checked, not the name or the type the
# browser sends, which anyone can set.
PDF_MAGIC, PNG_MAGIC, JPEG_MAGIC = b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"
ZIP_MAGIC, OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EVIDENCE_FILE_TYPES = {
    ".pdf": (PDF_MAGIC, "application/pdf"),
    ".png": (PNG_MAGIC, "image/png"),
    ".jpg": (JPEG_MAGIC, "image/jpeg"),
    ".jpeg": (JPEG_MAGIC, "image/jpeg"),
    ".docx": (
        ZIP_MAGIC,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ".xlsx": (ZIP_MAGIC, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".odt": (ZIP_MAGIC, "application/vnd.oasis.opendocument.text"),
    ".ods": (ZIP_MAGIC, "application/vnd.oasis.opendocument.spreadsheet"),
    ".doc": (OLE_MAGIC, "application/msword"),
    ".xls": (OLE_MAGIC, "application/vnd.ms-excel"),
}


def evidence_file_type(name: str) -> str:
    """The type an evidence file is served as, from its (checked) extension."""
    suffix = PurePath(name).suffix.lower()
    return EVIDENCE_FILE_TYPES.get(suffix, (b"", "application/octet-stream"))[1]


def check_evidence_file(upload) -> None:
    """Refuse a file that is too large, of a kind not accepted, or whose content is not
    what its name says."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Tệp lớn hơn %(limit)s MB."), params={"limit": number_format(limit / 2**20, 0)}
        )
    suffix = PurePath(upload.name).suffix.lower()
    if suffix not in EVIDENCE_FILE_TYPES:
        raise ValidationError(
            _("Chỉ nhận tệp PDF, ảnh (PNG, JPG) hoặc văn bản Word, Excel, OpenDocument.")
        )
    magic = EVIDENCE_FILE_TYPES[suffix][0]
    upload.seek(0)
    head = upload.read(len(magic))
    upload.seek(0)
    if head != magic:
        raise ValidationError(
            _("Nội dung tệp không phải là %(kind)s như tên tệp cho biết."),
            params={"kind": suffix[1:].upper()},
        )


class EvidenceForm(forms.Form):
    """An evidence record added to a quarterly report: what was done, when, its
    reference, and the document as a file or a link."""

    kind = forms.ChoiceField(label=_("loại"), choices=Evidence.Kind.choices)
    date = forms.DateField(
        label=_("ngày"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    subject_unit = forms.ModelChoiceField(
        label=_("đơn vị được kiểm tra"),
        queryset=Unit.objects.none(),
        required=False,
        to_field_name="code",
    )
    reference = forms.CharField(label=_("số, ký hiệu"), max_length=300)
    title = forms.CharField(label=_("trích yếu"), max_length=1000, required=False)
    file = forms.FileField(
        label=_("tệp đính kèm"),
        required=False,
        validators=[check_evidence_file],
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(EVIDENCE_FILE_TYPES))}),
    )
    link = forms.URLField(
        label=_("hoặc đường dẫn"), max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args, unit: Unit, year: int, quarter: int, **kwargs):
        super().__init__(*args, prefix="evidence", **kwargs)
        self.first_day, self.last_day = engine.period_bounds(year, quarter)
        self.quarter, self.year = quarter, year
        self.fields["subject_unit"].queryset = Unit.objects.exclude(pk=unit.pk).order_by("code")
        # In the reader's language, as the unit is named everywhere else.
        self.fields["subject_unit"].label_from_instance = lambda u: f"{u.code} · {u.label}"

    def clean_date(self):
        day = self.cleaned_data["date"]
        if not self.first_day <= day <= self.last_day:
            raise ValidationError(
                _("Ngày phải trong quý %(quarter)s/%(year)s."),
                params={"quarter": self.quarter, "year": self.year},
            )
        if day > timezone.localdate():
            raise ValidationError(_("Ngày chưa đến: chỉ ghi việc đã làm."))
        return day

    def clean(self):
        data = super().clean()
        kind, subject = data.get("kind"), data.get("subject_unit")
        if kind in Evidence.INSPECTIONS and subject is None and "subject_unit" not in self.errors:
            self.add_error("subject_unit", _("Biên bản kiểm tra phải nêu đơn vị được kiểm tra."))
        if kind and kind not in Evidence.INSPECTIONS and subject is not None:
            self.add_error("subject_unit", _("Chỉ biên bản kiểm tra mới nêu đơn vị được kiểm tra."))
        if not data.get("file") and not data.get("link") and not self.has_error("file"):
            self.add_error("file", _("Đính kèm tệp hoặc ghi đường dẫn tới văn bản."))
        return data


class SheetCopyForm(forms.Form):
    """Copy a department's sheet into another year."""

    year = forms.IntegerField(
        label=_("sang năm"),
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
        error_messages={"invalid": _("Nhập một năm, ví dụ 2026.")},
    )


class SheetSignForm(forms.Form):
    """Who signed a sheet and when, and its scanned signed document."""

    signed_by = forms.CharField(
        label=_("người ký"),
        max_length=300,
        required=False,
        help_text=_("Họ tên và chức vụ."),
        widget=forms.TextInput(attrs={"size": 50}),
    )
    signed_on = forms.DateField(
        label=_("ngày ký"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Nhập một ngày (năm-tháng-ngày), ví dụ 2021-05-07.")},
    )
    document = forms.FileField(
        label=_("văn bản đã ký (bản quét)"),
        required=False,
        help_text=_("PDF hoặc ảnh; để trống để giữ tệp đã lưu."),
    )

    def clean_document(self):
        upload = self.cleaned_data.get("document")
        if upload:
            check_evidence_file(upload)
        return upload


# A sheet's file holds a few dozen rows: anything far larger is not one.
SHEET_FILE_MAX_BYTES = 2 * 2**20


class SheetLoadForm(forms.Form):
    """A department's sheet loaded from a CSV or XLSX file (README: the sheet file)."""

    file = forms.FileField(
        label=_("tệp bản đăng ký"),
        help_text=_("CSV (UTF-8) hoặc XLSX, theo mẫu trong README."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    department = forms.ModelChoiceField(
        label=_("đơn vị ký"),
        queryset=Unit.objects.filter(parent__isnull=True).order_by("code"),
        to_field_name="code",
        empty_label=None,
    )
    year = forms.IntegerField(
        label=_("năm"),
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
        error_messages={"invalid": _("Nhập một năm, ví dụ 2026.")},
    )
    replace = forms.BooleanField(
        label=_("thay bản đăng ký đang lưu của năm"),
        required=False,
        help_text=_(
            "Cam kết và chỉ tiêu được giữ theo số hiệu; không thay được bản đăng ký của năm "
            "đã công bố kết quả."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > SHEET_FILE_MAX_BYTES:
            raise ValidationError(
                _("Tệp lớn hơn %(limit)s MB."),
                params={"limit": number_format(SHEET_FILE_MAX_BYTES / 2**20, 0)},
            )
        if PurePath(upload.name).suffix.lower() not in (".csv", ".xlsx"):
            raise ValidationError(_("Chỉ nhận tệp CSV hoặc XLSX."))
        return upload

"""The catalogue: categories, data elements, validation rules, commitments and their
indicators (cam kết, chỉ tiêu).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from commitments import engine


class BilingualName(models.Model):
    """A name in Vietnamese (the official one) and in English."""

    name_vi = models.CharField(_("tên (tiếng Việt)"), max_length=500)
    name_en = models.CharField(_("tên (tiếng Anh)"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name_vi


class EvidenceKind(models.TextChoices):
    """The kinds of evidence (loại minh chứng) a unit records."""

    INSPECTION_PERIODIC = "inspection_periodic", _("Kiểm tra định kỳ")
    INSPECTION_SURPRISE = "inspection_surprise", _("Kiểm tra đột xuất")
    DIALOGUE = "dialogue", _("Đối thoại với người dân, doanh nghiệp")
    INITIATIVE = "initiative", _("Sáng kiến, giải pháp cải tiến")
    COMMUNICATION_PRODUCT = "communication_product", _("Sản phẩm, mô hình tuyên truyền")


class Category(BilingualName):
    """A category a figure may be split by: a procedure field (lĩnh vực) or a feedback
    channel (kênh phản ánh)."""

    class Kind(models.TextChoices):
        FIELD = "field", _("Lĩnh vực thủ tục")
        CHANNEL = "channel", _("Kênh phản ánh, kiến nghị")

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["kind", "position", "code"]
        verbose_name = _("phân loại")
        verbose_name_plural = pgettext_lazy("plural", "phân loại")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class DataElement(BilingualName):
    """A figure units report each quarter (số liệu), e.g. dossiers resolved on time."""

    class Aggregation(models.TextChoices):
        SUM = engine.SUM, _("cộng dồn các quý")
        LAST = engine.LAST, _("lấy quý gần nhất")

    class Source(models.TextChoices):
        # Typed by the unit on its quarterly report: official once the report is approved.
        REPORT = "report", _("Báo cáo của đơn vị")
        # Counted from the citizens' answers to the satisfaction survey (and set when a
        # director publishes a desk's results): official on arrival, never typed by the
        # desk being judged (DOMAIN.md, "Official figures").
        SURVEY = "survey", _("Khảo sát sự hài lòng")

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    aggregation = models.CharField(
        _("tổng hợp theo thời gian"), max_length=10, choices=Aggregation.choices
    )
    category_kind = models.CharField(
        _("chia theo"), max_length=20, choices=Category.Kind.choices, blank=True
    )
    is_flag = models.BooleanField(_("cờ 0/1"), default=False)
    source = models.CharField(
        _("nguồn số liệu"), max_length=10, choices=Source.choices, default=Source.REPORT
    )
    # A sane upper bound on one unit's figure of a quarter: a typo of ten zeros is
    # refused where it is typed instead of freezing the year's statuses.
    max_value = models.PositiveBigIntegerField(
        _("giá trị lớn nhất"),
        default=1_000_000_000,
        validators=[MaxValueValidator(10**15)],
        help_text=_("Số liệu của một đơn vị trong một quý không được lớn hơn số này."),
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("yếu tố dữ liệu")
        verbose_name_plural = pgettext_lazy("plural", "yếu tố dữ liệu")

    def __str__(self) -> str:
        return self.code


class ValidationRule(models.Model):
    """``element <= bound`` for the same unit, quarter and category (e.g. dossiers on
    time cannot exceed dossiers resolved)."""

    element = models.ForeignKey(
        DataElement, verbose_name=_("yếu tố"), on_delete=models.CASCADE, related_name="+"
    )
    bound = models.ForeignKey(
        DataElement,
        verbose_name=_("không vượt quá"),
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = pgettext_lazy("plural", "quy tắc kiểm tra")
        constraints = [
            models.UniqueConstraint(fields=["element", "bound"], name="validation_rule_unique"),
            models.CheckConstraint(
                condition=~Q(element=models.F("bound")), name="validation_rule_distinct"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.element} <= {self.bound}"


class Commitment(BilingualName):
    """One of the signed commitments (cam kết), e.g. "5. 98% of dossiers on time"."""

    code = models.SlugField(_("mã"), max_length=20, unique=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("cam kết")
        verbose_name_plural = pgettext_lazy("plural", "cam kết")

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


def _element_read(verbose_name) -> models.ForeignKey:
    """A data element an indicator reads (its numerator, denominator or element), if
    its kind reads one."""
    return models.ForeignKey(
        DataElement,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class Indicator(BilingualName):
    """How a commitment is measured (chỉ tiêu): the kind of value, its source, the units
    it speaks of and the periods it is judged on."""

    class Kind(models.TextChoices):
        RATIO = engine.RATIO, _("Tỷ lệ")
        GROWTH_POINTS = engine.GROWTH_POINTS, _("Tăng (điểm phần trăm)")
        GROWTH_RELATIVE = engine.GROWTH_RELATIVE, _("Tăng (%)")
        COUNT = engine.COUNT, _("Số lượng")
        COVERAGE = engine.COVERAGE, _("Độ bao phủ đơn vị")
        MILESTONE = engine.MILESTONE, _("Mốc hoàn thành")

    class Source(models.TextChoices):
        FIGURES = engine.FIGURES, _("Số liệu")
        EVIDENCE = engine.EVIDENCE, _("Minh chứng")
        PLAN_TASKS = engine.PLAN_TASKS, _("Nhiệm vụ kế hoạch")
        MILESTONES = engine.MILESTONES, _("Mốc")

    class Level(models.TextChoices):
        DEPARTMENT = engine.LEVEL_DEPARTMENT, _("Cấp Sở")
        UNIT = engine.LEVEL_UNIT, _("Từng đơn vị và cấp Sở")

    class CoverageRule(models.TextChoices):
        NONE = "", _("—")
        ELEMENT_AT_LEAST = engine.ELEMENT_AT_LEAST, _("Số liệu của đơn vị đạt mức tối thiểu")
        HAS_EVIDENCE = engine.HAS_EVIDENCE, _("Đơn vị có minh chứng")
        SUBJECT_OF_EVIDENCE = engine.SUBJECT_OF_EVIDENCE, _("Đơn vị được nêu trong minh chứng")

    code = models.CharField(_("mã"), max_length=20, unique=True)
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("cam kết"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    # A few words for the column headers of the units x indicators matrix.
    short_name_vi = models.CharField(
        _("tên ngắn (tiếng Việt)"),
        max_length=60,
        blank=True,
        help_text=_("Vài chữ cho tiêu đề cột của bảng kết quả từng đơn vị. Trống: tên đầy đủ."),
    )
    short_name_en = models.CharField(_("tên ngắn (tiếng Anh)"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    source = models.CharField(
        _("nguồn"), max_length=20, choices=Source.choices, default=Source.FIGURES
    )
    tracked = models.BooleanField(
        _("chỉ theo dõi"), default=False, help_text=_("Giá trị được hiển thị, không đánh giá.")
    )
    per_category = models.BooleanField(
        _("đánh giá từng phân loại"),
        default=False,
        help_text=_("Đạt khi mọi lĩnh vực (kênh) có số liệu đều đạt."),
    )
    quarterly = models.BooleanField(_("đánh giá theo quý"), default=False)
    yearly = models.BooleanField(_("đánh giá lũy kế năm"), default=True)
    level = models.CharField(
        _("cấp báo cáo"), max_length=20, choices=Level.choices, default=Level.DEPARTMENT
    )
    scope_kinds = models.JSONField(
        _("phạm vi: loại đơn vị"), default=list, blank=True, help_text=_("Trống: mọi loại.")
    )
    scope_sectors = models.JSONField(
        _("phạm vi: lĩnh vực đơn vị"), default=list, blank=True, help_text=_("Trống: mọi lĩnh vực.")
    )
    scope_public_service = models.BooleanField(
        _("phạm vi: đơn vị sự nghiệp công lập"), null=True, blank=True
    )
    scope_receives_dossiers = models.BooleanField(
        _("phạm vi: bộ phận tiếp nhận hồ sơ"), null=True, blank=True
    )
    numerator = _element_read(_("tử số"))
    denominator = _element_read(_("mẫu số"))
    element = _element_read(_("yếu tố dữ liệu"))
    evidence_kind = models.CharField(_("loại minh chứng"), max_length=30, blank=True)
    distinct_subjects = models.BooleanField(_("đếm số đơn vị khác nhau"), default=False)
    coverage_rule = models.CharField(
        _("điều kiện bao phủ"), max_length=30, choices=CoverageRule.choices, blank=True
    )
    condition_min = models.PositiveIntegerField(_("mức tối thiểu của điều kiện"), default=1)

    class Meta:
        ordering = ["commitment__position", "position", "code"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = pgettext_lazy("plural", "chỉ tiêu")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def short_name(self) -> str:
        """The indicator's short name in the active language, else its name there."""
        if (get_language() or "vi").startswith("en"):
            return self.short_name_en or self.name
        return self.short_name_vi or self.name_vi

    def clean(self) -> None:
        errors: dict[str, str] = {}
        needs_ratio = self.kind in (self.Kind.RATIO, self.Kind.GROWTH_POINTS)
        if needs_ratio and self.source == self.Source.FIGURES:
            if self.numerator_id is None:
                errors["numerator"] = _("Chỉ tiêu tỷ lệ cần tử số.")
            if self.denominator_id is None:
                errors["denominator"] = _("Chỉ tiêu tỷ lệ cần mẫu số.")
        if self.kind == self.Kind.GROWTH_RELATIVE and self.element_id is None:
            errors["element"] = _("Chỉ tiêu tăng trưởng cần một yếu tố dữ liệu.")
        if self.kind == self.Kind.COVERAGE:
            if not self.coverage_rule:
                errors["coverage_rule"] = _("Chỉ tiêu bao phủ cần một điều kiện.")
            elif self.coverage_rule == self.CoverageRule.ELEMENT_AT_LEAST:
                if self.element_id is None:
                    errors["element"] = _("Điều kiện này cần một yếu tố dữ liệu.")
            elif not self.evidence_kind:
                errors["evidence_kind"] = _("Điều kiện này cần một loại minh chứng.")
        if self.kind == self.Kind.COUNT:
            if self.source == self.Source.EVIDENCE and not self.evidence_kind:
                errors["evidence_kind"] = _("Chỉ tiêu đếm minh chứng cần loại minh chứng.")
            if self.source == self.Source.FIGURES and self.element_id is None:
                errors["element"] = _("Chỉ tiêu đếm số liệu cần một yếu tố dữ liệu.")
        if self.evidence_kind and self.evidence_kind not in EvidenceKind.values:
            errors["evidence_kind"] = _("Loại minh chứng không hợp lệ.")
        if not (self.quarterly or self.yearly):
            errors["yearly"] = _("Chỉ tiêu phải được đánh giá theo quý, theo năm hoặc cả hai.")
        if errors:
            raise ValidationError(errors)

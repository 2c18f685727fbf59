"""The catalogue: categories, data elements, validation rules, the indicator
definitions shared by every sheet and their versions, and a sheet's commitments and
indicators (cam kết, chỉ tiêu).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
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
        return self.named(self.name_vi, self.name_en)

    @staticmethod
    def named(name_vi: str, name_en: str) -> str:
        """The name in the active language: the English one when English is active and
        there is one, else the Vietnamese (for names read as values, without a model)."""
        if (get_language() or "vi").startswith("en") and name_en:
            return name_en
        return name_vi


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
    """One of the commitments a sheet holds (cam kết), numbered and worded as signed,
    e.g. "5. 98% of dossiers on time". A copy into the next year is ``to_review`` until
    an admin confirms its words and targets."""

    sheet = models.ForeignKey(
        "commitments.Sheet",
        verbose_name=_("bản đăng ký"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    code = models.SlugField(_("mã"), max_length=20)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    to_review = models.BooleanField(
        _("cần rà soát"),
        default=False,
        help_text=_("Sao chép từ năm trước: chờ quản trị xác nhận lời văn và mục tiêu."),
    )
    # Why it waits for review, each ``[reason, {details}]`` (``"copied"``: from the sheet
    # of another year, its years moved on; ``"version"``: a definition it uses has a new
    # version), told in the reader's language where it is shown.
    review_reasons = models.JSONField(_("lý do cần rà soát"), default=list, blank=True)

    class Meta:
        ordering = ["sheet__year", "position", "code"]
        verbose_name = _("cam kết")
        verbose_name_plural = pgettext_lazy("plural", "cam kết")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="commitment_unique_in_sheet"),
        ]

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


class Measure(models.Model):
    """What an indicator measures (cách đo): the kind of value, its source, the units it
    speaks of, the elements or evidence it reads and, for a coverage indicator, what
    each unit must have. A definition's version holds it (``DefinitionVersion``); each
    indicator of a sheet carries the one of the version it uses, copied when it adopts
    the version (``services.definitions.indicator_adopt``) and never edited there."""

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

    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    source = models.CharField(
        _("nguồn"), max_length=20, choices=Source.choices, default=Source.FIGURES
    )
    per_category = models.BooleanField(
        _("đánh giá từng phân loại"),
        default=False,
        help_text=_("Đạt khi mọi lĩnh vực (kênh) có số liệu đều đạt."),
    )
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
        abstract = True

    def measure_errors(self) -> dict[str, str]:
        """What is missing for the kind to be computed, by field."""
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
        return errors


# The fields of ``Measure``, which an indicator copies from its definition's version.
MEASURE_FIELDS = (
    "kind",
    "source",
    "per_category",
    "level",
    "scope_kinds",
    "scope_sectors",
    "scope_public_service",
    "scope_receives_dossiers",
    "numerator",
    "denominator",
    "element",
    "evidence_kind",
    "distinct_subjects",
    "coverage_rule",
    "condition_min",
)


class IndicatorDefinition(BilingualName):
    """What an indicator measures, shared by the sheets of every department and year
    (định nghĩa chỉ tiêu), so that "dossiers resolved on time in each field" means the
    same everywhere and the city can compare departments. Its ``versions`` say how it
    is measured from a year on."""

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("định nghĩa chỉ tiêu")
        verbose_name_plural = pgettext_lazy("plural", "định nghĩa chỉ tiêu")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class DefinitionVersion(BilingualName, Measure):
    """A definition as it applies from a year on (phiên bản), e.g. from 2022, when
    Decree 42/2022/NĐ-CP renamed "level 3/4 online" to "full/partial online". The
    indicators of a sheet use the version in force in the sheet's year; a version in
    use is not changed any more (statuses were computed with it): a change is a new
    version."""

    definition = models.ForeignKey(
        IndicatorDefinition,
        verbose_name=_("định nghĩa"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    valid_from = models.PositiveIntegerField(
        _("áp dụng từ năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    note = models.CharField(
        _("căn cứ"), max_length=500, blank=True, help_text=_("Văn bản quy định, lý do thay đổi.")
    )

    class Meta:
        ordering = ["definition__position", "definition__code", "valid_from"]
        verbose_name = _("phiên bản định nghĩa")
        verbose_name_plural = pgettext_lazy("plural", "phiên bản định nghĩa")
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "valid_from"], name="definition_version_unique_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.definition.code} ({self.valid_from})"

    def clean(self) -> None:
        errors = self.measure_errors()
        if errors:
            raise ValidationError(errors)


class Indicator(BilingualName, Measure):
    """An indicator of a sheet (chỉ tiêu), numbered and worded as signed: how its
    commitment is measured (the ``version`` of a shared definition, whose measure it
    carries) and the periods it is judged on."""

    sheet = models.ForeignKey(
        "commitments.Sheet",
        verbose_name=_("bản đăng ký"),
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.CharField(_("mã"), max_length=20)
    commitment = models.ForeignKey(
        Commitment,
        verbose_name=_("cam kết"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    version = models.ForeignKey(
        DefinitionVersion,
        verbose_name=_("phiên bản định nghĩa"),
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
    tracked = models.BooleanField(
        _("chỉ theo dõi"), default=False, help_text=_("Giá trị được hiển thị, không đánh giá.")
    )
    quarterly = models.BooleanField(_("đánh giá theo quý"), default=False)
    yearly = models.BooleanField(_("đánh giá lũy kế năm"), default=True)

    class Meta:
        ordering = ["sheet__year", "commitment__position", "position", "code"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = pgettext_lazy("plural", "chỉ tiêu")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="indicator_unique_in_sheet"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def short_name(self) -> str:
        """The indicator's short name in the active language, else its name there."""
        if (get_language() or "vi").startswith("en"):
            return self.short_name_en or self.name
        return self.short_name_vi or self.name_vi

    def clean(self) -> None:
        errors = self.measure_errors()
        if not (self.quarterly or self.yearly):
            errors["yearly"] = _("Chỉ tiêu phải được đánh giá theo quý, theo năm hoặc cả hai.")
        if self.commitment_id and self.sheet_id and self.commitment.sheet_id != self.sheet_id:
            errors["commitment"] = _("Cam kết phải thuộc cùng bản đăng ký với chỉ tiêu.")
        if errors:
            raise ValidationError(errors)

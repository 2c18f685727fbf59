"""Units, the catalogue of commitments, the figures and evidence units report, statuses.

Models stay thin: fields, choices, constraints and checks. The work happens in
``services`` (writes), ``selectors`` (reads) and ``engine`` (the calculation).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
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
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name_vi


class Unit(models.Model):
    """A unit of the department's tree (đơn vị): the department, its divisions, its
    affiliated units."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở / cơ quan")
        DIVISION = "division", _("Phòng, ban chuyên môn")
        AFFILIATED_UNIT = "affiliated_unit", _("Đơn vị trực thuộc")

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=500)
    name_en = models.CharField(_("tên (tiếng Anh)"), max_length=500, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    sector = models.SlugField(_("lĩnh vực"), max_length=50, blank=True)
    public_service = models.BooleanField(_("đơn vị sự nghiệp công lập"), default=False)
    receives_dossiers = models.BooleanField(_("bộ phận tiếp nhận hồ sơ"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "đơn vị")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    def clean(self) -> None:
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Một đơn vị không thể là cấp trên của chính nó.")})
        if self.pk is not None:
            ancestor = self.parent
            seen = set()
            while ancestor is not None and ancestor.pk not in seen:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("Cây đơn vị không được có vòng lặp.")})
                seen.add(ancestor.pk)
                ancestor = ancestor.parent

    @property
    def label(self) -> str:
        """The unit's name in the active language (its Vietnamese name when it has no
        English one)."""
        if (get_language() or "vi").startswith("en") and self.name_en:
            return self.name_en
        return self.name


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

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    aggregation = models.CharField(
        _("tổng hợp theo thời gian"), max_length=10, choices=Aggregation.choices
    )
    category_kind = models.CharField(
        _("chia theo"), max_length=20, choices=Category.Kind.choices, blank=True
    )
    is_flag = models.BooleanField(_("cờ 0/1"), default=False)
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
    numerator = models.ForeignKey(
        DataElement,
        verbose_name=_("tử số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    denominator = models.ForeignKey(
        DataElement,
        verbose_name=_("mẫu số"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    element = models.ForeignKey(
        DataElement,
        verbose_name=_("yếu tố dữ liệu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
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
        if self.evidence_kind and self.evidence_kind not in Evidence.Kind.values:
            errors["evidence_kind"] = _("Loại minh chứng không hợp lệ.")
        if not (self.quarterly or self.yearly):
            errors["yearly"] = _("Chỉ tiêu phải được đánh giá theo quý, theo năm hoặc cả hai.")
        if errors:
            raise ValidationError(errors)


class Comparator(models.TextChoices):
    AT_LEAST = engine.GE, _("từ … trở lên (>=)")
    MORE_THAN = engine.GT, _("trên … (>)")


class Target(models.Model):
    """What an indicator must reach in a year (mục tiêu). No threshold: tracked only."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    threshold = models.DecimalField(
        _("ngưỡng"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    comparator = models.CharField(
        _("phép so sánh"), max_length=2, choices=Comparator.choices, blank=True
    )
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    baseline_year = models.PositiveIntegerField(_("năm gốc"), null=True, blank=True)
    baseline_value = models.DecimalField(
        _("giá trị năm gốc"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Dùng khi số liệu năm gốc không có trong hệ thống."),
    )
    wording = models.CharField(_("nguyên văn cam kết"), max_length=500, blank=True)

    class Meta:
        ordering = ["year", "indicator__commitment__position", "indicator__position"]
        verbose_name = _("mục tiêu")
        verbose_name_plural = pgettext_lazy("plural", "mục tiêu")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_year"),
            models.CheckConstraint(
                condition=(Q(threshold__isnull=True) & Q(comparator=""))
                | (Q(threshold__isnull=False) & ~Q(comparator="")),
                name="target_threshold_with_comparator",
            ),
        ]

    def __str__(self) -> str:
        if self.threshold is None:
            return f"{self.indicator.code} {self.year}: —"
        return f"{self.indicator.code} {self.year}: {self.comparator} {self.threshold}"

    def clean(self) -> None:
        if (self.threshold is None) != (not self.comparator):
            raise ValidationError(
                {"comparator": _("Ngưỡng và phép so sánh phải cùng có hoặc cùng trống.")}
            )
        if self.baseline_year is not None and self.baseline_year >= (self.year or 0):
            raise ValidationError({"baseline_year": _("Năm gốc phải trước năm của mục tiêu.")})


class TargetOverride(models.Model):
    """A different threshold for one category or for the units of one kind or sector
    (e.g. land and investment: 96% instead of 98%)."""

    target = models.ForeignKey(
        Target, verbose_name=_("mục tiêu"), on_delete=models.CASCADE, related_name="overrides"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("phân loại"), null=True, blank=True, on_delete=models.PROTECT
    )
    unit_kind = models.CharField(
        _("loại đơn vị"), max_length=20, choices=Unit.Kind.choices, blank=True
    )
    unit_sector = models.SlugField(_("lĩnh vực đơn vị"), max_length=50, blank=True)
    threshold = models.DecimalField(_("ngưỡng"), max_digits=12, decimal_places=4)
    comparator = models.CharField(_("phép so sánh"), max_length=2, choices=Comparator.choices)

    class Meta:
        verbose_name = _("ngưỡng riêng")
        verbose_name_plural = pgettext_lazy("plural", "ngưỡng riêng")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__isnull=False) | ~Q(unit_kind="") | ~Q(unit_sector=""),
                name="target_override_has_condition",
            ),
        ]

    def __str__(self) -> str:
        scope = ", ".join(
            str(part)
            for part in (self.category and self.category.code, self.unit_kind, self.unit_sector)
            if part
        )
        return f"{scope}: {self.comparator} {self.threshold}"


class Figure(models.Model):
    """One reported number (số liệu): a unit's value of a data element in a quarter,
    for one category where the element is split by one."""

    year = models.PositiveIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(
        _("quý"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="figures"
    )
    element = models.ForeignKey(DataElement, verbose_name=_("yếu tố"), on_delete=models.PROTECT)
    category = models.ForeignKey(
        Category, verbose_name=_("phân loại"), null=True, blank=True, on_delete=models.PROTECT
    )
    value = models.PositiveBigIntegerField(_("giá trị"))
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["year", "quarter", "unit__code", "element__position"]
        verbose_name = _("số liệu")
        verbose_name_plural = pgettext_lazy("plural", "số liệu")
        # Two partial constraints instead of one: NULL categories are never equal in SQL.
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "unit", "element", "category"],
                condition=Q(category__isnull=False),
                name="figure_unique_with_category",
            ),
            models.UniqueConstraint(
                fields=["year", "quarter", "unit", "element"],
                condition=Q(category__isnull=True),
                name="figure_unique_without_category",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="figure_quarter_1_to_4"
            ),
        ]
        indexes = [models.Index(fields=["year", "element"], name="figure_year_element")]

    def __str__(self) -> str:
        category = f"/{self.category.code}" if self.category_id else ""
        return f"{self.year}-Q{self.quarter} {self.unit.code} {self.element.code}{category}"


def evidence_storage():
    """Where uploaded evidence is kept: outside ``static/``, with no URL of its own."""
    return storages["evidence"]


def evidence_file_path(instance: Evidence, filename: str) -> str:
    """A path that does not reuse the uploaded name, so that no one can guess it."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"evidence/{instance.date:%Y}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A dated record that something was done (minh chứng): an inspection, a dialogue,
    an initiative, a communication product."""

    class Kind(models.TextChoices):
        INSPECTION_PERIODIC = "inspection_periodic", _("Kiểm tra định kỳ")
        INSPECTION_SURPRISE = "inspection_surprise", _("Kiểm tra đột xuất")
        DIALOGUE = "dialogue", _("Đối thoại với người dân, doanh nghiệp")
        INITIATIVE = "initiative", _("Sáng kiến, giải pháp cải tiến")
        COMMUNICATION_PRODUCT = "communication_product", _("Sản phẩm, mô hình tuyên truyền")

    INSPECTIONS = (Kind.INSPECTION_PERIODIC, Kind.INSPECTION_SURPRISE)

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    date = models.DateField(_("ngày"))
    subject_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị được kiểm tra"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    reference = models.CharField(_("số, ký hiệu hoặc đường dẫn"), max_length=300)
    title = models.CharField(_("trích yếu"), max_length=1000, blank=True)
    # The scanned document, kept in private storage and served only to users who may
    # see the unit's report; or a link to where it is published.
    file = models.FileField(
        _("tệp đính kèm"),
        upload_to=evidence_file_path,
        storage=evidence_storage,
        max_length=300,
        blank=True,
    )
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    link = models.URLField(_("đường dẫn"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        "auth.User",
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "unit__code"]
        verbose_name = _("minh chứng")
        verbose_name_plural = pgettext_lazy("plural", "minh chứng")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "date", "reference", "subject_unit"],
                condition=Q(subject_unit__isnull=False),
                name="evidence_unique_with_subject",
            ),
            models.UniqueConstraint(
                fields=["unit", "kind", "date", "reference"],
                condition=Q(subject_unit__isnull=True),
                name="evidence_unique_without_subject",
            ),
            models.CheckConstraint(
                condition=Q(subject_unit__isnull=True)
                | Q(kind__in=["inspection_periodic", "inspection_surprise"]),
                name="evidence_subject_only_for_inspections",
            ),
        ]
        indexes = [models.Index(fields=["date", "kind"], name="evidence_date_kind")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.reference}"

    def clean(self) -> None:
        if self.kind in self.INSPECTIONS and self.subject_unit_id is None:
            raise ValidationError(
                {"subject_unit": _("Biên bản kiểm tra phải nêu đơn vị được kiểm tra.")}
            )
        if self.kind not in self.INSPECTIONS and self.subject_unit_id is not None:
            raise ValidationError(
                {"subject_unit": _("Chỉ biên bản kiểm tra mới nêu đơn vị được kiểm tra.")}
            )


class PlanTask(models.Model):
    """A task of the year's reform plan assigned by the City (nhiệm vụ kế hoạch CCHC)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="plan_tasks"
    )
    year = models.PositiveIntegerField(_("năm"))
    code = models.CharField(_("mã"), max_length=50)
    title = models.CharField(_("nội dung"), max_length=1000)
    due_on = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    evidence_reference = models.CharField(_("minh chứng"), max_length=300, blank=True)

    class Meta:
        ordering = ["year", "unit__code", "code"]
        verbose_name = _("nhiệm vụ kế hoạch")
        verbose_name_plural = pgettext_lazy("plural", "nhiệm vụ kế hoạch")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "code"], name="plan_task_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.code} · {self.title}"


class Milestone(models.Model):
    """A one-off result with a deadline, done with evidence (e.g. the ISO 9001:2015
    transition)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="milestones"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="milestones"
    )
    year = models.PositiveIntegerField(_("năm"))
    title = models.CharField(_("nội dung"), max_length=1000, blank=True)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    evidence_reference = models.CharField(_("minh chứng"), max_length=300, blank=True)

    class Meta:
        ordering = ["year", "indicator__code"]
        verbose_name = _("mốc hoàn thành")
        verbose_name_plural = pgettext_lazy("plural", "mốc hoàn thành")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "year"], name="milestone_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.indicator.code} {self.unit.code}"


class Status(models.Model):
    """A computed judgement of one indicator for a unit, category and period. Written
    only by the recompute service."""

    class Value(models.TextChoices):
        MET = engine.MET, _("Đạt")
        AT_RISK = engine.AT_RISK, _("Có nguy cơ không đạt")
        NOT_MET = engine.NOT_MET, _("Không đạt")
        NO_DATA = engine.NO_DATA, _("Chưa có số liệu")
        NOT_APPLICABLE = engine.NOT_APPLICABLE, _("Không áp dụng")
        TRACKED = engine.TRACKED, _("Theo dõi")

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.CASCADE, related_name="statuses"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="statuses"
    )
    # A code rather than a key: "" stands for the indicator as a whole, and a NOT NULL
    # column lets the upsert find its row.
    category = models.CharField(_("phân loại"), max_length=50, blank=True)
    year = models.PositiveIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), help_text=_("0: lũy kế năm"))
    value = models.DecimalField(
        _("giá trị"), max_digits=24, decimal_places=10, null=True, blank=True
    )
    target = models.DecimalField(
        _("ngưỡng"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    comparator = models.CharField(_("phép so sánh"), max_length=2, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Value.choices)
    detail = models.JSONField(_("chi tiết"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        ordering = ["year", "quarter", "indicator__code", "unit__code", "category"]
        verbose_name = _("trạng thái")
        verbose_name_plural = pgettext_lazy("plural", "trạng thái")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "category", "year", "quarter"],
                name="status_unique",
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter"], name="status_year_quarter")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.unit.code} {self.period}: {self.status}"

    @property
    def period(self) -> str:
        return engine.period_label(self.year, self.quarter)


class RecomputeState(models.Model):
    """Per year: whether a recompute is queued, and when the statuses were last
    computed. The row is also the lock that keeps two recomputes of a year apart."""

    year = models.PositiveIntegerField(_("năm"), unique=True)
    pending = models.BooleanField(_("đang chờ tính lại"), default=False)
    requested_at = models.DateTimeField(_("yêu cầu lúc"), null=True, blank=True)
    computed_at = models.DateTimeField(_("tính xong lúc"), null=True, blank=True)
    status_count = models.PositiveIntegerField(_("số trạng thái"), default=0)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("lần tính lại")
        verbose_name_plural = pgettext_lazy("plural", "lần tính lại")

    def __str__(self) -> str:
        return f"{self.year}: {self.computed_at or '—'}"


class Membership(models.Model):
    """A user's role in a unit: staff (chuyên viên) report for it, a director (lãnh
    đạo) reviews it and the units below it."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Chuyên viên")
        DIRECTOR = "director", _("Lãnh đạo")

    user = models.ForeignKey(
        "auth.User",
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = pgettext_lazy("plural", "phân công")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit.code} · {self.get_role_display()}"


class TargetChange(models.Model):
    """One change to a year's targets (lịch sử thay đổi mục tiêu): who, when, what.

    The indicator code and year are copied onto the row, so the history still reads
    after the target itself has been deleted. ``changes`` maps each field that changed
    to ``[old, new]`` as text (``overrides``: the list of scoped thresholds).
    """

    class Action(models.TextChoices):
        CREATED = "created", _("Tạo mới")
        UPDATED = "updated", _("Cập nhật")
        COPIED = "copied", _("Sao chép từ năm khác")
        DELETED = "deleted", _("Đã xóa")

    user = models.ForeignKey(
        "auth.User",
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    target = models.ForeignKey(
        Target,
        verbose_name=_("mục tiêu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    indicator_code = models.CharField(_("mã chỉ tiêu"), max_length=20)
    year = models.PositiveIntegerField(_("năm"))
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("thay đổi mục tiêu")
        verbose_name_plural = pgettext_lazy("plural", "thay đổi mục tiêu")
        indexes = [models.Index(fields=["year", "-at"], name="target_change_year_at")]

    def __str__(self) -> str:
        return f"{self.year} {self.indicator_code} {self.get_action_display()}"

    @property
    def field_changes(self) -> list[tuple[str, str, str]]:
        """(field label, old, new) of each change as text, labelled in the active
        language; "—" for nothing."""
        labels = {f.name: f.verbose_name for f in Target._meta.get_fields() if f.concrete}
        labels["overrides"] = TargetOverride._meta.verbose_name_plural

        def shown(value) -> str:
            if value is None or value == "" or value == []:
                return "—"
            return "; ".join(value) if isinstance(value, list) else str(value)

        return [
            (str(labels.get(name, name)), shown(old), shown(new))
            for name, (old, new) in self.changes.items()
        ]


class QuarterlyReport(models.Model):
    """A unit's report of a quarter (báo cáo quý): staff save drafts and submit it, a
    director approves it or returns it with a comment. ``version`` grows with every
    change, so that a form saved over someone else's newer save is refused."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        SUBMITTED = "submitted", _("Đã gửi")
        APPROVED = "approved", _("Đã duyệt")
        RETURNED = "returned", _("Bị trả lại")

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="quarterly_reports"
    )
    year = models.PositiveIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quý"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    state = models.CharField(
        _("tình trạng"), max_length=20, choices=State.choices, default=State.DRAFT
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=0)
    comment = models.TextField(_("ý kiến của lãnh đạo"), blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    # The first submission counts for on-time reporting, not a resubmission after return.
    first_submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        "auth.User",
        verbose_name=_("người gửi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("duyệt hoặc trả lại lúc"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "auth.User",
        verbose_name=_("người duyệt hoặc trả lại"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    # Staff may change the figures only while the report is in their hands.
    EDITABLE = (State.DRAFT, State.RETURNED)

    class Meta:
        ordering = ["-year", "-quarter", "unit__code"]
        verbose_name = _("báo cáo quý")
        verbose_name_plural = pgettext_lazy("plural", "báo cáo quý")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "quarter"], name="quarterly_report_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                name="quarterly_report_quarter_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter} {self.unit.code}: {self.state}"

    @property
    def editable(self) -> bool:
        return self.state in self.EDITABLE


class ReportingDeadline(models.Model):
    """The day by which units must submit a quarter's report (hạn nộp báo cáo), where it
    differs from the default (``REPORT_DEADLINE_DAYS`` after the quarter ends)."""

    year = models.PositiveIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quý"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    due_on = models.DateField(_("hạn nộp"))

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("hạn nộp báo cáo")
        verbose_name_plural = pgettext_lazy("plural", "hạn nộp báo cáo")
        constraints = [
            models.UniqueConstraint(fields=["year", "quarter"], name="reporting_deadline_unique"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                name="reporting_deadline_quarter_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter}: {self.due_on}"


class ReminderSent(models.Model):
    """A reminder emailed to a unit's staff about a quarter's report, ``offset`` days
    from the deadline (negative: before). Its natural key keeps a reminder to one."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    offset = models.SmallIntegerField(_("số ngày so với hạn"))
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("số người nhận"), default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("nhắc nộp báo cáo")
        verbose_name_plural = pgettext_lazy("plural", "nhắc nộp báo cáo")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "quarter", "offset"], name="reminder_sent_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter} {self.unit_id} {self.offset:+d}"


class AuditEntry(models.Model):
    """One recorded change (nhật ký thay đổi): who, when, what, the old and new values.

    ``unit``, ``year`` and ``quarter`` say whose report the change belongs to
    (``quarter`` empty for what belongs to the year, such as a plan task).
    ``changes`` is a list of ``[key, old, new]``: a figure's key is
    ``element`` or ``element/category``, other keys are field names; values are text or
    null. An import is one entry per report it touched, with the file name in
    ``label`` and the same ``batch``.
    """

    class Subject(models.TextChoices):
        FIGURES = "figures", _("Số liệu")
        EVIDENCE = "evidence", _("Minh chứng")
        PLAN_TASK = "plan_task", _("Nhiệm vụ kế hoạch")
        MILESTONE = "milestone", _("Mốc hoàn thành")
        REPORT = "report", _("Báo cáo quý")
        TARGET = "target", _("Mục tiêu")
        PUBLICATION = "publication", _("Công bố kết quả")

    class Action(models.TextChoices):
        CREATED = "created", _("Đã thêm")
        UPDATED = "updated", _("Đã sửa")
        DELETED = "deleted", _("Đã xóa")
        IMPORTED = "imported", _("Đã nhập từ tệp")
        SUBMITTED = "submitted", _("Đã gửi")
        APPROVED = "approved", _("Đã duyệt")
        RETURNED = "returned", _("Đã trả lại")
        REOPENED = "reopened", _("Đã mở lại")
        PUBLISHED = "published", _("Đã công bố")

    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    user = models.ForeignKey(
        "auth.User",
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveIntegerField(_("năm"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("quý"), null=True, blank=True)
    subject = models.CharField(_("đối tượng"), max_length=20, choices=Subject.choices)
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices)
    label = models.CharField(_("nội dung"), max_length=500, blank=True)
    changes = models.JSONField(_("thay đổi"), default=list, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    batch = models.CharField(_("lô"), max_length=32, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = pgettext_lazy("plural", "nhật ký thay đổi")
        indexes = [
            models.Index(fields=["unit", "year", "quarter", "-at"], name="audit_report_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.subject} {self.action} {self.label}"


class Publication(models.Model):
    """A department's results of a period as its director published them (công bố kết
    quả), for the public page ``/results/``.

    ``snapshot`` is frozen at publication: the statuses may be recomputed later, the
    public sees what was published until it is published again (which replaces the
    snapshot and is recorded in the audit log). It holds the commitments and indicators
    with their names in both languages, values as text and statuses, and
    ``computed_at`` of the statuses; never a person's name.
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="publications"
    )
    year = models.PositiveIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        _("quý"), validators=[MaxValueValidator(4)], help_text=_("0: lũy kế năm")
    )
    published_at = models.DateTimeField(_("công bố lúc"))
    published_by = models.ForeignKey(
        "auth.User",
        verbose_name=_("người công bố"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    snapshot = models.JSONField(_("kết quả đã công bố"), default=dict)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["-year", "-quarter", "unit__code"]
        verbose_name = _("kết quả đã công bố")
        verbose_name_plural = pgettext_lazy("plural", "kết quả đã công bố")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "quarter"], name="publication_unique"),
            models.CheckConstraint(
                condition=Q(quarter__gte=0) & Q(quarter__lte=4),
                name="publication_quarter_0_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{engine.period_label(self.year, self.quarter)} {self.unit.code}"

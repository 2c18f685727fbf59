"""Targets of a year, their overrides and their history (mục tiêu)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commitments import engine
from commitments.models.catalogue import Category, Indicator
from commitments.models.organisation import Unit, done_by


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
        if self.indicator_id is not None and self.indicator.sheet.year != self.year:
            raise ValidationError(
                {"year": _("Mục tiêu thuộc năm của bản đăng ký có chỉ tiêu này.")}
            )


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
        return f"{self.conditions}: {self.comparator} {self.threshold}"

    @property
    def conditions(self) -> str:
        """Where it applies, by code: "land", "division, education"."""
        parts = (self.category.code if self.category else "", self.unit_kind, self.unit_sector)
        return ", ".join(part for part in parts if part)


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

    user = done_by(_("người thực hiện"))
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

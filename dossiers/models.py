"""The one-stop shop's dossier records (hồ sơ một cửa) and the figures derived from
them. What a dossier counts for is computed once, when it is imported
(``dossiers.rules``), and stored beside it, so that the figures are plain sums in SQL."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commitments.models import Category, DataElement, Unit
from dossiers import rules


class Dossier(models.Model):
    """One dossier a receiving desk took in, as the one-stop-shop software exports it."""

    class Channel(models.TextChoices):
        ONLINE = rules.ONLINE, _("Trực tuyến")
        DIRECT = "direct", _("Trực tiếp")
        POSTAL = "postal", _("Bưu chính")

    class Status(models.TextChoices):
        IN_PROGRESS = rules.IN_PROGRESS, _("Đang giải quyết")
        RESOLVED = rules.RESOLVED, _("Đã giải quyết")
        WITHDRAWN = rules.WITHDRAWN, _("Rút hồ sơ")
        REFUSED = rules.REFUSED, _("Từ chối giải quyết")

    # Unique by a constraint, not ``unique=True``: on PostgreSQL that adds a second index
    # (``varchar_pattern_ops``, for LIKE 'x%') that no query of the app uses and every
    # imported dossier pays for.
    code = models.CharField(_("mã hồ sơ"), max_length=100)
    # No index of its own: the two indexes below begin with it.
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    category = models.ForeignKey(
        Category, verbose_name=_("lĩnh vực thủ tục"), on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.CharField(_("mã thủ tục"), max_length=100)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=10, choices=Channel.choices)
    received_at = models.DateTimeField(_("ngày tiếp nhận"))
    due_at = models.DateTimeField(_("hạn giải quyết"))
    resolved_at = models.DateTimeField(_("ngày có kết quả"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("số ngày tạm dừng"), default=0)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices)
    paid_online = models.BooleanField(_("thanh toán trực tuyến"), null=True, blank=True)
    # Derived at import (dossiers.rules): the due date that counts, the quarters the
    # dossier counts in and whether it was resolved on time (None: not resolved).
    due_by = models.DateTimeField(_("hạn tính cả ngày tạm dừng"))
    received_year = models.PositiveIntegerField(_("năm tiếp nhận"))
    received_quarter = models.PositiveSmallIntegerField(_("quý tiếp nhận"))
    resolved_year = models.PositiveIntegerField(_("năm có kết quả"), null=True)
    resolved_quarter = models.PositiveSmallIntegerField(_("quý có kết quả"), null=True)
    on_time = models.BooleanField(_("đúng hạn"), null=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = pgettext_lazy("plural", "hồ sơ")
        constraints = [models.UniqueConstraint(fields=["code"], name="dossier_code_unique")]
        indexes = [
            models.Index(
                fields=["unit", "received_year", "received_quarter"], name="dossier_received"
            ),
            models.Index(
                fields=["unit", "resolved_year", "resolved_quarter"], name="dossier_resolved"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class DossierCount(models.Model):
    """A figure derived from the dossier records (số liệu tính từ hồ sơ): its value as
    written to the unit's figures, how many records it rests on, and the value the unit
    had typed by hand before the records replaced it (for the reconciliation)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveBigIntegerField(_("giá trị tính từ hồ sơ"))
    records = models.PositiveIntegerField(_("số hồ sơ"))
    typed = models.PositiveBigIntegerField(_("giá trị nhập tay"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("số liệu tính từ hồ sơ")
        verbose_name_plural = pgettext_lazy("plural", "số liệu tính từ hồ sơ")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "quarter", "element", "category"],
                name="dossier_count_unique",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="dossier_count_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter} {self.unit_id} {self.element_id}: {self.value}"

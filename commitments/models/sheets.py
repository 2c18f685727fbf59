"""Signed sheets (bản đăng ký chỉ tiêu): what a department signed for a year."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commitments.models.organisation import Unit, done_by
from commitments.models.reporting import evidence_storage


def sheet_document_path(instance: Sheet, filename: str) -> str:
    """A path that does not reuse the uploaded name, so that no one can guess it."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"sheets/{instance.year}/{uuid.uuid4().hex}{suffix}"


class Sheet(models.Model):
    """The sheet a department signs for a year (bản đăng ký chỉ tiêu cải cách hành
    chính): who signed it and when, the scanned signed document, and its
    ``commitments`` and ``indicators``, numbered and worded as signed, each indicator
    with its target of the year.

    A sheet without a department is the common sheet of its year: it applies to every
    department that has no sheet of its own that year (an installation of one
    department, or a catalogue loaded before its units). ``code`` names a built-in
    catalogue's sheet (``hcmc-dard-2021``), so that loading it again finds it.
    """

    department = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị ký"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sheets",
        help_text=_("Trống: áp dụng cho mọi Sở chưa có bản đăng ký riêng của năm."),
    )
    year = models.PositiveIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    code = models.SlugField(_("mã"), max_length=50, blank=True)
    signed_by = models.CharField(
        _("người ký"), max_length=300, blank=True, help_text=_("Họ tên và chức vụ.")
    )
    signed_on = models.DateField(_("ngày ký"), null=True, blank=True)
    document = models.FileField(
        _("văn bản đã ký (bản quét)"),
        upload_to=sheet_document_path,
        storage=evidence_storage,
        max_length=300,
        blank=True,
    )
    document_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("sao chép từ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = done_by(_("người tạo"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        # The departments' own sheets first, then the common one.
        ordering = ["-year", models.F("department__code").asc(nulls_last=True)]
        verbose_name = _("bản đăng ký chỉ tiêu")
        verbose_name_plural = pgettext_lazy("plural", "bản đăng ký chỉ tiêu")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "year"],
                condition=Q(department__isnull=False),
                name="sheet_unique_department_year",
                violation_error_message=_("Sở này đã có bản đăng ký của năm."),
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(department__isnull=True),
                name="sheet_unique_common_year",
                violation_error_message=_("Năm này đã có bản đăng ký chung."),
            ),
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="sheet_unique_code"
            ),
        ]

    def __str__(self) -> str:
        who = self.department.code if self.department_id else _("chung")
        return f"{self.year} · {who}"

    def clean(self) -> None:
        if self.department_id is not None and self.department.parent_id is not None:
            raise ValidationError(
                {"department": _("Bản đăng ký thuộc về một Sở: một đơn vị không có cấp trên.")}
            )

"""The audit log (nhật ký thay đổi)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commitments.models.organisation import Unit, done_by


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
        SHEET = "sheet", _("Bản đăng ký chỉ tiêu")
        PUBLICATION = "publication", _("Công bố kết quả")
        SURVEY = "survey", _("Khảo sát sự hài lòng")

    class Action(models.TextChoices):
        CREATED = "created", _("Đã thêm")
        UPDATED = "updated", _("Đã sửa")
        DELETED = "deleted", _("Đã xóa")
        IMPORTED = "imported", _("Đã nhập từ tệp")
        SUBMITTED = "submitted", _("Đã gửi")
        APPROVED = "approved", _("Đã duyệt")
        RETURNED = "returned", _("Đã trả lại")
        REOPENED = "reopened", _("Đã mở lại")
        WITHDRAWN = "withdrawn", _("Đã rút lại")
        PUBLISHED = "published", _("Đã công bố")
        COUNTED = "counted", _("Đã tổng hợp")
        VOIDED = "voided", _("Đã hủy")
        MODERATED = "moderated", _("Đã duyệt ý kiến")
        CONFIRMED = "confirmed", _("Đã xác nhận")

    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    user = done_by(_("người thực hiện"))
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

"""The days an admin adds to the public holiday calendar (ngày nghỉ bù, ngày làm bù):
report deadlines and reminders count working days (``selectors.calendar``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CalendarDay(models.Model):
    """A day whose working status differs from the public holiday calendar: a day off
    the Government adds (a compensatory day off, a bridge day) or a day worked in
    exchange (a make-up Saturday). The admin's word wins over the calendar's."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc (làm bù)")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại ngày"), max_length=20, choices=Kind.choices)
    note = models.CharField(
        _("căn cứ"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: nghỉ bù theo Thông báo số …/TB-BNV, làm bù thứ Bảy."),
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = pgettext_lazy("plural", "ngày nghỉ, ngày làm bù")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} · {self.get_kind_display()}"

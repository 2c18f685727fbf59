"""What units report: figures, evidence, plan tasks, milestones, quarterly reports,
deadlines and reminders (số liệu, minh chứng, báo cáo quý).
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from commitments.models.catalogue import Category, DataElement, EvidenceKind, Indicator
from commitments.models.organisation import Unit, done_by


def _unique_with_optional(
    fields: list[str], optional: str, *, name: str, called: str = ""
) -> list[models.UniqueConstraint]:
    """``fields`` and the optional (nullable) key ``optional`` unique together. Two
    partial constraints instead of one: NULLs are never equal in SQL, so one
    constraint would let two rows without the optional key repeat. They are named
    ``<name>_with_<called>`` and ``<name>_without_<called>`` (``called``: the optional
    key's name by default)."""
    called = called or optional
    return [
        models.UniqueConstraint(
            fields=[*fields, optional],
            condition=Q(**{f"{optional}__isnull": False}),
            name=f"{name}_with_{called}",
        ),
        models.UniqueConstraint(
            fields=fields,
            condition=Q(**{f"{optional}__isnull": True}),
            name=f"{name}_without_{called}",
        ),
    ]


class QuarterFigure(models.Model):
    """What a figure is: a value of a data element in a quarter, for one category where
    the element is split by one (the unit is each model's own)."""

    year = models.PositiveIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(
        _("quý"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    element = models.ForeignKey(DataElement, verbose_name=_("yếu tố"), on_delete=models.PROTECT)
    category = models.ForeignKey(
        Category, verbose_name=_("phân loại"), null=True, blank=True, on_delete=models.PROTECT
    )
    value = models.PositiveBigIntegerField(_("giá trị"))

    class Meta:
        abstract = True


class Figure(QuarterFigure):
    """One reported number (số liệu): a unit's value of a data element in a quarter,
    for one category where the element is split by one."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="figures"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["year", "quarter", "unit__code", "element__position"]
        verbose_name = _("số liệu")
        verbose_name_plural = pgettext_lazy("plural", "số liệu")
        constraints = [
            *_unique_with_optional(
                ["year", "quarter", "unit", "element"], "category", name="figure_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="figure_quarter_1_to_4"
            ),
        ]
        indexes = [models.Index(fields=["year", "element"], name="figure_year_element")]

    def __str__(self) -> str:
        category = f"/{self.category.code}" if self.category_id else ""
        return f"{self.year}-Q{self.quarter} {self.unit.code} {self.element.code}{category}"

    def clean(self) -> None:
        """The element's largest value holds in the admin too, as on the form and in
        every import (``services.figures.figure_check``)."""
        if self.element_id and self.value is not None and self.value > self.element.max_value:
            raise ValidationError(
                {
                    "value": _("Số quá lớn: không được lớn hơn %(max)s.")
                    % {"max": number_format(self.element.max_value, force_grouping=True)}
                }
            )


class OfficialFigure(QuarterFigure):
    """A figure of a reopened report as it was last approved (số liệu chính thức).

    DOMAIN.md, "Official figures": while an approved report is reopened its figures
    stay official at their last approved values, so that a unit fixing a typo never
    makes the department's numbers vanish. Written when an approved report is reopened,
    removed when it is approved again (its live figures are then the official ones).
    """

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("số liệu chính thức")
        verbose_name_plural = pgettext_lazy("plural", "số liệu chính thức")
        constraints = _unique_with_optional(
            ["year", "quarter", "unit", "element"], "category", name="official_figure_unique"
        )

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter} {self.unit_id} {self.element_id}: {self.value}"


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

    # Defined with the catalogue, whose indicators count evidence by kind.
    Kind = EvidenceKind

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
    created_by = done_by(_("người tạo"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "unit__code"]
        verbose_name = _("minh chứng")
        verbose_name_plural = pgettext_lazy("plural", "minh chứng")
        constraints = [
            *_unique_with_optional(
                ["unit", "kind", "date", "reference"],
                "subject_unit",
                name="evidence_unique",
                called="subject",
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
    submitted_by = done_by(_("người gửi"))
    decided_at = models.DateTimeField(_("duyệt hoặc trả lại lúc"), null=True, blank=True)
    decided_by = done_by(_("người duyệt hoặc trả lại"))
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
        indexes = [
            # A period's reports, whatever their unit (completeness, the review inbox).
            models.Index(fields=["year", "quarter"], name="quarterly_report_period"),
            # The reports waiting for review, counted on every page (the review
            # inbox's badge): a few among a country's hundred thousand.
            models.Index(
                fields=["unit"],
                condition=Q(state="submitted"),
                name="quarterly_report_waiting",
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
    """A reminder emailed to a unit's staff about a quarter's report, ``offset`` working days
    from the deadline (negative: before). Its natural key keeps a reminder to one."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    offset = models.SmallIntegerField(_("số ngày làm việc so với hạn"))
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

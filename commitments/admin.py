"""Django admin for every model: where an admin configures units, the catalogue and
targets today."""

from collections.abc import Iterable

from django.contrib import admin, messages
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from commitments import admin_sheets, engine, selectors, services  # noqa: F401
from commitments.models import (
    AuditEntry,
    CalendarDay,
    Category,
    Commitment,
    DataElement,
    Evidence,
    Figure,
    Indicator,
    Membership,
    Milestone,
    PlanTask,
    Publication,
    QuarterlyReport,
    RecomputeState,
    ReminderSent,
    ReportingDeadline,
    Status,
    Target,
    TargetChange,
    TargetOverride,
    Unit,
    ValidationRule,
)
from commitments.models.catalogue import MEASURE_FIELDS
from commitments.templatetags.sheets import wording_warning

# The admin's own titles, in the reader's language like every page (Django's default
# reads "Trang quản trị cho Django").
admin.site.site_header = _("Quản trị · Chỉ tiêu cải cách hành chính")
admin.site.site_title = _("Quản trị chỉ tiêu cải cách hành chính")
admin.site.index_title = _("Dữ liệu và cấu hình")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "sector_name",
        "public_service",
        "receives_dossiers",
        "parent",
    )
    list_filter = ("kind", "sector", "public_service", "receives_dossiers")
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("parent",)

    @admin.display(description=_("lĩnh vực"), ordering="sector")
    def sector_name(self, obj: Unit) -> str:
        return obj.sector_label


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "kind", "position")
    list_filter = ("kind",)
    search_fields = ("code", "name_vi", "name_en")


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_vi",
        "aggregation",
        "category_kind",
        "is_flag",
        "max_value",
        "position",
    )
    list_filter = ("aggregation", "category_kind", "is_flag")
    search_fields = ("code", "name_vi", "name_en")


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "element", "bound")


def _years_read(records: Iterable[models.Model]) -> set[int]:
    """The years whose statuses read these records: a figure's own year and the years
    measured against it, the year of evidence, a plan task, a milestone, a target or
    an override's target; none for other records."""
    years: set[int] = set()
    figure_years: set[int] = set()
    target_ids: set[int] = set()
    for record in records:
        if isinstance(record, Figure):
            figure_years.add(record.year)
        elif isinstance(record, Evidence):
            years.add(record.date.year)
        elif isinstance(record, TargetOverride):
            target_ids.add(record.target_id)
        elif isinstance(record, PlanTask | Milestone | Target):
            years.add(record.year)
    if figure_years:
        years |= services.figures.years_affected(figure_years)
    if target_ids:
        # Looked up, not followed: the target may be deleted along with it.
        years |= set(Target.objects.filter(pk__in=target_ids).values_list("year", flat=True))
    return years


def _years_lost(records: Iterable[models.Model]) -> set[int]:
    """The years whose statuses read these records or what deleting them deletes with
    them (an indicator takes its targets and milestones along). Read before deleting."""
    records = list(records)
    years = _years_read(records)
    indicators = [r.pk for r in records if isinstance(r, Indicator)]
    if indicators:
        for model in (Target, Milestone):
            rows = model.objects.filter(indicator__in=indicators)
            years |= set(rows.values_list("year", flat=True))
    return years


class RecomputedAdmin(admin.ModelAdmin):
    """What an admin saves or deletes here, and in its inlines, queues a recompute of
    the years whose statuses read it, like a change made on the pages
    (``services.recompute.recompute_request``)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.recompute.recompute_request(years=_years_read([obj]))

    def delete_model(self, request, obj):
        years = _years_lost([obj])
        super().delete_model(request, obj)
        services.recompute.recompute_request(years=years)

    def delete_queryset(self, request, queryset):
        years = _years_lost(queryset)
        super().delete_queryset(request, queryset)
        services.recompute.recompute_request(years=years)

    def save_related(self, request, form, formsets, change):
        years = _years_lost(
            f.instance for formset in formsets for f in formset.deleted_forms if f.instance.pk
        )
        super().save_related(request, form, formsets, change)
        for formset in formsets:
            saved = formset.new_objects + [obj for obj, _ in formset.changed_objects]
            years |= _years_read(saved)
        services.recompute.recompute_request(years=years)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ("code", "name_vi", "version", "position")
    extra = 0
    show_change_link = True


@admin.register(Commitment)
class CommitmentAdmin(RecomputedAdmin):
    list_display = ("code", "name_vi", "sheet", "position", "to_review")
    list_filter = ("sheet__year", "to_review")
    search_fields = ("code", "name_vi", "name_en")
    list_select_related = ("sheet__department",)
    readonly_fields = ("to_review", "review_reasons")
    inlines = [IndicatorInline]
    actions = ["confirm"]

    @admin.action(description=_("Xác nhận các cam kết đã rà soát"))
    def confirm(self, request, queryset):
        for commitment in queryset.select_related("sheet"):
            services.sheets.commitment_confirm(commitment=commitment, user=request.user)


class TargetInline(admin.TabularInline):
    model = Target
    fields = ("year", "threshold", "comparator", "deadline", "baseline_year", "baseline_value")
    extra = 0
    show_change_link = True


@admin.register(Indicator)
class IndicatorAdmin(RecomputedAdmin):
    """An indicator of a sheet: what it measures is its definition's version (edited
    there, copied here when saved)."""

    list_display = ("code", "name_vi", "sheet", "version", "quarterly", "yearly", "tracked")
    list_filter = ("sheet__year", "kind", "source", "level", "tracked", "per_category")
    search_fields = ("code", "name_vi", "name_en")
    list_select_related = ("sheet__department", "version__definition")
    inlines = [TargetInline]
    readonly_fields = MEASURE_FIELDS
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "sheet",
                    "code",
                    "commitment",
                    "position",
                    "name_vi",
                    "name_en",
                    ("short_name_vi", "short_name_en"),
                )
            },
        ),
        (_("Kỳ và cách đánh giá"), {"fields": (("quarterly", "yearly"), "tracked")}),
        (_("Cách tính (theo phiên bản định nghĩa)"), {"fields": ("version", *MEASURE_FIELDS)}),
    )

    def save_model(self, request, obj, form, change):
        services.definitions.indicator_adopt(indicator=obj, version=obj.version)
        super().save_model(request, obj, form, change)


class TargetOverrideInline(admin.TabularInline):
    model = TargetOverride
    extra = 0


class NotTypedAdmin(admin.ModelAdmin):
    """A record written by the application alone: listed, never added or changed by
    hand (deleting one is allowed)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NotTypedAdmin):
    """A record written by the application alone: listed, never added, changed or
    deleted by hand."""

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """What an admin changes here is recorded in the audit log (who, when, old → new),
    like a change made on the pages; ``audit_subject`` says what it is and
    ``audit_place`` whose report it belongs to."""

    audit_subject: str = ""

    def audit_place(self, obj) -> tuple[Unit | None, int | None, int | None]:
        return getattr(obj, "unit", None), getattr(obj, "year", None), None

    def save_model(self, request, obj, form, change):
        stored = type(obj).objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        changes = [
            (name, getattr(stored, name, None) if stored else None, getattr(obj, name, None))
            for name in form.changed_data
            if name in {f.name for f in obj._meta.concrete_fields}
        ]
        self._record(
            request,
            obj,
            AuditEntry.Action.UPDATED if change else AuditEntry.Action.CREATED,
            changes,
        )

    def delete_model(self, request, obj):
        self._record(request, obj, AuditEntry.Action.DELETED, [])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._record(request, obj, AuditEntry.Action.DELETED, [])
        super().delete_queryset(request, queryset)

    def _record(self, request, obj, action: str, changes) -> None:
        unit, year, quarter = self.audit_place(obj)
        services.audit.audit_record(
            subject=self.audit_subject,
            action=action,
            user=request.user,
            unit=unit,
            year=year,
            quarter=quarter,
            label=str(obj),
            changes=changes,
            note=_("Sửa trong trang quản trị"),
        )


@admin.register(Target)
class TargetAdmin(RecomputedAdmin, AuditedAdmin):
    audit_subject = AuditEntry.Subject.TARGET
    list_display = (
        "indicator",
        "year",
        "comparator",
        "threshold",
        "deadline",
        "baseline_year",
        "wording_check",
    )
    list_filter = ("year", "indicator__sheet")
    search_fields = ("indicator__code", "indicator__name_vi", "wording")
    list_select_related = ("indicator",)
    inlines = [TargetOverrideInline]

    @admin.display(description=_("khớp lời văn đã ký"))
    def wording_check(self, obj: Target) -> str:
        mismatches = selectors.sheets.target_mismatches(obj)
        return "✓" if not mismatches else "⚠ " + "; ".join(m.phrase for m in mismatches)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        target = form.instance
        for mismatch in selectors.sheets.target_mismatches(target):
            self.message_user(
                request,
                wording_warning(mismatch, target, target.indicator),
                messages.WARNING,
            )


@admin.register(Figure)
class FigureAdmin(RecomputedAdmin, AuditedAdmin):
    audit_subject = AuditEntry.Subject.FIGURES

    def audit_place(self, obj):
        return obj.unit, obj.year, obj.quarter

    list_display = ("year", "quarter", "unit", "element", "category", "value", "updated_at")
    list_filter = ("year", "quarter", "element", "category")
    search_fields = ("unit__code", "unit__name", "element__code")
    list_select_related = ("unit", "element", "category")
    autocomplete_fields = ("unit",)

    # A change here moves the version of the report the figure belongs to, so that a
    # report form opened before it cannot save over the admin's correction.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.reports.reports_touched(periods=[(obj.unit_id, obj.year, obj.quarter)])

    def delete_model(self, request, obj):
        period = (obj.unit_id, obj.year, obj.quarter)
        super().delete_model(request, obj)
        services.reports.reports_touched(periods=[period])

    def delete_queryset(self, request, queryset):
        periods = list(queryset.values_list("unit_id", "year", "quarter"))
        super().delete_queryset(request, queryset)
        services.reports.reports_touched(periods=periods)


@admin.register(Evidence)
class EvidenceAdmin(RecomputedAdmin, AuditedAdmin):
    audit_subject = AuditEntry.Subject.EVIDENCE

    def audit_place(self, obj):
        return obj.unit, obj.date.year, engine.quarter_of(obj.date)

    # A link typed without its scheme is https (Django 6's default, asked for now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("date", "kind", "unit", "subject_unit", "reference", "title")
    list_filter = ("kind", "date")
    search_fields = ("reference", "title", "unit__code", "unit__name")
    list_select_related = ("unit", "subject_unit")
    autocomplete_fields = ("unit", "subject_unit")
    date_hierarchy = "date"


@admin.register(PlanTask)
class PlanTaskAdmin(RecomputedAdmin, AuditedAdmin):
    audit_subject = AuditEntry.Subject.PLAN_TASK
    list_display = ("year", "code", "title", "unit", "due_on", "done_on", "evidence_reference")
    list_filter = ("year",)
    search_fields = ("code", "title")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)


@admin.register(Milestone)
class MilestoneAdmin(RecomputedAdmin, AuditedAdmin):
    audit_subject = AuditEntry.Subject.MILESTONE
    list_display = ("year", "indicator", "unit", "done_on", "evidence_reference")
    list_filter = ("year", "indicator")
    list_select_related = ("indicator", "unit")
    autocomplete_fields = ("unit",)


@admin.register(Status)
class StatusAdmin(NotTypedAdmin):
    """Read-only: statuses are computed, never typed."""

    list_display = ("indicator", "unit", "category", "period", "value", "target", "status")
    list_filter = ("year", "quarter", "status", "indicator__commitment")
    search_fields = ("indicator__code", "unit__code")
    list_select_related = ("indicator", "unit")


@admin.register(RecomputeState)
class RecomputeStateAdmin(NotTypedAdmin):
    list_display = (
        "year",
        "pending",
        "requested_at",
        "computed_at",
        "status_count",
        "failed_at",
        "last_error",
    )

    @admin.display(boolean=True, description=_("đang chờ tính lại"))
    def pending(self, obj: RecomputeState) -> bool:
        return obj.pending

    @admin.display(description=_("yêu cầu lúc"))
    def requested_at(self, obj: RecomputeState):
        """The oldest change still waiting for the recompute that covers it."""
        return obj.requested_at


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "unit", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__code", "unit__name")
    autocomplete_fields = ("unit",)


@admin.register(TargetOverride)
class TargetOverrideAdmin(RecomputedAdmin):
    list_display = ("target", "category", "unit_kind", "unit_sector", "comparator", "threshold")
    list_filter = ("target__year", "category", "unit_kind")
    list_select_related = ("target__indicator", "category")


@admin.register(TargetChange)
class TargetChangeAdmin(ReadOnlyAdmin):
    """Read-only: the history is written by the targets page and the year copy."""

    list_display = ("at", "year", "indicator_code", "action", "user", "note")
    list_filter = ("year", "action")
    search_fields = ("indicator_code", "note", "user__username")
    list_select_related = ("user",)
    date_hierarchy = "at"


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(AuditedAdmin):
    audit_subject = AuditEntry.Subject.REPORT

    def audit_place(self, obj):
        return obj.unit, obj.year, obj.quarter

    list_display = ("year", "quarter", "unit", "state", "version", "submitted_at", "decided_at")
    list_filter = ("year", "quarter", "state")
    search_fields = ("unit__code", "unit__name", "comment")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    readonly_fields = ("version", "submitted_at", "submitted_by", "decided_at", "decided_by")


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(admin.ModelAdmin):
    """A quarter's deadline where it differs from the default (``REPORT_DEADLINE_DAYS``
    working days after the quarter's last day); reminders follow it."""

    list_display = ("year", "quarter", "due_on")
    list_filter = ("year",)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The days that deadlines and reminders count differently from the public holiday
    calendar: a day off added (nghỉ bù) or a weekend day worked (làm bù). The list
    shows the year's public holidays, Tết included, which are already counted."""

    list_display = ("date", "weekday", "kind", "note")
    list_filter = ("kind",)
    search_fields = ("note",)
    date_hierarchy = "date"

    @admin.display(description=_("thứ"))
    def weekday(self, obj: CalendarDay) -> str:
        return formats.date_format(obj.date, "l")

    def changelist_view(self, request, extra_context=None):
        year = request.GET.get("date__year", "")
        year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
        year = year or timezone.localdate().year
        extra_context = {
            **(extra_context or {}),
            "holiday_year": year,
            "public_holidays": selectors.calendar.public_holidays(year=year),
            "make_up_days": selectors.calendar.make_up_days(year=year),
        }
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(ReminderSent)
class ReminderSentAdmin(NotTypedAdmin):
    """Read-only: written by the daily reminders. Deleting a row lets that reminder be
    sent again the next time it is due."""

    list_display = ("sent_at", "year", "quarter", "unit", "offset", "recipients")
    list_filter = ("year", "quarter", "offset")
    search_fields = ("unit__code", "unit__name")
    list_select_related = ("unit",)
    date_hierarchy = "sent_at"


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log, read-only: written with each change it records."""

    list_display = ("at", "user", "subject", "action", "unit", "year", "quarter", "label")
    list_filter = ("subject", "action", "year", "quarter")
    search_fields = ("label", "note", "unit__code", "user__username")
    list_select_related = ("user", "unit")
    date_hierarchy = "at"


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    """Published results, read-only: a director publishes (or republishes) a period from
    the dashboard, and each publication is in the audit log."""

    list_display = ("published_at", "unit", "year", "quarter", "published_by")
    list_filter = ("year", "quarter")
    list_select_related = ("unit", "published_by")

"""Django admin of the signed sheets and of the indicator definitions shared by them:
a sheet's department, signer and document, its commitments to confirm after a copy;
a definition's versions, read-only once in use, a new one added from a year on."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commitments import services
from commitments.models import Commitment, DefinitionVersion, IndicatorDefinition, Sheet, Unit
from commitments.models.catalogue import MEASURE_FIELDS


class CommitmentOfSheetInline(admin.TabularInline):
    model = Commitment
    fields = ("code", "name_vi", "position", "to_review")
    readonly_fields = ("to_review",)
    extra = 0
    show_change_link = True


@admin.register(Sheet)
class SheetAdmin(admin.ModelAdmin):
    list_display = ("year", "department", "signed_by", "signed_on", "code", "copied_from")
    list_filter = ("year",)
    search_fields = ("department__code", "department__name", "signed_by", "code")
    list_select_related = ("department", "copied_from")
    autocomplete_fields = ("department",)
    readonly_fields = ("copied_from", "created_by", "created_at")
    inlines = [CommitmentOfSheetInline]
    actions = ["confirm_commitments"]

    def save_model(self, request, obj, form, change):
        # The department decides whose statuses the sheet gives: through the service,
        # which checks it and queues the year's recompute.
        if change and "department" in form.changed_data:
            stored = Sheet.objects.get(pk=obj.pk)
            department = obj.department
            obj.department = stored.department
            super().save_model(request, obj, form, change)
            services.sheets.sheet_assign(sheet=obj, department=department, user=request.user)
            return
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        services.recompute.recompute_request(years=[obj.year])

    @admin.action(description=_("Xác nhận các cam kết đã rà soát"))
    def confirm_commitments(self, request, queryset):
        done = sum(services.sheets.sheet_confirm(sheet=s, user=request.user) for s in queryset)
        self.message_user(
            request,
            ngettext("Đã xác nhận %(count)d cam kết.", "Đã xác nhận %(count)d cam kết.", done)
            % {"count": done},
            messages.SUCCESS,
        )


class VersionForm(forms.ModelForm):
    """Scopes as check boxes and a comma-separated list instead of raw JSON; a version
    in use is refused (a change is a new version)."""

    scope_kinds = forms.MultipleChoiceField(
        label=_("phạm vi: loại đơn vị"),
        choices=Unit.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Không chọn: mọi loại."),
    )
    scope_sectors = forms.CharField(
        label=_("phạm vi: lĩnh vực đơn vị"),
        required=False,
        help_text=_(
            "Mã lĩnh vực, cách nhau bởi dấu phẩy (ví dụ: education, health). Trống: mọi lĩnh vực."
        ),
    )

    class Meta:
        model = DefinitionVersion
        fields = ["definition", "valid_from", "name_vi", "name_en", "note", *MEASURE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["scope_sectors"] = ", ".join(self.instance.scope_sectors or [])

    def clean_scope_sectors(self) -> list[str]:
        raw = self.cleaned_data.get("scope_sectors") or ""
        return [part.strip() for part in raw.split(",") if part.strip()]

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.has_changed():
            services.definitions.check_version_editable(
                DefinitionVersion.objects.get(pk=self.instance.pk)
            )
        return data


class VersionInline(admin.StackedInline):
    model = DefinitionVersion
    form = VersionForm
    extra = 0
    show_change_link = True


@admin.register(IndicatorDefinition)
class IndicatorDefinitionAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "position")
    search_fields = ("code", "name_vi", "name_en")
    inlines = [VersionInline]


@admin.register(DefinitionVersion)
class DefinitionVersionAdmin(admin.ModelAdmin):
    """A new version goes through ``definition_version_add``: the indicators of its year
    and later adopt it. A version in use is read-only."""

    form = VersionForm
    list_display = ("definition", "valid_from", "name_vi", "kind", "note")
    list_filter = ("kind", "valid_from")
    search_fields = ("definition__code", "name_vi", "name_en", "note")
    list_select_related = ("definition",)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and services.definitions.version_in_use(obj):
            return ["definition", "valid_from", "name_vi", "name_en", *MEASURE_FIELDS]
        return []

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            _version, moved = services.definitions.definition_version_add(
                definition=obj.definition,
                valid_from=obj.valid_from,
                measure={name: getattr(obj, name) for name in MEASURE_FIELDS},
                name_vi=obj.name_vi,
                name_en=obj.name_en,
                note=obj.note,
            )
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            return
        obj.pk = _version.pk
        self.message_user(
            request,
            ngettext(
                "%(count)d chỉ tiêu của năm %(year)s trở về sau dùng phiên bản mới.",
                "%(count)d chỉ tiêu của năm %(year)s trở về sau dùng phiên bản mới.",
                moved,
            )
            % {"count": moved, "year": obj.valid_from},
            messages.SUCCESS,
        )

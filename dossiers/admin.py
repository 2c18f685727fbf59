"""The dossier records in the admin: to look one up, never to edit (the export is the
source; a correction is a new import)."""

from django.contrib import admin

from dossiers.models import Dossier


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ("code", "unit", "category", "channel", "received_at", "resolved_at", "status", "on_time")  # fmt: skip
    list_filter = ("status", "channel", "category", "received_year", "received_quarter")
    search_fields = ("code", "procedure", "unit__code")
    list_select_related = ("unit", "category")
    date_hierarchy = "received_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

"""The survey in the admin: an admin sets the questionnaire (its questions and their
wording in both languages). A version that citizens have answered is never altered,
only replaced: it is read-only, and the action "Tạo phiên bản mới" makes an editable
copy that citizens answer from then on. Responses, kiosks and published quarters are
written by the pages and listed here read-only; a response is shown without the keyed
hash of its sender, its token or who typed it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments.admin import ReadOnlyAdmin
from surveys import services
from surveys.models import Answer, DeskPublication, Kiosk, Question, Questionnaire, Response


def in_use(questionnaire: Questionnaire | None) -> bool:
    """Whether citizens have answered this version (then it is never altered)."""
    return (
        questionnaire is not None and Response.objects.filter(questionnaire=questionnaire).exists()
    )


class QuestionFormSet(BaseInlineFormSet):
    """A questionnaire has one overall question (it decides whether a response is
    satisfied) and at least one aspect."""

    def clean(self) -> None:
        super().clean()
        kinds = [
            form.cleaned_data.get("kind")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if kinds.count(Question.Kind.OVERALL) != 1:
            raise ValidationError(_("Phiếu khảo sát cần đúng một câu hỏi đánh giá chung."))
        if Question.Kind.ASPECT not in kinds:
            raise ValidationError(_("Phiếu khảo sát cần ít nhất một tiêu chí."))


class QuestionInline(admin.TabularInline):
    model = Question
    formset = QuestionFormSet
    extra = 0
    fields = ("position", "code", "kind", "text", "text_en")

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not in_use(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not in_use(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not in_use(obj)


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("year", "version", "title", "answered", "created_at")
    list_filter = ("year",)
    fields = ("year", "version", "title", "title_en")
    inlines = [QuestionInline]
    actions = ["revise"]

    def get_queryset(self, request):
        answered = Response.objects.filter(questionnaire=OuterRef("pk"))
        return super().get_queryset(request).annotate(answered=Exists(answered))

    @admin.display(description=gettext_lazy("đã có phiếu trả lời"), boolean=True)
    def answered(self, obj: Questionnaire) -> bool:
        return obj.answered

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not in_use(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not in_use(obj)

    def get_deleted_objects(self, objs, request):
        """A bulk delete that would take an answered version is refused as protected."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = [*protected, *(str(q) for q in objs if in_use(q))]
        return deleted, model_count, perms_needed, protected

    @admin.action(description=gettext_lazy("Tạo phiên bản mới"), permissions=["add"])
    def revise(self, request, queryset) -> None:
        """A new, editable version of each chosen questionnaire (a copy of it)."""
        for questionnaire in queryset:
            copy = services.questionnaire_revise(questionnaire=questionnaire)
            url = reverse("admin:surveys_questionnaire_change", args=[copy.pk])
            self.message_user(
                request,
                format_html(
                    _(
                        'Đã tạo phiên bản {version} của phiếu năm {year}: <a href="{url}">sửa phiên bản này</a>.'
                    ),
                    version=copy.version,
                    year=copy.year,
                    url=url,
                ),
                messages.SUCCESS,
            )


class AnswerInline(admin.TabularInline):
    model = Answer
    fields = ("question", "score")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    """Responses, read-only, without personal data: a director voids one with a reason
    on the desk's page, where the audit log records it."""

    list_display = (
        "pk",
        "submitted_at",
        "unit",
        "year",
        "quarter",
        "channel",
        "overall",
        "satisfied",
        "flagged",
        "voided",
    )
    list_filter = ("year", "quarter", "channel", "satisfied", "flagged")
    search_fields = ("unit__code", "unit__name")
    list_select_related = ("unit",)
    date_hierarchy = "submitted_at"
    fields = (
        "questionnaire",
        "unit",
        "year",
        "quarter",
        "channel",
        "submitted_at",
        "overall",
        "satisfied",
        "comment",
        "comment_state",
        "flagged",
        "voided_at",
        "void_reason",
    )
    readonly_fields = fields
    inlines = [AnswerInline]

    @admin.display(description=gettext_lazy("đã hủy"), boolean=True)
    def voided(self, obj: Response) -> bool:
        return obj.voided_at is not None


@admin.register(Kiosk)
class KioskAdmin(ReadOnlyAdmin):
    """Kiosks, read-only: a director enrolls and revokes them on the desk's pages."""

    list_display = ("unit", "name", "enrolled_at", "enrolled_by", "revoked_at")
    list_filter = ("unit",)
    list_select_related = ("unit", "enrolled_by")
    readonly_fields = ("unit", "name", "enrolled_at", "enrolled_by", "revoked_at")


@admin.register(DeskPublication)
class DeskPublicationAdmin(ReadOnlyAdmin):
    """Published desk quarters, read-only: a director publishes them on the survey
    pages, and each publication is in the audit log."""

    list_display = ("published_at", "unit", "year", "quarter", "published_by")
    list_filter = ("year", "quarter")
    list_select_related = ("unit", "published_by")
    readonly_fields = ("unit", "year", "quarter", "published_by", "published_at", "snapshot")

"""Every model has a working admin, and targets can be configured there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from commitments import selectors, services
from commitments.models import (
    AuditEntry,
    Evidence,
    Figure,
    Indicator,
    ReminderSent,
    Sheet,
    Target,
)
from tests import factories

MODELS = [m for m in admin.site._registry if m._meta.app_label == "commitments"]


# Written only by the recompute, the targets page (history) or the reminder job.
COMPUTED = {"Status", "RecomputeState", "TargetChange", "ReminderSent", "AuditEntry", "Publication"}


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_and_add_pages_open(admin_client, catalogue, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    assert admin_client.get(add).status_code == (403 if model.__name__ in COMPUTED else 200)


def test_every_domain_model_is_registered():
    names = {m.__name__ for m in MODELS}
    assert {
        "Unit",
        "Category",
        "DataElement",
        "ValidationRule",
        "Commitment",
        "Indicator",
        "Target",
        "TargetOverride",
        "Figure",
        "Evidence",
        "PlanTask",
        "Milestone",
        "Status",
        "RecomputeState",
        "Membership",
        "TargetChange",
        "Sheet",
        "IndicatorDefinition",
        "DefinitionVersion",
    } <= names


def test_admin_changes_a_threshold_and_the_year_is_recomputed(
    admin_client, catalogue, django_capture_on_commit_callbacks
):
    target = Target.objects.get(indicator__code="4.1", year=2021)
    url = reverse("admin:commitments_target_change", args=[target.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data.update(
        {
            "indicator": target.indicator_id,
            "threshold": "92",
            "comparator": ">=",
            "overrides-TOTAL_FORMS": "0",
            "overrides-INITIAL_FORMS": "0",
            "overrides-MIN_NUM_FORMS": "0",
            "overrides-MAX_NUM_FORMS": "1000",
        }
    )
    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert target.threshold == 92
    assert callbacks  # a recompute was queued
    entry = AuditEntry.objects.get(subject=AuditEntry.Subject.TARGET)
    assert (entry.action, entry.user.username, entry.year) == ("updated", "admin", 2021)
    assert entry.changes == [["threshold", "91.0000", "92"]]


def test_admin_edits_of_figures_and_evidence_are_in_the_reports_history(admin_client, catalogue):
    unit = factories.unit("vp", parent=factories.department())
    figure = factories.figure(unit, "dossiers_resolved", 100, category="land")
    url = reverse("admin:commitments_figure_change", args=[figure.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data["value"] = "120"
    assert admin_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(subject=AuditEntry.Subject.FIGURES)
    assert (entry.unit, entry.year, entry.quarter) == (unit, figure.year, figure.quarter)
    assert entry.changes == [["value", "100", "120"]]
    assert entry.user.username == "admin"

    evidence = factories.evidence(unit, "dialogue", dt.date(2021, 5, 7), reference="15/BC")
    delete = reverse("admin:commitments_evidence_delete", args=[evidence.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    deleted = AuditEntry.objects.get(subject=AuditEntry.Subject.EVIDENCE)
    assert deleted.action == AuditEntry.Action.DELETED
    assert (deleted.year, deleted.quarter) == (2021, 2)


def test_admin_refuses_a_threshold_without_comparator(admin_client, catalogue):
    target = Target.objects.get(indicator__code="4.1", year=2021)
    url = reverse("admin:commitments_target_change", args=[target.pk])
    response = admin_client.post(
        url,
        {
            "indicator": target.indicator_id,
            "year": 2021,
            "threshold": "92",
            "comparator": "",
            "overrides-TOTAL_FORMS": "0",
            "overrides-INITIAL_FORMS": "0",
            "overrides-MIN_NUM_FORMS": "0",
            "overrides-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.threshold == 91


def test_indicator_scope_is_edited_as_choices(admin_client, catalogue):
    # The scope is what a definition measures: edited on a version not yet in use.
    indicator = Indicator.objects.get(code="4.4")
    version, _moved = services.definitions.definition_version_add(
        definition=indicator.version.definition,
        valid_from=2030,
        measure=services.definitions.measure_of(indicator.version),
        name_vi="Đơn vị sự nghiệp công lập giáo dục, y tế ứng dụng thanh toán điện tử",
    )
    url = reverse("admin:commitments_definitionversion_change", args=[version.pk])
    html = admin_client.get(url).content.decode()
    assert 'value="education, health"' in html
    assert 'type="checkbox" name="scope_kinds"' in html
    # The indicator shows the measure of its version, read-only.
    url = reverse("admin:commitments_indicator_change", args=[indicator.pk])
    html = admin_client.get(url).content.decode()
    assert 'name="scope_kinds"' not in html and "education" in html
    # The sheet's words are edited there: its names and the matrix's short names.
    assert 'name="short_name_vi" value="Thanh toán điện tử (giáo dục, y tế)"' in html
    assert 'name="short_name_en"' in html


def test_a_version_in_use_is_read_only_and_a_new_one_moves_the_later_sheets(
    admin_client, catalogue, django_capture_on_commit_callbacks
):
    admin_user = factories.superuser("quantri-2")
    sheet = Sheet.objects.get(code="hcmc-dard-2021")
    with django_capture_on_commit_callbacks(execute=True):
        services.targets.sheet_copy(sheet=sheet, year=2025, user=admin_user)
    on_time = Indicator.objects.get(sheet=sheet, code="5.1")
    url = reverse("admin:commitments_definitionversion_change", args=[on_time.version_id])
    assert 'name="kind"' not in admin_client.get(url).content.decode()

    add = reverse("admin:commitments_definitionversion_add")
    data = {
        "definition": on_time.version.definition_id, "valid_from": 2024,
        "name_vi": "Tỷ lệ hồ sơ đúng hạn từng lĩnh vực (Nghị định 61)", "name_en": "",
        "note": "Nghị định 61/2018/NĐ-CP", "kind": "ratio", "source": "figures",
        "per_category": "on", "level": "unit", "scope_sectors": "",
        "scope_public_service": "unknown", "scope_receives_dossiers": "true",
        "numerator": on_time.numerator_id, "denominator": on_time.denominator_id,
        "element": "", "evidence_kind": "", "coverage_rule": "", "condition_min": 1,
    }  # fmt: skip
    with django_capture_on_commit_callbacks() as callbacks:
        assert admin_client.post(add, data).status_code == 302
    later = Indicator.objects.get(sheet__year=2025, code="5.1")
    assert later.version.valid_from == 2024 and later.version.note == "Nghị định 61/2018/NĐ-CP"
    assert later.commitment.to_review
    assert Indicator.objects.get(sheet=sheet, code="5.1").version_id == on_time.version_id
    assert [c.years for c in callbacks] == [{2025}]


def test_admin_edits_deadlines_and_lists_reminders_read_only(admin_client, reminder_units):
    ReminderSent.objects.create(unit=reminder_units["owing"], year=2021, quarter=1, offset=-3)
    assert admin_client.get(reverse("admin:commitments_reportingdeadline_add")).status_code == 200
    response = admin_client.post(
        reverse("admin:commitments_reportingdeadline_add"),
        {"year": 2021, "quarter": 1, "due_on": "2021-04-20"},
    )
    assert response.status_code == 302
    assert selectors.completeness.report_deadline(year=2021, quarter=1) == dt.date(2021, 4, 20)
    assert admin_client.get(reverse("admin:commitments_remindersent_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:commitments_remindersent_add")).status_code == 403


# --- writes in the admin queue the recompute of the years they change ---------------


def test_admin_edit_and_delete_of_a_figure_queue_a_recompute_of_its_years(
    admin_client, catalogue, django_capture_on_commit_callbacks
):
    unit = factories.unit("vp", parent=factories.department())
    with django_capture_on_commit_callbacks(execute=True):
        # A 2020 figure: the baseline of 2021's growth targets, so 2021 is recomputed too.
        figure = factories.figure(unit, "dossiers_received", 100, year=2020, category="land")
    url = reverse("admin:commitments_figure_change", args=[figure.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data["value"] = "120"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert admin_client.post(url, data).status_code == 302
    assert [c.years for c in callbacks] == [{2020, 2021}]

    delete = reverse("admin:commitments_figure_delete", args=[figure.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Figure.objects.filter(pk=figure.pk).exists()
    assert [c.years for c in callbacks] == [{2020, 2021}]


def test_admin_deleting_selected_evidence_queues_a_recompute_of_its_years(
    admin_client, catalogue, django_capture_on_commit_callbacks
):
    unit = factories.unit("vp", parent=factories.department())
    with django_capture_on_commit_callbacks(execute=True):
        records = [
            factories.evidence(unit, "dialogue", dt.date(2021, 5, 7)),
            factories.evidence(unit, "dialogue", dt.date(2022, 1, 7)),
        ]
    changelist = reverse("admin:commitments_evidence_changelist")
    data = {
        "action": "delete_selected",
        "_selected_action": [r.pk for r in records],
        "post": "yes",
    }
    with django_capture_on_commit_callbacks() as callbacks:
        assert admin_client.post(changelist, data).status_code == 302
    assert not Evidence.objects.exists()
    assert [c.years for c in callbacks] == [{2021, 2022}]


def test_admin_deleting_an_indicator_queues_a_recompute_of_its_targets_years(
    admin_client, catalogue, django_capture_on_commit_callbacks
):
    indicator = Indicator.objects.get(code="4.1")
    delete = reverse("admin:commitments_indicator_delete", args=[indicator.pk])
    with django_capture_on_commit_callbacks() as callbacks:
        assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Target.objects.filter(indicator__code="4.1").exists()
    assert [c.years for c in callbacks] == [{2021}]


def test_admin_refuses_a_figure_over_its_elements_largest_value(admin_client, catalogue):
    unit = factories.unit("vp", parent=factories.department())
    figure = factories.figure(unit, "dossiers_resolved", 100, category="land")
    url = reverse("admin:commitments_figure_change", args=[figure.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data["value"] = "130000000000000"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "Số quá lớn: không được lớn hơn 1.000.000.000." in response.content.decode()
    figure.refresh_from_db()
    assert figure.value == 100


def test_admin_adds_a_day_off_that_moves_the_deadline_and_lists_the_public_holidays(
    admin_client, db
):
    url = reverse("admin:commitments_calendarday_changelist")
    html = admin_client.get(url, {"date__year": "2022"}).content.decode()
    assert "Ngày lễ, Tết năm 2022 đã được tính sẵn" in html
    assert "01/02/2022 · Tết Nguyên Đán" in html
    response = admin_client.post(
        reverse("admin:commitments_calendarday_add"),
        {"date": "2021-04-09", "kind": "day_off", "note": "Nghỉ bù"},
    )
    assert response.status_code == 302, response.context["adminform"].errors
    assert selectors.completeness.report_deadline(year=2021, quarter=1) == dt.date(2021, 4, 15)
    # One entry a day: a second one for the same date is refused, next to the date.
    response = admin_client.post(
        reverse("admin:commitments_calendarday_add"),
        {"date": "2021-04-09", "kind": "working_day"},
    )
    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors

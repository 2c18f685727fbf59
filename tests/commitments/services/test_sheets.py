"""Signed sheets (``services.sheets``, ``services.targets.sheet_copy``): the built-in
catalogue's sheet, a sheet copied into the next year with its words and deadlines
moved on and to review until confirmed, a department's own sheet, who signed it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from commitments import services
from commitments.models import (
    AuditEntry,
    Commitment,
    Indicator,
    IndicatorDefinition,
    Sheet,
    Status,
    Target,
)
from tests import factories


def dard_2021() -> Sheet:
    return Sheet.objects.get(code="hcmc-dard-2021")


def test_the_catalogue_is_dards_2021_sheet(catalogue):
    sheet = dard_2021()
    assert (sheet.year, sheet.department, sheet.signed_on) == (2021, None, dt.date(2021, 5, 7))
    assert "Giám đốc Sở Nông nghiệp" in sheet.signed_by
    assert sheet.commitments.count() == 9 and sheet.indicators.count() == 21
    on_time = sheet.indicators.get(code="5.1")
    assert on_time.version.definition.code == "on-time-by-field"
    assert (on_time.version.valid_from, on_time.kind) == (2021, "ratio")


def test_copying_into_the_next_year_moves_the_words_and_marks_every_commitment(catalogue, admin):
    sheet = dard_2021()
    copy = services.targets.sheet_copy(sheet=sheet, year=2022, user=admin)

    assert (copy.year, copy.department, copy.copied_from) == (2022, None, sheet)
    commitments = {c.code: c for c in copy.commitments.all()}
    assert len(commitments) == 9 and all(c.to_review for c in commitments.values())
    assert ["copied", {"source": 2021, "year": 2022}] in commitments["1"].review_reasons
    assert "năm 2022" in commitments["1"].name_vi and "01/11/2022" in commitments["1"].name_vi
    assert "2021" not in commitments["1"].name_vi
    lines = {i.code: i for i in copy.indicators.select_related("version")}
    assert lines["4.2"].name_vi == "Tỷ lệ hồ sơ xử lý trực tuyến tăng so với năm 2021"
    assert lines["4.2"].name_en == "Share of dossiers processed online, change on 2021"
    assert lines["8.2"].name_vi.endswith("TCVN ISO 9001:2015")  # not a year of the sheet
    # The short names of the matrix's headers come along, their years moved too.
    assert (lines["4.1"].short_name_vi, lines["4.1"].short_name_en) == ("Hài lòng", "Satisfaction")
    sheet_words = sheet.indicators.get(code="9.1")
    sheet_words.short_name_vi = "Chuyên mục CCHC năm 2021"
    sheet_words.save()
    later = services.targets.sheet_copy(sheet=sheet, year=2023, user=admin)
    assert later.indicators.get(code="9.1").short_name_vi == "Chuyên mục CCHC năm 2023"
    growth = Target.objects.get(indicator=lines["4.2"])
    assert (growth.year, growth.baseline_year, growth.wording) == (
        2022,
        2021,
        "tăng 3% so với năm 2021",
    )
    assert Target.objects.get(indicator=lines["1.1"]).deadline == dt.date(2022, 10, 31)
    # The 2021 sheet is left as it was.
    assert not sheet.commitments.filter(to_review=True).exists()
    assert sheet.indicators.get(code="4.2").name_vi.endswith("năm 2020")


def test_a_copy_uses_the_version_of_a_definition_in_force_in_its_year(catalogue, admin):
    copy = services.targets.sheet_copy(sheet=dard_2021(), year=2026, user=admin)
    procedures = copy.indicators.select_related("version").get(code="4.3")
    # Decree 42/2022: "full or partial online" from 2022 on; 2021 keeps "level 3, 4".
    assert procedures.version.valid_from == 2022
    assert "toàn trình" in procedures.version.name_vi
    assert dard_2021().indicators.get(code="4.3").version.valid_from == 2021
    reasons = copy.commitments.get(code="4").review_reasons
    assert [
        "version",
        {"indicator": "4.3", "definition": "online-procedures-growth", "year": 2022},
    ] in reasons
    assert copy.commitments.get(code="5").review_reasons == [
        ["copied", {"source": 2021, "year": 2026}]
    ]


def test_copying_2026_into_2027_marks_the_sheet_to_review_until_confirmed(catalogue, admin):
    sheet_2026 = services.targets.sheet_copy(sheet=dard_2021(), year=2026, user=admin)
    services.sheets.sheet_confirm(sheet=sheet_2026, user=admin)
    assert not sheet_2026.commitments.filter(to_review=True).exists()

    sheet_2027 = services.targets.sheet_copy(sheet=sheet_2026, year=2027, user=admin)

    assert sheet_2027.commitments.filter(to_review=True).count() == 9
    assert sheet_2027.indicators.get(code="4.2").name_vi.endswith("so với năm 2026")
    growth = Target.objects.get(indicator__sheet=sheet_2027, indicator__code="4.3")
    assert growth.baseline_year == 2026
    first = sheet_2027.commitments.get(code="1")
    assert services.sheets.commitment_confirm(commitment=first, user=admin) is True
    assert services.sheets.commitment_confirm(commitment=first, user=admin) is False
    first.refresh_from_db()
    assert (first.to_review, first.review_reasons) == (False, [])
    assert sheet_2027.commitments.filter(to_review=True).count() == 8
    entry = AuditEntry.objects.filter(subject="sheet", action="confirmed").latest("pk")
    assert (entry.user, entry.year, entry.label) == (admin, 2027, f"{sheet_2027} · 1")


def test_a_department_copies_into_a_year_once(catalogue, admin):
    services.targets.sheet_copy(sheet=dard_2021(), year=2022, user=admin)
    with pytest.raises(services.targets.TargetsCopyRefused, match="2022"):
        services.targets.sheet_copy(sheet=dard_2021(), year=2022, user=admin)
    assert Sheet.objects.filter(year=2022).count() == 1
    assert Target.objects.filter(year=2022).count() == 21


# --- a department's own sheet ---------------------------------------------------------


def _health_sheet(department, *, year=2021) -> Sheet:
    """The Department of Health's own sheet: one commitment, its satisfaction judged on
    the shared definition, 85% or more."""
    sheet = services.sheets.sheet_create(department=department, year=year, signed_by="Giám đốc")
    commitment = Commitment.objects.create(sheet=sheet, code="1", name_vi="Hài lòng từ 85%")
    services.sheets.indicator_add(
        commitment=commitment,
        code="1.1",
        definition=IndicatorDefinition.objects.get(code="satisfaction"),
        name_vi="Mức độ hài lòng",
        quarterly=True,
        target={"threshold": 85, "comparator": ">=", "wording": "từ 85% trở lên"},
    )
    return sheet


def test_a_department_with_its_own_sheet_is_judged_on_it_alone(catalogue):
    dard = factories.department()
    desk = factories.unit("vp", parent=dard, receives_dossiers=True)
    health = factories.unit("soyt", kind="department", name="Sở Y tế")
    clinic = factories.unit("bv", parent=health, receives_dossiers=True)
    for unit in (desk, clinic):
        factories.figure(unit, "survey_responses", 100)
        factories.figure(unit, "survey_satisfied", 88)
    _health_sheet(health)

    services.recompute.statuses_recompute(year=2021)

    mine = Status.objects.filter(unit__in=[health, clinic])
    assert {s.indicator.code for s in mine} == {"1.1"}
    assert mine.get(unit=clinic, quarter=1).status == "met"  # 88% against 85%
    assert mine.get(unit=clinic, quarter=1).version.definition.code == "satisfaction"
    dards = Status.objects.filter(unit__in=[dard, desk])
    assert dards.filter(indicator__code="4.1", unit=desk, quarter=1).get().status == "not_met"
    assert dards.filter(indicator__code="1.1").get(quarter=0).indicator.sheet == dard_2021()


def test_a_sheet_belongs_to_a_department_at_the_top_once_a_year(catalogue, admin):
    health = factories.unit("soyt", kind="department")
    division = factories.unit("soyt-vp", parent=health)
    with pytest.raises(ValidationError) as refused:
        services.sheets.sheet_create(department=division, year=2021)
    assert "department" in refused.value.message_dict
    services.sheets.sheet_create(department=health, year=2021)
    with pytest.raises(ValidationError) as refused:
        services.sheets.sheet_create(department=health, year=2021)
    assert refused.value.message_dict["year"] == [f"{health.label} đã có bản đăng ký năm 2021."]
    with pytest.raises(ValidationError):
        services.sheets.sheet_assign(sheet=dard_2021(), department=health, user=admin)
    assert dard_2021().department is None


def test_giving_the_common_sheet_to_a_department_recomputes_its_year(
    catalogue, admin, django_capture_on_commit_callbacks
):
    department = factories.department()
    with django_capture_on_commit_callbacks() as callbacks:
        services.sheets.sheet_assign(sheet=dard_2021(), department=department, user=admin)
    assert dard_2021().department == department
    assert [c.years for c in callbacks] == [{2021}]
    entry = AuditEntry.objects.get(subject="sheet", action="updated")
    assert entry.changes == [["department", None, "sonn"]]


def test_who_signed_and_the_scanned_document(catalogue, admin, settings):
    sheet = dard_2021()
    scan = SimpleUploadedFile("ban-dang-ky-2021.pdf", b"%PDF-1.7 signed", "application/pdf")
    services.sheets.sheet_sign(
        sheet=sheet, signed_by="Nguyễn Phước Trung", signed_on=dt.date(2021, 5, 7), document=scan
    )
    sheet.refresh_from_db()
    assert (sheet.signed_by, sheet.document_name) == ("Nguyễn Phước Trung", "ban-dang-ky-2021.pdf")
    assert sheet.document.name.startswith("sheets/2021/")
    assert "ban-dang-ky" not in sheet.document.name  # a name no one can guess
    with sheet.document.open("rb") as stored:
        assert stored.read() == b"%PDF-1.7 signed"


def test_a_target_belongs_to_its_sheets_year_and_a_growth_starts_from_the_year_before(
    catalogue,
):
    growth = Indicator.objects.get(sheet=dard_2021(), code="4.2")
    assert services.sheets.target_defaults(indicator=growth, year=2021) == {"baseline_year": 2020}
    ratio = Indicator.objects.get(sheet=dard_2021(), code="5.1")
    assert services.sheets.target_defaults(indicator=ratio, year=2021) == {}
    stray = Target(indicator=ratio, year=2022, threshold=98, comparator=">=")
    with pytest.raises(ValidationError) as refused:
        stray.full_clean(validate_unique=False)
    assert "year" in refused.value.message_dict


def test_an_indicator_added_to_a_sheet_uses_the_version_of_its_year(catalogue):
    health = factories.unit("soyt", kind="department")
    sheet = services.sheets.sheet_create(department=health, year=2026)
    commitment = Commitment.objects.create(sheet=sheet, code="2", name_vi="Thủ tục trực tuyến")
    growth = services.sheets.indicator_add(
        commitment=commitment,
        code="2.1",
        definition=IndicatorDefinition.objects.get(code="online-procedures-growth"),
        name_vi="Thủ tục trực tuyến toàn trình, một phần tăng so với năm 2025",
        target={"threshold": 10, "comparator": ">=", "wording": "tăng 10%"},
    )
    assert growth.indicator.version.valid_from == 2022
    assert (growth.year, growth.baseline_year, growth.indicator.kind) == (
        2026,
        2025,
        "growth_relative",
    )
    with pytest.raises(ValidationError) as refused:
        services.sheets.indicator_add(
            commitment=commitment,
            code="2.2",
            definition=IndicatorDefinition.objects.get(code="satisfaction"),
            name_vi="Hài lòng",
            target={"threshold": 85},  # no comparator
        )
    assert "comparator" in refused.value.message_dict
    assert not Indicator.objects.filter(sheet=sheet, code="2.2").exists()
    early = services.sheets.sheet_create(department=health, year=2019)
    with pytest.raises(ValidationError) as refused:
        services.sheets.indicator_add(
            commitment=Commitment.objects.create(sheet=early, code="1", name_vi="Hài lòng"),
            code="1.1",
            definition=IndicatorDefinition.objects.get(code="satisfaction"),
            name_vi="Hài lòng",
            target={"threshold": 85, "comparator": ">="},
        )
    assert refused.value.message_dict["definition"] == [
        "Định nghĩa này chưa có phiên bản áp dụng năm 2019."
    ]

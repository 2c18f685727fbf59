"""The sheet pages (``views.sheets``) and where the pages warn that a target says
otherwise than its signed words: a director reads their own department's sheet and
not another's (404), an admin confirms, copies and records who signed; the targets
page, the indicator page and the admin warn of a threshold of 93 under words of 91."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments import services
from commitments.models import Indicator, Sheet, Status, Target
from tests import factories


@pytest.fixture
def two_departments(catalogue):
    """DARD (``sonn``) signs the catalogue's 2021 sheet; the Department of Health
    (``soyt``) signs a sheet of its own. A director of each."""
    dard = factories.department()
    health = factories.unit("soyt", kind="department", name="Sở Y tế")
    dard_sheet = Sheet.objects.get(code="hcmc-dard-2021")
    services.sheets.sheet_assign(sheet=dard_sheet, department=dard)
    health_sheet = services.sheets.sheet_create(department=health, year=2021)
    return {
        "dard": dard_sheet,
        "health": health_sheet,
        "dard_director": factories.director("giamdoc", dard),
        "health_director": factories.director("giamdoc-yte", health),
        "dard_staff": factories.staff("chuyenvien", factories.unit("vp", parent=dard)),
    }


def _threshold_93() -> Target:
    target = Target.objects.get(indicator__code="4.1", year=2021)
    target.threshold = 93
    target.save()
    return target


def test_a_director_reads_the_own_sheet_and_not_another_departments(client, two_departments):
    sheets = two_departments
    client.force_login(sheets["health_director"])
    assert client.get(reverse("commitments:sheet", args=[sheets["health"].pk])).status_code == 200
    assert client.get(reverse("commitments:sheet", args=[sheets["dard"].pk])).status_code == 404
    listed = client.get(reverse("commitments:sheets")).context["sheets"]
    assert listed == [sheets["health"]]
    # Nor DARD's indicators: the number is DARD's, the sheet is not theirs.
    url = reverse("commitments:indicator", args=["5.1"])
    assert client.get(url, {"year": 2021}).status_code == 404

    client.force_login(sheets["dard_director"])
    page = client.get(reverse("commitments:sheet", args=[sheets["dard"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "7/05/2021" in html or "07/05/2021" in html
    assert "98% hồ sơ trên từng lĩnh vực" in html
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn trên từng lĩnh vực" in html  # its definition
    assert client.get(reverse("commitments:sheet", args=[sheets["health"].pk])).status_code == 404
    assert client.get(url, {"year": 2021}).status_code == 200
    # Staff of a unit of the department read its sheet too, and may not change it.
    client.force_login(sheets["dard_staff"])
    page = client.get(reverse("commitments:sheet", args=[sheets["dard"].pk]))
    assert page.status_code == 200 and not page.context["may_change"]
    confirm = reverse("commitments:sheet_confirm", args=[sheets["dard"].pk])
    assert client.post(confirm).status_code == 403


def test_the_admin_copies_2026_into_2027_and_confirms_it(client, catalogue, admin):
    sheet_2026 = services.targets.sheet_copy(
        sheet=Sheet.objects.get(code="hcmc-dard-2021"), year=2026, user=admin
    )
    client.force_login(admin)
    page = client.get(reverse("commitments:sheet", args=[sheet_2026.pk]))
    html = page.content.decode()
    assert "năm 2026" in html and "so với năm 2025" in html
    assert "Cần rà soát" in html
    assert "Chỉ tiêu 4.3: định nghĩa của chỉ tiêu có phiên bản mới" in html  # Decree 42/2022

    response = client.post(reverse("commitments:sheet_copy", args=[sheet_2026.pk]), {"year": 2027})
    sheet_2027 = Sheet.objects.get(year=2027)
    assert response.status_code == 302
    assert response["Location"] == reverse("commitments:sheet", args=[sheet_2027.pk])
    assert sheet_2027.commitments.filter(to_review=True).count() == 9
    again = client.post(reverse("commitments:sheet_copy", args=[sheet_2026.pk]), {"year": 2027})
    assert again.status_code == 400
    assert "2027 đã có mục tiêu" in again.content.decode()

    first = sheet_2027.commitments.get(code="1")
    confirm = reverse("commitments:sheet_confirm", args=[sheet_2027.pk])
    client.post(confirm, {"commitment": first.pk})
    assert sheet_2027.commitments.filter(to_review=True).count() == 8
    client.post(confirm)
    assert not sheet_2027.commitments.filter(to_review=True).exists()


def test_the_admin_records_who_signed_and_the_scan_downloads(client, two_departments, admin):
    sheet = two_departments["health"]
    client.force_login(admin)
    url = reverse("commitments:sheet_sign", args=[sheet.pk])
    fake = SimpleUploadedFile("ban-ky.pdf", b"not a pdf", "application/pdf")
    refused = client.post(url, {"signed_by": "Giám đốc Sở Y tế", "document": fake})
    assert refused.status_code == 400
    assert "Nội dung tệp không phải là PDF" in refused.content.decode()
    sheet.refresh_from_db()
    assert sheet.signed_by == "" and not sheet.document

    scan = SimpleUploadedFile("ban-ky.pdf", b"%PDF-1.7 ky", "application/pdf")
    data = {"signed_by": "Giám đốc Sở Y tế", "signed_on": "2021-05-07", "document": scan}
    assert client.post(url, data).status_code == 302
    sheet.refresh_from_db()
    assert (sheet.signed_by, sheet.signed_on) == ("Giám đốc Sở Y tế", dt.date(2021, 5, 7))

    client.force_login(two_departments["health_director"])
    download = client.get(reverse("commitments:sheet_document", args=[sheet.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7 ky"
    assert download["Cache-Control"] == "private, no-store"
    client.force_login(two_departments["dard_director"])
    assert client.get(reverse("commitments:sheet_document", args=[sheet.pk])).status_code == 404


# --- the signed words against the target ------------------------------------------------


def test_the_targets_page_warns_of_93_under_words_of_91(client, catalogue, admin):
    _threshold_93()
    client.force_login(admin)
    html = client.get(reverse("commitments:targets"), {"year": 2021}).content.decode()
    assert "1 mục tiêu có ngưỡng hoặc phép so sánh khác lời văn đã ký" in html
    assert "«từ 91% trở lên» nghĩa là ≥ 91%, nhưng mục tiêu đặt ≥ 93%" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("commitments:targets"), {"year": 2021}).content.decode()
    assert "«từ 91% trở lên» mean ≥ 91%, but the target is ≥ 93%" in html


def test_the_indicator_page_warns_and_names_the_version_of_its_definition(client, catalogue, admin):
    _threshold_93()
    client.force_login(admin)
    html = client.get(reverse("commitments:indicator", args=["4.1"]), {"year": 2021}).content
    html = html.decode()
    assert "nhưng mục tiêu đặt ≥ 93%" in html
    assert "phiên bản áp dụng từ năm 2021" in html
    target = Target.objects.get(indicator__code="4.1", year=2021)
    target.threshold = 91
    target.save()
    html = client.get(reverse("commitments:indicator", args=["4.1"]), {"year": 2021}).content
    assert "mục tiêu đặt" not in html.decode()


def test_the_edit_page_of_a_target_and_the_admin_warn_too(client, catalogue, admin):
    target = _threshold_93()
    client.force_login(admin)
    html = client.get(reverse("commitments:target_edit", args=[target.pk])).content.decode()
    assert "nhưng mục tiêu đặt ≥ 93%" in html
    changelist = client.get(reverse("admin:commitments_target_changelist")).content.decode()
    assert "⚠ từ 91% trở lên" in changelist


def test_statuses_keep_the_version_they_were_computed_with_and_the_page_says_which(
    client, catalogue, admin
):
    department = factories.department()
    desk = factories.unit("vp", parent=department, receives_dossiers=True)
    factories.figure(desk, "survey_responses", 100, year=2024)
    factories.figure(desk, "survey_satisfied", 95, year=2024)
    dard = Sheet.objects.get(code="hcmc-dard-2021")
    services.targets.sheet_copy(sheet=dard, year=2024, user=admin)
    for year in (2021, 2024):
        services.recompute.statuses_recompute(year=year)
    first = Indicator.objects.get(sheet=dard, code="4.1").version
    new, moved = services.definitions.definition_version_add(
        definition=first.definition,
        valid_from=2023,
        measure=services.definitions.measure_of(first),
        name_vi="Mức độ hài lòng (phiếu điện tử và phiếu giấy)",
    )
    assert moved == 1
    client.force_login(admin)
    url = reverse("commitments:indicator", args=["4.1"])
    html = client.get(url, {"year": 2024}).content.decode()
    assert "Mức độ hài lòng (phiếu điện tử và phiếu giấy) — phiên bản áp dụng từ năm 2023" in html
    assert "Trạng thái đang hiển thị được tính theo phiên bản áp dụng từ năm 2021" in html

    for year in (2021, 2024):
        services.recompute.statuses_recompute(year=year)
    assert set(
        Status.objects.filter(year=2024, indicator__code="4.1").values_list("version", flat=True)
    ) == {new.pk}
    assert set(
        Status.objects.filter(year=2021, indicator__code="4.1").values_list("version", flat=True)
    ) == {first.pk}
    html = client.get(url, {"year": 2024}).content.decode()
    assert "Trạng thái đang hiển thị được tính" not in html
    html = client.get(url, {"year": 2021}).content.decode()
    assert "phiên bản áp dụng từ năm 2021" in html

"""The report's evidence through its page: a record with a file or a link, each refusal
next to its field, the file served only to those who may see the report, deletion, and
the recompute it queues."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments import services
from commitments.models import AuditEntry, Evidence, RecomputeState
from tests import factories
from tests.commitments.shortcuts import desk_report, report_url

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _evidence_storage(monkeypatch, tmp_path):
    """Uploaded files go to a folder of the test's own (the field's storage is read
    once, when the model is loaded)."""
    location = tmp_path / "evidence"
    storage = FileSystemStorage(location=str(location), base_url=None)
    monkeypatch.setattr(Evidence._meta.get_field("file"), "storage", storage)
    return location


def _evidence_url(unit_code="vp", year=2021, quarter=2):
    return reverse("commitments:report_evidence_add", args=[unit_code, year, quarter])


def _evidence_post(client, upload=None, **fields):
    data = {
        "evidence-kind": "inspection_surprise",
        "evidence-date": "2021-05-07",
        "evidence-subject_unit": "ptt",
        "evidence-reference": "12/BB-KT",
        "evidence-title": "Kiểm tra đột xuất Phòng Trồng trọt",
        "evidence-link": "",
        **{f"evidence-{k}": v for k, v in fields.items()},
    }
    if upload is not None:
        data["evidence-file"] = upload
    return client.post(_evidence_url(), data)


def _pdf(name="bien-ban.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_staff_add_an_inspection_with_its_pdf(client, staff, units, _evidence_storage):
    client.force_login(staff)
    response = _evidence_post(client, _pdf())
    assert response.status_code == 302
    record = Evidence.objects.get()
    assert (record.unit, record.kind, record.subject_unit) == (
        units["desk"],
        "inspection_surprise",
        units["other"],
    )
    assert record.file_name == "bien-ban.pdf"
    assert record.created_by == staff
    # Stored outside static/, under a name that is not the uploaded one.
    stored = _evidence_storage / record.file.name
    assert stored.read_bytes() == PDF
    assert "bien-ban" not in record.file.name
    page = client.get(report_url()).content.decode()
    assert "12/BB-KT" in page
    assert reverse("commitments:evidence_file", args=[record.pk]) in page


def test_a_link_instead_of_a_file_is_enough(client, staff, units):
    client.force_login(staff)
    response = _evidence_post(
        client, kind="dialogue", subject_unit="", link="https://sonongnghiep.hochiminhcity.gov.vn/a"
    )
    assert response.status_code == 302
    assert Evidence.objects.get().link == "https://sonongnghiep.hochiminhcity.gov.vn/a"


@pytest.mark.parametrize(
    ("fields", "upload", "field", "message"),
    [
        ({}, None, "file", "Đính kèm tệp hoặc ghi đường dẫn"),
        ({}, ("script.exe", b"MZ\x90\x00"), "file", "Chỉ nhận tệp PDF"),
        ({}, ("gia-mao.pdf", b"<html>not a pdf</html>"), "file", "không phải là PDF"),
        ({}, ("anh.png", PDF), "file", "không phải là PNG"),
        ({"date": "2021-08-01"}, ("a.pdf", PDF), "date", "Ngày phải trong quý 2/2021"),
        ({"date": "07-05-2021x"}, ("a.pdf", PDF), "date", "Nhập một ngày hợp lệ"),
        ({"subject_unit": ""}, ("a.pdf", PDF), "subject_unit", "phải nêu đơn vị được kiểm tra"),
        ({"kind": "dialogue"}, ("a.pdf", PDF), "subject_unit", "Chỉ biên bản kiểm tra"),
        ({"reference": ""}, ("a.pdf", PDF), "reference", "bắt buộc"),
    ],
)
def test_bad_evidence_is_refused_next_to_its_field_and_nothing_is_written(
    client, staff, units, _evidence_storage, fields, upload, field, message
):
    client.force_login(staff)
    upload = SimpleUploadedFile(*upload) if upload else None
    response = _evidence_post(client, upload, **fields)
    assert response.status_code == 200
    form = response.context["evidence_form"]
    assert message in " ".join(form.errors[field])
    # What was typed stays on the page.
    assert 'value="12/BB-KT"' in response.content.decode() or field == "reference"
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.filter(subject=AuditEntry.Subject.EVIDENCE).exists()
    assert not _evidence_storage.exists() or not any(_evidence_storage.rglob("*.*"))


def test_a_file_over_the_limit_is_refused(client, staff, units, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    client.force_login(staff)
    response = _evidence_post(client, _pdf(content=PDF + b"0" * 2000))
    assert response.status_code == 200
    assert "lớn hơn" in " ".join(response.context["evidence_form"].errors["file"])
    assert not Evidence.objects.exists()


def test_the_same_record_twice_is_refused_and_its_file_not_kept(
    client, staff, units, _evidence_storage
):
    client.force_login(staff)
    _evidence_post(client, _pdf())
    response = _evidence_post(client, _pdf("lan-hai.pdf"))
    assert response.status_code == 200
    assert "đã có" in " ".join(response.context["evidence_form"].errors["reference"])
    assert Evidence.objects.count() == 1
    assert len([p for p in _evidence_storage.rglob("*") if p.is_file()]) == 1


def test_evidence_cannot_be_added_once_submitted(client, staff, units):
    services.reports.report_submit(report=desk_report(units), user=staff)
    client.force_login(staff)
    response = _evidence_post(client, _pdf())
    assert response.status_code == 200
    assert "Đã gửi" in " ".join(response.context["evidence_form"].non_field_errors())
    assert not Evidence.objects.exists()


def test_director_and_outsiders_cannot_add_evidence(client, director, units):
    outsider = factories.staff("khac", units["other"])
    client.force_login(director)
    assert _evidence_post(client, _pdf()).status_code == 403
    client.force_login(outsider)
    assert _evidence_post(client, _pdf()).status_code == 404
    assert not Evidence.objects.exists()


def test_the_file_is_served_only_to_those_who_may_see_the_report(client, staff, director, units):
    client.force_login(staff)
    _evidence_post(client, _pdf())
    record = Evidence.objects.get()
    url = reverse("commitments:evidence_file", args=[record.pk])
    for user in (staff, director):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert 'attachment; filename="bien-ban.pdf"' in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"]
    outsider = factories.staff("khac", units["other"])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_deleting_evidence_removes_its_file_after_commit(
    client, staff, units, _evidence_storage, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    _evidence_post(client, _pdf())
    record = Evidence.objects.get()
    stored = _evidence_storage / record.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("commitments:report_evidence_delete", args=["vp", 2021, 2, record.pk])
        )
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert not stored.exists()
    deleted = AuditEntry.objects.get(action=AuditEntry.Action.DELETED)
    assert deleted.user == staff
    assert ["file", "bien-ban.pdf", None] in deleted.changes


def test_evidence_of_another_quarter_cannot_be_deleted_from_this_one(client, staff, units):
    record = Evidence.objects.create(
        unit=units["desk"], kind="dialogue", date=dt.date(2021, 8, 1), reference="x"
    )
    client.force_login(staff)
    client.post(reverse("commitments:report_evidence_delete", args=["vp", 2021, 2, record.pk]))
    assert Evidence.objects.filter(pk=record.pk).exists()


def test_adding_evidence_queues_the_recompute(
    client, staff, units, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _evidence_post(client, _pdf())
    assert callbacks
    assert RecomputeState.objects.get(year=2021).computed_at is not None

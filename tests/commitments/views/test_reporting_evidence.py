# ruff: noqa: F811  (the report fixtures are imported from views/test_reporting)
"""The parts of a quarterly report beside its figures: evidence with a file or a link,
the plan tasks and milestones checklist, clearing a figure, and the history that
records every change (who, when, old and new)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments import selectors, services
from commitments.models import (
    AuditEntry,
    Evidence,
    Membership,
    Milestone,
    PlanTask,
    QuarterlyReport,
    RecomputeState,
)
from tests.commitments.views.test_reporting import (  # noqa: F401  (fixtures)
    _figures,
    _post,
    _report,
    _url,
    _user,
    admin,
    director,
    staff,
    units,
)

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


# --- evidence --------------------------------------------------------------------


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
    page = client.get(_url()).content.decode()
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
    services.reports.report_submit(report=_report(units), user=staff)
    client.force_login(staff)
    response = _evidence_post(client, _pdf())
    assert response.status_code == 200
    assert "Đã gửi" in " ".join(response.context["evidence_form"].non_field_errors())
    assert not Evidence.objects.exists()


def test_director_and_outsiders_cannot_add_evidence(client, director, django_user_model, units):
    outsider = _user(django_user_model, "khac", units["other"], Membership.Role.STAFF)
    client.force_login(director)
    assert _evidence_post(client, _pdf()).status_code == 403
    client.force_login(outsider)
    assert _evidence_post(client, _pdf()).status_code == 404
    assert not Evidence.objects.exists()


def test_the_file_is_served_only_to_those_who_may_see_the_report(
    client, staff, director, django_user_model, units
):
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
    outsider = _user(django_user_model, "khac", units["other"], Membership.Role.STAFF)
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


# --- plan tasks and milestones ---------------------------------------------------


@pytest.fixture
def plan(units, catalogue):
    from commitments.models import Indicator

    task = PlanTask.objects.create(
        unit=units["desk"],
        year=2021,
        code="KH-01",
        title="Ban hành kế hoạch CCHC",
        due_on=dt.date(2021, 3, 31),
    )
    milestone = Milestone.objects.create(
        indicator=Indicator.objects.get(code="2.2"), unit=units["desk"], year=2021, title="ISO"
    )
    return task, milestone


def test_staff_tick_a_task_with_its_evidence_and_it_is_recorded(client, staff, plan):
    task, milestone = plan
    client.force_login(staff)
    response = client.post(
        reverse("commitments:report_plan", args=["vp", 2021, 2]),
        {
            f"task-{task.pk}-done": "2021-03-25",
            f"task-{task.pk}-evidence": "KH 12/KH-SNN",
            f"milestone-{milestone.pk}-done": "",
            f"milestone-{milestone.pk}-evidence": "",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.done_on, task.evidence_reference) == (dt.date(2021, 3, 25), "KH 12/KH-SNN")
    entry = AuditEntry.objects.get(subject=AuditEntry.Subject.PLAN_TASK)
    assert entry.user == staff
    assert entry.changes == [
        ["done_on", None, "2021-03-25"],
        ["evidence_reference", None, "KH 12/KH-SNN"],
    ]
    page = client.get(_url()).content.decode()
    assert "KH-01" in page and 'value="2021-03-25"' in page


@pytest.mark.parametrize(
    ("done", "evidence", "field", "message"),
    [
        ("2021-03-25", "", "evidence", "Ghi minh chứng"),
        ("2020-12-30", "x", "done", "trong năm 2021"),
        ("2099-01-01", "x", "done", "Ngày chưa đến"),
        ("25/03/2021x", "x", "done", "Ngày không hợp lệ"),
    ],
)
def test_a_bad_tick_is_refused_next_to_its_field(
    client, staff, plan, done, evidence, field, message
):
    task, milestone = plan
    client.force_login(staff)
    response = client.post(
        reverse("commitments:report_plan", args=["vp", 2021, 2]),
        {
            f"task-{task.pk}-done": done,
            f"task-{task.pk}-evidence": evidence,
            f"milestone-{milestone.pk}-done": "2021-04-02",
            f"milestone-{milestone.pk}-evidence": "QĐ 5/QĐ-SNN",
        },
    )
    assert response.status_code == 200
    row = next(r for r in response.context["tasks"] if r["item"] == task)
    assert message in row[f"{field}_error"]
    assert row["done"] == done  # what was typed is kept
    # All or nothing: the valid milestone was not saved either.
    milestone.refresh_from_db()
    task.refresh_from_db()
    assert milestone.done_on is None and task.done_on is None
    assert not AuditEntry.objects.filter(subject=AuditEntry.Subject.MILESTONE).exists()


def test_a_task_of_another_unit_cannot_be_ticked(client, staff, units, plan):
    foreign = PlanTask.objects.create(unit=units["other"], year=2021, code="X", title="x")
    client.force_login(staff)
    response = client.post(
        reverse("commitments:report_plan", args=["vp", 2021, 2]),
        {f"task-{foreign.pk}-done": "2021-03-01", f"task-{foreign.pk}-evidence": "y"},
    )
    assert response.status_code == 200
    foreign.refresh_from_db()
    assert foreign.done_on is None


def test_the_checklist_is_read_only_for_the_director(client, director, plan):
    task, _milestone = plan
    client.force_login(director)
    page = client.get(_url()).content.decode()
    assert f'name="task-{task.pk}-done"' in page and "disabled" in page
    response = client.post(
        reverse("commitments:report_plan", args=["vp", 2021, 2]),
        {f"task-{task.pk}-done": "2021-03-25", f"task-{task.pk}-evidence": "x"},
    )
    assert response.status_code == 403


# --- clearing a figure, opening writes nothing -----------------------------------


def test_opening_a_report_writes_nothing(client, staff, units):
    client.force_login(staff)
    assert client.get(_url()).status_code == 200
    assert not QuarterlyReport.objects.exists()


def test_an_emptied_field_removes_the_stored_figure(client, staff, units):
    client.force_login(staff)
    _post(client, "save", dossiers_received__land="120", dossiers_resolved__land="100")
    assert _figures(units)["dossiers_received"] == 120
    version = QuarterlyReport.objects.get().version
    response = _post(
        client, "save", version, dossiers_received__land="", dossiers_resolved__land="100"
    )
    assert response.status_code == 302
    assert "dossiers_received" not in _figures(units)
    cleared = AuditEntry.objects.filter(subject=AuditEntry.Subject.FIGURES).first()
    assert cleared.changes == [["dossiers_received/land", "120", None]]


def test_a_field_missing_from_the_form_is_left_alone(client, staff, units):
    client.force_login(staff)
    _post(client, "save", dossiers_received__land="120")
    _post(client, "save", 1, dossiers_resolved__land="100")
    assert _figures(units)["dossiers_received"] == 120


def test_clearing_a_bound_that_another_figure_needs_is_refused(client, staff, units):
    client.force_login(staff)
    _post(client, "save", dossiers_resolved__land="100", dossiers_on_time__land="90")
    response = _post(client, "save", 1, dossiers_resolved__land="", dossiers_on_time__land="90")
    assert response.status_code == 200
    assert "Hồ sơ đã giải quyết (0)" in " ".join(response.context["errors"].values())
    assert _figures(units)["dossiers_resolved"] == 100


# --- the history -----------------------------------------------------------------


def test_every_change_of_a_report_is_in_its_history(client, staff, director, admin, units):
    client.force_login(staff)
    _post(client, "save", dossiers_resolved__land="100")
    _post(client, "submit", 1, dossiers_resolved__land="110")
    client.force_login(director)
    _post(client, "return", comment="Số hồ sơ đúng hạn chưa khớp sổ theo dõi.")
    client.force_login(staff)
    _post(client, "submit", 4, dossiers_resolved__land="110")
    client.force_login(director)
    _post(client, "approve")
    client.force_login(admin)
    _post(client, "reopen", reason="Sai số liệu đầu tư, Văn phòng đề nghị mở lại.")

    entries = list(AuditEntry.objects.filter(unit=units["desk"], year=2021, quarter=2))
    actions = [(e.subject, e.action, e.user.username) for e in reversed(entries)]
    assert actions == [
        ("figures", "updated", "chuyenvien"),
        ("figures", "updated", "chuyenvien"),
        ("report", "submitted", "chuyenvien"),
        ("report", "returned", "giamdoc"),
        ("report", "submitted", "chuyenvien"),
        ("report", "approved", "giamdoc"),
        ("report", "reopened", "quantri"),
    ]
    assert entries[-2].changes == [["dossiers_resolved/land", "100", "110"]]
    returned = next(e for e in entries if e.action == "returned")
    assert returned.note == "Số hồ sơ đúng hạn chưa khớp sổ theo dõi."
    assert returned.changes == [["state", "submitted", "returned"]]

    page = client.get(_url()).content.decode()
    assert "Lịch sử thay đổi" in page
    assert "Sai số liệu đầu tư" in page
    assert "Hồ sơ đã giải quyết · Đất đai" in page  # the figure's name, not its code
    assert "<del>100</del>" in page and "<ins>110</ins>" in page
    assert "Bị trả lại" in page  # states by their names


def test_an_import_is_one_change_per_report_with_the_file_name(units, write_file):
    path = write_file(
        "so-lieu-quy-2.csv",
        "year,quarter,unit,element,category,value\n"
        "2021,2,vp,dossiers_received,land,50\n"
        "2021,2,vp,dossiers_resolved,land,40\n"
        "2021,2,ptt,dossiers_received,land,7\n",
    )
    services.imports.figures_import(path=path)
    entries = AuditEntry.objects.filter(subject=AuditEntry.Subject.FIGURES, year=2021, quarter=2)
    assert entries.count() == 2  # one per unit's report
    assert {e.label for e in entries} == {"so-lieu-quy-2.csv"}
    assert {e.action for e in entries} == {AuditEntry.Action.IMPORTED}
    assert len({e.batch for e in entries}) == 1
    desk = entries.get(unit=units["desk"])
    assert sorted(desk.changes) == [
        ["dossiers_received/land", None, "50"],
        ["dossiers_resolved/land", None, "40"],
    ]
    # A second import of the same file changes nothing and records nothing.
    services.imports.figures_import(path=path)
    assert AuditEntry.objects.filter(subject=AuditEntry.Subject.FIGURES).count() == 2


def test_an_evidence_import_is_recorded_with_its_file_name(units, write_file):
    path = write_file(
        "minh-chung.csv",
        "date,unit,kind,subject_unit,reference,title\n"
        "2021-05-07,vp,dialogue,,15/BC-VP,Đối thoại doanh nghiệp\n",
    )
    services.imports.evidence_import(path=path)
    entry = AuditEntry.objects.get(subject=AuditEntry.Subject.EVIDENCE)
    assert (entry.unit, entry.quarter, entry.label) == (units["desk"], 2, "minh-chung.csv")


def test_the_report_page_reads_in_a_constant_number_of_queries(client, staff, units):
    client.force_login(staff)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(_url()).status_code == 200
        return len(context)

    for n in range(3):
        _post(client, "save", n, dossiers_resolved__land=str(100 + n))
    few = queries()
    for n in range(3, 30):
        _post(client, "save", n, dossiers_resolved__land=str(100 + n))
    Evidence.objects.bulk_create(
        Evidence(unit=units["desk"], kind="dialogue", date=dt.date(2021, 5, d), reference=str(d))
        for d in range(1, 29)
    )
    assert queries() == few <= 25


def test_history_selector_names_fields_in_english_too(units, staff, settings):
    from django.utils import translation

    services.reports.report_save(
        report=_report(units), values={("dossiers_resolved", "land"): "100"}, version=0, user=staff
    )
    with translation.override("en"):
        line = selectors.reports.report_history(unit=units["desk"], year=2021, quarter=2)[0]
    assert line.changes[0][0].startswith("Dossiers resolved")


# --- the staff's list of reports -------------------------------------------------


def test_staff_see_their_units_reports_of_the_last_four_quarters(client, staff, units):
    from django.utils import timezone

    from commitments import engine

    today = timezone.localdate()
    quarter = engine.quarter_of(today)
    services.reports.report_submit(
        report=selectors.reports.report_for(unit=units["desk"], year=today.year, quarter=quarter),
        user=staff,
    )
    client.force_login(staff)
    response = client.get(reverse("commitments:my_reports"))
    assert response.status_code == 200
    slots = response.context["slots"]
    assert len(slots) == 4
    assert {s.unit for s in slots} == {units["desk"]}
    assert (slots[0].year, slots[0].quarter, slots[0].state) == (today.year, quarter, "submitted")
    assert all(s.state == "not_started" for s in slots[1:])
    html = response.content.decode()
    assert reverse("commitments:quarterly_report", args=["vp", today.year, quarter]) in html
    assert "ptt" not in html  # another unit's reports are not listed


def test_a_director_without_staff_units_is_pointed_to_the_completeness_page(client, director):
    client.force_login(director)
    response = client.get(reverse("commitments:my_reports"))
    assert response.context["slots"] == []
    assert reverse("commitments:completeness") in response.content.decode()


def test_a_quarter_that_has_not_begun_cannot_be_reported(client, staff, units):
    from django.utils import timezone

    client.force_login(staff)
    next_year = timezone.localdate().year + 1
    assert client.get(_url(year=next_year, quarter=1)).status_code == 404
    assert _post(client, "save", 0, dossiers_resolved__land="1").status_code == 302
    response = client.post(_url(year=next_year, quarter=1), {"action": "save", "version": "0"})
    assert response.status_code == 404


def test_units_are_named_in_the_readers_language(client, staff, units):
    units["desk"].name_en = "Office (one-stop desk)"
    units["desk"].save()
    client.force_login(staff)
    assert "Office (one-stop desk)" not in client.get(_url()).content.decode()
    client.cookies["django_language"] = "en"
    html = client.get(_url()).content.decode()
    assert "Office (one-stop desk)" in html
    assert (
        "Office (one-stop desk)" in client.get(reverse("commitments:my_reports")).content.decode()
    )

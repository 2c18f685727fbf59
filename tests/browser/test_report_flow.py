"""The whole quarterly reporting flow in a real browser, in Vietnamese and in English:
a member of staff fills the quarter, an invalid value is caught, an inspection record
is added with its file, the report is submitted; the director returns it with a
comment; the staff fix and resubmit; the director approves; the statuses show the new
values and the report's history holds every step."""

from __future__ import annotations

import pytest
from django.utils import timezone

from commitments import engine
from commitments.demo import demo_load
from commitments.models import AuditEntry, Evidence, QuarterlyReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

WORDS = {
    "vi": {
        "save": "Lưu nháp",
        "submit": "Lưu và gửi lãnh đạo",
        "add_evidence": "Thêm minh chứng",
        "return": "Trả lại",
        "approve": "Duyệt",
        "rule": "không được lớn hơn",
        "saved": "Đã lưu báo cáo",
        "submitted": "Đã gửi",
        "returned": "Bị trả lại",
        "approved": "Đã duyệt",
        "history": "Lịch sử thay đổi",
        "met": "Đạt",
    },
    "en": {
        "save": "Save draft",
        "submit": "Save and submit to the director",
        "add_evidence": "Add evidence",
        "return": "Return",
        "approve": "Approve",
        "rule": "cannot exceed",
        "saved": "Report saved",
        "submitted": "Submitted",
        "returned": "Returned",
        "approved": "Approved",
        "history": "History of changes",
        "met": "Met",
    },
}


def _actor(browser, live_server, username: str, language: str):
    """A browser of its own for one person, logged in, in their language."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    if language == "en":
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page, violations


@pytest.mark.parametrize("language", ["vi", "en"])
def test_staff_director_staff_director_flow(browser, live_server, screenshot, language, tmp_path):
    words = WORDS[language]
    demo_load()
    today = timezone.localdate()
    year, quarter = today.year, engine.quarter_of(today)
    report_path = f"/report/sonn-vp/{year}/{quarter}/"

    # Staff: from the menu to this quarter's report.
    staff_context, staff, staff_csp = _actor(browser, live_server, "demo-staff", language)
    staff.click("header nav a[href='/report/']")
    staff.click(f"a[href='{report_path}']")
    staff.wait_for_url(f"**{report_path}")
    assert staff.locator("html").get_attribute("lang") == language
    _staff_fixes_a_refused_value_and_saves(staff, words, screenshot, language, year, quarter)
    _staff_adds_an_inspection_and_submits(staff, words, screenshot, language, today, tmp_path)

    # Director: returns it with a comment.
    director_context, director, director_csp = _actor(
        browser, live_server, "demo-director", language
    )
    director.goto(f"{live_server.url}{report_path}")
    director.fill("#id_comment", "Số hồ sơ đúng hạn lĩnh vực đất đai chưa khớp sổ theo dõi.")
    director.click("button[value=return]")
    director.wait_for_selector(".message.success")
    assert words["returned"] in director.locator(".badge").first.inner_text()

    # Staff: sees the comment, fixes and resubmits.
    staff.reload()
    assert "chưa khớp sổ theo dõi" in staff.locator(".report-comment").inner_text()
    staff.fill("#id_dossiers_on_time__land", "98")
    screenshot(staff, f"report-returned-{language}")
    staff.click("button[value=submit]")
    staff.wait_for_selector(".message.success")

    _director_approves_and_sees_the_status(
        director, live_server, words, screenshot, language, year, quarter
    )
    _the_audit_holds_the_seven_steps(year, quarter)
    assert staff_csp == [] and director_csp == []
    staff_context.close()
    director_context.close()


def _staff_fixes_a_refused_value_and_saves(staff, words, screenshot, language, year, quarter):
    # One invalid value: more dossiers on time than resolved. It is caught and named
    # next to its field; nothing is stored.
    staff.fill("#id_dossiers_received__land", "120")
    staff.fill("#id_dossiers_resolved__land", "100")
    staff.fill("#id_dossiers_on_time__land", "130")
    staff.click("button[value=save]")
    on_time_cell = staff.locator("td", has=staff.locator("#id_dossiers_on_time__land"))
    assert words["rule"] in on_time_cell.inner_text()
    assert staff.locator("#id_dossiers_on_time__land").get_attribute("aria-invalid") == "true"
    screenshot(staff, f"report-invalid-{language}")
    assert not QuarterlyReport.objects.filter(
        unit__code="sonn-vp", year=year, quarter=quarter
    ).exists()

    # Fixed, saved as a draft.
    staff.fill("#id_dossiers_on_time__land", "90")
    staff.click("button[value=save]")
    staff.wait_for_selector(".message.success")
    assert words["saved"] in staff.locator(".message.success").inner_text()
    assert staff.locator("#id_dossiers_on_time__land").input_value() == "90"


def _staff_adds_an_inspection_and_submits(staff, words, screenshot, language, today, tmp_path):
    # An inspection record with its scanned minutes.
    scan = tmp_path / "bien-ban-kiem-tra.pdf"
    scan.write_bytes(PDF)
    staff.select_option("#id_evidence-kind", "inspection_surprise")
    staff.fill("#id_evidence-date", today.isoformat())
    staff.select_option("#id_evidence-subject_unit", "sonn-ttra")
    staff.fill("#id_evidence-reference", "45/BB-KTCV")
    staff.fill("#id_evidence-title", "Kiểm tra đột xuất việc thực hiện quy chế văn hóa công sở")
    staff.set_input_files("#id_evidence-file", str(scan))
    staff.click(f"button:has-text('{words['add_evidence']}') >> nth=-1")
    staff.wait_for_selector("#evidence a:has-text('bien-ban-kiem-tra.pdf')")
    with staff.expect_download() as download:
        staff.click("#evidence a:has-text('bien-ban-kiem-tra.pdf')")
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert saved.read_bytes() == PDF

    staff.click("button[value=submit]")
    staff.wait_for_selector(".message.success")
    assert words["submitted"] in staff.locator(".badge").first.inner_text()
    assert staff.locator("#id_dossiers_on_time__land").is_disabled()
    screenshot(staff, f"report-submitted-{language}")


def _director_approves_and_sees_the_status(
    director, live_server, words, screenshot, language, year, quarter
):
    # Director: approves; the statuses are recomputed with the new values.
    director.reload()
    director.click("button[value=approve]")
    director.wait_for_selector(".message.success")
    assert words["approved"] in director.locator(".badge").first.inner_text()
    history = director.locator("#history")
    assert words["history"] in history.inner_text()
    screenshot(director, f"report-approved-{language}")

    director.goto(f"{live_server.url}/indicators/5.1/?year={year}&quarter={quarter}")
    desk = director.locator("tr", has_text="sonn-vp").first
    assert "98%" in desk.inner_text()
    assert words["met"] in desk.inner_text()
    screenshot(director, f"indicator-5.1-after-approval-{language}")


def _the_audit_holds_the_seven_steps(year, quarter):
    report = QuarterlyReport.objects.get(unit__code="sonn-vp", year=year, quarter=quarter)
    assert report.state == QuarterlyReport.State.APPROVED
    assert Evidence.objects.get(reference="45/BB-KTCV").file_name == "bien-ban-kiem-tra.pdf"
    steps = [
        (e.subject, e.action, e.user.username)
        for e in AuditEntry.objects.filter(unit=report.unit, year=year, quarter=quarter)
        .exclude(user=None)
        .order_by("at", "pk")
    ]
    assert steps == [
        ("figures", "updated", "demo-staff"),
        ("evidence", "created", "demo-staff"),
        ("report", "submitted", "demo-staff"),
        ("report", "returned", "demo-director"),
        ("figures", "updated", "demo-staff"),
        ("report", "submitted", "demo-staff"),
        ("report", "approved", "demo-director"),
    ]

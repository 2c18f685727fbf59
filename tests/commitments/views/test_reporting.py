"""The quarterly report page: who may open it and do what, saving figures all or nothing
with every refusal next to its field, optimistic locking, the review states, clearing a
figure, the history that records every change, and the staff's list of reports.

The desk's report and its people are conftest.py's ``units``, ``staff``, ``director``
and ``admin``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commitments import selectors, services
from commitments.models import AuditEntry, DataElement, Evidence, QuarterlyReport, ValidationRule
from tests import factories
from tests.commitments.shortcuts import desk_figures, desk_report, report_post, report_url

# --- who may see and do what -------------------------------------------------------------


def test_anonymous_goes_to_log_in(client, units):
    response = client.get(report_url())
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_staff_of_the_unit_sees_the_form(client, staff):
    client.force_login(staff)
    response = client.get(report_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="dossiers_resolved__land"' in html
    assert 'name="version" value="0"' in html
    assert 'value="save"' in html
    assert 'value="approve"' not in html


def test_staff_of_another_unit_and_plain_users_get_404(client, units):
    outsider = factories.staff("khac", units["other"])
    plain = factories.user("nguoidung")
    for user in (outsider, plain):
        client.force_login(user)
        assert client.get(report_url()).status_code == 404
        assert report_post(client, "save", dossiers_resolved__land="5").status_code == 404
    assert not desk_figures(units)


def test_staff_of_a_parent_unit_is_not_a_reviewer(client, units):
    parent_staff = factories.staff("sostaff", units["department"])
    client.force_login(parent_staff)
    assert client.get(report_url()).status_code == 404


def test_unknown_unit_is_404(client, admin):
    client.force_login(admin)
    assert client.get(report_url("khong-co")).status_code == 404


def test_staff_cannot_approve_and_director_cannot_save(client, staff, director, units):
    report = desk_report(units)
    services.reports.report_submit(report=report, user=staff)
    client.force_login(staff)
    assert report_post(client, "approve").status_code == 403
    report.refresh_from_db()
    assert report.state == QuarterlyReport.State.SUBMITTED
    client.force_login(director)
    assert client.get(report_url()).status_code == 200
    assert (
        report_post(client, "save", version=report.version, dossiers_received__land="5").status_code
        == 403
    )
    assert not desk_figures(units)


def test_director_of_the_department_approves(client, staff, director, units):
    report = desk_report(units)
    services.reports.report_submit(report=report, user=staff)
    client.force_login(director)
    assert 'value="approve"' in client.get(report_url()).content.decode()
    response = report_post(client, "approve")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == QuarterlyReport.State.APPROVED
    assert report.decided_by == director


def test_director_returns_with_a_comment(client, staff, director, units):
    report = desk_report(units)
    services.reports.report_submit(report=report, user=staff)
    client.force_login(director)
    response = report_post(client, "return", comment="")
    assert response.status_code == 200
    assert "Hãy ghi lý do trả lại báo cáo." in response.content.decode()
    report.refresh_from_db()
    assert report.state == QuarterlyReport.State.SUBMITTED
    response = report_post(client, "return", comment="Thiếu số liệu lĩnh vực đất đai")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == QuarterlyReport.State.RETURNED
    assert report.comment == "Thiếu số liệu lĩnh vực đất đai"
    # Returned: the staff may edit again.
    client.force_login(staff)
    html = client.get(report_url()).content.decode()
    assert "Thiếu số liệu lĩnh vực đất đai" in html
    assert 'value="save"' in html


def test_an_approved_report_is_read_only(client, staff, director, units):
    report = desk_report(units)
    services.reports.report_save(report=report, values={("docs_issued", None): "7"}, version=0)
    services.reports.report_submit(report=report, user=staff)
    services.reports.report_approve(report=report, user=director)
    client.force_login(staff)
    html = client.get(report_url()).content.decode()
    assert 'value="save"' not in html
    assert "disabled" in html
    response = report_post(client, "save", version=report.version, docs_issued="9")
    assert "không thể sửa số liệu" in response.content.decode()
    assert desk_figures(units) == {"docs_issued": 7}
    with pytest.raises(services.reports.ReportRefused):
        services.reports.report_save(
            report=report, values={("docs_issued", None): "9"}, version=report.version
        )
    assert desk_figures(units) == {"docs_issued": 7}


def test_only_an_admin_reopens_with_a_reason(client, staff, director, admin, units):
    report = desk_report(units)
    services.reports.report_submit(report=report, user=staff)
    services.reports.report_approve(report=report, user=director)
    with pytest.raises(services.reports.ReportRefused):
        services.reports.report_reopen(report=report, user=director, reason="Sai số liệu")
    client.force_login(admin)
    response = report_post(client, "reopen", reason=" ")
    assert "Hãy ghi lý do mở lại báo cáo." in response.content.decode()
    assert report_post(client, "reopen", reason="Sai số liệu").status_code == 302
    report.refresh_from_db()
    assert report.state == QuarterlyReport.State.DRAFT
    assert report.comment == "Sai số liệu"


def test_the_unit_page_links_to_the_report_for_its_staff_only(client, staff, units):
    client.force_login(staff)
    url = reverse("commitments:unit", args=["vp"]) + "?year=2021&quarter=2"
    assert report_url() in client.get(url).content.decode()
    client.force_login(factories.user("nguoidung"))
    assert report_url() not in client.get(url).content.decode()


# --- saving ------------------------------------------------------------------------------


def test_save_writes_figures_and_queues_a_recompute(
    client, staff, units, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks() as callbacks:
        response = report_post(
            client,
            "save",
            dossiers_resolved__land="50",
            dossiers_on_time__land="49",
            epayment_applied="1",
        )
    assert response.status_code == 302
    assert desk_figures(units) == {
        "dossiers_resolved": 50,
        "dossiers_on_time": 49,
        "epayment_applied": 1,
    }
    assert len(callbacks) == 1
    assert callbacks[0].years == {2021}
    report = desk_report(units)
    assert report.version == 1
    assert report.state == QuarterlyReport.State.DRAFT


def test_staff_submits(client, staff, units):
    client.force_login(staff)
    response = report_post(client, "submit", dossiers_resolved__land="50")
    assert response.status_code == 302
    report = desk_report(units)
    assert report.state == QuarterlyReport.State.SUBMITTED
    assert report.submitted_by == staff
    assert desk_figures(units) == {"dossiers_resolved": 50}


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("dossiers_received__land", "-3", "Nhập một số nguyên từ 0 trở lên."),
        ("dossiers_received__land", "abc", "Nhập một số nguyên từ 0 trở lên."),
        ("epayment_applied", "2", "Chỉ nhập 0 (chưa) hoặc 1 (có)."),
        ("dossiers_on_time__land", "60", "không được lớn hơn"),
    ],
)
def test_a_bad_value_is_refused_next_to_its_field(client, staff, units, field, typed, message):
    client.force_login(staff)
    values = {
        "dossiers_resolved__land": "50",
        "dossiers_on_time__land": "40",
        "docs_issued": "12",
        field: typed,
    }
    response = report_post(client, "save", **values)
    assert response.status_code == 200
    html = response.content.decode()
    # The message sits in the error right after the field's own input.
    after_input = html.split(f'name="{field}"', 1)[1].split("</td>", 1)[0]
    assert message in after_input
    assert f'id="err_{field}"' in after_input
    # What was typed stays on the page, and nothing is written.
    assert f'value="{typed}"' in after_input
    assert 'name="docs_issued" value="12"' in html
    assert not desk_figures(units)
    assert desk_report(units).version == 0


def test_a_bad_value_is_refused_in_english(client, staff, units):
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    response = report_post(client, "save", dossiers_received__land="abc")
    html = response.content.decode()
    assert "Enter a whole number of 0 or more." in html
    assert "Nhập một số nguyên" not in html


def test_a_stale_version_is_refused(client, staff, units):
    report = desk_report(units)
    services.reports.report_save(
        report=report, values={("docs_issued", None): "7"}, version=0, user=staff
    )
    client.force_login(staff)
    response = report_post(client, "save", version=0, docs_issued="9", dossiers_resolved__land="5")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Người khác đã lưu báo cáo này" in html
    assert f'<a href="{report_url()}">Tải lại báo cáo</a>' in html  # a way to reload
    assert 'name="docs_issued" value="9"' in html
    assert desk_figures(units) == {"docs_issued": 7}
    assert desk_report(units).version == 1


# --- clearing a figure, opening writes nothing -------------------------------------------


def test_opening_a_report_writes_nothing(client, staff, units):
    client.force_login(staff)
    assert client.get(report_url()).status_code == 200
    assert not QuarterlyReport.objects.exists()


def test_an_emptied_field_removes_the_stored_figure(client, staff, units):
    client.force_login(staff)
    report_post(client, "save", dossiers_received__land="120", dossiers_resolved__land="100")
    assert desk_figures(units)["dossiers_received"] == 120
    version = QuarterlyReport.objects.get().version
    response = report_post(
        client, "save", version, dossiers_received__land="", dossiers_resolved__land="100"
    )
    assert response.status_code == 302
    assert "dossiers_received" not in desk_figures(units)
    cleared = AuditEntry.objects.filter(subject=AuditEntry.Subject.FIGURES).first()
    assert cleared.changes == [["dossiers_received/land", "120", None]]


def test_a_field_missing_from_the_form_is_left_alone(client, staff, units):
    client.force_login(staff)
    report_post(client, "save", dossiers_received__land="120")
    report_post(client, "save", 1, dossiers_resolved__land="100")
    assert desk_figures(units)["dossiers_received"] == 120


def test_clearing_a_bound_that_another_figure_needs_is_refused(client, staff, units):
    client.force_login(staff)
    report_post(client, "save", dossiers_resolved__land="100", dossiers_on_time__land="90")
    response = report_post(
        client, "save", 1, dossiers_resolved__land="", dossiers_on_time__land="90"
    )
    assert response.status_code == 200
    assert "Hồ sơ đã giải quyết (0)" in " ".join(response.context["errors"].values())
    assert desk_figures(units)["dossiers_resolved"] == 100


# --- what the page needs to check figures as they are typed ------------------------------


def test_the_form_carries_the_checks_and_their_messages(client, staff):
    client.force_login(staff)
    html = client.get(report_url()).content.decode()
    assert 'data-not-above="dossiers_resolved__land"' in html
    on_time = html.split('name="dossiers_on_time__land"', 1)[1].split(">", 1)[0]
    assert 'data-name="Hồ sơ giải quyết đúng hạn"' in on_time
    assert 'data-not-above="dossiers_resolved__land"' in on_time
    flag = html.split('name="epayment_applied"', 1)[1].split(">", 1)[0]
    assert "data-flag" in flag and "data-not-above" not in flag
    assert 'data-msg-whole="Nhập một số nguyên từ 0 trở lên."' in html
    assert 'data-msg-flag="Chỉ nhập 0 (chưa) hoặc 1 (có)."' in html
    assert (
        'data-msg-above="%(low)s (%(low_value)s) không được lớn hơn %(high)s (%(high_value)s)."'
        in html
    )
    assert "/static/js/report-form.js" in html
    client.cookies["django_language"] = "en"
    html = client.get(report_url()).content.decode()
    assert 'data-msg-whole="Enter a whole number of 0 or more."' in html
    assert (
        'data-msg-above="%(low)s (%(low_value)s) cannot exceed %(high)s (%(high_value)s)."' in html
    )


def test_the_rules_cost_the_report_page_one_query(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    client.get(report_url())  # the session is read and saved once
    with django_assert_max_num_queries(25) as before:
        client.get(report_url())
    reads = [q["sql"] for q in before.captured_queries if "validationrule" in q["sql"]]
    assert len(reads) == 1
    elements = DataElement.objects.in_bulk(field_name="code")
    for low, high in [("docs_issued", "survey_responses"), ("feedback_due", "feedback_handled")]:
        ValidationRule.objects.create(element=elements[low], bound=elements[high])
    with django_assert_max_num_queries(len(before)):
        client.get(report_url())


# --- the history, and the page's queries -------------------------------------------------


def test_every_change_of_a_report_is_in_its_history(client, staff, director, admin, units):
    client.force_login(staff)
    report_post(client, "save", dossiers_resolved__land="100")
    report_post(client, "submit", 1, dossiers_resolved__land="110")
    client.force_login(director)
    report_post(client, "return", comment="Số hồ sơ đúng hạn chưa khớp sổ theo dõi.")
    client.force_login(staff)
    report_post(client, "submit", 4, dossiers_resolved__land="110")
    client.force_login(director)
    report_post(client, "approve")
    client.force_login(admin)
    report_post(client, "reopen", reason="Sai số liệu đầu tư, Văn phòng đề nghị mở lại.")

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

    page = client.get(report_url()).content.decode()
    assert "Lịch sử thay đổi" in page
    assert "Sai số liệu đầu tư" in page
    assert "Hồ sơ đã giải quyết · Đất đai" in page  # the figure's name, not its code
    assert "<del>100</del>" in page and "<ins>110</ins>" in page
    assert "Bị trả lại" in page  # states by their names


def test_the_report_page_reads_in_a_constant_number_of_queries(client, staff, units):
    client.force_login(staff)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(report_url()).status_code == 200
        return len(context)

    for n in range(3):
        report_post(client, "save", n, dossiers_resolved__land=str(100 + n))
    few = queries()
    for n in range(3, 30):
        report_post(client, "save", n, dossiers_resolved__land=str(100 + n))
    Evidence.objects.bulk_create(
        Evidence(unit=units["desk"], kind="dialogue", date=dt.date(2021, 5, d), reference=str(d))
        for d in range(1, 29)
    )
    assert queries() == few <= 25


# --- the staff's list of reports ---------------------------------------------------------


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


def test_a_director_without_staff_units_is_taken_to_the_review_inbox(client, director):
    client.force_login(director)
    response = client.get(reverse("commitments:my_reports"), follow=True)
    assert response.redirect_chain == [(reverse("commitments:review"), 302)]
    assert reverse("commitments:completeness") in response.content.decode()


def test_a_quarter_that_has_not_begun_cannot_be_reported(client, staff, units):
    from django.utils import timezone

    client.force_login(staff)
    next_year = timezone.localdate().year + 1
    assert client.get(report_url(year=next_year, quarter=1)).status_code == 404
    assert report_post(client, "save", 0, dossiers_resolved__land="1").status_code == 302
    response = client.post(
        report_url(year=next_year, quarter=1), {"action": "save", "version": "0"}
    )
    assert response.status_code == 404


def test_units_are_named_in_the_readers_language(client, staff, units):
    units["desk"].name_en = "Office (one-stop desk)"
    units["desk"].save()
    client.force_login(staff)
    assert "Office (one-stop desk)" not in client.get(report_url()).content.decode()
    client.cookies["django_language"] = "en"
    html = client.get(report_url()).content.decode()
    assert "Office (one-stop desk)" in html
    assert (
        "Office (one-stop desk)" in client.get(reverse("commitments:my_reports")).content.decode()
    )

"""Taking back a submitted report on its page: the button for its staff while no
director has decided, the draft it becomes, and a refusal once a director has acted
(the desk and its people are conftest.py's ``units``, ``staff`` and ``director``)."""

from __future__ import annotations

from commitments import services
from commitments.models import QuarterlyReport
from tests.commitments.shortcuts import desk_report, report_post, report_url


def test_staff_see_the_withdraw_button_on_a_submitted_report_and_directors_do_not(
    client, staff, director, units
):
    services.reports.report_submit(report=desk_report(units), user=staff)
    client.force_login(staff)
    html = client.get(report_url()).content.decode()
    assert 'value="withdraw"' in html
    assert "Rút lại báo cáo" in html
    client.force_login(director)
    assert 'value="withdraw"' not in client.get(report_url()).content.decode()


def test_no_withdraw_button_on_a_draft(client, staff):
    client.force_login(staff)
    assert 'value="withdraw"' not in client.get(report_url()).content.decode()


def test_staff_withdraw_and_may_edit_again(client, staff, units):
    services.reports.report_submit(report=desk_report(units), user=staff)
    client.force_login(staff)
    response = report_post(client, "withdraw", version=1)
    assert response.status_code == 302
    assert desk_report(units).state == QuarterlyReport.State.DRAFT
    page = client.get(report_url())
    assert "Đã rút lại báo cáo" in page.content.decode()
    assert page.context["may_edit"]
    assert not page.context["may_withdraw"]


def test_a_withdraw_after_the_director_approved_is_refused_on_the_page(
    client, staff, director, units
):
    report = desk_report(units)
    services.reports.report_submit(report=report, user=staff)
    services.reports.report_approve(report=report, user=director)
    client.force_login(staff)
    response = report_post(client, "withdraw", version=1)
    assert response.status_code == 200
    assert "Chỉ rút lại được báo cáo đã gửi mà lãnh đạo chưa duyệt hoặc trả lại." in (
        response.content.decode()
    )
    assert desk_report(units).state == QuarterlyReport.State.APPROVED


def test_withdraw_in_english(client, staff, units):
    services.reports.report_submit(report=desk_report(units), user=staff)
    client.cookies["django_language"] = "en"
    client.force_login(staff)
    html = client.get(report_url()).content.decode()
    assert "Withdraw the report" in html

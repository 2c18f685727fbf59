"""The emails that follow a report on its way (``services.notices``): a submitted report
to the directors who review its unit, a returned or approved one to its staff; each a
subject, a text and an HTML body, sent only once the move commits, and a mail server
that fails never undoes the move (the reports are conftest.py's ``inbox``)."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from django.core import mail

from commitments import services
from commitments.models import QuarterlyReport
from tests import factories
from tests.commitments.shortcuts import mail_recipients

AT = factories.utc(2021, 7, 16, 2)  # Friday 16/07/2021 09:00 in Hanoi; Q2 was due 14/07


def _submit(inbox, code, *, user=None, capture):
    report = factories.report(inbox["units"][code], quarter=2)
    with capture(execute=True), mock.patch("django.utils.timezone.now", return_value=AT):
        services.reports.report_submit(report=report, user=user or inbox["staff"][code])
    return report


def test_a_submitted_report_goes_to_the_director_above_a_unit_with_no_head(
    inbox, django_capture_on_commit_callbacks
):
    _submit(inbox, "p-tc", capture=django_capture_on_commit_callbacks)
    assert mail_recipients() == ["giamdoc@so.gov.vn"]
    email = mail.outbox[0]
    assert email.subject == "Báo cáo quý 2/2021 của Phòng Tổ chức đã gửi, chờ duyệt"
    assert "Xin chào giamdoc," in email.body
    assert "Lan đã gửi báo cáo quý 2/2021 của Phòng Tổ chức lúc 16/07/2021 09:00" in email.body
    assert "Báo cáo gửi muộn 2 ngày làm việc (hạn nộp ngày 14/07/2021)." in email.body
    assert "http://127.0.0.1:8000/report/p-tc/2021/2/" in email.body
    assert "http://127.0.0.1:8000/review/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert '<a href="http://127.0.0.1:8000/report/p-tc/2021/2/">' in html
    assert "gửi muộn 2 ngày làm việc" in html


def test_a_units_own_head_reviews_it_and_the_director_above_is_not_disturbed(
    inbox, django_capture_on_commit_callbacks
):
    _submit(inbox, "p-kh-to", capture=django_capture_on_commit_callbacks)
    assert mail_recipients() == ["truongphong@so.gov.vn"]


def test_a_head_who_cannot_be_reached_passes_it_up(inbox, django_capture_on_commit_callbacks):
    inbox["head"].is_active = False
    inbox["head"].save()
    _submit(inbox, "p-kh", capture=django_capture_on_commit_callbacks)
    assert mail_recipients() == ["giamdoc@so.gov.vn"]


def test_a_report_sent_again_is_on_time_by_its_first_submission(
    inbox, django_capture_on_commit_callbacks
):
    report = factories.report(inbox["units"]["p-tc"], quarter=2)
    factories.report_submitted(report, inbox["staff"]["p-tc"], at=factories.utc(2021, 7, 12, 2))
    factories.report_returned(report, inbox["director"], at=factories.utc(2021, 7, 13, 2))
    mail.outbox.clear()
    _submit(inbox, "p-tc", capture=django_capture_on_commit_callbacks)
    assert "Báo cáo gửi đúng hạn (hạn nộp ngày 14/07/2021)." in mail.outbox[0].body


def _decide(inbox, decision, capture, comment="Số hồ sơ đất đai chưa khớp sổ theo dõi."):
    report = QuarterlyReport.objects.get(unit__code="p-tc", year=2021, quarter=1)
    with capture(execute=True):
        if decision == "return":
            services.reports.report_return(report=report, user=inbox["director"], comment=comment)
        else:
            services.reports.report_approve(report=report, user=inbox["director"])


def test_a_returned_report_goes_to_its_staff_with_the_comment(
    inbox, django_capture_on_commit_callbacks
):
    _decide(inbox, "return", django_capture_on_commit_callbacks)
    assert mail_recipients() == ["cv-p-tc@so.gov.vn"]
    email = mail.outbox[0]
    assert email.subject == "Báo cáo quý 1/2021 của Phòng Tổ chức bị trả lại"
    assert "giamdoc đã trả lại báo cáo quý 1/2021 của Phòng Tổ chức lúc" in email.body
    assert "Ý kiến của lãnh đạo: Số hồ sơ đất đai chưa khớp sổ theo dõi." in email.body
    assert "http://127.0.0.1:8000/report/p-tc/2021/1/" in email.body
    assert "Số hồ sơ đất đai chưa khớp sổ theo dõi." in email.alternatives[0][0]


def test_an_approved_report_goes_to_its_staff(inbox, django_capture_on_commit_callbacks):
    _decide(inbox, "approve", django_capture_on_commit_callbacks)
    assert mail_recipients() == ["cv-p-tc@so.gov.vn"]
    email = mail.outbox[0]
    assert email.subject == "Báo cáo quý 1/2021 của Phòng Tổ chức đã được duyệt"
    assert "số liệu chính thức" in email.body
    assert "đã được duyệt" in email.alternatives[0][0]


def test_the_sender_who_is_not_the_units_staff_hears_of_the_decision_too(
    inbox, django_capture_on_commit_callbacks
):
    admin = factories.superuser()
    admin.email = "quantri@so.gov.vn"
    admin.save()
    _submit(inbox, "p-tc", user=admin, capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    report = QuarterlyReport.objects.get(unit__code="p-tc", year=2021, quarter=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.reports.report_approve(report=report, user=inbox["director"])
    assert mail_recipients() == ["cv-p-tc@so.gov.vn", "quantri@so.gov.vn"]


def test_nobody_is_told_of_their_own_act(inbox, django_capture_on_commit_callbacks):
    # The head of p-kh writes the team's report too: submitting it tells nobody else
    # at that level, so nobody is emailed rather than the sender themselves.
    factories.membership(inbox["head"], inbox["units"]["p-kh-to"], "staff")
    _submit(inbox, "p-kh-to", user=inbox["head"], capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_emails_wait_for_the_commit(inbox, django_capture_on_commit_callbacks):
    report = QuarterlyReport.objects.get(unit__code="p-tc", year=2021, quarter=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.reports.report_approve(report=report, user=inbox["director"])
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert mail_recipients() == ["cv-p-tc@so.gov.vn"]


def test_a_refused_move_and_a_withdrawal_send_nothing(inbox, django_capture_on_commit_callbacks):
    approved = QuarterlyReport.objects.get(unit__code="p-tc", year=2020, quarter=4)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.reports.ReportRefused),
    ):
        services.reports.report_return(report=approved, user=inbox["director"], comment="Sai")
    waiting = QuarterlyReport.objects.get(unit__code="p-tc", year=2021, quarter=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.reports.report_withdraw(report=waiting, user=inbox["staff"]["p-tc"])
    assert mail.outbox == []


def test_a_mail_server_that_fails_is_logged_and_the_approval_stands(
    inbox, django_capture_on_commit_callbacks, caplog
):
    broken = mock.Mock(send_messages=mock.Mock(side_effect=ConnectionRefusedError("smtp")))
    with (
        mock.patch("commitments.services.notices.get_connection", return_value=broken),
        caplog.at_level(logging.WARNING, logger="commitments.services.notices"),
    ):
        _decide(inbox, "approve", django_capture_on_commit_callbacks)
    report = QuarterlyReport.objects.get(unit__code="p-tc", year=2021, quarter=1)
    assert report.state == QuarterlyReport.State.APPROVED
    assert "were not sent" in caplog.text


@pytest.mark.parametrize("decision", ["submit", "return", "approve"])
def test_every_email_reads_in_english_on_an_english_site(
    inbox, django_capture_on_commit_callbacks, settings, decision
):
    settings.LANGUAGE_CODE = "en"
    if decision == "submit":
        _submit(inbox, "p-tc", capture=django_capture_on_commit_callbacks)
    else:
        _decide(inbox, decision, django_capture_on_commit_callbacks, comment="Check land.")
    email = mail.outbox[0]
    expected = {
        "submit": "The Q2 2021 report of Phòng Tổ chức was submitted and waits for review",
        "return": "The Q1 2021 report of Phòng Tổ chức was returned",
        "approve": "The Q1 2021 report of Phòng Tổ chức was approved",
    }[decision]
    assert email.subject == expected
    for text in (email.body, email.alternatives[0][0]):
        for vietnamese in ("Xin chào", "báo cáo", "Báo cáo", "lãnh đạo", "Chỉ tiêu"):
            assert vietnamese not in text, (vietnamese, text)

"""Reporting completeness (tình hình nộp báo cáo) and the reminder emails: the deadline,
DHIS2's reporting rate and on-time rate, who sees the page, its query budget, and
reminders sent once to the right people on the right days."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from commitments import access, selectors, services, tasks
from commitments.models import Membership, QuarterlyReport, ReminderSent, ReportingDeadline, Unit
from tests import factories

UTC = dt.UTC
Q1_2021_DEADLINE = dt.date(2021, 4, 10)  # 31/03 + REPORT_DEADLINE_DAYS (10)


def _user(django_user_model, name, unit=None, role=None, *, email="", active=True):
    user = django_user_model.objects.create_user(
        name, email=email, password="mat-khau-dai-123", is_active=active
    )
    if unit is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


def _at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def _submit(report, user, at: dt.datetime) -> None:
    with mock.patch("django.utils.timezone.now", return_value=at):
        services.reports.report_submit(report=report, user=user)


def _return(report, user, at: dt.datetime) -> None:
    with mock.patch("django.utils.timezone.now", return_value=at):
        services.reports.report_return(report=report, user=user, comment="Thiếu số liệu")


def _report(unit, quarter=1) -> QuarterlyReport:
    return QuarterlyReport.objects.get_or_create(unit=unit, year=2021, quarter=quarter)[0]


# --- the deadline ------------------------------------------------------------------


def test_deadline_is_ten_days_after_the_quarter_by_default(db):
    assert selectors.completeness.report_deadline(year=2021, quarter=1) == dt.date(2021, 4, 10)
    assert selectors.completeness.report_deadline(year=2021, quarter=2) == dt.date(2021, 7, 10)
    assert selectors.completeness.report_deadline(year=2021, quarter=4) == dt.date(2022, 1, 10)


def test_deadline_days_follow_the_setting(db, settings):
    settings.REPORT_DEADLINE_DAYS = 15
    assert selectors.completeness.report_deadline(year=2021, quarter=1) == dt.date(2021, 4, 15)


def test_deadline_set_by_an_admin_wins_for_its_quarter_only(db):
    ReportingDeadline.objects.create(year=2021, quarter=1, due_on=dt.date(2021, 4, 20))
    assert selectors.completeness.report_deadline(year=2021, quarter=1) == dt.date(2021, 4, 20)
    assert selectors.completeness.report_deadline(year=2021, quarter=2) == dt.date(2021, 7, 10)
    assert selectors.completeness.report_deadline(year=2020, quarter=1) == dt.date(2020, 4, 10)


def test_quarters_due_on_a_day_by_default_and_by_admin(db):
    assert selectors.completeness.report_quarters_due(days={dt.date(2021, 4, 10)}) == [
        (2021, 1, dt.date(2021, 4, 10))
    ]
    assert selectors.completeness.report_quarters_due(days={dt.date(2021, 4, 11)}) == []
    ReportingDeadline.objects.create(year=2021, quarter=1, due_on=dt.date(2021, 4, 20))
    # The admin's day replaces the default one: nothing is due on the 10th any more.
    assert selectors.completeness.report_quarters_due(days={dt.date(2021, 4, 10)}) == []
    assert selectors.completeness.report_quarters_due(
        days={dt.date(2021, 4, 20), dt.date(2021, 7, 10)}
    ) == [
        (2021, 1, dt.date(2021, 4, 20)),
        (2021, 2, dt.date(2021, 7, 10)),
    ]


# --- rates ---------------------------------------------------------------------------


@pytest.fixture
def mix(db, django_user_model):
    """The department and seven units, one in each situation of Q1 2021 (due 10/04,
    looked at on 20/04). Codes are chosen so that their order is not the page's."""
    department = factories.department()
    units = {
        name: factories.unit(code, parent=department, kind=kind)
        for name, code, kind in (
            ("not_started", "u1-chua", "division"),
            ("draft", "u2-nhap", "division"),
            ("returned", "u3-tralai", "affiliated_unit"),
            ("on_time", "a1-dunghan", "division"),
            ("late", "a2-muon", "division"),
            ("approved", "a3-duyet", "affiliated_unit"),
            ("resubmitted", "a4-guilai", "division"),
        )
    }
    staff = _user(django_user_model, "chuyenvien")
    boss = _user(django_user_model, "giamdoc", department, Membership.Role.DIRECTOR)
    _report(units["draft"])
    returned = _report(units["returned"])
    _submit(returned, staff, _at(2021, 4, 5, 3))
    _return(returned, boss, _at(2021, 4, 6, 3))
    # 23:30 on the deadline day in Hanoi, 16:30 UTC: on time.
    _submit(_report(units["on_time"]), staff, _at(2021, 4, 10, 16, 30))
    # 00:30 the day after in Hanoi, still the 10th in UTC: late.
    _submit(_report(units["late"]), staff, _at(2021, 4, 10, 17, 30))
    approved = _report(units["approved"])
    _submit(approved, staff, _at(2021, 4, 8, 2))
    with mock.patch("django.utils.timezone.now", return_value=_at(2021, 4, 9, 2)):
        services.reports.report_approve(report=approved, user=boss)
    resubmitted = _report(units["resubmitted"])
    _submit(resubmitted, staff, _at(2021, 4, 9, 2))
    _return(resubmitted, boss, _at(2021, 4, 12, 2))
    _submit(resubmitted, staff, _at(2021, 4, 15, 2))
    return {"department": department, **units}


def _completeness(scope=access.ALL_UNITS, today=dt.date(2021, 4, 20)):
    return selectors.completeness.report_completeness(
        scope=scope, year=2021, quarter=1, today=today
    )


def test_rates_count_submitted_on_time_and_approved_of_the_expected_units(mix):
    c = _completeness()
    assert c.deadline == Q1_2021_DEADLINE
    assert c.expected == 7  # the department does not report
    assert c.submitted == 4  # on time, late, approved, resubmitted
    assert c.on_time == 3  # on time, approved, resubmitted (by its first submission)
    assert c.approved == 1
    assert c.submitted_percent == pytest.approx(400 / 7)
    assert c.on_time_percent == pytest.approx(300 / 7)
    assert c.approved_percent == pytest.approx(100 / 7)


def test_each_unit_has_its_state_and_timeliness_late_units_first(mix):
    rows = {row.unit.code: row for row in _completeness().units}
    assert {code: (row.state, row.timeliness) for code, row in rows.items()} == {
        "u1-chua": ("not_started", "late"),
        "u2-nhap": ("draft", "late"),
        "u3-tralai": ("returned", "late"),
        "a1-dunghan": ("submitted", "on_time"),
        "a2-muon": ("submitted", "submitted_late"),
        "a3-duyet": ("approved", "on_time"),
        "a4-guilai": ("submitted", "on_time"),
    }
    assert [row.unit.code for row in _completeness().units] == [
        "u1-chua",
        "u2-nhap",
        "u3-tralai",
        "a2-muon",
        "a1-dunghan",
        "a3-duyet",
        "a4-guilai",
    ]
    assert rows["a4-guilai"].first_submitted_at == _at(2021, 4, 9, 2)
    assert rows["u1-chua"].first_submitted_at is None


def test_before_the_deadline_nothing_is_late(mix):
    c = _completeness(today=Q1_2021_DEADLINE)
    assert not c.deadline_passed
    assert not any(row.late for row in c.units)
    assert {row.unit.code for row in c.units if row.timeliness == "pending"} == {
        "u1-chua",
        "u2-nhap",
        "u3-tralai",
    }


def test_a_later_deadline_set_by_an_admin_makes_the_late_submission_on_time(mix):
    ReportingDeadline.objects.create(year=2021, quarter=1, due_on=dt.date(2021, 4, 11))
    c = _completeness()
    assert c.on_time == 4
    assert {row.unit.code for row in c.units if row.late} == {"u1-chua", "u2-nhap", "u3-tralai"}


def test_staff_with_email_counts_active_staff_with_an_address(mix, django_user_model):
    unit = mix["not_started"]
    _user(django_user_model, "a", unit, Membership.Role.STAFF, email="a@so.gov.vn")
    _user(django_user_model, "b", unit, Membership.Role.STAFF)
    _user(django_user_model, "c", unit, Membership.Role.STAFF, email="c@so.gov.vn", active=False)
    _user(django_user_model, "d", unit, Membership.Role.DIRECTOR, email="d@so.gov.vn")
    rows = {row.unit.code: row for row in _completeness().units}
    assert rows["u1-chua"].staff_with_email == 1
    assert rows["u2-nhap"].staff_with_email == 0


def test_no_expected_units_gives_no_rate(db):
    factories.department()
    c = _completeness()
    assert c.expected == 0
    assert c.submitted_percent is None


# --- the page: who sees what -------------------------------------------------------


@pytest.fixture
def page_units(catalogue, mix):
    """The mix, with the catalogue's 2021 targets so that 2021 is a year to choose."""
    return mix


def _page(client, **query):
    return client.get(reverse("commitments:completeness"), {"year": 2021, "quarter": 1, **query})


def test_anonymous_goes_to_log_in(client, db):
    response = client.get(reverse("commitments:completeness"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_and_users_without_membership_get_403(client, django_user_model, page_units):
    staff = _user(django_user_model, "cv", page_units["draft"], Membership.Role.STAFF)
    plain = _user(django_user_model, "khach")
    for user in (staff, plain):
        client.force_login(user)
        assert _page(client).status_code == 403
        assert (
            reverse("commitments:completeness")
            not in client.get(reverse("commitments:dashboard")).content.decode()
        )


def test_superuser_sees_every_expected_unit_with_rates_and_links(
    client, django_user_model, page_units
):
    admin = django_user_model.objects.create_superuser("quantri", password="mat-khau-dai-123")
    client.force_login(admin)
    response = _page(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.context["completeness"].units) == 7
    assert "10/04/2021" in html
    assert "57,1%" in html  # reporting rate 4/7, Vietnamese decimal comma
    assert "42,9%" in html  # on time 3/7
    assert "14,3%" in html  # approved 1/7
    assert '<span class="badge report-returned">Bị trả lại</span>' in html
    assert '<span class="badge report-not_started">Chưa lập</span>' in html
    assert reverse("commitments:quarterly_report", args=["u3-tralai", 2021, 1]) in html
    assert "11/04/2021 00:30" in html  # the late submission, in Hanoi time
    assert html.index("u1-chua") < html.index("a2-muon") < html.index("a1-dunghan")
    assert f'href="{reverse("commitments:completeness")}"' in html  # the navigation link


def test_director_of_a_division_sees_only_that_unit(client, django_user_model, page_units):
    director = _user(django_user_model, "truongphong", page_units["late"], "director")
    client.force_login(director)
    response = _page(client)
    assert response.status_code == 200
    c = response.context["completeness"]
    assert [row.unit.code for row in c.units] == ["a2-muon"]
    assert (c.expected, c.submitted, c.on_time) == (1, 1, 0)
    assert "u1-chua" not in response.content.decode()


def test_director_of_the_department_sees_every_unit_below(client, django_user_model, page_units):
    client.force_login(django_user_model.objects.get(username="giamdoc"))
    response = _page(client)
    assert response.context["completeness"].expected == 7


def test_the_default_quarter_is_the_last_that_ended(client, django_user_model, page_units):
    admin = django_user_model.objects.create_superuser("quantri", password="mat-khau-dai-123")
    client.force_login(admin)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2021, 4, 20)):
        response = client.get(reverse("commitments:completeness"))
    assert (response.context["year"], response.context["quarter"]) == (2021, 1)
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2022, 2, 1)):
        response = client.get(reverse("commitments:completeness"))
    assert (response.context["year"], response.context["quarter"]) == (2021, 4)


def _many_units(count: int) -> Unit:
    """A department with ``count`` divisions, a third of them submitted, a third in
    draft, and a staff member with an email in each."""
    department = factories.department()
    units = Unit.objects.bulk_create(
        Unit(code=f"phong-{n:04d}", name=f"Phòng {n}", parent=department, kind="division")
        for n in range(count)
    )
    QuarterlyReport.objects.bulk_create(
        QuarterlyReport(
            unit=unit,
            year=2021,
            quarter=1,
            state="submitted" if n % 3 == 0 else "draft",
            submitted_at=_at(2021, 4, 2) if n % 3 == 0 else None,
            first_submitted_at=_at(2021, 4, 2) if n % 3 == 0 else None,
        )
        for n, unit in enumerate(units)
        if n % 3 != 2
    )
    return department


# Session and user (2), memberships and unit tree (2), years (1), the completeness
# (deadline, units, reports, staff: 4); the navigation: permissions (2), this link (1).
COMPLETENESS_BUDGET = 12


@pytest.mark.parametrize("count", [10, 500])
def test_query_budget_does_not_grow_with_units(
    client, django_user_model, catalogue, django_assert_max_num_queries, count
):
    department = _many_units(count)
    director = _user(django_user_model, "giamdoc", department, Membership.Role.DIRECTOR)
    client.force_login(director)
    with django_assert_max_num_queries(COMPLETENESS_BUDGET):
        response = _page(client)
    assert response.status_code == 200
    assert response.context["completeness"].expected == count
    assert response.context["completeness"].submitted == (count + 2) // 3


# --- reminders -----------------------------------------------------------------------


@pytest.fixture
def reminder_units(db, django_user_model):
    """Due 10/04/2021. A draft unit with two reachable staff (and staff who cannot be
    reached, and a director); a unit that has not started; a unit that has submitted;
    the department, which reports nothing."""
    department = factories.department()
    owing = factories.unit("pvp", parent=department, name="Phòng Văn phòng")
    idle = factories.unit("ttkn", parent=department, kind="affiliated_unit")
    done = factories.unit("ptc", parent=department)
    staff = Membership.Role.STAFF
    _user(django_user_model, "lan", owing, staff, email="lan@so.gov.vn")
    _user(django_user_model, "minh", owing, staff, email="minh@so.gov.vn")
    _user(django_user_model, "khong-email", owing, staff)
    _user(django_user_model, "nghi-viec", owing, staff, email="cu@so.gov.vn", active=False)
    _user(django_user_model, "truong", owing, Membership.Role.DIRECTOR, email="truong@so.gov.vn")
    _user(django_user_model, "hoa", idle, staff, email="hoa@so.gov.vn")
    sent = _user(django_user_model, "binh", done, staff, email="binh@so.gov.vn")
    _user(django_user_model, "so", department, staff, email="so@so.gov.vn")
    _report(owing)
    _submit(_report(done), sent, _at(2021, 4, 1, 2))
    return {"owing": owing, "idle": idle, "done": done}


def _send(django_capture_on_commit_callbacks, day: dt.date) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return services.reminders.report_reminders_send(today=day)


def _recipients() -> list[str]:
    return sorted(address for email in mail.outbox for address in email.to)


def test_reminder_goes_to_reachable_staff_of_units_not_submitted(
    reminder_units, django_capture_on_commit_callbacks
):
    sent = _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 7))  # 3 days before
    assert sent == 3
    assert _recipients() == ["hoa@so.gov.vn", "lan@so.gov.vn", "minh@so.gov.vn"]
    for email in mail.outbox:  # one person each: nobody sees another's address
        assert len(email.to) == 1
        assert not email.cc and not email.bcc
    rows = {r.unit.code: (r.offset, r.recipients) for r in ReminderSent.objects.all()}
    assert rows == {"pvp": (-3, 2), "ttkn": (-3, 1)}


def test_reminder_is_sent_once_however_often_the_day_is_run(
    reminder_units, django_capture_on_commit_callbacks
):
    assert _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 9)) == 3
    assert _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 9)) == 0
    assert len(mail.outbox) == 3
    assert ReminderSent.objects.count() == 2


def test_a_reminder_claimed_by_another_run_is_not_sent_again(
    reminder_units, django_capture_on_commit_callbacks
):
    ReminderSent.objects.create(unit=reminder_units["owing"], year=2021, quarter=1, offset=1)
    assert _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 11)) == 1
    assert _recipients() == ["hoa@so.gov.vn"]


@pytest.mark.parametrize("day", [dt.date(2021, 4, 6), dt.date(2021, 4, 8), dt.date(2021, 4, 10)])
def test_no_reminder_on_days_that_are_not_an_offset(
    reminder_units, django_capture_on_commit_callbacks, day
):
    assert _send(django_capture_on_commit_callbacks, day) == 0
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_each_offset_day_sends_its_own_reminder(reminder_units, django_capture_on_commit_callbacks):
    days = [dt.date(2021, 4, d) for d in range(1, 20)]
    sent = {day.day: _send(django_capture_on_commit_callbacks, day) for day in days}
    assert {d: n for d, n in sent.items() if n} == {7: 3, 9: 3, 11: 3, 13: 3}
    assert set(ReminderSent.objects.values_list("offset", flat=True)) == {-3, -1, 1, 3}


def test_reminders_stop_once_the_report_is_submitted(
    reminder_units, django_capture_on_commit_callbacks, django_user_model
):
    _submit(_report(reminder_units["owing"]), django_user_model.objects.get(username="lan"),
            _at(2021, 4, 8, 2))  # fmt: skip
    assert _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 9)) == 1
    assert _recipients() == ["hoa@so.gov.vn"]


def test_a_returned_report_is_reminded(
    reminder_units, django_capture_on_commit_callbacks, django_user_model
):
    done = _report(reminder_units["done"])
    _return(done, django_user_model.objects.get(username="truong"), _at(2021, 4, 8, 2))
    assert _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 9)) == 4
    assert "binh@so.gov.vn" in _recipients()


def test_reminders_follow_a_deadline_set_by_an_admin(
    reminder_units, django_capture_on_commit_callbacks
):
    ReportingDeadline.objects.create(year=2021, quarter=1, due_on=dt.date(2021, 4, 20))
    assert _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 7)) == 0
    assert _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 17)) == 3


def test_reminder_before_the_deadline_in_vietnamese_with_the_link(
    reminder_units, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://cchc.example.gov.vn/"
    _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 7))
    email = next(e for e in mail.outbox if e.to == ["lan@so.gov.vn"])
    link = "https://cchc.example.gov.vn/report/pvp/2021/1/"
    assert email.subject == "Nhắc nộp báo cáo quý 1/2021 của Phòng Văn phòng: còn 3 ngày"
    assert "Xin chào lan," in email.body
    assert "Hạn nộp là ngày 10/04/2021, còn 3 ngày." in email.body
    assert "Tình trạng hiện tại: Bản nháp." in email.body
    assert link in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{link}">' in html
    assert "còn 3 ngày" in html
    idle = next(e for e in mail.outbox if e.to == ["hoa@so.gov.vn"])
    assert "Tình trạng hiện tại: Chưa lập." in idle.body


def test_reminder_after_the_deadline_says_how_many_days_late(
    reminder_units, django_capture_on_commit_callbacks
):
    _send(django_capture_on_commit_callbacks, dt.date(2021, 4, 13))
    email = next(e for e in mail.outbox if e.to == ["minh@so.gov.vn"])
    assert email.subject == "Báo cáo quý 1/2021 của Phòng Văn phòng đã quá hạn 3 ngày"
    assert "đã quá hạn 3 ngày (hạn nộp ngày 10/04/2021) mà chưa được gửi." in email.body
    assert "quá hạn 3 ngày" in email.alternatives[0][0]
    assert "còn" not in email.body


def test_reminders_are_sent_only_after_the_commit(
    reminder_units, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert services.reminders.report_reminders_send(today=dt.date(2021, 4, 7)) == 3
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 3


def test_the_task_reminds_with_the_local_date(reminder_units, django_capture_on_commit_callbacks):
    with (
        mock.patch("django.utils.timezone.localdate", return_value=dt.date(2021, 4, 11)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.report_reminders() == 3
        assert tasks.report_reminders() == 0
    assert _recipients() == ["hoa@so.gov.vn", "lan@so.gov.vn", "minh@so.gov.vn"]


# --- admin ---------------------------------------------------------------------------


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


needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite writes one transaction at a time"
)


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(django_user_model):
    """Two runs of the same day in parallel: the second waits on the first's row of the
    unique constraint, then finds it taken."""
    department = factories.department()
    for n in range(5):
        unit = factories.unit(f"phong-{n}", parent=department)
        _user(django_user_model, f"cv{n}", unit, Membership.Role.STAFF, email=f"cv{n}@so.gov.vn")
    start = threading.Barrier(2)
    counts: list[int] = []

    def run() -> None:
        try:
            start.wait()
            counts.append(services.reminders.report_reminders_send(today=dt.date(2021, 4, 7)))
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sum(counts) == 5  # however the work fell between the two
    assert len(mail.outbox) == 5
    assert len({address for email in mail.outbox for address in email.to}) == 5
    assert ReminderSent.objects.count() == 5

"""The small worlds that the tests of several concerns share (a test file that needs a
world of its own defines it in the file):

- ``units``, ``staff``, ``director``: a department with a receiving desk whose quarterly
  report is written, reviewed and checked (services, selectors and views of reporting);
- ``admin``: a superuser;
- ``world``: a department with two units, their 2021 statuses and a user per role, whose
  results are published (services/test_publishing.py, views/test_results.py);
- ``mix``: seven units, one in each situation of reporting for Q1 2021 (completeness);
- ``reminder_units``: units to remind of their Q1 2021 report, with their staff;
- ``demo_after_2021``: the demo, loaded once for a module of tests that only read it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from commitments import services
from commitments.demo import demo_load
from commitments.models import Membership, QuarterlyReport
from tests import factories
from tests.commitments.shortcuts import DEPARTMENT, A, B

# --- the quarterly report of a receiving desk -------------------------------------------


@pytest.fixture
def units(catalogue, django_capture_on_commit_callbacks):
    """The department, a receiving desk under it with land dossiers in Q1 2021, and
    another division (the recompute their figures queued has run, so what a test
    saves queues its own)."""
    with django_capture_on_commit_callbacks(execute=True):
        department = factories.department()
        desk = factories.unit("vp", parent=department, receives_dossiers=True)
        other = factories.unit("ptt", parent=department)
        factories.figure(desk, "dossiers_resolved", 100, category="land")
        factories.figure(desk, "dossiers_on_time", 90, category="land")
    return {"department": department, "desk": desk, "other": other}


@pytest.fixture
def staff(units):
    return factories.staff("chuyenvien", units["desk"])


@pytest.fixture
def director(units):
    return factories.director("giamdoc", units["department"])


@pytest.fixture
def admin(db):
    return factories.superuser()


# --- published results --------------------------------------------------------------------


@pytest.fixture
def world(catalogue):
    """The department, A and B with statuses of 2021, and a user per role.

    The department (Sở) has two receiving units, A and B, with figures of the first
    quarter of 2021: A resolved 955 of 1,000 land dossiers on time (95.50%, under the 96%
    land must reach), so indicator 5.1 and commitment 5 are not met. Both reports of
    the quarter are approved (the first quarter publishes without a note); no unit has
    opened a report of another quarter.
    """
    department = factories.unit(
        DEPARTMENT, kind="department", name="Sở Nông nghiệp và Phát triển nông thôn"
    )
    a = factories.unit(A, parent=department, receives_dossiers=True, name="Chi cục Thủy lợi")
    b = factories.unit(B, parent=department, receives_dossiers=True, name="Chi cục Kiểm lâm")
    factories.figure(a, "dossiers_resolved", 1000, category="land")
    factories.figure(a, "dossiers_on_time", 955, category="land")
    factories.figure(a, "survey_responses", 10)
    factories.figure(b, "dossiers_resolved", 100, category="crop")
    factories.figure(b, "dossiers_on_time", 99, category="crop")
    for unit in (a, b):
        factories.report(unit, state=QuarterlyReport.State.APPROVED)
    services.recompute.statuses_recompute(year=2021)

    def member(name, unit=None, role=None):
        return factories.user(name, unit=unit, role=role, first_name="Nguyễn", last_name=name)

    users = {
        "anonymous": None,
        "no_membership": member("nguoidung"),
        "staff_a": member("chuyenvien-a", a, Membership.Role.STAFF),
        "director_a": member("truongphong-a", a, Membership.Role.DIRECTOR),
        "director_department": member("giamdoc", department, Membership.Role.DIRECTOR),
        "superuser": factories.superuser(),
    }
    return {"department": department, "a": a, "b": b, "users": users}


# --- reporting completeness and reminders ------------------------------------------------


@pytest.fixture
def mix(db):
    """The department and seven units, one in each situation of Q1 2021 (due 14/04, ten
    working days after the quarter; looked at on 20/04). Codes are chosen so that their
    order is not the page's."""
    at = factories.utc
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
    staff = factories.user("chuyenvien")
    boss = factories.director("giamdoc", department)
    factories.report(units["draft"])
    returned = factories.report(units["returned"])
    factories.report_submitted(returned, staff, at=at(2021, 4, 5, 3))
    factories.report_returned(returned, boss, at=at(2021, 4, 6, 3))
    # 23:30 on the deadline day in Hanoi, 16:30 UTC: on time.
    factories.report_submitted(
        factories.report(units["on_time"]), staff, at=at(2021, 4, 14, 16, 30)
    )
    # 00:30 the day after in Hanoi, still the 14th in UTC: late.
    factories.report_submitted(factories.report(units["late"]), staff, at=at(2021, 4, 14, 17, 30))
    approved = factories.report(units["approved"])
    factories.report_submitted(approved, staff, at=at(2021, 4, 8, 2))
    factories.report_approved(approved, boss, at=at(2021, 4, 9, 2))
    resubmitted = factories.report(units["resubmitted"])
    factories.report_submitted(resubmitted, staff, at=at(2021, 4, 9, 2))
    factories.report_returned(resubmitted, boss, at=at(2021, 4, 12, 2))
    factories.report_submitted(resubmitted, staff, at=at(2021, 4, 15, 2))
    return {"department": department, **units}


@pytest.fixture
def reminder_units(db):
    """Due 14/04/2021, a Wednesday (reminded on 9, 13, 15 and 19 April). A draft unit
    with two reachable staff (and staff who cannot be reached, and a director); a unit
    that has not started; a unit that has submitted; the department, which reports
    nothing."""
    department = factories.department()
    owing = factories.unit("pvp", parent=department, name="Phòng Văn phòng")
    idle = factories.unit("ttkn", parent=department, kind="affiliated_unit")
    done = factories.unit("ptc", parent=department)
    factories.staff("lan", owing, email="lan@so.gov.vn")
    factories.staff("minh", owing, email="minh@so.gov.vn")
    factories.staff("khong-email", owing)
    factories.staff("nghi-viec", owing, email="cu@so.gov.vn", is_active=False)
    factories.director("truong", owing, email="truong@so.gov.vn")
    factories.staff("hoa", idle, email="hoa@so.gov.vn")
    sent = factories.staff("binh", done, email="binh@so.gov.vn")
    factories.staff("so", department, email="so@so.gov.vn")
    factories.report(owing)
    factories.report_submitted(factories.report(done), sent, at=factories.utc(2021, 4, 1, 2))
    return {"owing": owing, "idle": idle, "done": done}


# --- the director's review inbox ---------------------------------------------------------


@pytest.fixture
def inbox(db):
    """Two departments' reports of Q1 2021 (due 14/04), looked at on 20/04.

    Under the department ``sonn`` (director ``giamdoc``): the division ``p-kh`` (director
    ``truongphong``) and its team ``p-kh-to``, and the division ``p-tc``. Submitted and
    waiting: ``p-kh-to`` on 12/04 (on time), ``p-tc`` on 16/04 (two working days late),
    ``p-kh`` first on 09/04, returned, and again on 19/04 (on time by its first
    submission, waiting since the 19th). Not waiting: ``p-tc``'s approved report of Q4
    2020 and ``p-kh-to``'s draft of Q2 2021. In another department, ``khac-1``'s report
    was submitted on 13/04. Each unit has a member of staff ``cv-<code>``."""
    at = factories.utc
    sonn = factories.department()
    kh = factories.unit("p-kh", parent=sonn, name="Phòng Kế hoạch")
    to = factories.unit("p-kh-to", parent=kh, name="Tổ Tổng hợp")
    tc = factories.unit("p-tc", parent=sonn, name="Phòng Tổ chức")
    other = factories.department("so-khac")
    khac = factories.unit("khac-1", parent=other)
    staff = {
        u.code: factories.staff(f"cv-{u.code}", u, email=f"cv-{u.code}@so.gov.vn", first_name="Lan")
        for u in (kh, to, tc, khac)
    }
    boss = factories.director("giamdoc", sonn, email="giamdoc@so.gov.vn")
    head = factories.director("truongphong", kh, email="truongphong@so.gov.vn")
    factories.report_submitted(factories.report(to), staff["p-kh-to"], at=at(2021, 4, 12, 2))
    factories.report_submitted(factories.report(khac), staff["khac-1"], at=at(2021, 4, 13, 2))
    factories.report_submitted(factories.report(tc), staff["p-tc"], at=at(2021, 4, 16, 2))
    resent = factories.report(kh)
    factories.report_submitted(resent, staff["p-kh"], at=at(2021, 4, 9, 2))
    factories.report_returned(resent, head, at=at(2021, 4, 12, 2))
    factories.report_submitted(resent, staff["p-kh"], at=at(2021, 4, 19, 2))
    factories.report(tc, year=2020, quarter=4, state=QuarterlyReport.State.APPROVED)
    factories.report(to, quarter=2)
    return {
        "units": {u.code: u for u in (sonn, kh, to, tc, other, khac)},
        "staff": staff,
        "director": boss,
        "head": head,
    }


# --- the demo, once a module --------------------------------------------------------


@pytest.fixture(scope="module")
def demo_after_2021(django_db_setup, django_db_blocker):
    """The demo as of 31 March 2022 (every period of 2021 closed), loaded once for the
    module that asks for it, in a transaction rolled back after the module's last test:
    each test runs in a savepoint of its own inside it, so what a test writes is undone
    and the next finds the demo as loaded. Once loaded it stays until the module ends:
    every test of such a module sees it."""
    translation.deactivate()  # the site's language, whatever a test before left active
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        demo_load(as_of=dt.date(2022, 3, 31))
        yield
        transaction.set_rollback(True)

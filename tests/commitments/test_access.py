"""Who sees what: every role against every page, the status code and, where the page
opens, that it holds the units the role sees and none of the others.

The department (Sở) has two receiving units, A and B. A misses land (955 of 1,000 on
time) and surveyed its users; B misses crop and did not survey, so the department's
card for 6.1 names B ("Chưa đạt: Chi cục Kiểm lâm"): a page that read the department's
rows would show B to someone who may only see A.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from commitments import services
from commitments.models import Figure, QuarterlyReport
from tests import factories
from tests.commitments.shortcuts import as_role
from tests.roles import DEPARTMENT, NAMES, ROLES, A, B, role_units, role_users

NO_UNIT = "Bạn chưa được phân công đơn vị nào. Hãy liên hệ quản trị viên."
PERIOD = {"year": 2021, "quarter": 1}

# The units each role sees, and those of them shown where the department was.
SEES = {
    "anonymous": set(),
    "no_membership": set(),
    "staff_a": {A},
    "staff_b": {B},
    "director_a": {A},
    "director_department": {DEPARTMENT, A, B},
    "target_editor": set(),
    "superuser": {DEPARTMENT, A, B},
    "city_office": {DEPARTMENT, A, B},
}
TOPS = {role: {DEPARTMENT} if DEPARTMENT in units else units for role, units in SEES.items()}


@pytest.fixture
def world(catalogue):
    """The department, A and B with Q1 2021 figures and statuses, and a user per role."""
    department, a, b = role_units()
    factories.figure(a, "dossiers_resolved", 1000, category="land")
    factories.figure(a, "dossiers_on_time", 955, category="land")
    factories.figure(a, "survey_responses", 10)
    factories.figure(b, "dossiers_resolved", 100, category="crop")
    factories.figure(b, "dossiers_on_time", 90, category="crop")
    services.recompute.statuses_recompute(year=2021)
    # A's and B's reports of Q1 wait for a director (the review inbox).
    for unit in (a, b):
        factories.report(unit, state=QuarterlyReport.State.SUBMITTED)
    users = role_users(department, a, b)
    return {"units": {DEPARTMENT: department, A: a, B: b}, "users": users}


def _shows_no_other_unit(response, role):
    """Neither the name nor the code of a unit the role does not see is in the body."""
    body = response.content.decode()
    for code in set(NAMES) - SEES[role]:
        assert NAMES[code] not in body, (role, code)
        assert code not in body, (role, code)


# --- what each page holds, for a role it opens to -------------------------------------


def _dashboard(response, role):
    _shows_no_other_unit(response, role)
    if not SEES[role]:
        assert NO_UNIT in response.content.decode()
        assert "sections" not in response.context
        return
    assert {s["unit"].code for s in response.context["sections"]} == TOPS[role]
    # The department's card names B, the unit that did not survey its users.
    named_b = f"Chưa đạt: {NAMES[B]}." in response.content.decode()
    assert named_b == (DEPARTMENT in SEES[role]), role


def _indicator(response, role):
    _shows_no_other_unit(response, role)
    assert {s.unit.code for s in response.context["department_rows"]} == TOPS[role]
    assert {s.unit.code for s in response.context["unit_rows"]} == SEES[role] - TOPS[role]
    chart = response.context["chart"]["values"]
    assert (chart[0] is not None) == bool(SEES[role]), role


def _matrix(response, role):
    _shows_no_other_unit(response, role)
    assert {row["unit"].code for row in response.context["rows"]} == SEES[role]


def _unit(code):
    def check(response, role):
        _shows_no_other_unit(response, role)
        assert response.context["unit"].code == code
        parent = response.context["parent"]
        # The department is linked only for those who see it.
        assert (parent.code if parent else None) == (
            DEPARTMENT if DEPARTMENT in SEES[role] else None
        )

    return check


def _xlsx(response, role):
    book = load_workbook(io.BytesIO(response.content))
    named = {
        row[2]
        for sheet in book.worksheets[1:]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert named == {NAMES[code] for code in SEES[role]}, role
    # The summary judges the top units' rows: 5.1 is not met in A, in B and overall.
    summary = {row[0][:2]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True)}
    assert summary["5."] == ("Không đạt" if SEES[role] else "Không đánh giá trong kỳ này")


def _csv(response, role):
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # streamed
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["unit"] for row in rows} == SEES[role], role


def _print(response, role):
    _shows_no_other_unit(response, role)
    report = response.context["report"]
    assert {d.unit.code for d in report.departments} == TOPS[role]
    behind = {s.unit.code for d in report.departments for s in d.units_behind}
    assert behind == SEES[role] - TOPS[role], role


def _city(response, role):
    assert {row.department.code for row in response.context["rows"]} == {DEPARTMENT}


def _targets(response, role):
    assert response.context["year"] == 2021


def _recompute(response, role):
    assert response["Location"] == f"{reverse('commitments:dashboard')}?year=2021"


def _my_reports(response, role):
    if response.status_code == 302:  # a reviewer who writes no report: to the inbox
        assert response["Location"] == reverse("commitments:review"), role
        return
    staff_of = {"staff_a": {A}, "staff_b": {B}}.get(role, set())
    assert {slot.unit.code for slot in response.context["slots"]} == staff_of, role


def _review(response, role):
    _shows_no_other_unit(response, role)
    waiting = {item.report.unit.code for item in response.context["items"]}
    assert waiting == SEES[role] & {A, B}, role


def _completeness(response, role):
    _shows_no_other_unit(response, role)
    expected = {row.unit.code for row in response.context["completeness"].units}
    assert expected == SEES[role] - {DEPARTMENT}, role


def _report(response, role):
    assert response.context["unit"].code == A
    # Staff of A edit it; a director decides; both only in their own role.
    assert response.context["may_edit"] == (role in ("staff_a", "superuser"))


# --- the matrix ---------------------------------------------------------------------

# page: (method, url, data, what a 200 or a 302 from a user holds), then the status
# for each role in the order of ROLES.
PAGES = {
    "dashboard": ("get", reverse("commitments:dashboard"), PERIOD, _dashboard),
    "indicator": ("get", reverse("commitments:indicator", args=["5.1"]), PERIOD, _indicator),
    "matrix": ("get", reverse("commitments:matrix"), PERIOD, _matrix),
    "unit_a": ("get", reverse("commitments:unit", args=[A]), PERIOD, _unit(A)),
    "unit_b": ("get", reverse("commitments:unit", args=[B]), PERIOD, _unit(B)),
    "xlsx": ("get", reverse("commitments:report_xlsx"), PERIOD, _xlsx),
    "csv": ("get", reverse("commitments:report_csv"), PERIOD, _csv),
    "print": ("get", reverse("commitments:report_print"), PERIOD, _print),
    "targets": ("get", reverse("commitments:targets"), {"year": 2021}, _targets),
    "recompute": ("post", reverse("commitments:recompute_now"), {"year": 2021}, _recompute),
    "report_a": ("get", reverse("commitments:quarterly_report", args=[A, 2021, 2]), {}, _report),
    "my_reports": ("get", reverse("commitments:my_reports"), {}, _my_reports),
    "completeness": ("get", reverse("commitments:completeness"), PERIOD, _completeness),
    "review": ("get", reverse("commitments:review"), {}, _review),
    "city": ("get", reverse("commitments:city"), PERIOD, _city),
}
#            anonymous  no_membership  staff_a  staff_b  director_a  director_dept  editor  superuser  city_office
STATUSES = {
    "dashboard": (302,  200,           200,     200,     200,        200,           200,    200,       200),
    "indicator": (302,  200,           200,     200,     200,        200,           200,    200,       200),
    "matrix":    (302,  200,           200,     200,     200,        200,           200,    200,       200),
    "unit_a":    (302,  404,           200,     404,     200,        200,           404,    200,       200),
    "unit_b":    (302,  404,           404,     200,     404,        200,           404,    200,       200),
    "xlsx":      (302,  200,           200,     200,     200,        200,           200,    200,       200),
    "csv":       (302,  200,           200,     200,     200,        200,           200,    200,       200),
    "print":     (302,  200,           200,     200,     200,        200,           200,    200,       200),
    "targets":   (302,  403,           403,     403,     403,        403,           200,    200,       403),
    "recompute": (302,  403,           403,     403,     403,        403,           403,    302,       403),
    "report_a":  (302,  404,           200,     404,     200,        200,           404,    200,       404),
    "my_reports": (302, 200,           200,     200,     302,        302,           200,    302,       200),
    "completeness": (302, 403,         403,     403,     200,        200,           403,    200,       403),
    "review":    (302,  403,           403,     403,     200,        200,           403,    200,       403),
    "city":      (302,  403,           403,     403,     403,        403,           403,    200,       200),
}  # fmt: skip


@pytest.mark.parametrize("page", list(PAGES))
def test_each_role_gets_its_status_and_only_its_units(client, world, page):
    method, url, data, holds = PAGES[page]
    statuses = {}
    for role in ROLES:
        response = getattr(as_role(client, world, role), method)(url, data)
        statuses[role] = response.status_code
        if role == "anonymous":
            assert response["Location"].startswith(reverse("login")), page
        elif response.status_code in (200, 302):
            holds(response, role)
    assert statuses == dict(zip(ROLES, STATUSES[page], strict=True))


# --- the quarterly report's actions, on A's report of Q2 -------------------------------

STATE = QuarterlyReport.State
# action: (the report's state before, its state once done, the form's other fields)
ACTIONS = {
    "save": (None, STATE.DRAFT, {"docs_issued": "7"}),
    "submit": (None, STATE.SUBMITTED, {"docs_issued": "7"}),
    "withdraw": (STATE.SUBMITTED, STATE.DRAFT, {}),
    "approve": (STATE.SUBMITTED, STATE.APPROVED, {}),
    "return": (STATE.SUBMITTED, STATE.RETURNED, {"comment": "Thiếu số liệu đất đai"}),
    "reopen": (STATE.APPROVED, STATE.DRAFT, {"reason": "Sai số liệu"}),
}
# 302: done; 403: sees the report but may not do this; 404: does not see it.
#                       anonymous  no_membership  staff_a  staff_b  director_a  director_dept  editor  superuser  city_office
ACTION_STATUSES = {
    "save":    (302,       404,           302,     404,     403,        403,           404,    302,       404),
    "submit":  (302,       404,           302,     404,     403,        403,           404,    302,       404),
    "withdraw": (302,      404,           302,     404,     403,        403,           404,    302,       404),
    "approve": (302,       404,           403,     404,     302,        302,           404,    302,       404),
    "return":  (302,       404,           403,     404,     302,        302,           404,    302,       404),
    "reopen":  (302,       404,           403,     404,     403,        403,           404,    302,       404),
}  # fmt: skip


def _report_of_a(world) -> QuarterlyReport | None:
    return QuarterlyReport.objects.filter(unit=world["units"][A], year=2021, quarter=2).first()


@pytest.mark.parametrize("action", list(ACTIONS))
def test_only_the_roles_of_an_action_take_it(client, world, action):
    before, after, fields = ACTIONS[action]
    url = reverse("commitments:quarterly_report", args=[A, 2021, 2])
    statuses = {}
    for role in ROLES:
        # The same report in the same state for every role.
        QuarterlyReport.objects.filter(unit=world["units"][A]).delete()
        Figure.objects.filter(unit=world["units"][A], year=2021, quarter=2).delete()
        if before is not None:
            factories.report(world["units"][A], quarter=2, state=before)
        response = as_role(client, world, role).post(
            url, {"action": action, "version": "0", **fields}
        )
        statuses[role] = response.status_code
        report = _report_of_a(world)
        done = response.status_code == 302 and role != "anonymous"
        if done:
            assert response["Location"] == url, role
            assert report.state == after, role
        else:
            assert (report.state if report else None) == before, role
            assert report is None or report.version == 0, role
        figures = Figure.objects.filter(unit=world["units"][A], year=2021, quarter=2)
        assert figures.exists() == (done and action in ("save", "submit")), role
    assert statuses == dict(zip(ROLES, ACTION_STATUSES[action], strict=True))


# --- the report's evidence, checklist and files ----------------------------------------

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def evidence_of_a(world, monkeypatch, tmp_path):
    """An inspection record of A in Q2 2021 with its file, kept in a folder of the
    test's own."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import FileSystemStorage

    from commitments.models import Evidence

    storage = FileSystemStorage(location=str(tmp_path), base_url=None)
    monkeypatch.setattr(Evidence._meta.get_field("file"), "storage", storage)
    record = Evidence(
        unit=world["units"][A],
        kind="inspection_surprise",
        date=dt.date(2021, 5, 7),
        subject_unit=world["units"][B],
        reference="12/BB-KT",
        file_name="bien-ban.pdf",
    )
    record.file.save("bien-ban.pdf", ContentFile(PDF), save=False)
    record.save()
    return record


#                 anonymous  no_membership  staff_a  staff_b  director_a  director_dept  editor  superuser  city_office
FILE_STATUSES = (302,        404,           200,     404,     200,        200,           404,    200,       404)  # fmt: skip
#                      anonymous  no_membership  staff_a  staff_b  director_a  director_dept  editor  superuser  city_office
STAFF_ONLY_STATUSES = (302,       404,           200,     404,     403,        403,           404,    200,       404)  # fmt: skip


def test_an_evidence_file_is_served_to_those_who_see_the_report(client, world, evidence_of_a):
    url = reverse("commitments:evidence_file", args=[evidence_of_a.pk])
    statuses = {}
    for role in ROLES:
        response = as_role(client, world, role).get(url)
        statuses[role] = response.status_code
        if response.status_code == 200:
            assert b"".join(response.streaming_content) == PDF
    assert statuses == dict(zip(ROLES, FILE_STATUSES, strict=True))


@pytest.mark.parametrize("change", ["evidence_add", "evidence_delete", "plan"])
def test_only_the_units_staff_change_evidence_and_the_checklist(
    client, world, evidence_of_a, change
):
    """200 here: the change reached the form (it comes back with its errors, since
    nothing valid is sent); a refused role never reaches it."""
    urls = {
        "evidence_add": reverse("commitments:report_evidence_add", args=[A, 2021, 2]),
        "evidence_delete": reverse(
            "commitments:report_evidence_delete", args=[A, 2021, 2, evidence_of_a.pk]
        ),
        "plan": reverse("commitments:report_plan", args=[A, 2021, 2]),
    }
    statuses = {}
    for role in ROLES:
        response = as_role(client, world, role).post(urls[change], {})
        # A delete that went through redirects back to the report: count it as reached.
        reached = response.status_code == 302 and response["Location"].startswith("/report/")
        statuses[role] = 200 if reached else response.status_code
        if change == "evidence_delete" and reached:
            evidence_of_a.save()  # put it back for the next role
    assert statuses == dict(zip(ROLES, STAFF_ONLY_STATUSES, strict=True))

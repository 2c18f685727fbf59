"""The report's checklist of plan tasks and milestones through its page: ticking a task
with its evidence, each refusal next to its field (all or nothing), and who may tick."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from commitments.models import AuditEntry, Indicator, Milestone, PlanTask
from tests.commitments.shortcuts import report_url


@pytest.fixture
def plan(units, catalogue):
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
    page = client.get(report_url()).content.decode()
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
    page = client.get(report_url()).content.decode()
    assert f'name="task-{task.pk}-done"' in page and "disabled" in page
    response = client.post(
        reverse("commitments:report_plan", args=["vp", 2021, 2]),
        {f"task-{task.pk}-done": "2021-03-25", f"task-{task.pk}-evidence": "x"},
    )
    assert response.status_code == 403

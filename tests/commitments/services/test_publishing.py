"""Publishing a period's results (công bố kết quả, ``services.publishing``): who may, which
periods, and what the snapshot holds (the department, A and B are conftest.py's
``world``: A misses land in Q1 2021, so 5.1 and commitment 5 are not met)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from commitments import services
from commitments.models import AuditEntry, Figure, Publication, QuarterlyReport, Status
from tests import factories
from tests.commitments.shortcuts import LAND_5_1, LAND_5_1_EN, publish

# --- who may publish ---------------------------------------------------------------------


def test_the_service_refuses_who_may_not(world):
    with pytest.raises(PermissionDenied):
        publish(world, role="director_a")
    assert not Publication.objects.exists()
    assert not AuditEntry.objects.exists()


# --- which periods -----------------------------------------------------------------------


def test_a_quarter_not_over_is_refused(world):
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    with pytest.raises(services.publishing.PublishRefused) as refused:
        publish(world, year=today.year, quarter=quarter)
    assert str(refused.value) == (
        f"Quý {quarter} năm {today.year} chưa kết thúc: chỉ công bố được kỳ đã kết thúc."
    )
    with pytest.raises(services.publishing.PublishRefused, match=f"Năm {today.year} chưa kết thúc"):
        publish(world, year=today.year, quarter=0)
    assert not Publication.objects.exists()


def test_a_period_without_statuses_is_refused(world):
    with pytest.raises(services.publishing.PublishRefused, match="chưa có trạng thái"):
        publish(world, year=2019, quarter=4)
    assert not Publication.objects.exists()


# --- what is published -------------------------------------------------------------------


def test_the_snapshot_holds_plain_json_and_names_no_person(world):
    publication = publish(world, note="")
    snapshot = publication.snapshot
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["computed_at"]
    commitments = {c["code"]: c for c in snapshot["commitments"]}
    assert commitments["5"]["status"] == "not_met"
    assert commitments["5"]["name_en"].startswith("98% of dossiers in each field")
    land = next(i for i in commitments["5"]["indicators"] if i["code"] == "5.1")
    assert land | {"categories": None} == {
        "code": "5.1",
        "name_vi": LAND_5_1,
        "name_en": LAND_5_1_EN,
        "kind": "ratio",
        "value": land["value"],
        "target": "98.0000",
        "comparator": ">=",
        "status": "not_met",
        "target_text_vi": "từng lĩnh vực ≥ 98% (Đất đai, Đầu tư ≥ 96%)",
        "target_text_en": "each field ≥ 98% (Land, Investment ≥ 96%)",
        "categories": None,
    }
    # 955 + 99 of 1,100 on time.
    assert land["value"] == "95.8181818182"
    assert next(i for i in commitments["5"]["indicators"] if i["code"] == "5.2")["value"] == (
        "0.0000000000"
    )
    assert {c["code"]: (c["value"][:5], c["target"], c["status"]) for c in land["categories"]} == {
        "land": ("95.50", "96.0000", "not_met"),
        "crop": ("99.00", "98.0000", "met"),
    }
    text = json.dumps(snapshot, ensure_ascii=False)
    for user in world["users"].values():
        if user is not None:
            assert user.get_username() not in text
    # The units that miss a coverage condition are not named either.
    assert "Chi cục" not in text


def test_republishing_replaces_the_snapshot_and_both_are_in_the_audit_log(world):
    first = publish(world, note="Lần đầu")
    Figure.objects.filter(unit=world["a"], element__code="dossiers_on_time").update(value=980)
    services.recompute.statuses_recompute(year=2021)
    second = publish(world, role="superuser", note="Số liệu đất đai được sửa")
    assert Publication.objects.count() == 1
    assert second.pk == first.pk
    second.refresh_from_db()
    assert second.published_by == world["users"]["superuser"]
    assert second.note == "Số liệu đất đai được sửa"
    indicators = {
        i["code"]: i["status"] for c in second.snapshot["commitments"] for i in c["indicators"]
    }
    assert indicators["5.1"] == "met"

    entries = list(AuditEntry.objects.order_by("pk"))
    assert [(e.subject, e.action, e.user.get_username(), e.note) for e in entries] == [
        ("publication", "published", "giamdoc", "Lần đầu"),
        ("publication", "published", "quantri", "Số liệu đất đai được sửa"),
    ]
    assert all(
        (e.unit, e.year, e.quarter, e.label) == (world["department"], 2021, 1, "2021-Q1")
        for e in entries
    )
    # The first names every status published; the second what changed: land now
    # meets 96%, commitment 5 is still not met (no dialogue in the quarter, 5.2).
    assert ["5", None, "not_met"] in entries[0].changes
    assert ["5.1", None, "not_met"] in entries[0].changes
    assert [key for key, _old, _new in entries[1].changes] == ["computed_at", "5.1"]
    assert entries[1].changes[1] == ["5.1", "not_met", "met"]


# --- readiness: the units' reports and the note ------------------------------------------

NOTE = "Chi cục Kiểm lâm chưa gửi lại báo cáo; công bố theo số liệu đã duyệt."


def _b_reopened(world):
    """B's report of Q1 back to a draft (the statuses are left as computed: whether a
    note is needed reads the reports)."""
    QuarterlyReport.objects.filter(unit=world["b"], quarter=1).update(
        state=QuarterlyReport.State.DRAFT
    )


@pytest.mark.parametrize("note", ["", "   \n "])
def test_a_note_is_required_while_a_report_is_not_approved(world, note):
    _b_reopened(world)
    with pytest.raises(services.publishing.NoteRequired) as refused:
        publish(world, note=note)
    assert str(refused.value) == (
        "Còn 1/2 đơn vị chưa được duyệt báo cáo: hãy ghi chú lý do công bố khi chưa đủ."
    )
    assert not Publication.objects.exists()
    assert not AuditEntry.objects.exists()


def test_with_a_note_the_readiness_is_published_with_the_results(world):
    _b_reopened(world)
    publication = publish(world, note=f"  {NOTE} ")
    publication.refresh_from_db()
    assert publication.note == NOTE
    assert publication.snapshot["readiness"] == {"expected": 2, "approved": 1}
    entry = AuditEntry.objects.get()
    assert entry.note == NOTE
    assert ["readiness", None, "1/2"] in entry.changes


def test_no_note_is_needed_when_every_report_is_approved(world):
    publication = publish(world, note="")
    assert publication.note == ""
    assert publication.snapshot["readiness"] == {"expected": 2, "approved": 2}


def test_republishing_once_approved_records_the_readiness_that_changed(world):
    _b_reopened(world)
    publish(world, note=NOTE)
    QuarterlyReport.objects.filter(unit=world["b"], quarter=1).update(
        state=QuarterlyReport.State.APPROVED
    )
    publication = publish(world)
    assert publication.snapshot["readiness"] == {"expected": 2, "approved": 2}
    assert publication.note == ""
    assert ["readiness", "1/2", "2/2"] in AuditEntry.objects.order_by("pk").last().changes


def test_the_year_needs_the_four_quarters_of_every_unit_approved(world):
    for quarter in (2, 3, 4):
        factories.report(world["a"], quarter=quarter, state=QuarterlyReport.State.APPROVED)
    with pytest.raises(services.publishing.NoteRequired, match="Còn 1/2 đơn vị"):
        publish(world, quarter=0)
    publication = publish(world, quarter=0, note="Chi cục Kiểm lâm chỉ mới báo cáo quý 1.")
    assert publication.snapshot["readiness"] == {"expected": 2, "approved": 1}

    for quarter in (2, 3, 4):
        factories.report(world["b"], quarter=quarter, state=QuarterlyReport.State.APPROVED)
    assert publish(world, quarter=0).snapshot["readiness"] == {"expected": 2, "approved": 2}


def test_a_note_longer_than_the_limit_is_refused(world):
    with pytest.raises(services.publishing.NoteRequired, match="tối đa 1000 ký tự"):
        publish(world, note="x" * 1001)
    assert not Publication.objects.exists()
    assert publish(world, note="x" * 1000).note == "x" * 1000


# --- official statuses only --------------------------------------------------------------


def test_a_units_draft_figures_never_reach_a_publication(world):
    # A types Q2's land dossiers into a draft: 400 of 500 on time (80%).
    factories.report(world["a"], quarter=2)
    factories.figure(world["a"], "dossiers_resolved", 500, category="land", quarter=2)
    factories.figure(world["a"], "dossiers_on_time", 400, category="land", quarter=2)
    services.recompute.statuses_recompute(year=2021)
    provisional = Status.every.get(
        provisional=True, unit=world["department"], indicator__code="5.1", quarter=2, category=""
    )
    assert provisional.value == 80  # the draft is read, in the provisional set only

    publication = publish(world, quarter=2, note="Báo cáo quý 2 chưa được duyệt.")
    indicators = {
        i["code"]: i for c in publication.snapshot["commitments"] for i in c["indicators"]
    }
    assert (indicators["5.1"]["value"], indicators["5.1"]["status"]) == (None, "no_data")
    assert indicators["5.1"]["categories"] == []
    assert "80.0000000000" not in json.dumps(publication.snapshot)
    assert publication.snapshot["readiness"] == {"expected": 2, "approved": 0}

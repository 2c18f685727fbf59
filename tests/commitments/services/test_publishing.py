"""Publishing a period's results (công bố kết quả, ``services.publishing``): who may, which
periods, and what the snapshot holds (the department, A and B are conftest.py's
``world``: A misses land in Q1 2021, so 5.1 and commitment 5 are not met)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from commitments import services
from commitments.models import AuditEntry, Figure, Publication
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

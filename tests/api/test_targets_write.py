"""Changing a target through the API (PATCH /api/v1/targets/<id>/): admins of targets
only, the targets page's checks and history, overrides replaced when given."""

from __future__ import annotations

from decimal import Decimal

import pytest

from commitments.models import Target, TargetChange

pytestmark = pytest.mark.django_db


def target_51() -> Target:
    return Target.objects.get(year=2021, indicator__code="5.1")


@pytest.mark.parametrize(
    "role,status",
    [
        ("anonymous", 401),
        ("staff_a", 403),
        ("director_department", 403),
        ("city_office", 403),
        ("target_editor", 200),
        ("superuser", 200),
    ],
)
def test_only_admins_of_targets_change_one(call, world, role, status):
    response = call(role, "patch", f"/api/v1/targets/{target_51().pk}/", {"threshold": "97.5"})
    assert response.status_code == status
    assert (target_51().threshold == Decimal("97.5")) == (status == 200)


def test_a_change_is_recorded_and_overrides_are_replaced(call, world):
    target = target_51()
    body = {
        "threshold": "97",
        "note": "Theo văn bản mới",
        "overrides": [{"category": "land", "threshold": "95", "comparator": ">="}],
    }
    response = call("target_editor", "patch", f"/api/v1/targets/{target.pk}/", body)
    assert response.status_code == 200, response.json()
    assert response.json()["threshold"] == 97.0
    assert [(o["category"], o["threshold"]) for o in response.json()["overrides"]] == [
        ("land", 95.0)
    ]
    change = TargetChange.objects.get(target=target)
    assert change.user == world["users"]["target_editor"]


def test_a_bad_value_names_its_field_and_saves_nothing(call, world):
    target = target_51()
    before = (target.threshold, list(target.overrides.values_list("pk", flat=True)))
    response = call(
        "superuser",
        "patch",
        f"/api/v1/targets/{target.pk}/",
        {
            "comparator": "<<",
            "overrides": [{"category": "nope", "threshold": "1", "comparator": ">="}],
        },
    )
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == ["/overrides/0/category"]
    response = call("superuser", "patch", f"/api/v1/targets/{target.pk}/", {"comparator": "<<"})
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == ["/comparator"]
    target = target_51()
    assert (target.threshold, list(target.overrides.values_list("pk", flat=True))) == before
    assert not TargetChange.objects.exists()


def test_an_unknown_target_is_not_found(call, world):
    assert call("superuser", "patch", "/api/v1/targets/999999/", {}).status_code == 404

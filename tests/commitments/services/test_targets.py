"""Preparing a year's targets from another (``services.targets.targets_copy_year``):
every target with its scoped thresholds, deadlines and baselines moved on, each recorded
in the history, and a year that already has targets left alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from commitments import services
from commitments.models import Target, TargetChange, TargetOverride
from tests import factories
from tests.commitments.shortcuts import overrides_of


def test_copy_year_copies_every_target_with_its_overrides(
    catalogue, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        count = services.targets.targets_copy_year(source_year=2021, year=2022, user=admin)

    assert count == 21 == Target.objects.filter(year=2022).count()
    on_time = factories.target("5.1", year=2022)
    assert on_time.threshold == 98 and on_time.comparator == ">="
    assert overrides_of(on_time) == [
        ("investment", "", "", ">=", Decimal(96)),
        ("land", "", "", ">=", Decimal(96)),
    ]
    # The 2021 targets are left as they were.
    assert TargetOverride.objects.filter(target__year=2021).count() == 2
    assert callbacks  # the new year is recomputed once the copy commits


def test_copy_year_moves_deadlines_and_measures_growth_on_the_previous_year(catalogue, admin):
    growth = factories.target("4.2")
    growth.baseline_value = Decimal("34.64")
    growth.save()

    services.targets.targets_copy_year(source_year=2021, year=2026, user=admin)

    copied = {t.indicator.code: t for t in Target.objects.filter(year=2026)}
    assert copied["1.1"].deadline == dt.date(2026, 10, 31)
    assert copied["8.2"].deadline == dt.date(2026, 12, 31)
    assert copied["4.1"].deadline is None
    # Growth against 2020 in 2021 becomes growth against 2025 in 2026; the typed 2020
    # value no longer applies.
    assert (copied["4.2"].baseline_year, copied["4.2"].baseline_value) == (2025, None)
    assert copied["4.3"].baseline_year == 2025
    assert copied["4.1"].baseline_year is None
    assert copied["4.2"].wording == "tăng 3% so với năm 2025"
    assert copied["4.4"].comparator == ">"  # "trên 95%" stays strict
    assert copied["4.5"].threshold is None  # tracked stays tracked


def test_copy_year_records_each_new_target_in_the_history(catalogue, admin):
    services.targets.targets_copy_year(source_year=2021, year=2022, user=admin)

    entries = TargetChange.objects.filter(year=2022)
    assert entries.count() == 21
    entry = entries.get(indicator_code="8.2")
    assert entry.action == TargetChange.Action.COPIED
    assert entry.user == admin
    assert entry.target == Target.objects.get(indicator__code="8.2", year=2022)
    assert entry.changes["year"] == [2021, 2022]
    assert entry.changes["deadline"] == ["2021-12-31", "2022-12-31"]


def test_copy_year_refuses_a_year_that_already_has_targets(catalogue, admin):
    services.targets.targets_copy_year(source_year=2021, year=2022, user=admin)
    target = factories.target("4.1", year=2022)
    target.threshold = 93
    target.save()

    with pytest.raises(services.targets.TargetsCopyRefused, match="2022 đã có mục tiêu"):
        services.targets.targets_copy_year(source_year=2021, year=2022, user=admin)

    target.refresh_from_db()
    assert target.threshold == 93  # nothing overwritten
    assert Target.objects.filter(year=2022).count() == 21
    assert TargetChange.objects.filter(year=2022).count() == 21


def test_copy_year_refuses_a_source_without_targets(catalogue, admin):
    with pytest.raises(ValueError, match="2019 chưa có mục tiêu"):
        services.targets.targets_copy_year(source_year=2019, year=2023, user=admin)

    assert not Target.objects.filter(year=2023).exists()


def test_copy_year_moves_29_february_to_the_28th(catalogue, admin):
    Target.objects.filter(indicator__code="8.2", year=2021).update(deadline=dt.date(2021, 2, 28))
    services.targets.targets_copy_year(source_year=2021, year=2024, user=admin)
    Target.objects.filter(year=2024, indicator__code="8.2").update(deadline=dt.date(2024, 2, 29))

    services.targets.targets_copy_year(source_year=2024, year=2025, user=admin)

    assert Target.objects.get(year=2025, indicator__code="8.2").deadline == dt.date(2025, 2, 28)

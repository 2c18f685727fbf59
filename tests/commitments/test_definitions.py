"""Rules written once and read everywhere: a commitment's overall status, a coverage
target that asks every unit, rounding to two places, comparator signs and status
labels, and a target with its overrides as the engine reads it."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace

import pytest
from django.utils import translation

from commitments import engine, exports, insights, selectors
from commitments.forms import TargetForm, override_formset
from commitments.models import Category, Indicator, Status, Target, TargetOverride
from commitments.templatetags import statuses as status_text

MET, NOT_MET, AT_RISK = engine.MET, engine.NOT_MET, engine.AT_RISK
NO_DATA, NOT_APPLICABLE, TRACKED = engine.NO_DATA, engine.NOT_APPLICABLE, engine.TRACKED


# --- A commitment's overall status -------------------------------------------------


@pytest.mark.parametrize(
    ("statuses", "overall"),
    [
        ([], None),
        ([MET, MET], MET),
        ([MET, AT_RISK], AT_RISK),
        ([AT_RISK, NOT_MET, MET], NOT_MET),
        ([MET, TRACKED], MET),  # tracked never decides
        ([NOT_MET, NOT_APPLICABLE], NOT_MET),
        ([NO_DATA, TRACKED], NO_DATA),
        ([MET, NO_DATA], NO_DATA),  # a met indicator cannot vouch for one without data
        ([AT_RISK, NO_DATA, MET], AT_RISK),
        ([TRACKED, TRACKED], TRACKED),  # all tracked reads "tracked", not "no data"
        ([TRACKED, NOT_APPLICABLE], TRACKED),
        ([NOT_APPLICABLE], NOT_APPLICABLE),
    ],
)
def test_a_commitment_is_the_worst_of_its_judged_indicators(statuses, overall):
    assert engine.overall_status(statuses) == overall


def _card(*statuses: str | None) -> insights.CommitmentCard:
    """A card whose indicators have rows of these statuses (``None``: no row)."""
    readings = [
        insights.IndicatorReading(
            indicator=SimpleNamespace(code=f"1.{n}"),
            row=None if status is None else SimpleNamespace(status=status),
        )
        for n, status in enumerate(statuses, start=1)
    ]
    return insights.CommitmentCard(commitment=SimpleNamespace(code="1"), indicators=readings)


@pytest.mark.parametrize(
    "statuses",
    [(MET, NOT_MET), (MET, None), (TRACKED,), (TRACKED, NO_DATA), (NOT_APPLICABLE, AT_RISK)],
)
def test_the_dashboard_card_and_the_report_agree_on_a_commitment(statuses):
    rows = [s for s in statuses if s is not None]
    assert _card(*statuses).status == engine.overall_status(rows)


def test_a_card_with_nothing_judged_in_the_period_has_no_status():
    assert _card(None, None).status == ""


# --- Coverage: every unit ----------------------------------------------------------


@pytest.mark.parametrize(
    ("threshold", "every_unit"),
    [(None, False), (Decimal(30), False), (Decimal("99.99"), False), (Decimal(100), True)],
)
def test_only_a_coverage_target_of_100_asks_every_unit(threshold, every_unit):
    assert engine.every_unit_must(threshold) is every_unit


# --- Rounding ----------------------------------------------------------------------


def test_rounding_is_half_up_to_two_places_by_default():
    assert engine.rounded(Decimal("98.425")) == Decimal("98.43")
    assert engine.rounded(Fraction(3125, 1000)) == Decimal("3.13")
    assert engine.rounded(Decimal("95.5849")) == Decimal("95.58")
    assert engine.rounded(None) is None


def test_rounding_a_fraction_for_storage_keeps_ten_places_exactly():
    assert engine.rounded(Fraction(1, 3), places=10) == Decimal("0.3333333333")
    assert engine.rounded(Fraction(2, 3), places=4) == Decimal("0.6667")
    assert str(engine.rounded(Fraction(98), places=10)) == "98.0000000000"


def test_the_export_and_the_workbook_give_the_same_number():
    assert selectors.statuses.export_number(Decimal("95.585")) == 95.59
    assert selectors.statuses.export_number(None) is None


# --- Signs and labels --------------------------------------------------------------


def test_comparator_signs():
    assert status_text.comparator_sign(engine.GE) == "≥"
    assert status_text.comparator_sign(engine.GT) == ">"
    assert status_text.comparator_sign("") == ""


@pytest.mark.parametrize("value", [MET, NOT_MET, AT_RISK, NO_DATA, NOT_APPLICABLE, TRACKED])
def test_one_label_per_status_in_the_readers_language(value):
    for language in ("vi", "en"):
        with translation.override(language):
            label = str(Status.Value(value).label)
            assert status_text.status_label(value) == label
            assert exports.status_label(value) == label


def test_a_commitment_not_judged_in_the_period_reads_so_in_the_report():
    with translation.override("vi"):
        assert exports.status_label(None) == "Không đánh giá trong kỳ này"
    assert status_text.status_label("unknown") == "unknown"


def test_a_threshold_reads_the_same_on_a_status_and_on_a_target():
    indicator = SimpleNamespace(kind=engine.RATIO)
    status = SimpleNamespace(target=Decimal("96.0000"), comparator=engine.GE, indicator=indicator)
    target = SimpleNamespace(threshold=Decimal("96.0000"), comparator=engine.GE)
    with translation.override("vi"):
        assert status_text.status_target(status) == "≥ 96%"
        assert status_text.target_text(target, engine.RATIO) == "≥ 96%"
        tracked = SimpleNamespace(threshold=None, comparator="")
        assert status_text.target_text(tracked, engine.RATIO) == "—"


# --- A target and its overrides as the engine reads them ---------------------------


@pytest.fixture
def land_target(catalogue) -> Target:
    """5.1 of 2021: 98% in each field, land and investment 96%."""
    return selectors.targets.targets_for_edit().get(indicator__code="5.1", year=2021)


def test_a_stored_target_reads_with_its_overrides_by_category_code(land_target):
    spec = selectors.engine_inputs.target_spec(land_target, land_target.overrides.all())
    assert (spec.year, spec.threshold, spec.comparator) == (2021, Decimal(98), engine.GE)
    by_category = {o.category: (o.threshold, o.comparator) for o in spec.overrides}
    assert by_category["land"] == (Decimal(96), engine.GE)
    desk = engine.UnitNode(id=1, code="vp", parent_id=None, kind="department")
    assert spec.resolve(desk, "land") == (Decimal(96), engine.GE)
    assert spec.resolve(desk, "crop") == (Decimal(98), engine.GE)


def test_the_edit_form_reads_like_the_stored_target_until_something_changes(land_target):
    overrides = land_target.overrides.all()
    data = {
        "threshold": "98",
        "comparator": engine.GE,
        "wording": land_target.wording,
        "overrides-TOTAL_FORMS": str(len(overrides)),
        "overrides-INITIAL_FORMS": str(len(overrides)),
    }
    for n, override in enumerate(overrides):
        data |= {
            f"overrides-{n}-category": str(override.category_id or ""),
            f"overrides-{n}-unit_kind": override.unit_kind,
            f"overrides-{n}-unit_sector": override.unit_sector,
            f"overrides-{n}-comparator": override.comparator,
            f"overrides-{n}-threshold": str(override.threshold),
        }
    form = TargetForm(data, instance=Target.objects.get(pk=land_target.pk))
    formset = override_formset(land_target, data, sectors=[])
    assert form.is_valid(), form.errors
    assert formset.is_valid(), formset.errors
    typed = formset.inputs()
    assert all(isinstance(o, TargetOverride) and o.pk is None for o in typed)
    stored = selectors.engine_inputs.target_spec(land_target, overrides)
    assert form.target_spec(typed) == stored

    land = Category.objects.get(code="land")
    typed = [TargetOverride(category=land, threshold=Decimal(97), comparator=engine.GT)]
    spec = form.target_spec(typed)
    assert spec.overrides == (engine.Override(Decimal(97), engine.GT, category="land"),)


def test_an_indicator_without_a_short_name_shows_its_name_in_the_readers_language(catalogue):
    indicator = Indicator.objects.get(code="5.1")
    with translation.override("vi"):
        assert indicator.short_name == "Đúng hạn từng lĩnh vực"
    with translation.override("en"):
        assert indicator.short_name == "On time, each field"
    indicator.short_name_vi = indicator.short_name_en = ""
    with translation.override("en"):
        assert indicator.short_name == "Dossiers resolved on time, in each field"
    with translation.override("vi"):
        assert indicator.short_name == "Tỷ lệ hồ sơ giải quyết đúng hạn trên từng lĩnh vực"

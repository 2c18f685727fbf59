"""How the target of an indicator judged in each category reads (5.1: "98% of dossiers
in each field, land and investment 96% or more"): what was signed, in the reader's
language, on every page and document that shows it (``status_target``) and in the
target's own heading (``target_signed``)."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation
from django.utils.formats import number_format

from commitments import engine, selectors
from commitments.models import Indicator, TargetOverride, Unit
from commitments.templatetags import statuses as status_text

NAMES_VI = {"crop": "Trồng trọt", "land": "Đất đai", "investment": "Đầu tư"}
NAMES_EN = {"crop": "Crops", "land": "Land", "investment": "Investment"}
LAND_96 = ("land", Decimal(96), engine.GE)
INVESTMENT_96 = ("investment", Decimal(96), engine.GE)


def _indicator(category_kind: str = "field", *, per_category: bool = True):
    return SimpleNamespace(
        kind=engine.RATIO,
        per_category=per_category,
        denominator=SimpleNamespace(category_kind=category_kind),
        element=None,
    )


def _whole(*category_targets, target="98", indicator=None, category=""):
    """A stored row of 5.1 (the whole unless ``category``) with its detail."""
    return SimpleNamespace(
        indicator=indicator or _indicator(),
        category=category,
        target=Decimal(target),
        comparator=engine.GE,
        facts=engine.Detail(category_targets=category_targets),
    )


def test_the_whole_of_5_1_reads_as_signed_in_each_language():
    whole = _whole(LAND_96, INVESTMENT_96)
    with translation.override("vi"):
        assert (
            status_text.status_target(whole, NAMES_VI)
            == "từng lĩnh vực ≥ 98% (Đất đai, Đầu tư ≥ 96%)"
        )
    with translation.override("en"):
        assert (
            status_text.status_target(whole, NAMES_EN)
            == "each field ≥ 98% (Land, Investment ≥ 96%)"
        )


def test_fields_are_named_in_their_order_and_grouped_by_target():
    whole = _whole(
        ("investment", Decimal(97), engine.GT), LAND_96, ("crop", Decimal(96), engine.GE)
    )
    with translation.override("vi"):
        assert status_text.status_target(whole, NAMES_VI) == (
            "từng lĩnh vực ≥ 98% (Trồng trọt, Đất đai ≥ 96%; Đầu tư > 97%)"
        )


def test_without_a_field_of_its_own_the_target_is_each_field_or_channel():
    with translation.override("vi"):
        assert status_text.status_target(_whole(), NAMES_VI) == "từng lĩnh vực ≥ 98%"
        channels = _whole(target="100", indicator=_indicator("channel"))
        assert status_text.status_target(channels, {}) == "từng kênh ≥ 100%"
    with translation.override("en"):
        assert status_text.status_target(channels, {}) == "each channel ≥ 100%"


def test_a_unit_judged_at_its_kinds_target_reads_that_target_for_each_field():
    # The engine resolved an override for the unit's kind (97) and the fields' own (96).
    affiliated = _whole(LAND_96, INVESTMENT_96, target="97")
    with translation.override("vi"):
        assert status_text.status_target(affiliated, NAMES_VI) == (
            "từng lĩnh vực ≥ 97% (Đất đai, Đầu tư ≥ 96%)"
        )


def test_a_field_row_and_any_other_indicator_read_their_own_threshold():
    with translation.override("vi"):
        assert status_text.status_target(_whole(category="land", target="96"), NAMES_VI) == "≥ 96%"
        satisfaction = _whole(LAND_96, target="91", indicator=_indicator(per_category=False))
        assert status_text.status_target(satisfaction, NAMES_VI) == "≥ 91%"
        # A published reading reads like a status, without a detail.
        published = SimpleNamespace(
            indicator=SimpleNamespace(kind=engine.RATIO), target=Decimal(98), comparator=engine.GE
        )
        assert status_text.status_target(published) == "≥ 98%"


def test_a_field_the_names_do_not_know_reads_as_its_code():
    with translation.override("vi"):
        assert status_text.status_target(_whole(LAND_96), {}) == "từng lĩnh vực ≥ 98% (land ≥ 96%)"


@pytest.mark.django_db
def test_the_heading_of_5_1_says_each_field_with_its_overrides_in_words(catalogue):
    target = selectors.targets.targets_for_edit().get(indicator__code="5.1", year=2021)
    indicator = Indicator.objects.select_related("denominator", "element").get(code="5.1")
    overrides = list(target.overrides.select_related("category").order_by("pk"))
    with translation.override("vi"):
        assert status_text.target_signed(target, indicator, overrides) == (
            "từng lĩnh vực ≥ 98% (Đất đai, Đầu tư ≥ 96%)"
        )
    by_kind = TargetOverride(
        target=target,
        unit_kind=Unit.Kind.AFFILIATED_UNIT,
        threshold=Decimal(97),
        comparator=engine.GE,
    )
    land_in_education = TargetOverride(
        target=target,
        category=overrides[0].category,
        unit_sector="education",
        threshold=Decimal(95),
        comparator=engine.GE,
    )
    with translation.override("vi"):
        assert status_text.target_signed(
            target, indicator, [*overrides, by_kind, land_in_education]
        ) == (
            "từng lĩnh vực ≥ 98% (Đất đai, Đầu tư ≥ 96%; Đơn vị trực thuộc ≥ 97%; "
            "Đất đai (Giáo dục) ≥ 95%)"
        )
    with translation.override("en"):
        assert status_text.target_signed(target, indicator, [*overrides, by_kind]) == (
            "each field ≥ 98% (Land, Investment ≥ 96%; Affiliated unit ≥ 97%)"
        )
        assert status_text.target_signed(target, indicator, [land_in_education]) == (
            "each field ≥ 98% (Land (Education) ≥ 95%)"
        )


@pytest.mark.django_db
def test_the_heading_of_any_other_indicator_lists_its_overrides_in_words(catalogue):
    target = selectors.targets.targets_for_edit().get(indicator__code="4.1", year=2021)
    by_kind = TargetOverride(
        target=target, unit_kind=Unit.Kind.DIVISION, threshold=Decimal(90), comparator=engine.GE
    )
    with translation.override("vi"):
        assert status_text.target_signed(target, target.indicator, []) == "≥ 91%"
        assert status_text.target_signed(target, target.indicator, [by_kind]) == (
            "≥ 91%; Phòng, ban chuyên môn ≥ 90%"
        )


def test_a_page_puts_the_fields_with_their_own_target_on_a_line_of_their_own():
    whole = _whole(LAND_96, INVESTMENT_96)
    names = {**NAMES_VI, "land": "Đất <đai>"}  # a name is text, never markup
    with translation.override("vi"):
        assert status_text.status_target_cell(whole, names) == (
            "từng lĩnh vực ≥ 98% "
            '<span class="target-fields">(Đất &lt;đai&gt;, Đầu tư ≥\u00a096%)</span>'
        )
        assert status_text.status_target_cell(_whole(), names) == "từng lĩnh vực ≥ 98%"
        assert status_text.status_target_cell(_whole(category="land", target="96")) == "≥ 96%"


NUMBERS = [
    "0",
    "-0.00",
    "0.004",
    "-0.004",
    "0.005",
    "1",
    "7.5",
    "98.425",
    "-3.125",
    "999.999",
    "1000",
    "1234.5",
    "-1234567.891",
    "12345678901234.56",
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("fixed", [False, True])
@pytest.mark.parametrize("number", NUMBERS)
def test_a_number_reads_as_djangos_own_formatting_writes_it(language, fixed, number):
    # The pages' numbers are written without number_format, for speed: each must read
    # exactly as number_format writes it in the language, grouped, rounded half up.
    value = Decimal(number)
    rounded = engine.rounded(value)
    places = 0 if rounded == rounded.to_integral_value() and not fixed else 2
    with translation.override(language):
        expected = number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)
        assert status_text._number(value, fixed=fixed) == expected


def test_numbers_read_in_each_languages_marks():
    with translation.override("vi"):
        assert status_text.value_text(Decimal("1234.5"), engine.RATIO) == "1.234,50%"
    with translation.override("en"):
        assert status_text.value_text(Decimal("1234.5"), engine.RATIO) == "1,234.50%"

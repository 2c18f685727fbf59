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


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("number", [0, 7, 999, 1000, 1234, 98765, 1234567, None, ""])
def test_a_whole_number_reads_as_floatformat_writes_it(language, number):
    # The figures behind a value are written without floatformat, for speed.
    from django.template.defaultfilters import floatformat

    with translation.override(language):
        assert status_text.whole(number) == floatformat(number, "0g")


def test_a_status_reads_in_the_readers_language_each_time():
    with translation.override("vi"):
        assert status_text.status_label(engine.NOT_MET) == "Không đạt"
    with translation.override("en"):
        assert status_text.status_label(engine.NOT_MET) == "Not met"
    with translation.override("vi"):
        assert status_text.status_label(engine.NOT_MET) == "Không đạt"
    assert status_text.status_label("something-else") == "something-else"


def test_a_target_written_once_reads_in_each_language_after():
    # The words of a per-category target are kept once written: never another
    # language's, never another target's.
    row = _whole(LAND_96, INVESTMENT_96)
    with translation.override("en"):
        english = status_text.status_target(row, NAMES_EN)
    with translation.override("vi"):
        assert status_text.status_target(row, NAMES_VI) == (
            "từng lĩnh vực ≥ 98% (Đất đai, Đầu tư ≥ 96%)"
        )
    with translation.override("en"):
        assert status_text.status_target(row, NAMES_EN) == english
        assert english == "each field ≥ 98% (Land, Investment ≥ 96%)"
        assert status_text.status_target(_whole(LAND_96, target="97"), NAMES_EN) == (
            "each field ≥ 97% (Land ≥ 96%)"
        )


def test_a_printed_rows_cells_say_its_result_target_and_status():
    row = SimpleNamespace(
        **vars(_whole(LAND_96)),
        value=Decimal("97.5"),
        status=engine.NOT_MET,
        get_status_display=lambda: "Không đạt",
    )
    row.indicator = SimpleNamespace(**vars(row.indicator), code="5.1")
    with translation.override("vi"):
        cells = status_text.judged_cells(row, NAMES_VI)
    assert cells.count("<td") == 3
    assert '<td class="num">97,50%</td>' in cells
    assert (
        '<td class="num">từng lĩnh vực ≥ 98% <span class="target-fields">(Đất đai ≥\u00a096%)'
        "</span></td>" in cells
    )
    assert '<td class="status not_met">Không đạt</td>' in cells


@pytest.mark.parametrize(
    ("facts", "vi", "en"),
    [
        (engine.Detail(numerator=1234, denominator=1500), "1.234 / 1.500", "1,234 / 1,500"),
        (engine.Detail(numerator=None, denominator=7), "0 / 7", "0 / 7"),
        (engine.Detail(covered=229, units=7957), "229 / 7.957", "229 / 7,957"),
        (engine.Detail(records=12, units=5), " / 5", " / 5"),
        (engine.Detail(records=1200), "1.200", "1,200"),
        (engine.Detail(), "", ""),
    ],
)
def test_the_figures_behind_a_value_read_in_each_language(facts, vi, en):
    row = SimpleNamespace(facts=facts)
    with translation.override("vi"):
        assert status_text.figures_behind(row) == f"{vi}\n"
    with translation.override("en"):
        assert status_text.figures_behind(row) == f"{en}\n"


def test_a_value_that_could_not_be_computed_says_why():
    row = SimpleNamespace(facts=engine.Detail(error="chia cho 0 <lỗi>"))
    with translation.override("vi"):
        assert status_text.figures_behind(row) == (
            '<span class="gap">Không tính được: chia cho 0 &lt;lỗi&gt;</span>\n'
        )


def test_a_matrix_row_links_its_unit_and_the_level_below_it():
    unit = SimpleNamespace(code="vn-p01", label="Tỉnh <1>")
    row = {"unit": unit, "top": False, "below": 1234, "not_met": 3, "at_risk": 0, "cells": []}
    with translation.override("vi"):
        html = status_text.matrix_row(row, 2021, 2, "year=2021&quarter=2")
    assert html.startswith("<tr>\n") and html.endswith("</tr>\n")
    assert '<a href="/units/vn-p01/?year=2021&amp;quarter=2">Tỉnh &lt;1&gt;</a>' in html
    assert (
        '<a class="down" href="?year=2021&amp;quarter=2&amp;unit=vn-p01">'
        '<span aria-hidden="true">▸</span> 1.234 đơn vị trực thuộc</a>'
    ) in html
    assert '<td class="num count">3</td>' in html
    top = status_text.matrix_row({**row, "top": True}, 2021, 2, "")
    assert top.startswith('<tr class="top">') and "down" not in top

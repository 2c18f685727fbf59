"""Every problem of a sheet's file, as ``line N: column: reason`` (in English, as the
command prints them), all of them at once, and the signed words that state another
target than the one given, as a warning that does not stop the load."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation

from commitments import services, sheet_file
from commitments.models import DefinitionVersion, IndicatorDefinition, Sheet, Target
from tests import factories

HEADER = sheet_file.COLUMNS + sheet_file.MEASURE_COLUMNS


def commitment(code: str = "1", **cells) -> dict:
    return {"type": "commitment", "code": code, "name_vi": f"Cam kết {code}", **cells}


def indicator(code: str = "1.1", **cells) -> dict:
    return {
        "type": "indicator",
        "code": code,
        "commitment": "1",
        "name_vi": f"Chỉ tiêu {code}",
        "definition": "satisfaction",
        "periods": "quarter+year",
        "threshold": "91",
        "comparator": ">=",
        "wording": "đạt từ 91% trở lên",
        **cells,
    }


def on_time(code: str = "1.2", **cells) -> dict:
    """An indicator judged in each field (5.1's definition)."""
    cells = {"definition": "on-time-by-field", "threshold": "98", "wording": "98% hồ sơ", **cells}
    return indicator(code, **cells)


def override(of: str = "1.2", **cells) -> dict:
    return {"type": "override", "indicator": of, "threshold": "96", "comparator": ">=", **cells}


def definition(code: str = "online-share", **cells) -> dict:
    return {
        "type": "definition",
        "code": code,
        "name_vi": "Tỷ lệ hồ sơ trực tuyến",
        "kind": "ratio",
        "numerator": "dossiers_online",
        "denominator": "dossiers_received",
        **cells,
    }


def write(tmp_path, rows: list[dict], header=HEADER) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "sheet.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return str(path)


def problems(path: str, department: str = "stnmt", year: int = 2021) -> list[str]:
    with translation.override("en"), pytest.raises(services.sheet_files.SheetLoadFailed) as failed:
        services.sheet_files.sheet_load(path=path, department=department, year=year)
    assert not Sheet.objects.filter(department__code=department).exists()
    return failed.value.errors


@pytest.fixture
def stnmt(catalogue):
    return factories.unit("stnmt", kind="department")


@pytest.fixture
def later(catalogue):
    """A definition whose first version applies from 2022."""
    definition = IndicatorDefinition.objects.create(code="later", name_vi="Sau này")
    DefinitionVersion.objects.create(
        definition=definition,
        valid_from=2022,
        name_vi="Sau này",
        kind="milestone",
        source="milestones",
    )


LONG = "x" * 21

# (rows after the header, which is line 1; the problems expected)
CASES = {
    "unknown type": (
        [commitment(), {"type": "cam-ket"}],
        [
            "line 3: type: 'cam-ket' is not one of commitment, indicator, override, definition",
        ],
    ),
    "a column the type leaves empty": (
        [commitment(threshold="5")],
        [
            "line 2: threshold: a commitment row leaves this column empty",
        ],
    ),
    "empty commitment number": (
        [commitment(""), indicator()],
        [
            "line 2: code: is empty",
            "line 3: commitment: no commitment '1' in the file",
        ],
    ),
    "commitment number not a code": (
        [commitment("1.a")],
        [
            "line 2: code: '1.a' is not a code: letters, digits, - and _ only",
        ],
    ),
    "indicator number not a code": (
        [commitment(), indicator("1 1")],
        [
            "line 3: code: '1 1' is not a code: letters, digits, dots, - and _ only",
        ],
    ),
    "number too long": ([commitment(LONG)], ["line 2: code: is longer than 20 characters"]),
    "empty Vietnamese words": ([commitment(name_vi="")], ["line 2: name_vi: is empty"]),
    "words too long": (
        [commitment(), indicator(short_name_vi="y" * 61)],
        [
            "line 3: short_name_vi: is longer than 60 characters",
        ],
    ),
    "duplicate commitment number": (
        [commitment(), commitment(), indicator()],
        [
            "line 3: code: commitment 1 is already on line 2",
        ],
    ),
    "duplicate indicator number": (
        [commitment(), indicator(), indicator()],
        [
            "line 4: code: indicator 1.1 is already on line 3",
        ],
    ),
    "unknown commitment": (
        [commitment(), indicator(commitment="2")],
        [
            "line 3: commitment: no commitment '2' in the file",
        ],
    ),
    "empty definition": (
        [commitment(), indicator(definition="")],
        [
            "line 3: definition: is empty",
        ],
    ),
    "unknown definition": (
        [commitment(), indicator(definition="nope")],
        [
            "line 3: definition: unknown definition 'nope': neither stored nor described in the file",
        ],
    ),
    "a definition not in force that year": (
        [commitment(), indicator(definition="later")],
        [
            "line 3: definition: the definition later has no version that applies in 2021",
        ],
    ),
    "unknown periods": (
        [commitment(), indicator(periods="month")],
        [
            "line 3: periods: 'month' is not one of year, quarter, quarter+year",
        ],
    ),
    "threshold not a number": (
        [commitment(), indicator(threshold="9l")],
        [
            "line 3: threshold: '9l' is not a number like 96 or 96.5",
        ],
    ),
    "threshold too long": (
        [commitment(), indicator(threshold="123456789")],
        [
            "line 3: threshold: '123456789' is too long: at most 8 digits and 4 decimals",
        ],
    ),
    "comparator not in the wording table": (
        [commitment(), indicator(comparator="<=")],
        [
            "line 3: comparator: '<=' is not a comparator of the wording table: use >= (từ … trở "
            "lên, ít nhất, tăng, X%) or > (trên X%)",
        ],
    ),
    "comparator without a threshold": (
        [commitment(), indicator(threshold="")],
        [
            "line 3: comparator: a comparator without a threshold: an indicator without a "
            "threshold is only tracked",
        ],
    ),
    "no comparator, words that state none": (
        [commitment(), indicator(comparator="", wording="hoàn thành tốt")],
        ["line 3: comparator: is empty, and the signed words state none: give >= or >"],
    ),
    "no comparator, words that state one no target can": (
        [commitment(), indicator(comparator="", wording="không quá 5%")],
        [
            "line 3: comparator: the signed words «không quá 5%» say <=, which no target can "
            "say (only >= or >)",
        ],
    ),
    "deadline not a date": (
        [commitment(), indicator(deadline="30/11/2021")],
        [
            "line 3: deadline: '30/11/2021' is not a date like 2021-11-30",
        ],
    ),
    "baseline year not a number": (
        [commitment(), indicator(definition="online-share-growth", baseline_year="20x0")],
        ["line 3: baseline_year: '20x0' is not a whole number of 0 or more"],
    ),
    "baseline year not before the sheet's": (
        [commitment(), indicator(definition="online-share-growth", baseline_year="2021")],
        ["line 3: baseline_year: 2021 is not a year before 2021"],
    ),
    "a baseline for an indicator that is no growth": (
        [commitment(), indicator(baseline_value="34.6")],
        ["line 3: baseline_value: only a growth indicator has a baseline"],
    ),
    "override of an indicator not in the file": (
        [commitment(), on_time(), override("9.9", category="land")],
        [
            "line 4: indicator: no indicator '9.9' in the file",
        ],
    ),
    "override of an unknown category": (
        [commitment(), on_time(), override(category="mars")],
        [
            "line 4: category: unknown category 'mars'",
        ],
    ),
    "override without a condition": (
        [commitment(), on_time(), override()],
        [
            "line 4: category: an override needs a category, a unit kind or a unit sector",
        ],
    ),
    "override without a threshold": (
        [commitment(), on_time(), override(category="land", threshold="")],
        [
            "line 4: threshold: is empty",
        ],
    ),
    "override of an unknown unit kind": (
        [commitment(), on_time(), override(unit_kind="ministry")],
        [
            "line 4: unit_kind: 'ministry' is not one of department, division, affiliated_unit",
        ],
    ),
    "override twice": (
        [
            commitment(),
            on_time(),
            override(category="land"),
            override(category="land", threshold="95"),
        ],
        ["line 5: category: this override of indicator 1.2 is already on line 4"],
    ),
    "override of a tracked indicator": (
        [commitment(), on_time(threshold="", comparator=""), override(category="land")],
        ["line 4: indicator: indicator 1.2 is tracked (it has no threshold): it has no overrides"],
    ),
    "category override of an indicator not judged per category": (
        [commitment(), indicator(), override("1.1", category="land")],
        [
            "line 4: category: indicator 1.1 is not judged per category: an override for a "
            "category would never apply",
        ],
    ),
    "a category the definition does not know": (
        [commitment(), on_time(), override(category="portal_1022")],
        [
            "line 4: category: the definition on-time-by-field does not know the category "
            "portal_1022: its figures are split by Procedure field",
        ],
    ),
    "definition with an unknown element": (
        [
            definition(numerator="dossiers_ontime"),
            commitment(),
            indicator(definition="online-share"),
        ],
        [
            "line 2: numerator: unknown data element 'dossiers_ontime'",
            "line 4: definition: unknown definition 'online-share': neither stored nor "
            "described in the file",
        ],
    ),
    "definition without a kind": ([definition(kind=""), commitment()], ["line 2: kind: is empty"]),
    "definition of an unknown kind": (
        [definition(kind="average"), commitment()],
        [
            "line 2: kind: 'average' is not one of ratio, growth_points, growth_relative, count, "
            "coverage, milestone",
        ],
    ),
    "definition whose kind lacks an element": (
        [definition(denominator=""), commitment()],
        [
            "line 2: denominator: A rate indicator needs a denominator.",
        ],
    ),
    "definition judged per category on elements not split": (
        [
            definition(
                numerator="docs_signed_digitally", denominator="docs_issued", per_category="1"
            ),
            commitment(),
        ],
        [
            "line 2: per_category: the definition's data elements are not split by any "
            "category: it cannot be judged per category",
        ],
    ),
    "definition with a flag that is not 0 or 1": (
        [definition(scope_receives_dossiers="yes"), commitment()],
        [
            "line 2: scope_receives_dossiers: 'yes' must be 0 or 1",
        ],
    ),
    "definition of an unknown unit kind in scope": (
        [definition(scope_kinds="division ministry"), commitment()],
        [
            "line 2: scope_kinds: 'ministry' is not one of department, division, affiliated_unit",
        ],
    ),
    "definition twice": (
        [definition(), definition(), commitment()],
        [
            "line 3: code: definition online-share is already on line 2",
        ],
    ),
    "definition stored that measures otherwise": (
        [
            definition(
                "satisfaction",
                kind="count",
                numerator="",
                denominator="",
                element="survey_responses",
            ),
            commitment(),
        ],
        [
            "line 2: kind: the definition satisfaction is already stored and measures "
            "otherwise (kind: ratio, not count): use it without describing it again, or give "
            "the new one another code",
        ],
    ),
    "definition stored that begins later": (
        [definition("later", kind="milestone", numerator="", denominator=""), commitment()],
        [
            "line 2: code: the definition later has no version that applies in 2021",
        ],
    ),
    "a file without commitments": ([], ["line 1: type: the file holds no commitment"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_problem_names_its_line_and_column(stnmt, later, tmp_path, case):
    rows, expected = CASES[case]

    assert problems(write(tmp_path, rows)) == expected


def test_every_problem_of_the_file_at_once_in_the_order_of_its_lines(stnmt, tmp_path):
    rows = [
        commitment(),
        indicator(comparator="<"),
        commitment(),
        indicator("1.3", definition="nope", deadline="mai"),
        override("1.1", category="land"),
    ]

    assert problems(write(tmp_path, rows)) == [
        "line 3: comparator: '<' is not a comparator of the wording table: use >= (từ … trở "
        "lên, ít nhất, tăng, X%) or > (trên X%)",
        "line 4: code: commitment 1 is already on line 2",
        "line 5: deadline: 'mai' is not a date like 2021-11-30",
        "line 5: definition: unknown definition 'nope': neither stored nor described in the file",
        "line 6: category: indicator 1.1 is not judged per category: an override for a "
        "category would never apply",
    ]


def test_an_unknown_department_a_unit_below_one_and_a_bad_year_with_the_rows(stnmt, tmp_path):
    factories.unit("stnmt-vp", parent=stnmt)
    path = write(tmp_path, [commitment(), indicator(periods="month")])

    assert problems(path, department="sotnmt") == [
        "line 0: department: unknown department 'sotnmt'; departments: stnmt",
        "line 3: periods: 'month' is not one of year, quarter, quarter+year",
    ]
    # The rows are read against the definitions in force in the year: none without one.
    assert problems(path, department="sotnmt", year=1999) == [
        "line 0: department: unknown department 'sotnmt'; departments: stnmt",
        "line 0: year: The year must be between 2000 and 2100.",
    ]
    assert problems(path, department="stnmt-vp") == [
        "line 0: department: stnmt-vp is not a department: it belongs to stnmt",
        "line 3: periods: 'month' is not one of year, quarter, quarter+year",
    ]


def test_a_header_without_a_column_or_with_an_unknown_one(stnmt, tmp_path):
    header = [c for c in HEADER if c != "wording"] + ["colour"]
    path = write(tmp_path, [], header=header)

    assert problems(path) == ["line 1: wording: missing column", "line 1: colour: unknown column"]


def test_the_measure_columns_may_be_left_out_when_no_definition_is_described(stnmt, tmp_path):
    path = write(tmp_path, [commitment(), indicator()], header=sheet_file.COLUMNS)

    with translation.override("en"):
        loaded = services.sheet_files.sheet_load(path=path, department="stnmt", year=2021)

    assert loaded.counts["indicators"] == 1


def test_words_that_state_another_target_are_a_warning_and_the_sheet_loads(stnmt, tmp_path):
    path = write(
        tmp_path,
        [
            commitment(),
            indicator(threshold="93"),
            on_time(wording="98% hồ sơ (đất đai từ 96% trở lên)"),
        ],
    )

    with translation.override("en"):
        loaded = services.sheet_files.sheet_load(path=path, department="stnmt", year=2021)

    assert loaded.warnings == [
        "line 3: wording: warning: Signed words «từ 91% trở lên» mean ≥ 91%, but the target "
        "is ≥ 93%.",
        "line 4: wording: warning: Signed words «từ 96% trở lên» mean ≥ 96%, but no scoped "
        "threshold says so.",
    ]
    assert Target.objects.get(indicator__sheet=loaded.sheet, indicator__code="1.1").threshold == 93


def test_an_empty_comparator_is_read_from_the_signed_words(stnmt, tmp_path):
    path = write(
        tmp_path,
        [commitment(), indicator(comparator="", threshold="95", wording="trên 95% đơn vị")],
    )

    with translation.override("en"):
        loaded = services.sheet_files.sheet_load(path=path, department="stnmt", year=2021)

    target = Target.objects.get(indicator__sheet=loaded.sheet)
    assert (target.threshold, target.comparator, loaded.warnings) == (95, ">", [])


@pytest.mark.django_db
def test_a_definition_another_load_stores_first_is_a_refusal_naming_its_line():
    """Two departments' files describing the same new definition at once: the load that
    commits second is refused with the line of its definition, not a database error."""
    from commitments.services.sheet_files import SheetLoadFailed, _definition_create

    IndicatorDefinition.objects.create(code="digitised", name_vi="Số hóa", position=90)
    described = sheet_file.DefinitionLine(7, "digitised", "Số hóa hồ sơ", "", {})

    with translation.override("en"), pytest.raises(SheetLoadFailed) as refused:
        _definition_create(described, position=91)

    assert refused.value.errors == [
        "line 7: definition: definition digitised was created by another load at the same "
        "time; load the file again."
    ]
    assert IndicatorDefinition.objects.filter(code="digitised").count() == 1

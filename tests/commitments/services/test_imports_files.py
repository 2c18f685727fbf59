"""What an import says of a file it cannot take as it is: not UTF-8, dated ahead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from commitments import services
from tests.commitments.services.importing import (
    EVIDENCE_HEADER,
    FIGURES_HEADER,
    UNITS_HEADER,
    errors_of,
)


def test_a_file_saved_in_windows_1258_is_named_with_its_line(tmp_path):
    path = tmp_path / "don-vi.csv"
    text = UNITS_HEADER + "sonn,Văn phong Đơn vi\u0323,,department,agriculture,0,0\n"
    path.write_bytes(text.encode("cp1258"))
    errors = errors_of(services.imports.units_import, str(path))
    assert errors == ["line 2: file: not UTF-8; save it as UTF-8 (it looks like Windows-1258)"]


def test_a_file_saved_as_utf_16_says_so(tmp_path):
    path = tmp_path / "don-vi.csv"
    path.write_bytes((UNITS_HEADER + "sonn,Sở,,department,agriculture,0,0\n").encode("utf-16"))
    errors = errors_of(services.imports.units_import, str(path))
    assert errors == ["line 1: file: not UTF-8; save it as UTF-8 (it looks like UTF-16)"]


def test_evidence_dated_in_the_future_is_refused_as_on_the_form(stored_units, write_file):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    text = EVIDENCE_HEADER + f"{tomorrow},sonn,dialogue,,1/TB-SNN,Đối thoại\n"
    errors = errors_of(services.imports.evidence_import, write_file("minh-chung.csv", text))
    assert errors == [f"line 2: date: {tomorrow} is in the future: record what was done"]


@pytest.mark.parametrize("days", [0, 1])
def test_evidence_of_today_or_before_is_taken(stored_units, write_file, days):
    day = timezone.localdate() - dt.timedelta(days=days)
    text = EVIDENCE_HEADER + f"{day},sonn,dialogue,,1/TB-SNN,Đối thoại\n"
    result = services.imports.evidence_import(path=write_file("minh-chung.csv", text))
    assert result.created == 1


def test_a_file_with_bad_rows_and_a_broken_rule_is_told_both_at_once(stored_units, write_file):
    text = FIGURES_HEADER + (
        "2021,1,vp,dossiers_resolved,land,100\n"  # 2
        "2021,1,vp,dossiers_on_time,land,130\n"  # 3: more on time than resolved
        "2021,1,vp,survey_responses,,abc\n"  # 4: not a number
    )
    errors = errors_of(services.imports.figures_import, write_file("so-lieu.csv", text))
    assert [e.split(":")[0] for e in errors] == ["line 3", "line 4"]
    assert "cannot exceed" in errors[0]
    assert errors[1].startswith("line 4: value: 'abc'")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("130000000000000", "Too large: at most 1,000,000,000."),
        ("9" * 25, "Too large: at most 1,000,000,000."),
        ("9" * 5000, "Too large: at most 1,000,000,000."),
    ],
)
def test_a_value_over_the_elements_bound_is_refused_with_its_line(
    stored_units, write_file, value, reason
):
    text = FIGURES_HEADER + f"2021,1,vp,procedures_online_eligible,,{value}\n"
    errors = errors_of(services.imports.figures_import, write_file("so-lieu.csv", text))
    assert len(errors) == 1
    assert errors[0].startswith("line 2: value: ")
    assert errors[0].endswith(reason)
    assert len(errors[0]) < 200  # what was typed is quoted cut short


def test_the_bound_is_the_elements_own(stored_units, write_file):
    from commitments.models import DataElement

    DataElement.objects.filter(code="docs_issued").update(max_value=500)
    text = FIGURES_HEADER + "2021,1,vp,docs_issued,,501\n2021,1,vp,docs_issued,,500\n"
    errors = errors_of(services.imports.figures_import, write_file("so-lieu.csv", text))
    assert errors == ["line 2: value: '501': Too large: at most 500."]


def test_a_cell_over_the_csv_limit_is_a_line_error_not_a_traceback(stored_units, write_file):
    text = FIGURES_HEADER + "2021,1,vp,docs_issued,," + "1" * 200_000 + "\n"
    errors = errors_of(services.imports.figures_import, write_file("so-lieu.csv", text))
    assert len(errors) == 1
    assert errors[0].startswith("line 2: file: not a readable CSV row")

"""End to end through the CONTRACT.md commands only: load the catalogue, import units,
figures and evidence from files, recompute, export, and check the boundary cases of
DOMAIN.md in the exported statuses.

2021 is long closed, so every 2021 status is final (never ``at_risk``).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from commitments.models import (
    Category,
    Commitment,
    DataElement,
    Indicator,
    RecomputeState,
    Status,
    Target,
    TargetOverride,
    ValidationRule,
)

EXPORT_KEYS = ["indicator", "unit", "category", "period", "value", "target", "comparator", "status"]

EDUCATION = [f"truong-{n:02}" for n in range(1, 11)]
HEALTH = [f"ttyt-{n:02}" for n in range(1, 11)]

UNITS_CSV = "\n".join(
    [
        "code,name,parent,kind,sector,public_service,receives_dossiers",
        # A child before its parent, on purpose.
        "vp,Văn phòng Sở,sonn,division,agriculture,0,1",
        "sonn,Sở Nông nghiệp và Phát triển nông thôn,,department,agriculture,0,0",
        "ccttbvtv,Chi cục Trồng trọt và Bảo vệ thực vật,sonn,affiliated_unit,agriculture,1,1",
        "pkh,Phòng Kế hoạch - Tài chính,sonn,division,agriculture,0,0",
        *[
            f"{code},Trường Trung cấp Nông nghiệp số {n},sonn,affiliated_unit,education,1,0"
            for n, code in enumerate(EDUCATION, start=1)
        ],
        *[
            f"{code},Trạm Y tế Nông trường số {n},sonn,affiliated_unit,health,1,0"
            for n, code in enumerate(HEALTH, start=1)
        ],
    ]
)

FIGURES_CSV = "\n".join(
    [
        "year,quarter,unit,element,category,value",
        # 5.1, Q1 at ccttbvtv: land 96% (>= 96: met), crop 97% (< 98: not met),
        # fisheries 98% exactly (met).
        "2021,1,ccttbvtv,dossiers_resolved,land,100",
        "2021,1,ccttbvtv,dossiers_on_time,land,96",
        "2021,1,ccttbvtv,dossiers_resolved,crop,100",
        "2021,1,ccttbvtv,dossiers_on_time,crop,97",
        "2021,1,ccttbvtv,dossiers_resolved,fisheries,50",
        "2021,1,ccttbvtv,dossiers_on_time,fisheries,49",
        # 4.2: 6,270 online of 11,000 in 2021 and 5,400 of 10,000 in 2020, spread over
        # units, quarters and fields: 57% - 54% = +3.00 points exactly.
        "2021,1,vp,dossiers_received,crop,5000",
        "2021,1,vp,dossiers_online,crop,2900",
        "2021,2,ccttbvtv,dossiers_received,land,6000",
        "2021,2,ccttbvtv,dossiers_online,land,3370",
        "2020,1,vp,dossiers_received,crop,4000",
        "2020,1,vp,dossiers_online,crop,2000",
        "2020,3,ccttbvtv,dossiers_received,crop,6000",
        "2020,3,ccttbvtv,dossiers_online,crop,3400",
        # 4.1: 2 of 3 satisfied: 66.666...% exported as 66.67.
        "2021,1,vp,survey_responses,,3",
        "2021,1,vp,survey_satisfied,,2",
        # 8.1 (tracked): 1 of 32 signed digitally: 3.125% exported half up as 3.13.
        "2021,1,pkh,docs_issued,,32",
        "2021,1,pkh,docs_signed_digitally,,1",
        # 4.4: 19 of the 20 education and health public-service units apply e-payment:
        # 95% exactly, which is not "more than 95%".
        *[f"2021,4,{code},epayment_applied,,1" for code in EDUCATION + HEALTH[:-1]],
        f"2021,4,{HEALTH[-1]},epayment_applied,,0",
    ]
)

SURPRISE_Q1 = ["vp", "ccttbvtv", "pkh", EDUCATION[0], HEALTH[0]]
SURPRISE_Q2 = ["vp", "ccttbvtv", EDUCATION[1], HEALTH[1]]

EVIDENCE_CSV = "\n".join(
    [
        "date,unit,kind,subject_unit,reference,title",
        # 3.2, Q1: 5 distinct units inspected without notice (vp twice).
        *[
            f"2021-02-{10 + n},sonn,inspection_surprise,{code},{n + 1}/BB-SNN,"
            f"Kiểm tra đột xuất công vụ"
            for n, code in enumerate(SURPRISE_Q1)
        ],
        "2021-03-25,sonn,inspection_surprise,vp,6/BB-SNN,Kiểm tra đột xuất lần 2",
        # Q2: 5 records but 4 distinct units.
        *[
            f"2021-05-{10 + n},sonn,inspection_surprise,{code},{n + 10}/BB-SNN,"
            for n, code in enumerate(SURPRISE_Q2)
        ],
        "2021-06-20,sonn,inspection_surprise,vp,20/BB-SNN,",
        "2021-03-30,sonn,dialogue,,15/TB-SNN,Đối thoại với người dân và doanh nghiệp quý I",
    ]
)


def command(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    assert err.getvalue() == ""
    return out.getvalue()


def export_json() -> list[dict]:
    return json.loads(command("export_statuses", "--year", "2021", "--format", "json"))


def export_csv() -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(
        io.StringIO(command("export_statuses", "--year", "2021", "--format", "csv"))
    )
    return list(reader.fieldnames), list(reader)


def find(rows: list[dict], indicator: str, period: str, category=None, unit="sonn") -> dict:
    found = [
        r
        for r in rows
        if r["indicator"] == indicator
        and r["unit"] == unit
        and r["period"] == period
        and r["category"] == category
    ]
    assert len(found) == 1, (indicator, unit, period, category, found)
    return found[0]


def catalogue_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Category,
            DataElement,
            ValidationRule,
            Commitment,
            Indicator,
            Target,
            TargetOverride,
        )
    }


@pytest.fixture
def loaded(db, write_file):
    """The catalogue, units, figures and evidence loaded through the commands."""
    out = command("load_catalogue", "hcmc-dard-2021")
    assert out.startswith("hcmc-dard-2021: ")
    assert "21 indicators" in out
    out = command("import_units", write_file("units.csv", UNITS_CSV + "\n", bom=True))
    assert "24 created, 0 updated, 0 unchanged" in out
    out = command("import_figures", write_file("figures.csv", FIGURES_CSV + "\n"))
    assert "38 created, 0 updated, 0 unchanged" in out
    out = command("import_evidence", write_file("evidence.csv", EVIDENCE_CSV + "\n"))
    assert "12 created, 0 updated, 0 unchanged" in out
    return write_file


def recompute() -> int:
    out = command("recompute", "--year", "2021")
    lines = out.strip().splitlines()
    written = Status.objects.filter(year=2021).count()
    assert written > 0
    assert lines == [f"2021: {written} statuses", f"{written} statuses written"]
    return written


def test_load_catalogue_twice_is_idempotent(db):
    first = command("load_catalogue", "hcmc-dard-2021")
    counts = catalogue_counts()
    assert counts["Commitment"] == 9
    assert counts["Indicator"] == 21
    assert counts["Target"] == 21
    assert counts["TargetOverride"] == 2
    assert counts["ValidationRule"] == 6
    second = command("load_catalogue", "hcmc-dard-2021")
    assert second == first
    assert catalogue_counts() == counts
    land = TargetOverride.objects.get(category__code="land")
    assert (land.target.indicator.code, land.threshold, land.comparator) == ("5.1", 96, ">=")
    assert Target.objects.get(indicator__code="4.4").comparator == ">"


def test_load_catalogue_unknown_name_fails(db):
    with pytest.raises(CommandError) as failed:
        call_command("load_catalogue", "hcmc-dard-2099", stdout=io.StringIO())
    assert "hcmc-dard-2099" in str(failed.value)
    assert failed.value.returncode == 1
    assert Indicator.objects.count() == 0


def test_second_import_of_each_file_changes_nothing(loaded):
    write_file = loaded
    written = recompute()
    exported = export_json()
    out = command("import_units", write_file("units.csv", UNITS_CSV + "\n", bom=True))
    assert "0 created, 0 updated, 24 unchanged" in out
    out = command("import_figures", write_file("figures.csv", FIGURES_CSV + "\n"))
    assert "0 created, 0 updated, 38 unchanged" in out
    out = command("import_evidence", write_file("evidence.csv", EVIDENCE_CSV + "\n"))
    assert "0 created, 0 updated, 12 unchanged" in out
    assert recompute() == written
    assert export_json() == exported


def test_export_json_shape(loaded):
    recompute()
    rows = export_json()
    assert rows
    assert all(list(r) == EXPORT_KEYS for r in rows)
    assert {r["period"] for r in rows} == {"2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4", "2021"}
    assert {r["status"] for r in rows} <= {
        "met",
        "not_met",
        "no_data",
        "not_applicable",
        "tracked",
    }  # 2021 is closed: nothing is at risk
    assert {r["comparator"] for r in rows} <= {">=", ">", None}
    for r in rows:
        for key in ("value", "target"):
            assert r[key] is None or isinstance(r[key], int | float)
            assert r[key] is None or round(r[key], 2) == r[key]
        assert r["category"] is None or r["category"]
    # Every indicator has a department row; the units are named by their codes.
    assert {r["indicator"] for r in rows if r["unit"] == "sonn"} == set(
        Indicator.objects.values_list("code", flat=True)
    )
    assert {r["unit"] for r in rows} <= {"sonn", "vp", "ccttbvtv", "pkh", *EDUCATION, *HEALTH}


def test_on_time_resolution_in_each_field(loaded):
    recompute()
    rows = export_json()
    for period in ("2021-Q1", "2021"):
        land = find(rows, "5.1", period, "land")
        assert (land["value"], land["target"], land["comparator"], land["status"]) == (
            96.0,
            96.0,
            ">=",
            "met",
        )
        crop = find(rows, "5.1", period, "crop")
        assert (crop["value"], crop["target"], crop["comparator"], crop["status"]) == (
            97.0,
            98.0,
            ">=",
            "not_met",
        )
        fisheries = find(rows, "5.1", period, "fisheries")
        assert (fisheries["value"], fisheries["status"]) == (98.0, "met")
        # The whole: Σ/Σ = 242/250 = 96.8% shown, not met because crop is not.
        whole = find(rows, "5.1", period, None)
        assert whole["category"] is None
        assert (whole["value"], whole["target"], whole["status"]) == (96.8, 98.0, "not_met")
        # The receiving unit's own rows say the same.
        assert find(rows, "5.1", period, "land", unit="ccttbvtv")["status"] == "met"
        assert find(rows, "5.1", period, "crop", unit="ccttbvtv")["status"] == "not_met"
        assert find(rows, "5.1", period, None, unit="ccttbvtv")["status"] == "not_met"
    # A quarter without any resolved dossier has no data, not 0%.
    q2 = find(rows, "5.1", "2021-Q2", None)
    assert (q2["value"], q2["status"]) == (None, "no_data")
    assert [
        r["category"]
        for r in rows
        if (r["indicator"], r["unit"], r["period"]) == ("5.1", "sonn", "2021-Q2")
    ] == [None]
    # A unit outside the scope (not a receiving desk) is not applicable.
    assert find(rows, "5.1", "2021-Q1", None, unit="pkh")["status"] == "not_applicable"


def test_online_share_growth_of_three_points_is_met(loaded):
    recompute()
    row = find(export_json(), "4.2", "2021", None)
    assert row == {
        "indicator": "4.2",
        "unit": "sonn",
        "category": None,
        "period": "2021",
        "value": 3.0,
        "target": 3.0,
        "comparator": ">=",
        "status": "met",
    }


def test_epayment_more_than_95_percent(loaded):
    write_file = loaded
    recompute()
    row = find(export_json(), "4.4", "2021", None)
    assert (row["value"], row["target"], row["comparator"], row["status"]) == (
        95.0,
        95.0,
        ">",
        "not_met",
    )
    # The twentieth unit starts applying it: 100%, met.
    out = command(
        "import_figures",
        write_file(
            "epayment.csv",
            f"year,quarter,unit,element,category,value\n2021,4,{HEALTH[-1]},epayment_applied,,1\n",
        ),
    )
    assert "0 created, 1 updated, 0 unchanged" in out
    recompute()
    row = find(export_json(), "4.4", "2021", None)
    assert (row["value"], row["status"]) == (100.0, "met")


def test_surprise_inspections_of_five_distinct_units_a_quarter(loaded):
    recompute()
    rows = export_json()
    q1 = find(rows, "3.2", "2021-Q1", None)
    assert (q1["value"], q1["target"], q1["comparator"], q1["status"]) == (
        5.0,
        5.0,
        ">=",
        "met",
    )
    q2 = find(rows, "3.2", "2021-Q2", None)  # 5 records, 4 distinct units
    assert (q2["value"], q2["status"]) == (4.0, "not_met")
    for period in ("2021-Q3", "2021-Q4"):  # closed quarters without records count 0
        row = find(rows, "3.2", period, None)
        assert (row["value"], row["status"]) == (0.0, "not_met")
    # Judged by quarter: the year is its worst quarter, and it failed.
    year = find(rows, "3.2", "2021", None)
    assert (year["value"], year["target"], year["status"]) == (0.0, 5.0, "not_met")
    # One dialogue in Q1 only (5.2, at least one a quarter).
    assert find(rows, "5.2", "2021-Q1", None)["status"] == "met"
    assert find(rows, "5.2", "2021-Q2", None)["status"] == "not_met"


def test_values_rounded_half_up_to_two_decimals(loaded):
    recompute()
    rows = export_json()
    satisfaction = find(rows, "4.1", "2021-Q1", None)
    assert (satisfaction["value"], satisfaction["target"], satisfaction["status"]) == (
        66.67,
        91.0,
        "not_met",
    )
    assert find(rows, "4.1", "2021", None, unit="vp")["value"] == 66.67
    signed = find(rows, "8.1", "2021-Q1", None)
    assert signed == {
        "indicator": "8.1",
        "unit": "sonn",
        "category": None,
        "period": "2021-Q1",
        "value": 3.13,
        "target": None,
        "comparator": None,
        "status": "tracked",
    }


def test_export_csv_has_the_same_rows_as_json(loaded):
    recompute()
    rows = export_json()
    header, table = export_csv()
    assert header == EXPORT_KEYS
    assert len(table) == len(rows)
    for line, row in zip(table, rows, strict=True):
        assert line["indicator"] == row["indicator"]
        assert line["unit"] == row["unit"]
        assert line["period"] == row["period"]
        assert line["category"] == (row["category"] or "")
        assert line["comparator"] == (row["comparator"] or "")
        assert line["status"] == row["status"]
        for key in ("value", "target"):
            if row[key] is None:
                assert line[key] == ""
            else:
                assert float(line[key]) == row[key]
    by_key = {(r["indicator"], r["unit"], r["category"], r["period"]): r for r in table}
    land = by_key[("5.1", "sonn", "land", "2021-Q1")]
    assert (land["value"], land["comparator"], land["status"]) == ("96.0", ">=", "met")
    epayment = by_key[("4.4", "sonn", "", "2021")]
    assert (epayment["value"], epayment["comparator"], epayment["status"]) == (
        "95.0",
        ">",
        "not_met",
    )
    growth = by_key[("4.2", "sonn", "", "2021")]
    assert (growth["value"], growth["status"]) == ("3.0", "met")


def test_recompute_without_year_covers_the_years_with_targets(loaded):
    out = command("recompute")
    written = Status.objects.filter(year=2021).count()
    assert out.strip().splitlines() == [f"2021: {written} statuses", f"{written} statuses written"]


def test_a_failing_recompute_command_records_the_failure_and_fails(loaded, monkeypatch):
    from commitments import engine

    monkeypatch.setattr(engine, "compute_statuses", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        command("recompute", "--year", "2021")
    state = RecomputeState.objects.get(year=2021)
    assert state.failed and state.last_error == "ZeroDivisionError: division by zero"


def test_export_of_a_year_without_statuses_is_empty(db):
    assert export_json() == []
    header, table = export_csv()
    assert header == EXPORT_KEYS
    assert table == []


# --- load_sheet ----------------------------------------------------------------------------

STNMT_SHEET = str(settings.BASE_DIR / "commitments" / "data" / "stnmt-2021.csv")
SHEET_UNITS_CSV = "\n".join(
    [
        "code,name,parent,kind,sector,public_service,receives_dossiers",
        "stnmt,Sở Tài nguyên và Môi trường,,department,environment,0,0",
        "stnmt-vp,Văn phòng Sở,stnmt,division,environment,0,1",
    ]
)


def test_load_sheet_prints_what_it_loaded_and_replaces_only_when_asked(write_file, catalogue):
    command("import_units", write_file("units.csv", SHEET_UNITS_CSV + "\n"))

    out = command("load_sheet", STNMT_SHEET, "--department", "stnmt", "--year", "2021")

    assert out.strip() == (
        f"{STNMT_SHEET}: 2021 · stnmt: created: 4 commitments, 5 indicators, 1 overrides; "
        "new definitions: land-records-digitised, online-share"
    )
    assert Indicator.objects.filter(sheet__department__code="stnmt").count() == 5
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "load_sheet", STNMT_SHEET, "--department", "stnmt", "--year", "2021", stderr=err
        )
    assert refused.value.returncode == 1
    assert err.getvalue().splitlines() == [
        "line 0: year: stnmt already has a sheet of 2021: replace it (--replace) to load "
        "this file instead"
    ]
    again = command("load_sheet", STNMT_SHEET, "--department=stnmt", "--year=2021", "--replace")
    assert again.strip().endswith(
        "2021 · stnmt: unchanged: 4 commitments, 5 indicators, 1 overrides"
    )


def test_load_sheet_exits_1_with_every_bad_line_on_stderr_and_loads_nothing(write_file, catalogue):
    command("import_units", write_file("units.csv", SHEET_UNITS_CSV + "\n"))
    bad = write_file(
        "sheet.csv",
        "type,code,commitment,indicator,name_vi,name_en,short_name_vi,short_name_en,"
        "definition,periods,threshold,comparator,category,unit_kind,unit_sector,deadline,"
        "baseline_year,baseline_value,wording\n"
        "commitment,4,,,Hài lòng,,,,,,,,,,,,,,\n"
        "indicator,4.1,4,,Hài lòng,,,,satisfaction,quarter+year,93,>=,,,,,,,từ 91% trở lên\n"
        "indicator,4.2,4,,Trực tuyến,,,,online-share,,40,=,,,,,,,\n",
    )
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError) as failed:
        call_command(
            "load_sheet", bad, "--department", "stnmt", "--year", "2021", stdout=out, stderr=err
        )

    assert failed.value.returncode == 1
    assert str(failed.value) == "2 error(s); nothing was loaded."
    assert err.getvalue().splitlines() == [
        "line 4: comparator: '=' is not a comparator of the wording table: use >= (từ … trở "
        "lên, ít nhất, tăng, X%) or > (trên X%)",
        "line 4: definition: unknown definition 'online-share': neither stored nor described "
        "in the file",
        "line 3: wording: warning: Signed words «từ 91% trở lên» mean ≥ 91%, but the target "
        "is ≥ 93%.",
    ]
    assert out.getvalue() == ""
    assert not Commitment.objects.filter(sheet__department__code="stnmt").exists()


def test_load_sheet_of_an_unknown_department_names_the_departments(catalogue):
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command(
            "load_sheet", STNMT_SHEET, "--department", "stnmt", "--year", "2021", stderr=err
        )

    assert err.getvalue().splitlines() == [
        "line 0: department: unknown department 'stnmt'; departments: —"
    ]

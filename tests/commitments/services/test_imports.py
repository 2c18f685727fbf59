"""The three imports (units, figures, evidence) through the services and the commands.

CONTRACT.md: every import is all or nothing; one bad row and nothing is written, the
command exits with status 1 and prints one ``line N: <column>: <reason>`` line per bad
row; a second import of the same file changes nothing; UTF-8 with or without BOM.
"""

from __future__ import annotations

import pytest

from commitments import services
from commitments.models import Figure, Unit
from tests.commitments.services.importing import (
    FIGURES_HEADER,
    UNITS,
    UNITS_HEADER,
    errors_of,
    run,
    run_failing,
    snapshot,
    write_xlsx,
)

# ---------------------------------------------------------------------------
# Units
# ---------------------------------------------------------------------------


class TestUnits:
    def test_create_then_same_file_changes_nothing(self, db, write_file):
        path = write_file("units.csv", UNITS)
        result = services.imports.units_import(path=path)
        assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
        sonn = Unit.objects.get(code="sonn")
        assert sonn.parent is None
        assert sonn.kind == "department"
        cc = Unit.objects.get(code="ccttbvtv")
        assert cc.parent == sonn
        assert cc.kind == "affiliated_unit"
        assert cc.sector == "agriculture"
        assert cc.public_service is True
        assert cc.receives_dossiers is True
        vp = Unit.objects.get(code="vp")
        assert (vp.public_service, vp.receives_dossiers) == (False, True)
        before = snapshot(Unit)

        again = services.imports.units_import(path=path)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
        assert snapshot(Unit) == before

        out, _ = run("import_units", path)
        assert "0 created, 0 updated, 4 unchanged" in out
        assert snapshot(Unit) == before

    def test_command_reports_counts(self, db, write_file):
        out, err = run("import_units", write_file("units.csv", UNITS))
        assert "4 created, 0 updated, 0 unchanged" in out
        assert err == ""
        assert Unit.objects.count() == 4

    def test_upsert_by_code_updates_changed_rows(self, db, write_file):
        services.imports.units_import(path=write_file("units.csv", UNITS))
        changed = UNITS.replace(
            "ttkn,Trung tâm Khuyến nông,sonn,affiliated_unit,education,1,0",
            "ttkn,Trung tâm Khuyến nông Thành phố,vp,affiliated_unit,education,1,1",
        )
        result = services.imports.units_import(path=write_file("units2.csv", changed))
        assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
        ttkn = Unit.objects.get(code="ttkn")
        assert ttkn.name == "Trung tâm Khuyến nông Thành phố"
        assert ttkn.parent.code == "vp"
        assert ttkn.receives_dossiers is True
        assert Unit.objects.count() == 4

    def test_parent_change_alone_is_an_update(self, db, write_file):
        services.imports.units_import(path=write_file("units.csv", UNITS))
        moved = UNITS.replace(
            "ttkn,Trung tâm Khuyến nông,sonn,", "ttkn,Trung tâm Khuyến nông,ccttbvtv,"
        )
        result = services.imports.units_import(path=write_file("moved.csv", moved))
        assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
        assert Unit.objects.get(code="ttkn").parent.code == "ccttbvtv"

    def test_children_before_their_parent(self, db, write_file):
        text = (
            UNITS_HEADER
            + "tram-cu-chi,Trạm Trồng trọt và Bảo vệ thực vật Củ Chi,ccttbvtv,affiliated_unit,agriculture,0,1\n"
            + "ccttbvtv,Chi cục Trồng trọt và Bảo vệ thực vật,sonn,affiliated_unit,agriculture,1,1\n"
            + "sonn,Sở Nông nghiệp và Phát triển nông thôn,,department,agriculture,0,0\n"
        )
        result = services.imports.units_import(path=write_file("units.csv", text))
        assert result.created == 3
        assert Unit.objects.get(code="tram-cu-chi").parent.code == "ccttbvtv"
        assert Unit.objects.get(code="ccttbvtv").parent.code == "sonn"
        assert Unit.objects.get(code="sonn").parent is None

    def test_parent_may_be_a_stored_unit(self, db, write_file):
        services.imports.units_import(path=write_file("units.csv", UNITS))
        text = UNITS_HEADER + "pkh,Phòng Kế hoạch - Tài chính,sonn,division,agriculture,0,0\n"
        result = services.imports.units_import(path=write_file("more.csv", text))
        assert result.created == 1
        assert Unit.objects.get(code="pkh").parent.code == "sonn"

    def test_unknown_parent_refused(self, db, write_file):
        text = UNITS_HEADER + (
            "sonn,Sở Nông nghiệp và Phát triển nông thôn,,department,agriculture,0,0\n"
            "vp,Văn phòng Sở,khong-co,division,agriculture,0,1\n"
        )
        lines = run_failing("import_units", write_file("units.csv", text))
        assert len(lines) == 1
        assert lines[0].startswith("line 3: parent: ")
        assert "khong-co" in lines[0]
        assert Unit.objects.count() == 0

    def test_own_parent_refused(self, db, write_file):
        text = UNITS_HEADER + "vp,Văn phòng Sở,vp,division,agriculture,0,1\n"
        errors = errors_of(services.imports.units_import, write_file("units.csv", text))
        assert len(errors) == 1
        assert errors[0].startswith("line 2: parent: ")
        assert Unit.objects.count() == 0

    def test_cycle_in_the_file_refused(self, db, write_file):
        text = UNITS_HEADER + (
            "a,Phòng A,b,division,agriculture,0,0\n"
            "b,Phòng B,c,division,agriculture,0,0\n"
            "c,Phòng C,a,division,agriculture,0,0\n"
        )
        lines = run_failing("import_units", write_file("units.csv", text))
        assert all(": parent: " in line for line in lines)
        assert {line.split(":")[0] for line in lines} == {"line 2", "line 3", "line 4"}
        assert Unit.objects.count() == 0

    def test_cycle_through_stored_units_refused(self, db, write_file):
        services.imports.units_import(path=write_file("units.csv", UNITS))
        # sonn under ttkn, while ttkn is stored under sonn.
        text = UNITS_HEADER + (
            "sonn,Sở Nông nghiệp và Phát triển nông thôn,ttkn,department,agriculture,0,0\n"
        )
        before = snapshot(Unit)
        errors = errors_of(services.imports.units_import, write_file("cycle.csv", text))
        assert len(errors) == 1
        assert errors[0].startswith("line 2: parent: ")
        assert snapshot(Unit) == before

    def test_one_line_per_bad_row_and_nothing_written(self, db, write_file):
        services.imports.units_import(path=write_file("units.csv", UNITS))
        before = snapshot(Unit)
        text = UNITS_HEADER + (
            "pkh,Phòng Kế hoạch - Tài chính,sonn,division,agriculture,0,0\n"  # 2 good
            "pcn,Phòng Chăn nuôi,sonn,office,agriculture,0,0\n"  # 3 bad kind
            "ptt,Phòng Trồng trọt,sonn,division,agriculture,yes,0\n"  # 4 bad flag
            "pts,,sonn,division,agriculture,0,0\n"  # 5 empty name
            "pkh,Phòng Kế hoạch,sonn,division,agriculture,0,0\n"  # 6 duplicate code
            "ptl,Phòng Thủy lợi,sonn,division,agriculture,0,2\n"  # 7 bad flag
            "vp,Văn phòng Sở (mới),sonn,division,agriculture,0,1\n"  # 8 good (update)
        )
        lines = run_failing("import_units", write_file("bad.csv", text))
        assert len(lines) == 5
        assert lines[0].startswith("line 3: kind: ")
        assert "'office'" in lines[0]
        assert lines[1].startswith("line 4: public_service: ")
        assert "'yes'" in lines[1]
        assert lines[2] == "line 5: name: is empty"
        assert lines[3].startswith("line 6: code: ")
        assert "line 2" in lines[3]
        assert lines[4].startswith("line 7: receives_dossiers: ")
        # Nothing written: no new unit, and the good update on line 8 was not applied.
        assert Unit.objects.count() == 4
        assert snapshot(Unit) == before
        assert Unit.objects.get(code="vp").name == "Văn phòng Sở"

    def test_vietnamese_names_survive_and_bom_is_accepted(self, db, write_file):
        path = write_file("units.csv", UNITS, bom=True)
        result = services.imports.units_import(path=path)
        assert result.created == 4
        assert Unit.objects.get(code="sonn").name == "Sở Nông nghiệp và Phát triển nông thôn"
        assert Unit.objects.get(code="ccttbvtv").name == "Chi cục Trồng trọt và Bảo vệ thực vật"
        # The same file without the BOM is the same file.
        again = services.imports.units_import(path=write_file("units-no-bom.csv", UNITS))
        assert (again.created, again.updated, again.unchanged) == (0, 0, 4)

    def test_excel_csv_with_bom_and_crlf(self, db, write_file):
        path = write_file("units.csv", UNITS.replace("\n", "\r\n"), bom=True)
        assert services.imports.units_import(path=path).created == 4
        assert Unit.objects.get(code="ttkn").receives_dossiers is False
        assert Unit.objects.get(code="ttkn").name == "Trung tâm Khuyến nông"

    def test_too_long_values_reported_not_crashed(self, db, write_file):
        text = UNITS_HEADER + (
            "sonn,Sở Nông nghiệp và Phát triển nông thôn,,department,agriculture,0,0\n"
            f"vp,{'Văn phòng ' * 60},sonn,division,agriculture,0,1\n"  # 600 characters
            f"{'p' * 51},Phòng Kế hoạch,sonn,division,agriculture,0,0\n"
            f"pcn,Phòng Chăn nuôi,sonn,division,{'a' * 51},0,0\n"
        )
        lines = run_failing("import_units", write_file("units.csv", text))
        assert [line.split(": ")[:2] for line in lines] == [
            ["line 3", "name"],
            ["line 4", "code"],
            ["line 5", "sector"],
        ]
        assert Unit.objects.count() == 0

    def test_missing_column_reported(self, db, write_file):
        text = (
            "code,name,parent,kind,sector,public_service\n"
            "sonn,Sở Nông nghiệp và Phát triển nông thôn,,department,agriculture,0\n"
        )
        lines = run_failing("import_units", write_file("units.csv", text))
        assert lines == ["line 1: receives_dossiers: missing column"]
        assert Unit.objects.count() == 0


# ---------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------


FIGURES = FIGURES_HEADER + (
    "2021,1,vp,dossiers_resolved,land,100\n"
    "2021,1,vp,dossiers_on_time,land,96\n"
    "2021,1,vp,dossiers_resolved,crop,200\n"
    "2021,1,vp,dossiers_on_time,crop,194\n"
    "2021,1,vp,survey_responses,,50\n"
    "2021,1,vp,survey_satisfied,,47\n"
    "2021,1,vp,survey_published,,1\n"
    "2021,1,ccttbvtv,feedback_due,portal_1022,4\n"
    "2021,1,ccttbvtv,epayment_applied,,0\n"
)


def figure_value(unit: str, element: str, category: str | None = None, quarter: int = 1):
    return Figure.objects.get(
        year=2021,
        quarter=quarter,
        unit__code=unit,
        element__code=element,
        category__code=category,
    ).value


class TestFigures:
    def test_csv_create_then_same_file_changes_nothing(self, stored_units, write_file):
        path = write_file("figures.csv", FIGURES)
        result = services.imports.figures_import(path=path)
        assert (result.created, result.updated, result.unchanged) == (9, 0, 0)
        assert figure_value("vp", "dossiers_on_time", "land") == 96
        assert figure_value("vp", "survey_satisfied") == 47
        assert figure_value("ccttbvtv", "feedback_due", "portal_1022") == 4
        before = snapshot(Figure)  # values and updated_at

        again = services.imports.figures_import(path=path)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 9)
        assert snapshot(Figure) == before

        out, err = run("import_figures", path)
        assert "0 created, 0 updated, 9 unchanged" in out
        assert err == ""
        assert snapshot(Figure) == before

    def test_upsert_by_year_quarter_unit_element_category(self, stored_units, write_file):
        services.imports.figures_import(path=write_file("figures.csv", FIGURES))
        updated_at = Figure.objects.get(
            unit__code="vp", element__code="dossiers_resolved", category__code="land"
        ).updated_at
        text = FIGURES_HEADER + (
            "2021,1,vp,dossiers_resolved,land,120\n"  # same key: update
            "2021,1,vp,dossiers_resolved,crop,200\n"  # same key, same value
            "2021,1,vp,dossiers_resolved,fisheries,10\n"  # other category: new
            "2021,2,vp,dossiers_resolved,land,80\n"  # other quarter: new
            "2020,1,vp,dossiers_resolved,land,90\n"  # other year: new
            "2021,1,ccttbvtv,dossiers_resolved,land,5\n"  # other unit: new
            "2021,1,ccttbvtv,epayment_applied,,1\n"  # no category: update
        )
        result = services.imports.figures_import(path=write_file("more.csv", text))
        assert (result.created, result.updated, result.unchanged) == (4, 2, 1)
        assert Figure.objects.count() == 9 + 4
        land = Figure.objects.get(
            year=2021,
            quarter=1,
            unit__code="vp",
            element__code="dossiers_resolved",
            category__code="land",
        )
        assert land.value == 120
        assert land.updated_at >= updated_at
        assert figure_value("ccttbvtv", "epayment_applied") == 1
        assert Figure.objects.filter(element__code="epayment_applied").count() == 1

    def test_xlsx_import_and_reimport(self, stored_units, tmp_path):
        rows = [
            ["year", "quarter", "unit", "element", "category", "value"],
            [2021, 1, "vp", "dossiers_received", "land", 300],
            [2021, 1, "vp", "dossiers_online", "land", 120],
            [2021, 2, "vp", "procedures_online_eligible", None, 84],
            [2021, 2, "vp", "survey_published", "", 1],
        ]
        path = write_xlsx(tmp_path, "figures.xlsx", rows)
        out, _ = run("import_figures", path)
        assert "4 created, 0 updated, 0 unchanged" in out
        assert figure_value("vp", "dossiers_online", "land") == 120
        assert figure_value("vp", "procedures_online_eligible", quarter=2) == 84
        before = snapshot(Figure)
        out, _ = run("import_figures", path)
        assert "0 created, 0 updated, 4 unchanged" in out
        assert snapshot(Figure) == before

    @pytest.mark.parametrize(
        ("row", "column", "fragment"),
        [
            ("2021,1,vp,dossiers_resolved,land,-3", "value", "'-3'"),
            ("2021,1,vp,dossiers_resolved,land,12.5", "value", "'12.5'"),
            ("2021,1,vp,dossiers_resolved,land,abc", "value", "'abc'"),
            ("2021,1,vp,dossiers_resolved,land,", "value", "''"),
            ("2021,1,vp,epayment_applied,,2", "value", "flag"),
            ("2021,1,vp,survey_published,,7", "value", "flag"),
            ("2021,1,khong-co,dossiers_resolved,land,3", "unit", "khong-co"),
            ("2021,1,vp,ho_so_la,land,3", "element", "ho_so_la"),
            ("2021,1,vp,dossiers_resolved,rice,3", "category", "rice"),
            ("2021,1,vp,dossiers_resolved,portal_1022,3", "category", "portal_1022"),
            ("2021,1,vp,feedback_due,land,3", "category", "land"),
            ("2021,1,vp,survey_responses,land,3", "category", "not split"),
            ("2021,1,vp,dossiers_resolved,,3", "category", "field"),
            ("2021,1,vp,feedback_due,,3", "category", "channel"),
            ("2021,5,vp,dossiers_resolved,land,3", "quarter", "'5'"),
            ("2021,0,vp,dossiers_resolved,land,3", "quarter", "'0'"),
            ("21,1,vp,dossiers_resolved,land,3", "year", "'21'"),
        ],
    )
    def test_bad_value_reported_with_line_and_column(
        self, stored_units, write_file, row, column, fragment
    ):
        text = FIGURES_HEADER + "2021,1,vp,survey_responses,,10\n" + row + "\n"
        lines = run_failing("import_figures", write_file("figures.csv", text))
        assert len(lines) == 1
        assert lines[0].startswith(f"line 3: {column}: ")
        assert fragment in lines[0]
        assert Figure.objects.count() == 0

    def test_bad_values_in_xlsx(self, stored_units, tmp_path):
        rows = [
            ["year", "quarter", "unit", "element", "category", "value"],
            [2021, 1, "vp", "dossiers_resolved", "land", 100],
            [2021, 1, "vp", "dossiers_on_time", "land", 12.5],
            [2021, 1, "vp", "dossiers_received", "land", -1],
            [2021, 1, "vp", "dossiers_online", "land", "abc"],
            [2021, 5, "vp", "survey_responses", None, 3],
            [2021, 1, "vp", "epayment_applied", None, 2],
        ]
        lines = run_failing("import_figures", write_xlsx(tmp_path, "bad.xlsx", rows))
        assert [line.split(": ")[:2] for line in lines] == [
            ["line 3", "value"],
            ["line 4", "value"],
            ["line 5", "value"],
            ["line 6", "quarter"],
            ["line 7", "value"],
        ]
        assert Figure.objects.count() == 0

    def test_same_figure_twice_in_a_file(self, stored_units, write_file):
        text = FIGURES_HEADER + (
            "2021,1,vp,dossiers_resolved,land,100\n2021,1,vp,dossiers_resolved,land,101\n"
        )
        errors = errors_of(services.imports.figures_import, write_file("figures.csv", text))
        assert len(errors) == 1
        assert errors[0].startswith("line 3: ")
        assert "line 2" in errors[0]
        assert Figure.objects.count() == 0

    def test_three_bad_rows_among_good_ones_all_reported_nothing_written(
        self, stored_units, write_file
    ):
        text = FIGURES_HEADER + (
            "2021,1,vp,dossiers_resolved,land,100\n"  # 2
            "2021,1,vp,dossiers_on_time,land,-5\n"  # 3 bad
            "2021,1,vp,survey_responses,,40\n"  # 4
            "2021,1,nobody,survey_responses,,40\n"  # 5 bad
            "2021,1,vp,survey_satisfied,,39\n"  # 6
            "2021,5,vp,docs_issued,,12\n"  # 7 bad
            "2021,1,vp,docs_issued,,12\n"  # 8
        )
        lines = run_failing("import_figures", write_file("figures.csv", text))
        assert len(lines) == 3
        assert lines[0].startswith("line 3: value: ")
        assert lines[1].startswith("line 5: unit: ")
        assert lines[2].startswith("line 7: quarter: ")
        assert Figure.objects.count() == 0

    def test_rule_broken_within_the_file(self, stored_units, write_file):
        text = FIGURES_HEADER + (
            "2021,1,vp,dossiers_resolved,land,100\n"  # 2
            "2021,1,vp,dossiers_on_time,land,101\n"  # 3: 101 > 100
            "2021,1,vp,dossiers_resolved,crop,50\n"  # 4
            "2021,1,vp,dossiers_on_time,crop,50\n"  # 5: equal is fine
            "2021,2,vp,dossiers_on_time,land,90\n"  # 6: Q2 bound on line 7
            "2021,2,vp,dossiers_resolved,land,95\n"  # 7
        )
        lines = run_failing("import_figures", write_file("figures.csv", text))
        assert len(lines) == 1
        assert lines[0].startswith("line 3: value: ")
        assert "101" in lines[0] and "100" in lines[0]
        assert "dossiers_resolved" in lines[0]
        assert Figure.objects.count() == 0

    def test_rule_is_per_category_and_quarter(self, stored_units, write_file):
        # On time in land may not borrow from crop, nor Q1 from Q2.
        text = FIGURES_HEADER + (
            "2021,1,vp,dossiers_resolved,crop,100\n"
            "2021,1,vp,dossiers_resolved,land,10\n"
            "2021,1,vp,dossiers_on_time,land,20\n"  # 4: 20 > 10 although crop has 100
            "2021,1,vp,dossiers_resolved,fisheries,10\n"
            "2021,2,vp,dossiers_resolved,fisheries,30\n"
            "2021,1,vp,dossiers_on_time,fisheries,20\n"  # 7: 20 > 10 in Q1
            "2021,2,vp,dossiers_on_time,fisheries,20\n"  # 8: fine in Q2
        )
        lines = run_failing("import_figures", write_file("figures.csv", text))
        assert [line.split(": ")[:2] for line in lines] == [
            ["line 4", "value"],
            ["line 7", "value"],
        ]
        assert Figure.objects.count() == 0

    def test_rule_against_stored_figures(self, stored_units, write_file):
        services.imports.figures_import(path=write_file("figures.csv", FIGURES))
        before = snapshot(Figure)
        # Stored: land resolved 100, on time 96. Lowering resolved below on time fails...
        text = FIGURES_HEADER + "2021,1,vp,dossiers_resolved,land,90\n"
        lines = run_failing("import_figures", write_file("lower.csv", text))
        assert len(lines) == 1
        assert lines[0].startswith("line 2: value: ")
        assert "dossiers_on_time (96)" in lines[0] and "dossiers_resolved (90)" in lines[0]
        assert "96" in lines[0] and "90" in lines[0]
        # ... and so does raising on time above the stored resolved.
        text = FIGURES_HEADER + "2021,1,vp,survey_satisfied,,51\n"
        lines = run_failing("import_figures", write_file("raise.csv", text))
        assert len(lines) == 1
        assert lines[0].startswith("line 2: value: ")
        assert "survey_satisfied (51)" in lines[0] and "survey_responses (50)" in lines[0]
        assert snapshot(Figure) == before
        # Changing both together, consistently, is accepted.
        text = FIGURES_HEADER + (
            "2021,1,vp,dossiers_resolved,land,90\n2021,1,vp,dossiers_on_time,land,88\n"
        )
        result = services.imports.figures_import(path=write_file("both.csv", text))
        assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
        assert figure_value("vp", "dossiers_on_time", "land") == 88

    def test_rule_broken_with_good_rows_writes_nothing(self, stored_units, write_file):
        services.imports.figures_import(path=write_file("figures.csv", FIGURES))
        before = snapshot(Figure)
        text = FIGURES_HEADER + (
            "2021,1,vp,survey_responses,,60\n"  # good update
            "2021,2,vp,docs_issued,,30\n"  # good new figure
            "2021,1,vp,dossiers_on_time,crop,201\n"  # 4: stored resolved is 200
        )
        lines = run_failing("import_figures", write_file("bad.csv", text))
        assert len(lines) == 1
        assert lines[0].startswith("line 4: value: ")
        assert snapshot(Figure) == before

    def test_bom_and_missing_column(self, stored_units, write_file):
        path = write_file("figures.csv", FIGURES, bom=True)
        assert services.imports.figures_import(path=path).created == 9
        text = "year,quarter,unit,element,value\n2021,1,vp,survey_responses,3\n"
        lines = run_failing("import_figures", write_file("nocat.csv", text))
        assert lines == ["line 1: category: missing column"]

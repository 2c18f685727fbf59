"""The evidence import through its service and its command (CONTRACT.md: all or
nothing, ``line N: <column>: <reason>``, a second import changes nothing)."""

import datetime as dt

import pytest

from commitments import services
from commitments.models import Evidence
from tests.commitments.services.importing import (
    EVIDENCE_HEADER,
    run,
    run_failing,
    snapshot,
    write_xlsx,
)

# ---------------------------------------------------------------------------
# Evidence
# ---------------------------------------------------------------------------

EVIDENCE = EVIDENCE_HEADER + (
    "2021-02-10,sonn,inspection_surprise,vp,45/BB-SNN,Kiểm tra đột xuất Văn phòng Sở\n"
    "2021-03-15,sonn,inspection_periodic,ccttbvtv,52/BB-SNN,Kiểm tra công vụ định kỳ\n"
    "2021-03-30,sonn,dialogue,,https://sonnptnt.hochiminhcity.gov.vn/doi-thoai-q1,"
    "Đối thoại với người dân và doanh nghiệp quý I\n"
    "2021-05-07,ccttbvtv,initiative,,12/QĐ-CCTTBVTV,Sáng kiến tiếp nhận hồ sơ qua Zalo\n"
    "2021-06-01,vp,communication_product,,Video-CCHC-01,Phóng sự cải cách hành chính\n"
)


class TestEvidence:
    def test_csv_create_then_same_file_adds_nothing(self, stored_units, write_file):
        path = write_file("evidence.csv", EVIDENCE, bom=True)
        out, _ = run("import_evidence", path)
        assert "5 created, 0 updated, 0 unchanged" in out
        inspection = Evidence.objects.get(kind="inspection_surprise")
        assert inspection.unit.code == "sonn"
        assert inspection.subject_unit.code == "vp"
        assert inspection.date == dt.date(2021, 2, 10)
        assert inspection.reference == "45/BB-SNN"
        assert inspection.title == "Kiểm tra đột xuất Văn phòng Sở"
        dialogue = Evidence.objects.get(kind="dialogue")
        assert dialogue.subject_unit is None
        assert dialogue.title == "Đối thoại với người dân và doanh nghiệp quý I"
        before = snapshot(Evidence)

        out, _ = run("import_evidence", path)
        assert "0 created, 0 updated, 5 unchanged" in out
        assert snapshot(Evidence) == before
        result = services.imports.evidence_import(path=path)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
        assert Evidence.objects.count() == 5

    def test_xlsx_import_and_reimport(self, stored_units, tmp_path):
        rows = [
            ["date", "unit", "kind", "subject_unit", "reference", "title"],
            [dt.date(2021, 4, 20), "sonn", "inspection_surprise", "ccttbvtv", "60/BB-SNN", ""],
            [dt.datetime(2021, 6, 28), "sonn", "dialogue", None, "75/TB-SNN", "Đối thoại quý II"],
            ["2021-07-01", "vp", "initiative", "", "3/SK-VP", "Một cửa điện tử"],
        ]
        path = write_xlsx(tmp_path, "evidence.xlsx", rows)
        out, _ = run("import_evidence", path)
        assert "3 created" in out
        assert Evidence.objects.get(kind="dialogue").date == dt.date(2021, 6, 28)
        assert Evidence.objects.get(kind="inspection_surprise").subject_unit.code == "ccttbvtv"
        before = snapshot(Evidence)
        out, _ = run("import_evidence", path)
        assert "0 created, 0 updated, 3 unchanged" in out
        assert snapshot(Evidence) == before

    def test_new_title_updates_the_record(self, stored_units, write_file):
        services.imports.evidence_import(path=write_file("evidence.csv", EVIDENCE))
        text = EVIDENCE.replace("Kiểm tra công vụ định kỳ", "Kiểm tra công vụ định kỳ quý I")
        result = services.imports.evidence_import(path=write_file("again.csv", text))
        assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
        assert Evidence.objects.count() == 5
        assert (
            Evidence.objects.get(kind="inspection_periodic").title
            == "Kiểm tra công vụ định kỳ quý I"
        )

    @pytest.mark.parametrize(
        ("row", "column", "fragment"),
        [
            ("2021-02-10,sonn,inspection_surprise,,45/BB-SNN,", "subject_unit", "inspect"),
            ("2021-02-10,sonn,inspection_periodic,,45/BB-SNN,", "subject_unit", "inspect"),
            ("2021-02-10,sonn,inspection_surprise,khong-co,45/BB-SNN,", "subject_unit", "khong-co"),
            ("2021-03-30,sonn,dialogue,vp,30/TB-SNN,", "subject_unit", "inspection"),
            ("2021-02-30,sonn,dialogue,,30/TB-SNN,", "date", "'2021-02-30'"),
            ("10/02/2021,sonn,dialogue,,30/TB-SNN,", "date", "'10/02/2021'"),
            (",sonn,dialogue,,30/TB-SNN,", "date", "''"),
            ("2021-03-30,sonn,meeting,,30/TB-SNN,", "kind", "'meeting'"),
            ("2021-03-30,khong-co,dialogue,,30/TB-SNN,", "unit", "khong-co"),
            ("2021-03-30,sonn,dialogue,,,", "reference", "empty"),
        ],
    )
    def test_bad_row_reported_with_line_and_column(
        self, stored_units, write_file, row, column, fragment
    ):
        text = EVIDENCE_HEADER + "2021-01-05,sonn,dialogue,,1/TB-SNN,Đối thoại\n" + row + "\n"
        lines = run_failing("import_evidence", write_file("evidence.csv", text))
        assert len(lines) == 1
        assert lines[0].startswith(f"line 3: {column}: ")
        assert fragment in lines[0]
        assert Evidence.objects.count() == 0

    def test_several_bad_rows_nothing_written(self, stored_units, write_file):
        services.imports.evidence_import(path=write_file("evidence.csv", EVIDENCE))
        before = snapshot(Evidence)
        text = EVIDENCE_HEADER + (
            "2021-09-01,sonn,inspection_surprise,,90/BB-SNN,\n"  # 2
            "2021-09-02,sonn,dialogue,,91/TB-SNN,Đối thoại quý III\n"  # 3 good
            "2021-09-31,sonn,dialogue,,92/TB-SNN,\n"  # 4
            "2021-09-03,sonn,initiative,vp,93/SK,\n"  # 5
            "2021-09-04,sonn,award,,94/QĐ,\n"  # 6
        )
        lines = run_failing("import_evidence", write_file("bad.csv", text))
        assert [line.split(": ")[:2] for line in lines] == [
            ["line 2", "subject_unit"],
            ["line 4", "date"],
            ["line 5", "subject_unit"],
            ["line 6", "kind"],
        ]
        assert snapshot(Evidence) == before

    def test_missing_column_reported(self, stored_units, write_file):
        text = "date,unit,kind,reference,title\n2021-03-30,sonn,dialogue,30/TB-SNN,\n"
        lines = run_failing("import_evidence", write_file("evidence.csv", text))
        assert lines == ["line 1: subject_unit: missing column"]
        assert Evidence.objects.count() == 0

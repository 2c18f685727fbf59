"""What the import tests share: the files' headers, running a command, reading its
errors, writing a workbook."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from commitments.tabular import ImportFailed

ERROR_LINE = re.compile(r"^line \d+: [a-z_]+: \S.*$")

UNITS_HEADER = "code,name,parent,kind,sector,public_service,receives_dossiers\n"
FIGURES_HEADER = "year,quarter,unit,element,category,value\n"
EVIDENCE_HEADER = "date,unit,kind,subject_unit,reference,title\n"

UNITS = (
    UNITS_HEADER
    + "sonn,Sở Nông nghiệp và Phát triển nông thôn,,department,agriculture,0,0\n"
    + "vp,Văn phòng Sở,sonn,division,agriculture,0,1\n"
    + "ccttbvtv,Chi cục Trồng trọt và Bảo vệ thực vật,sonn,affiliated_unit,agriculture,1,1\n"
    + "ttkn,Trung tâm Khuyến nông,sonn,affiliated_unit,education,1,0\n"
)


def run(command: str, path: str) -> tuple[str, str]:
    """Run an import command; return (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command(command, path, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


COLUMNS = {
    "import_units": UNITS_HEADER.strip().split(","),
    "import_figures": FIGURES_HEADER.strip().split(","),
    "import_evidence": EVIDENCE_HEADER.strip().split(","),
}


def run_failing(command: str, path: str) -> list[str]:
    """Run an import command that must fail; return the lines it printed on stderr,
    each ``line N: <column>: <reason>`` naming a column of the file."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(command, path, stdout=out, stderr=err)
    assert failed.value.returncode == 1
    assert "nothing was imported" in str(failed.value)
    lines = [line for line in err.getvalue().splitlines() if line]
    assert lines, "a failing import prints its bad rows"
    for line in lines:
        assert ERROR_LINE.match(line), line
        assert line.split(": ")[1] in COLUMNS[command], line
    return lines


def errors_of(service, path) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        service(path=path)
    for line in failed.value.errors:
        assert ERROR_LINE.match(line), line
    return failed.value.errors


def snapshot(model) -> list[tuple]:
    return sorted(model.objects.values_list())


def write_xlsx(tmp_path, name: str, rows: list[list]) -> str:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return str(path)

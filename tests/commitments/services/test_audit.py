"""The history of a report (``AuditEntry``) as the imports write it: one change per
report and file, named by the file. (The history the report page and the admin write:
views/test_reporting.py and test_admin.py.)"""

from __future__ import annotations

from commitments import services
from commitments.models import AuditEntry


def test_an_import_is_one_change_per_report_with_the_file_name(units, write_file):
    path = write_file(
        "so-lieu-quy-2.csv",
        "year,quarter,unit,element,category,value\n"
        "2021,2,vp,dossiers_received,land,50\n"
        "2021,2,vp,dossiers_resolved,land,40\n"
        "2021,2,ptt,dossiers_received,land,7\n",
    )
    services.imports.figures_import(path=path)
    entries = AuditEntry.objects.filter(subject=AuditEntry.Subject.FIGURES, year=2021, quarter=2)
    assert entries.count() == 2  # one per unit's report
    assert {e.label for e in entries} == {"so-lieu-quy-2.csv"}
    assert {e.action for e in entries} == {AuditEntry.Action.IMPORTED}
    assert len({e.batch for e in entries}) == 1
    desk = entries.get(unit=units["desk"])
    assert sorted(desk.changes) == [
        ["dossiers_received/land", None, "50"],
        ["dossiers_resolved/land", None, "40"],
    ]
    # A second import of the same file changes nothing and records nothing.
    services.imports.figures_import(path=path)
    assert AuditEntry.objects.filter(subject=AuditEntry.Subject.FIGURES).count() == 2


def test_an_evidence_import_is_recorded_with_its_file_name(units, write_file):
    path = write_file(
        "minh-chung.csv",
        "date,unit,kind,subject_unit,reference,title\n"
        "2021-05-07,vp,dialogue,,15/BC-VP,Đối thoại doanh nghiệp\n",
    )
    services.imports.evidence_import(path=path)
    entry = AuditEntry.objects.get(subject=AuditEntry.Subject.EVIDENCE)
    assert (entry.unit, entry.quarter, entry.label) == (units["desk"], 2, "minh-chung.csv")

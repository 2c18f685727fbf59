"""A report form opened before an import or an admin's correction cannot save over it:
every write to a report's figures, from any channel, moves the report's version."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.urls import reverse

from commitments import services
from commitments.models import Figure
from tests.commitments.shortcuts import desk_figures, desk_report, report_post, report_url


def _opened(client, staff, units) -> int:
    """The desk's Q2 report as staff have it open: a draft with a figure, its version."""
    report = desk_report(units)
    services.reports.report_save(
        report=report, values={("docs_issued", None): "7"}, version=0, user=staff
    )
    client.force_login(staff)
    return desk_report(units).version


def _refused(response) -> None:
    assert response.status_code == 200
    html = response.content.decode()
    assert "Người khác đã lưu báo cáo này" in html
    assert f'<a href="{report_url()}">Tải lại báo cáo</a>' in html


def test_a_page_opened_before_an_import_cannot_undo_it(client, staff, units, write_file):
    version = _opened(client, staff, units)
    path = write_file(
        "so-lieu.csv", "year,quarter,unit,element,category,value\n2021,2,vp,docs_issued,,30\n"
    )
    call_command("import_figures", path, stdout=io.StringIO())
    assert desk_report(units).version > version
    # The stale page still shows 7; saving it (an empty field would remove) is refused:
    # the import approved the report, which is read-only now.
    response = report_post(client, "save", version=version, docs_issued="")
    assert response.status_code == 200
    assert "Báo cáo đang ở trạng thái “Đã duyệt”: không thể sửa số liệu." in (
        response.content.decode()
    )
    assert desk_figures(units) == {"docs_issued": 30}


def test_a_page_opened_before_an_admins_correction_cannot_undo_it(
    client, admin_client, staff, units
):
    version = _opened(client, staff, units)
    figure = Figure.objects.get(unit=units["desk"], year=2021, quarter=2)
    url = reverse("admin:commitments_figure_change", args=[figure.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data["value"] = "8"
    assert admin_client.post(url, data).status_code == 302
    client.force_login(staff)
    _refused(report_post(client, "save", version=version, docs_issued="7"))
    assert desk_figures(units) == {"docs_issued": 8}


def test_an_admins_deletion_moves_the_version_too(client, admin_client, staff, units):
    version = _opened(client, staff, units)
    figure = Figure.objects.get(unit=units["desk"], year=2021, quarter=2)
    delete = reverse("admin:commitments_figure_delete", args=[figure.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert desk_report(units).version > version

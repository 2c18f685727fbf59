"""The report page's results (``selectors.report_results``) as staff and directors read them:
beside the figures, the unit's results; before the decision, what approving would
change; the figures far from the unit's history flagged next to their field; and the
approve button apart from the return comment."""

from __future__ import annotations

import re

from commitments.models import QuarterlyReport
from tests import factories
from tests.commitments.shortcuts import report_post, report_url


def _submitted(client, staff, **values):
    client.force_login(staff)
    report_post(client, "save", dossiers_resolved__land="200", dossiers_on_time__land="198")
    report_post(client, "submit", 1, **values)


def _part(html: str, element_id: str) -> str:
    """The element with that id, to its closing tag (elements of its name nested in it
    included)."""
    start = html.rfind("<", 0, html.index(f'id="{element_id}"'))
    name = html[start + 1 :].split()[0]
    depth, at = 0, start
    for tag in re.finditer(rf"<(/?){name}[\s>]", html[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            at = start + tag.end()
            break
    return html[start:at]


def test_the_director_reads_the_results_and_what_approving_changes(client, staff, director, units):
    _submitted(client, staff)
    client.force_login(director)
    html = client.get(report_url()).content.decode()
    results = _part(html, "results")
    assert "Kết quả của đơn vị, Quý 2/2021" in results
    assert "Đúng hạn từng lĩnh vực" in results  # the short name
    assert "99%" in results and "198 / 200" in results
    assert "▲ 9 điểm % so với quý trước" in results
    preview = _part(html, "if-approved")
    assert "Nếu báo cáo được duyệt: trạng thái của Sở Nông nghiệp" in preview
    assert "Duyệt báo cáo này đổi trạng thái 1 chỉ tiêu:" in preview
    assert "Chưa có số liệu" in preview and "Đạt" in preview


def test_staff_read_the_same_before_submitting(client, staff, units):
    client.force_login(staff)
    report_post(client, "save", dossiers_resolved__land="200", dossiers_on_time__land="198")
    html = client.get(report_url()).content.decode()
    assert "Lưu nháp để tính lại." in _part(html, "results")
    assert "198 / 200" in _part(html, "results")
    # Staff see their own unit: the desk is the top unit they see.
    assert "trạng thái của Đơn vị vp" in _part(html, "if-approved")


def test_approve_stands_apart_from_the_return_comment(client, staff, director, units):
    _submitted(client, staff)
    client.force_login(director)
    html = client.get(report_url()).content.decode()
    approve = _part(html, "decision-approve")
    assert 'value="approve"' in approve and "textarea" not in approve
    returning = _part(html, "decision-return")
    assert 'id="id_comment"' in returning and 'value="return"' in returning
    assert 'value="approve"' not in returning
    # The decision comes after the results and what approving would change.
    assert html.index('id="if-approved"') < html.index('id="decision-approve"')


def test_a_figure_far_from_the_units_history_is_flagged_for_both(client, staff, director, units):
    factories.figure(units["desk"], "dossiers_resolved", 110, year=2020, quarter=4, category="land")
    _submitted(client, staff)  # 200 resolved: not far from 100 (Q1) and 110 (Q4 2020)
    for user in (staff, director):
        client.force_login(user)
        assert "bất thường" not in client.get(report_url()).content.decode()
    report_post(client, "return", comment="Kiểm tra lại số hồ sơ đất đai.")
    client.force_login(staff)
    version = QuarterlyReport.objects.get(unit=units["desk"], year=2021, quarter=2).version
    report_post(
        client, "save", version, dossiers_resolved__land="900", dossiers_on_time__land="880"
    )
    for user in (staff, director):
        client.force_login(user)
        html = client.get(report_url()).content.decode()
        cell = html[html.index('id="id_dossiers_resolved__land"') :]
        cell = cell[: cell.index("</td>")]
        assert "Cao bất thường: gấp 8,6 lần trung vị 2 quý trước (105)." in cell
        note = _part(html, "results")
        assert "1 số liệu khác xa các quý trước của đơn vị:" in note
        assert 'href="#id_dossiers_resolved__land"' in note


def test_a_flag_figure_is_never_an_outlier(client, staff, units):
    desk = units["desk"]
    for quarter in (3, 4):
        factories.figure(desk, "epayment_applied", 1, year=2020, quarter=quarter)
    client.force_login(staff)
    report_post(client, "save", epayment_applied="0")
    assert "bất thường" not in client.get(report_url()).content.decode()


def test_the_results_read_in_english(client, staff, director, units, settings):
    _submitted(client, staff)
    units["department"].name_en = "Department of Agriculture and Rural Development"
    units["department"].save()
    client.force_login(director)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(report_url()).content.decode()
    results = _part(html, "results")
    assert "Unit results, Q2 2021" in results
    assert "On time, each field" in results
    assert "▲ 9 pp on the previous quarter" in results
    preview = _part(html, "if-approved")
    assert "If the report is approved: statuses of" in preview
    assert "Approving this report changes the status of 1 indicator:" in preview
    assert not re.search(r"[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", results + preview)

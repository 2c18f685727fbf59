"""The quarterly report: who may open it and do what, saving figures all or nothing
with every refusal next to its field, optimistic locking, and the review states."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commitments import selectors, services
from commitments.models import (
    DataElement,
    Figure,
    Membership,
    QuarterlyReport,
    ValidationRule,
)
from tests import factories


@pytest.fixture
def units(catalogue, django_capture_on_commit_callbacks):
    """The department, a receiving desk under it with land dossiers in Q1 2021, and
    another division (the recompute their figures queued has run, so what a test
    saves queues its own)."""
    with django_capture_on_commit_callbacks(execute=True):
        department = factories.department()
        desk = factories.unit("vp", parent=department, receives_dossiers=True)
        other = factories.unit("ptt", parent=department)
        factories.figure(desk, "dossiers_resolved", 100, category="land")
        factories.figure(desk, "dossiers_on_time", 90, category="land")
    return {"department": department, "desk": desk, "other": other}


def _user(django_user_model, name, unit=None, role=None):
    user = django_user_model.objects.create_user(name, password="mat-khau-dai-123")
    if unit is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def staff(django_user_model, units):
    return _user(django_user_model, "chuyenvien", units["desk"], Membership.Role.STAFF)


@pytest.fixture
def director(django_user_model, units):
    return _user(django_user_model, "giamdoc", units["department"], Membership.Role.DIRECTOR)


@pytest.fixture
def admin(django_user_model, db):
    return django_user_model.objects.create_superuser("quantri", password="mat-khau-dai-123")


def _url(unit_code="vp", year=2021, quarter=2):
    return reverse("commitments:quarterly_report", args=[unit_code, year, quarter])


def _report(units, quarter=2) -> QuarterlyReport:
    return selectors.reports.report_for(unit=units["desk"], year=2021, quarter=quarter)


def _post(client, action, version=0, quarter=2, **values):
    data = {"action": action, "version": str(version), **values}
    return client.post(_url(quarter=quarter), data)


def _figures(units, quarter=2):
    return dict(
        Figure.objects.filter(unit=units["desk"], year=2021, quarter=quarter).values_list(
            "element__code", "value"
        )
    )


# --- who may see and do what -------------------------------------------------------


def test_anonymous_goes_to_log_in(client, units):
    response = client.get(_url())
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_staff_of_the_unit_sees_the_form(client, staff):
    client.force_login(staff)
    response = client.get(_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="dossiers_resolved__land"' in html
    assert 'name="version" value="0"' in html
    assert 'value="save"' in html
    assert 'value="approve"' not in html


def test_staff_of_another_unit_and_plain_users_get_404(client, django_user_model, units):
    outsider = _user(django_user_model, "khac", units["other"], Membership.Role.STAFF)
    plain = _user(django_user_model, "nguoidung")
    for user in (outsider, plain):
        client.force_login(user)
        assert client.get(_url()).status_code == 404
        assert _post(client, "save", dossiers_resolved__land="5").status_code == 404
    assert not _figures(units)


def test_staff_of_a_parent_unit_is_not_a_reviewer(client, django_user_model, units):
    parent_staff = _user(django_user_model, "sostaff", units["department"], Membership.Role.STAFF)
    client.force_login(parent_staff)
    assert client.get(_url()).status_code == 404


def test_unknown_unit_is_404(client, admin):
    client.force_login(admin)
    assert client.get(_url("khong-co")).status_code == 404


def test_staff_cannot_approve_and_director_cannot_save(client, staff, director, units):
    report = _report(units)
    services.reports.report_submit(report=report, user=staff)
    client.force_login(staff)
    assert _post(client, "approve").status_code == 403
    report.refresh_from_db()
    assert report.state == QuarterlyReport.State.SUBMITTED
    client.force_login(director)
    assert client.get(_url()).status_code == 200
    assert (
        _post(client, "save", version=report.version, dossiers_received__land="5").status_code
        == 403
    )
    assert not _figures(units)


def test_director_of_the_department_approves(client, staff, director, units):
    report = _report(units)
    services.reports.report_submit(report=report, user=staff)
    client.force_login(director)
    assert 'value="approve"' in client.get(_url()).content.decode()
    response = _post(client, "approve")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == QuarterlyReport.State.APPROVED
    assert report.decided_by == director


def test_director_returns_with_a_comment(client, staff, director, units):
    report = _report(units)
    services.reports.report_submit(report=report, user=staff)
    client.force_login(director)
    response = _post(client, "return", comment="")
    assert response.status_code == 200
    assert "Hãy ghi lý do trả lại báo cáo." in response.content.decode()
    report.refresh_from_db()
    assert report.state == QuarterlyReport.State.SUBMITTED
    response = _post(client, "return", comment="Thiếu số liệu lĩnh vực đất đai")
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == QuarterlyReport.State.RETURNED
    assert report.comment == "Thiếu số liệu lĩnh vực đất đai"
    # Returned: the staff may edit again.
    client.force_login(staff)
    html = client.get(_url()).content.decode()
    assert "Thiếu số liệu lĩnh vực đất đai" in html
    assert 'value="save"' in html


# --- saving ---------------------------------------------------------------------------


def test_save_writes_figures_and_queues_a_recompute(
    client, staff, units, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    with django_capture_on_commit_callbacks() as callbacks:
        response = _post(
            client,
            "save",
            dossiers_resolved__land="50",
            dossiers_on_time__land="49",
            survey_published="1",
        )
    assert response.status_code == 302
    assert _figures(units) == {
        "dossiers_resolved": 50,
        "dossiers_on_time": 49,
        "survey_published": 1,
    }
    assert len(callbacks) == 1
    assert callbacks[0].years == {2021}
    report = _report(units)
    assert report.version == 1
    assert report.state == QuarterlyReport.State.DRAFT


def test_staff_submits(client, staff, units):
    client.force_login(staff)
    response = _post(client, "submit", dossiers_resolved__land="50")
    assert response.status_code == 302
    report = _report(units)
    assert report.state == QuarterlyReport.State.SUBMITTED
    assert report.submitted_by == staff
    assert _figures(units) == {"dossiers_resolved": 50}


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("dossiers_received__land", "-3", "Nhập một số nguyên từ 0 trở lên."),
        ("dossiers_received__land", "abc", "Nhập một số nguyên từ 0 trở lên."),
        ("survey_published", "2", "Chỉ nhập 0 (chưa) hoặc 1 (có)."),
        ("dossiers_on_time__land", "60", "không được lớn hơn"),
    ],
)
def test_a_bad_value_is_refused_next_to_its_field(client, staff, units, field, typed, message):
    client.force_login(staff)
    values = {
        "dossiers_resolved__land": "50",
        "dossiers_on_time__land": "40",
        "docs_issued": "12",
        field: typed,
    }
    response = _post(client, "save", **values)
    assert response.status_code == 200
    html = response.content.decode()
    # The message sits in the error right after the field's own input.
    after_input = html.split(f'name="{field}"', 1)[1].split("</td>", 1)[0]
    assert message in after_input
    assert f'id="err_{field}"' in after_input
    # What was typed stays on the page, and nothing is written.
    assert f'value="{typed}"' in after_input
    assert 'name="docs_issued" value="12"' in html
    assert not _figures(units)
    assert _report(units).version == 0


def test_a_bad_value_is_refused_in_english(client, staff, units):
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    response = _post(client, "save", dossiers_received__land="abc")
    html = response.content.decode()
    assert "Enter a whole number of 0 or more." in html
    assert "Nhập một số nguyên" not in html


def test_a_stale_version_is_refused(client, staff, units):
    report = _report(units)
    services.reports.report_save(
        report=report, values={("docs_issued", None): "7"}, version=0, user=staff
    )
    client.force_login(staff)
    response = _post(client, "save", version=0, docs_issued="9", dossiers_resolved__land="5")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Người khác đã lưu báo cáo này" in html
    assert f'<a href="{_url()}">Tải lại báo cáo</a>' in html  # a way to reload
    assert 'name="docs_issued" value="9"' in html
    assert _figures(units) == {"docs_issued": 7}
    assert _report(units).version == 1


def test_the_service_refuses_a_stale_version_before_writing(staff, units):
    report = _report(units)
    services.reports.report_save(report=report, values={("docs_issued", None): "7"}, version=0)
    with pytest.raises(services.reports.ReportRefused) as refused:
        services.reports.report_save(report=report, values={("docs_issued", None): "8"}, version=0)
    assert services.reports.NON_FIELD in refused.value.errors
    assert _figures(units) == {"docs_issued": 7}


def test_an_approved_report_is_read_only(client, staff, director, units):
    report = _report(units)
    services.reports.report_save(report=report, values={("docs_issued", None): "7"}, version=0)
    services.reports.report_submit(report=report, user=staff)
    services.reports.report_approve(report=report, user=director)
    client.force_login(staff)
    html = client.get(_url()).content.decode()
    assert 'value="save"' not in html
    assert "disabled" in html
    response = _post(client, "save", version=report.version, docs_issued="9")
    assert "không thể sửa số liệu" in response.content.decode()
    assert _figures(units) == {"docs_issued": 7}
    with pytest.raises(services.reports.ReportRefused):
        services.reports.report_save(
            report=report, values={("docs_issued", None): "9"}, version=report.version
        )
    assert _figures(units) == {"docs_issued": 7}


def test_a_decision_happens_once(staff, director, units):
    report = _report(units)
    services.reports.report_submit(report=report, user=staff)
    services.reports.report_approve(report=report, user=director)
    with pytest.raises(services.reports.ReportRefused):
        services.reports.report_return(report=report, user=director, comment="Muộn")
    report.refresh_from_db()
    assert report.state == QuarterlyReport.State.APPROVED


def test_only_an_admin_reopens_with_a_reason(client, staff, director, admin, units):
    report = _report(units)
    services.reports.report_submit(report=report, user=staff)
    services.reports.report_approve(report=report, user=director)
    with pytest.raises(services.reports.ReportRefused):
        services.reports.report_reopen(report=report, user=director, reason="Sai số liệu")
    client.force_login(admin)
    response = _post(client, "reopen", reason=" ")
    assert "Hãy ghi lý do mở lại báo cáo." in response.content.decode()
    assert _post(client, "reopen", reason="Sai số liệu").status_code == 302
    report.refresh_from_db()
    assert report.state == QuarterlyReport.State.DRAFT
    assert report.comment == "Sai số liệu"


# --- what the form lists ------------------------------------------------------------


def test_last_elements_start_from_the_previous_quarter(client, staff, units):
    desk = units["desk"]
    factories.figure(desk, "procedures_online_eligible", 42, quarter=1)
    factories.figure(desk, "docs_issued", 30, quarter=1)
    lines = {
        line.field: line for line in selectors.reports.report_lines(unit=desk, year=2021, quarter=2)
    }
    assert lines["procedures_online_eligible"].initial == 42
    assert lines["procedures_online_eligible"].carried
    # A flow (sum) starts empty: last quarter's dossiers are not this quarter's.
    assert lines["docs_issued"].initial is None
    client.force_login(staff)
    html = client.get(_url()).content.decode()
    assert 'name="procedures_online_eligible" value="42"' in html
    # Q1 reads Q4 of the year before.
    factories.figure(desk, "epayment_applied", 1, year=2020, quarter=4)
    lines = {
        line.field: line for line in selectors.reports.report_lines(unit=desk, year=2021, quarter=1)
    }
    assert lines["epayment_applied"].initial == 1


def test_a_unit_reports_only_the_elements_that_apply_to_it(units):
    """Dossiers are reported by receiving desks; every unit reports its documents."""

    def elements(unit, year=2021):
        return {
            line.element.code
            for line in selectors.reports.report_lines(unit=unit, year=year, quarter=2)
        }

    desk, division = elements(units["desk"]), elements(units["other"])
    assert {"dossiers_resolved", "dossiers_on_time", "docs_issued"} <= desk
    assert "dossiers_resolved" not in division and "dossiers_on_time" not in division
    assert "docs_issued" in division
    # A figure already stored stays on the form, whatever the scope says.
    factories.figure(units["other"], "dossiers_resolved", 3, quarter=2, category="land")
    assert "dossiers_resolved" in elements(units["other"])
    # A year without targets offers every element.
    assert "dossiers_resolved" in elements(units["department"], year=2030)


def test_fields_are_those_the_unit_reports_else_all(units):
    fields = {
        line.category.code
        for line in selectors.reports.report_lines(unit=units["desk"], year=2021, quarter=2)
        if line.element.code == "dossiers_resolved"
    }
    assert fields == {"land"}
    new_desk = factories.unit("tt-hc", parent=units["department"], receives_dossiers=True)
    other = {
        line.category.code
        for line in selectors.reports.report_lines(unit=new_desk, year=2021, quarter=2)
        if line.element.code == "dossiers_resolved"
    }
    assert {"land", "crop", "investment"} <= other
    channels = {
        line.category.code
        for line in selectors.reports.report_lines(unit=units["desk"], year=2021, quarter=2)
        if line.element.code == "feedback_due"
    }
    assert channels == {"national_portal", "portal_1022", "other"}


def test_the_unit_page_links_to_the_report_for_its_staff_only(
    client, staff, django_user_model, units
):
    client.force_login(staff)
    url = reverse("commitments:unit", args=["vp"]) + "?year=2021&quarter=2"
    assert _url() in client.get(url).content.decode()
    client.force_login(_user(django_user_model, "nguoidung"))
    assert _url() not in client.get(url).content.decode()


# --- what the page needs to check figures as they are typed -----------------------------


def test_each_line_names_the_fields_it_must_not_exceed(units):
    lines = {
        line.field: line
        for line in selectors.reports.report_lines(unit=units["desk"], year=2021, quarter=2)
    }
    assert lines["dossiers_on_time__land"].not_above == ("dossiers_resolved__land",)
    assert lines["dossiers_online__land"].not_above == ("dossiers_received__land",)
    assert lines["feedback_on_time__portal_1022"].not_above == ("feedback_due__portal_1022",)
    assert lines["survey_satisfied"].not_above == ("survey_responses",)
    assert lines["docs_signed_digitally"].not_above == ("docs_issued",)
    assert lines["dossiers_resolved__land"].not_above == ()  # a bound, bounded by nothing
    assert lines["survey_published"].not_above == ()


def test_a_line_lists_every_bound_on_the_form_and_only_those(units):
    elements = DataElement.objects.in_bulk(field_name="code")
    ValidationRule.objects.create(
        element=elements["dossiers_on_time"], bound=elements["dossiers_received"]
    )
    # Split by channel against a figure not split: no line of the bound per channel.
    ValidationRule.objects.create(
        element=elements["feedback_handled"], bound=elements["docs_issued"]
    )
    lines = {
        line.field: line
        for line in selectors.reports.report_lines(unit=units["desk"], year=2021, quarter=2)
    }
    assert lines["dossiers_on_time__land"].not_above == (
        "dossiers_resolved__land",
        "dossiers_received__land",
    )
    assert lines["feedback_handled__other"].not_above == ()


def test_the_form_carries_the_checks_and_their_messages(client, staff):
    client.force_login(staff)
    html = client.get(_url()).content.decode()
    assert 'data-not-above="dossiers_resolved__land"' in html
    on_time = html.split('name="dossiers_on_time__land"', 1)[1].split(">", 1)[0]
    assert 'data-name="Hồ sơ giải quyết đúng hạn"' in on_time
    assert 'data-not-above="dossiers_resolved__land"' in on_time
    flag = html.split('name="survey_published"', 1)[1].split(">", 1)[0]
    assert "data-flag" in flag and "data-not-above" not in flag
    assert 'data-msg-whole="Nhập một số nguyên từ 0 trở lên."' in html
    assert 'data-msg-flag="Chỉ nhập 0 (chưa) hoặc 1 (có)."' in html
    assert (
        'data-msg-above="%(low)s (%(low_value)s) không được lớn hơn %(high)s (%(high_value)s)."'
        in html
    )
    assert "/static/js/report-form.js" in html
    client.cookies["django_language"] = "en"
    html = client.get(_url()).content.decode()
    assert 'data-msg-whole="Enter a whole number of 0 or more."' in html
    assert (
        'data-msg-above="%(low)s (%(low_value)s) cannot exceed %(high)s (%(high_value)s)."' in html
    )


def test_the_rules_cost_the_report_page_one_query(client, staff, django_assert_max_num_queries):
    client.force_login(staff)
    client.get(_url())  # the session is read and saved once
    with django_assert_max_num_queries(25) as before:
        client.get(_url())
    reads = [q["sql"] for q in before.captured_queries if "validationrule" in q["sql"]]
    assert len(reads) == 1
    elements = DataElement.objects.in_bulk(field_name="code")
    for low, high in [("docs_issued", "survey_responses"), ("feedback_due", "feedback_handled")]:
        ValidationRule.objects.create(element=elements[low], bound=elements[high])
    with django_assert_max_num_queries(len(before)):
        client.get(_url())

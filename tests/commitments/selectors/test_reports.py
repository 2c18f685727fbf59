"""What the report form lists (``selectors.reports.report_lines``): the elements and
fields a unit reports, what carries over from the quarter before, the bounds each line
must not exceed; and the report's history as read back."""

from __future__ import annotations

from commitments import selectors, services
from commitments.models import DataElement, ValidationRule
from tests import factories
from tests.commitments.shortcuts import desk_report, report_url

# --- what the form lists -----------------------------------------------------------------


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
    html = client.get(report_url()).content.decode()
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


def test_a_unit_reports_the_elements_of_its_own_departments_sheet(units):
    """A department whose own sheet has no commitment 7 (feedback) is not asked for
    feedback figures; the department on the common sheet still is."""
    health, _sheet = factories.department_with_sheet("soyt", without=["7.1", "7.2"])
    their_desk = factories.unit("soyt-vp", parent=health, receives_dossiers=True)

    def elements(unit):
        return {
            line.element.code
            for line in selectors.reports.report_lines(unit=unit, year=2021, quarter=2)
        }

    feedback = {"feedback_due", "feedback_on_time", "feedback_handled", "feedback_published"}
    theirs, ours = elements(their_desk), elements(units["desk"])
    assert feedback <= ours
    assert ours - theirs == feedback


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


# --- what the page needs to check figures as they are typed ------------------------------


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


# --- the history -------------------------------------------------------------------------


def test_history_selector_names_fields_in_english_too(units, staff, settings):
    from django.utils import translation

    services.reports.report_save(
        report=desk_report(units),
        values={("dossiers_resolved", "land"): "100"},
        version=0,
        user=staff,
    )
    with translation.override("en"):
        line = selectors.reports.report_history(unit=units["desk"], year=2021, quarter=2)[0]
    assert line.changes[0][0].startswith("Dossiers resolved")

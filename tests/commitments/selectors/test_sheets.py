"""Which sheet applies to each department (``selectors.sheets``): its own, else the
common sheet of the year; who may read a sheet; in a fixed number of queries."""

from __future__ import annotations

import pytest

from commitments import access, selectors, services
from commitments.models import Sheet, Target
from tests import factories


def test_each_department_is_judged_on_its_own_sheet_else_the_common_one(catalogue):
    common = Sheet.objects.get(code="hcmc-dard-2021")
    dard = factories.department()
    health = factories.unit("soyt", kind="department")
    own = services.sheets.sheet_create(department=health, year=2021)
    factories.unit("soyt-vp", parent=health)  # not a department: no sheet of its own

    assert selectors.sheets.department_sheets(year=2021) == {dard: common, health: own}
    assert selectors.sheets.department_sheets(year=2022) == {}
    assert selectors.sheets.sheet_departments(sheet=common) == [dard]
    assert selectors.sheets.sheet_departments(sheet=own) == [health]


def test_a_director_reads_the_sheets_of_the_own_department_only(catalogue):
    common = Sheet.objects.get(code="hcmc-dard-2021")
    dard = factories.department()
    health = factories.unit("soyt", kind="department")
    own = services.sheets.sheet_create(department=health, year=2021)
    division = factories.unit("soyt-vp", parent=health)
    for user, expected in (
        (factories.director("giamdoc", dard), [common]),
        (factories.director("giamdoc-yte", health), [own]),
        (factories.staff("chuyenvien-yte", division), [own]),
        (factories.user("khong-don-vi"), []),
    ):
        scope = access.user_scope(user=user)
        assert selectors.sheets.visible_sheets(scope=scope) == expected
        for sheet in (common, own):
            assert selectors.sheets.sheet_visible(sheet=sheet, scope=scope) == (sheet in expected)
    assert selectors.sheets.visible_sheets(scope=access.ALL_UNITS) == [own, common]


@pytest.mark.parametrize("count", [2, 40])
def test_the_sheet_of_each_department_reads_two_queries(
    catalogue, django_assert_num_queries, count
):
    for n in range(count):
        department = factories.unit(f"so-{n:02}", kind="department")
        if n % 2:
            services.sheets.sheet_create(department=department, year=2021)
    with django_assert_num_queries(2):
        applies = selectors.sheets.department_sheets(year=2021)
    assert len(applies) == count
    assert sum(1 for sheet in applies.values() if sheet.code == "hcmc-dard-2021") == count // 2


def _satisfaction():
    return Target.objects.filter(indicator__code="4.1")


def test_each_unit_reads_the_target_of_its_own_departments_sheet(catalogue):
    dard = factories.department()
    dard_desk = factories.unit("vp", parent=dard, receives_dossiers=True)
    health, own = factories.department_with_sheet("soyt")
    health_desk = factories.unit("soyt-vp", parent=health, receives_dossiers=True)
    # A department with a sheet of its own without 4.1 is not judged on the common one.
    bare, _bare_sheet = factories.department_with_sheet("sotp", without=["4.1"])
    bare_desk = factories.unit("sotp-vp", parent=bare, receives_dossiers=True)
    common = Sheet.objects.get(code="hcmc-dard-2021")

    found = selectors.sheets.unit_targets(
        year=2021, units=[dard, dard_desk, health_desk, bare_desk], targets=_satisfaction()
    )
    assert found[dard.pk].indicator.sheet == common == found[dard_desk.pk].indicator.sheet
    assert found[health_desk.pk] == factories.sheet_target(own, "4.1")
    assert found[bare_desk.pk] is None
    assert selectors.sheets.unit_targets(year=2022, units=[dard_desk], targets=_satisfaction()) == {
        dard_desk.pk: None
    }


@pytest.mark.parametrize("count", [2, 40])
def test_the_target_of_each_unit_reads_three_queries(catalogue, django_assert_num_queries, count):
    units = [factories.unit("vp", parent=factories.department())]
    for n in range(count):
        department = factories.unit(f"so-{n:02}", kind="department")
        if n % 2:
            services.targets.sheet_copy(
                sheet=Sheet.objects.get(code="hcmc-dard-2021"), year=2021, department=department
            )
        units.append(factories.unit(f"so-{n:02}-vp", parent=department))
    with django_assert_num_queries(3):  # units, targets with their sheets, overrides
        found = selectors.sheets.unit_targets(year=2021, units=units, targets=_satisfaction())
    assert len({target.pk for target in found.values()}) == 1 + count // 2

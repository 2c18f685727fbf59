"""Which sheet applies to each department (``selectors.sheets``): its own, else the
common sheet of the year; who may read a sheet; in a fixed number of queries."""

from __future__ import annotations

import pytest

from commitments import access, selectors, services
from commitments.models import Sheet
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

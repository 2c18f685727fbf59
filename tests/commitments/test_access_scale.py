"""A director of thousands of units: the scope names them by id in Python, and in a
query walks the tree from the units the director heads rather than sending thousands
of ids; the same units either way, and the same top units."""

from __future__ import annotations

from django.db.models.expressions import RawSQL

from commitments import access
from commitments.models import Unit
from tests import factories


def _wide_department() -> tuple[Unit, Unit]:
    """A department with a division of more units than a scope names by id, and a
    desk elsewhere."""
    department = factories.department()
    division = factories.unit("phong", parent=department)
    Unit.objects.bulk_create(
        Unit(code=f"to-{n:04d}", name=f"Tổ {n}", parent=division, kind="affiliated_unit")
        for n in range(access.FEW_UNITS + 10)
    )
    other = factories.unit("so-khac", kind="department")
    desk = factories.unit("mot-cua", parent=other, receives_dossiers=True)
    return division, desk


def test_a_wide_scope_is_walked_in_the_database_with_the_same_units(db):
    division, desk = _wide_department()
    user = factories.director("truongphong", division)
    factories.membership(user, desk, "staff")
    scope = access.user_scope(user=user)
    assert len(scope.unit_ids) == access.FEW_UNITS + 10 + 1 + 1
    assert isinstance(scope.ids(), RawSQL)
    assert isinstance(scope.ids(directed=True), RawSQL)
    seen = set(scope.filter(Unit.objects.all(), "pk").values_list("pk", flat=True))
    assert seen == scope.unit_ids
    directed = Unit.objects.filter(pk__in=scope.ids(directed=True))
    assert set(directed.values_list("pk", flat=True)) == scope.director_ids
    # The top units: the division and the desk, whose parents the user does not see.
    assert scope.top_ids == {division.pk, desk.pk}
    tops = access.top_units_only(Unit.objects.all(), scope, "pk")
    assert set(tops.values_list("code", flat=True)) == {"phong", "mot-cua"}
    below = access.below_top_units(Unit.objects.all(), scope, "pk")
    assert below.count() == access.FEW_UNITS + 10


def test_a_narrow_scope_names_its_units(db):
    _wide_department()
    unit = Unit.objects.get(code="to-0001")
    scope = access.user_scope(user=factories.director("totruong", unit))
    assert scope.ids() == scope.unit_ids == {unit.pk}
    assert scope.top_ids == {unit.pk}

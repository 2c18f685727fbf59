"""The demo loaded once for a module (``demo_after_2021``): what a test writes is undone
before the next test of the module, which finds the demo as loaded. The tests run in
the file's order: the second reads what the first wrote."""

from __future__ import annotations

from commitments.models import Status, Unit


def test_a_test_changes_and_adds_and_deletes(demo_after_2021, db):
    assert Unit.objects.filter(code="sonn").exists()
    Unit.objects.filter(code="sonn").update(name="changed by a test")
    Unit.objects.create(code="added-by-a-test", name="added", kind="division")
    Status.objects.filter(year=2021).delete()


def test_the_next_finds_the_demo_as_loaded(demo_after_2021, db):
    assert Unit.objects.get(code="sonn").name != "changed by a test"
    assert not Unit.objects.filter(code="added-by-a-test").exists()
    assert Status.objects.filter(year=2021).exists()

"""The ``recompute`` command's processes: a tree in parts computed by several processes
at once stores the statuses that part after part in one transaction stores, and
closes its run. PostgreSQL (the processes read what is committed)."""

from __future__ import annotations

import pytest
from django.db import connection

from commitments import services
from commitments.models import RecomputeRequest, RecomputeState, Status
from tests.commitments.services.test_recompute_parts import _stored, _tree

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="processes share a PostgreSQL database"
    ),
]


def test_parts_in_several_processes_store_what_one_transaction_stores(
    catalogue, settings, monkeypatch
):
    _tree(units=16)
    settings.RECOMPUTE_PART_UNITS = 4
    in_turn = services.recompute_here.statuses_recompute_here(year=2021, jobs=1)
    stored = _stored()
    Status.every.all().delete()
    services.recompute.recompute_request(years=[2021])

    handed, computed = [], services.recompute_here._parts_computed
    monkeypatch.setattr(
        services.recompute_here,
        "_parts_computed",
        lambda *args: handed.append(args) or computed(*args),
    )
    at_once = services.recompute_here.statuses_recompute_here(year=2021, jobs=2)

    ((year, _run, parts, _as_of, jobs),) = handed
    assert (year, jobs) == (2021, 2) and len(parts) > 2
    assert at_once == in_turn > 0
    assert _stored() == stored
    state = RecomputeState.objects.get(year=2021)
    assert state.run is None and state.computed_at is not None
    assert not RecomputeRequest.objects.filter(year=2021).exists()


def test_a_tree_of_one_part_is_computed_in_this_process(catalogue):
    _tree()
    assert services.recompute_here.statuses_recompute_here(year=2021, jobs=2) > 0
    assert RecomputeState.objects.get(year=2021).run is None

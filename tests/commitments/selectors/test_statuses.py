"""The state of each year's recompute as the pages read it: with the years that have
targets, in one query, and whether the statuses may be behind (``behind_since``)."""

from __future__ import annotations

import pytest

from commitments import selectors
from commitments.models import RecomputeRequest, RecomputeState, Target
from tests import factories

T0 = factories.utc(2021, 4, 10, 8, 0)
T1 = factories.utc(2021, 4, 10, 9, 0)
T2 = factories.utc(2021, 4, 10, 10, 0)


def test_years_with_states_reads_every_year_with_its_state_in_one_query(
    catalogue, django_assert_num_queries
):
    target = factories.target("4.1")
    for year in (2022, 2023):
        Target.objects.create(indicator=target.indicator, year=year, threshold=90, comparator=">=")
    RecomputeState.objects.filter(year=2021).update(
        computed_at=T0, status_count=42, failed_at=T2, last_error="KeyError: 'x'"
    )
    # Two changes of 2021 wait for their recompute: the oldest says since when.
    RecomputeRequest.objects.bulk_create(
        [RecomputeRequest(year=2021, requested_at=T2), RecomputeRequest(year=2021, requested_at=T1)]
    )
    # 2023 was never computed, but a change of it waits.
    RecomputeRequest.objects.create(year=2023, requested_at=T0)
    with django_assert_num_queries(1):
        states = selectors.statuses.years_with_states()
    assert list(states) == [2021, 2022, 2023]
    assert states[2022] is None  # never computed, nothing asked
    state = states[2021]
    stored = RecomputeState.objects.get(year=2021)
    assert state.pk == stored.pk
    assert (state.pending, state.requested_at, state.computed_at) == (True, T1, T0)
    assert stored.requested_at == T1  # the model's own reads say the same
    assert (state.failed_at, state.last_error) == (T2, "KeyError: 'x'")
    assert state.status_count == 42
    waiting = states[2023]
    assert (waiting.pk, waiting.computed_at, waiting.behind_since) == (None, None, T0)
    assert selectors.engine_inputs.years_with_targets() == list(states)


def test_no_year_without_targets(db):
    assert selectors.statuses.years_with_states() == {}


@pytest.mark.parametrize(
    ("fields", "requested", "since", "failed"),
    [
        # Nothing waits: up to date.
        ({"computed_at": T1}, None, None, False),
        ({}, None, None, False),
        # A change waits for its recompute (the oldest request still in the outbox).
        ({"computed_at": T1}, T2, T2, False),
        # A change saved during the recompute that finished at T1: that one did not
        # cover it, so it still waits.
        ({"computed_at": T1}, T0, T0, False),
        ({}, T0, T0, False),
        # The last recompute failed: since the request it served, else since it failed.
        ({"computed_at": T0, "failed_at": T2}, T1, T1, True),
        ({"computed_at": T1, "failed_at": T2}, None, T2, True),
        ({"failed_at": T2}, None, T2, True),
        # A failure before the last success is over.
        ({"computed_at": T2, "failed_at": T1}, None, None, False),
    ],
)
def test_behind_since(fields, requested, since, failed):
    state = RecomputeState(year=2021, **fields)
    state.requested_at = requested
    assert state.behind_since == since
    assert state.pending == (requested is not None)
    assert state.failed == failed

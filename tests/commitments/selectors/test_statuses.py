"""The state of each year's recompute as the pages read it: with the years that have
targets, in one query, and whether the statuses may be behind (``behind_since``)."""

from __future__ import annotations

import pytest

from commitments import selectors
from commitments.models import RecomputeState, Target
from tests import factories

T0 = factories.utc(2021, 4, 10, 8, 0)
T1 = factories.utc(2021, 4, 10, 9, 0)
T2 = factories.utc(2021, 4, 10, 10, 0)


def test_years_with_states_reads_every_year_with_its_state_in_one_query(
    catalogue, django_assert_num_queries
):
    target = factories.target("4.1")
    Target.objects.create(indicator=target.indicator, year=2022, threshold=90, comparator=">=")
    RecomputeState.objects.filter(year=2021).update(
        pending=True,
        requested_at=T1,
        computed_at=T0,
        status_count=42,
        failed_at=T2,
        last_error="KeyError: 'x'",
    )
    with django_assert_num_queries(1):
        states = selectors.statuses.years_with_states()
    assert list(states) == [2021, 2022]
    assert states[2022] is None  # never computed
    state = states[2021]
    stored = RecomputeState.objects.get(year=2021)
    assert state.pk == stored.pk
    assert (state.pending, state.requested_at, state.computed_at) == (True, T1, T0)
    assert (state.failed_at, state.last_error) == (T2, "KeyError: 'x'")
    assert state.status_count == 42
    assert selectors.engine_inputs.years_with_targets() == list(states)


def test_no_year_without_targets(db):
    assert selectors.statuses.years_with_states() == {}


@pytest.mark.parametrize(
    ("fields", "since", "failed"),
    [
        # Computed after the last request: up to date.
        ({"requested_at": T0, "computed_at": T1}, None, False),
        ({"computed_at": T1}, None, False),
        # A save asked for a recompute that has not run yet.
        ({"pending": True, "requested_at": T2, "computed_at": T1}, T2, False),
        # ... or that its task claimed but has not finished (or lost).
        ({"requested_at": T2, "computed_at": T1}, T2, False),
        # A save during a recompute: the year is pending again.
        ({"pending": True, "requested_at": T0, "computed_at": T1}, T0, False),
        ({"pending": True, "requested_at": T0}, T0, False),
        # The last recompute failed: since the request it served, else since it failed.
        ({"requested_at": T1, "computed_at": T0, "failed_at": T2}, T1, True),
        ({"requested_at": T0, "computed_at": T1, "failed_at": T2}, T2, True),
        ({"failed_at": T2}, T2, True),
        # A failure before the last success is over.
        ({"computed_at": T2, "failed_at": T1}, None, False),
    ],
)
def test_behind_since(fields, since, failed):
    state = RecomputeState(year=2021, **fields)
    assert state.behind_since == since
    assert state.failed == failed

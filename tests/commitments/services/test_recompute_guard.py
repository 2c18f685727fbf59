"""A status whose value cannot be stored is stored without it, with the reason."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from commitments import engine
from commitments.services import recompute


def test_a_value_too_large_for_its_column_is_stored_as_none_with_the_reason():
    row = engine.StatusRow(
        indicator="4.3", unit_id=1, category="", year=2021, quarter=0,
        value=Fraction(10**30), target=None, comparator=None, status=engine.MET, detail={},
    )  # fmt: skip
    ids = recompute.selectors.engine_inputs.EngineIds(
        indicators={("4.3", 1): 7}, departments={1: 1}, versions={7: 3}
    )
    status = recompute._status(row, ids, dt.datetime(2021, 12, 31, tzinfo=dt.UTC))
    assert (status.value, status.status) == (None, engine.NO_DATA)
    assert status.detail == {"error": "value too large to store"}
    assert status.facts.error == "value too large to store"

"""One indicator's data that no rule foresaw never stops the year's other statuses."""

from __future__ import annotations

from commitments.engine import NO_DATA, YEAR, compute
from tests.commitments.engine.inputs import (
    dataset,
    department,
    desk,
    on_time,
    on_time_5_1,
    run,
    satisfaction_4_1,
    survey,
)


def test_a_row_that_cannot_be_computed_says_why_and_the_rest_is_computed(monkeypatch):
    ratio = compute.KINDS["ratio"]

    def broken_for_on_time(indicator, *args):
        if indicator.code == "5.1":
            raise ZeroDivisionError("division by zero")
        return ratio(indicator, *args)

    monkeypatch.setitem(compute.KINDS, "ratio", broken_for_on_time)
    data = dataset(
        [department(), desk(2)],
        figures=[*on_time(2, 99, 100, category="land"), *survey(2, 95, 100)],
    )
    rows = run([on_time_5_1(), satisfaction_4_1()], data)
    broken = [r for r in rows if r.indicator == "5.1"]
    assert broken and all(r.status == NO_DATA and r.value is None for r in broken)
    assert broken[0].detail == {"error": "ZeroDivisionError: division by zero"}
    satisfied = [r for r in rows if r.indicator == "4.1" and r.unit_id == 2 and r.quarter == YEAR]
    assert [r.value for r in satisfied] == [95]

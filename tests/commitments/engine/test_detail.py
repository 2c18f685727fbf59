"""The numbers behind a status's value, read back by attribute (``engine.Detail``) from
the JSON the recompute stores. (That every key the recompute stores reads back:
services/test_recompute.py.)"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from commitments import engine


def test_a_stored_growth_detail_reads_as_numbers():
    stored = {
        "numerator": 92,
        "denominator": 110,
        "baseline": "54.1234",
        "baseline_source": "figures",
    }
    facts = engine.Detail.from_json(stored)
    assert (facts.numerator, facts.denominator) == (92, 110)
    assert facts.baseline == Decimal("54.1234")
    assert facts.baseline_source == "figures"
    assert facts.current is None


def test_a_stored_milestone_detail_reads_its_dates():
    stored = {"done_on": "2021-10-30", "has_evidence": True, "deadline": "2021-10-31"}
    facts = engine.Detail.from_json(stored)
    assert (facts.done_on, facts.deadline) == (dt.date(2021, 10, 30), dt.date(2021, 10, 31))
    assert facts.has_evidence is True


def test_missing_and_null_keys_read_as_unset():
    for stored in ({}, None, {"numerator": None, "denominator": None, "covered": None}):
        facts = engine.Detail.from_json(stored)
        assert facts == engine.Detail()
        assert (facts.numerator, facts.missing, facts.done_on) == (None, (), None)
        assert facts.has_evidence is False


def test_the_stored_form_reads_back_to_the_same_detail():
    facts = engine.Detail(
        numerator=0,
        denominator=4,
        baseline=Decimal("33.3333"),
        baseline_source="target",
        covered=3,
        units=10,
        covered_units=("U01", "U02", "U03"),
        missing=("U04",),
        behind=("land",),
        done_on=dt.date(2021, 3, 1),
        has_evidence=True,
        deadline=dt.date(2021, 12, 31),
    )
    stored = facts.to_json()
    assert stored["baseline"] == "33.3333"
    assert stored["done_on"] == "2021-03-01"
    assert stored["missing"] == ["U04"]
    assert stored["numerator"] == 0  # a zero is a value, not unset
    assert "current" not in stored
    assert engine.Detail.from_json(stored) == facts


def test_the_fields_with_a_target_of_their_own_read_back_as_decimals():
    stored = {"behind": ["land"], "category_targets": [["land", "96.0000", ">="]]}
    facts = engine.Detail.from_json(stored)
    assert facts.category_targets == (("land", Decimal(96), ">="),)
    assert facts.to_json() == stored

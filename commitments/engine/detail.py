"""The numbers behind a status's value, typed for the pages that read them.

The engine returns a row's detail (``StatusRow.detail``) as a mapping of the keys its
kind emits, and the recompute stores that mapping as JSON: whole numbers as numbers,
fractions as decimal strings (four places), dates in ISO form, codes as lists.
``Detail`` reads that JSON back by attribute; a key a kind does not emit reads as
``None`` (or an empty tuple, or ``False``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import Decimal


@dataclass(frozen=True)
class Detail:
    """What a status row's value was computed from, by kind:

    - ratio (and growth in points): ``numerator`` and ``denominator``, the sums over the
      units (``numerator`` is 0, not ``None``, once there is a denominator);
    - growth: ``baseline`` (the baseline year's value) and ``baseline_source``
      (``"figures"`` of that year, or the value on the ``"target"``); growth in
      percent: ``current``, the year's value;
    - count of records: ``records``, and ``units`` the distinct units they name;
    - coverage: ``covered`` of ``units`` in scope, the codes of the units counted
      (``covered_units``) and of those ``missing``;
    - milestone: ``done_on``, ``has_evidence`` and the ``deadline``;
    - the whole of a per-category indicator: the categories ``behind``, and the
      categories whose own target differs from the whole's (``category_targets``:
      category, threshold, comparator), so that the target reads as signed;
    - the year row of an indicator judged by quarter: the worst ``quarter`` so far
      (whose numbers the row carries) and the ended quarters that failed
      (``failed_quarters``);
    - a row that could not be computed, or whose value could not be stored: ``error``.
    """

    numerator: int | None = None
    denominator: int | None = None
    current: int | None = None
    baseline: Decimal | None = None
    baseline_source: str | None = None
    records: int | None = None
    units: int | None = None
    covered: int | None = None
    covered_units: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    # How many units ``missing`` holds in all, when a page read it cut to the first few
    # (``selectors.unit_lists``); None when it holds them all.
    missing_count: int | None = None
    behind: tuple[str, ...] = ()
    category_targets: tuple[tuple[str, Decimal, str], ...] = ()
    done_on: dt.date | None = None
    has_evidence: bool = False
    deadline: dt.date | None = None
    quarter: int | None = None
    failed_quarters: tuple[int, ...] = ()
    error: str | None = None

    @classmethod
    def from_json(cls, stored: Mapping[str, object] | None) -> Detail:
        """A detail as stored (``Status.detail``); missing keys read as unset."""
        stored = stored or {}
        return cls(
            numerator=_whole(stored.get("numerator")),
            denominator=_whole(stored.get("denominator")),
            current=_whole(stored.get("current")),
            baseline=_decimal(stored.get("baseline")),
            baseline_source=stored.get("baseline_source") or None,
            records=_whole(stored.get("records")),
            units=_whole(stored.get("units")),
            covered=_whole(stored.get("covered")),
            covered_units=tuple(stored.get("covered_units") or ()),
            missing=tuple(stored.get("missing") or ()),
            missing_count=_whole(stored.get("missing_count")),
            behind=tuple(stored.get("behind") or ()),
            category_targets=tuple(
                (str(category), Decimal(str(threshold)), str(comparator))
                for category, threshold, comparator in stored.get("category_targets") or ()
            ),
            done_on=_day(stored.get("done_on")),
            has_evidence=bool(stored.get("has_evidence")),
            deadline=_day(stored.get("deadline")),
            quarter=_whole(stored.get("quarter")),
            failed_quarters=tuple(int(q) for q in stored.get("failed_quarters") or ()),
            error=stored.get("error") or None,
        )

    @property
    def missing_total(self) -> int:
        """How many units miss the condition, whether ``missing`` names them all or
        only the first few."""
        return len(self.missing) if self.missing_count is None else self.missing_count

    def to_json(self) -> dict[str, object]:
        """The stored form of the fields that are set (``from_json`` reads it back to an
        equal detail): numbers as numbers, the baseline as a decimal string, dates in
        ISO form, codes as lists. Unset fields are left out, where the recompute also
        stores the ``null`` of a key the kind emits without a value."""
        stored: dict[str, object] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value is None or value == () or value is False:
                continue
            if isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = [_stored(v) if isinstance(v, tuple) else v for v in value]
            stored[item.name] = value
        return stored


def _stored(parts: tuple) -> list:
    """A tuple inside a field (a category's target) as stored: decimals as strings."""
    return [str(part) if isinstance(part, Decimal) else part for part in parts]


def _whole(value: object) -> int | None:
    return None if value is None or value == "" else int(value)


def _decimal(value: object) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def _day(value: object) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))

"""Aggregation up the tree: the unit tree with its subtrees, and the figures indexed by
element, year and unit, added up over the units of a subtree and the quarters of a
period."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from commitments.engine.types import LAST, FigureRow, UnitFilter, UnitNode


class Tree:
    """The unit tree with the members of each subtree, computed once."""

    def __init__(self, units: Sequence[UnitNode]):
        self.units = {u.id: u for u in units}
        children: dict[int | None, list[int]] = defaultdict(list)
        for unit in units:
            parent = unit.parent_id if unit.parent_id in self.units else None
            children[parent].append(unit.id)
        self.roots = sorted(children[None], key=lambda i: self.units[i].code)
        self.root_of: dict[int, int] = {}
        self.subtree: dict[int, list[int]] = {}
        for root in self.roots:
            self._walk(root, root, children)
        self._in_scope: dict[tuple[int, UnitFilter], list[int]] = {}

    def _walk(self, root: int, start: int, children: Mapping[int | None, list[int]]) -> None:
        # Iterative post-order walk: deep trees must not hit the recursion limit.
        order: list[int] = []
        stack = [start]
        while stack:
            node = stack.pop()
            order.append(node)
            self.root_of[node] = root
            stack.extend(children.get(node, ()))
        for node in reversed(order):
            members = [node]
            for child in children.get(node, ()):
                members.extend(self.subtree[child])
            self.subtree[node] = members

    def members(self, unit_id: int, scope: UnitFilter) -> list[int]:
        """The units of a subtree that the filter admits, the unit itself included."""
        key = (unit_id, scope)
        if key not in self._in_scope:
            self._in_scope[key] = [m for m in self.subtree[unit_id] if scope.admits(self.units[m])]
        return self._in_scope[key]

    def counted(self, members: list[int]) -> list[int]:
        """The units among ``members``, without the nodes that stand for sums."""
        units = self.units
        return [m for m in members if not units[m].aggregate]

    def ordered(self) -> list[int]:
        """Every unit, each department first and then its subtree."""
        return [m for root in self.roots for m in self.subtree[root]]


ANY = object()  # all categories together
_NONE: dict[int, int] = {}  # no unit has a figure (never written to)


class Figures:
    """Figures indexed by element, year and unit, aggregated over quarters on demand."""

    def __init__(self, figures: Iterable[FigureRow], aggregations: Mapping[str, str]):
        self.aggregations = aggregations
        # (element, year) -> unit -> category -> quarter -> value
        self._rows: dict[tuple[str, int], dict[int, dict[str | None, dict[int, int]]]] = (
            defaultdict(lambda: defaultdict(dict))
        )
        for f in figures:
            self._rows[(f.element, f.year)][f.unit_id].setdefault(f.category, {})[f.quarter] = (
                f.value
            )
        self._cache: dict[tuple, dict] = {}

    def per_unit(self, element: str, year: int, quarters: range, category=ANY) -> dict[int, int]:
        """Each unit's value over the quarters; only units with at least one figure.

        A ``sum`` element adds the quarters; a ``last`` element (stocks, 0/1 flags) takes
        each category's latest quarter with a figure.
        """
        key = (element, year, quarters.start, quarters.stop)
        by_category = self._cache.get(key)
        if by_category is None:
            by_category = self._cache[key] = self._per_unit(element, year, quarters)
        return by_category.get(category, _NONE)

    def _per_unit(self, element: str, year: int, quarters: range) -> dict:
        """``per_unit`` of every category at once, and of them all together (``ANY``):
        one pass over the element's figures."""
        last = self.aggregations.get(element) == LAST
        result: dict = {ANY: {}}
        together = result[ANY]
        for unit_id, by_category in self._rows.get((element, year), {}).items():
            for category, by_quarter in by_category.items():
                present = [q for q in quarters if q in by_quarter]
                if not present:
                    continue
                value = by_quarter[present[-1]] if last else sum(by_quarter[q] for q in present)
                result.setdefault(category, {})[unit_id] = value
                together[unit_id] = together.get(unit_id, 0) + value
        return result

    def total(
        self, element: str, year: int, quarters: range, units: Iterable[int], category=ANY
    ) -> int | None:
        """Σ over the units; ``None`` when none of them has a figure."""
        values = self.per_unit(element, year, quarters, category)
        present = [values[u] for u in units if u in values]
        return sum(present) if present else None

    def categories(
        self, element: str, year: int, quarters: range, units: Iterable[int]
    ) -> list[str]:
        """The categories with at least one figure among the units in the quarters."""
        found: set[str] = set()
        rows = self._rows.get((element, year), {})
        for unit_id in units:
            for cat, by_quarter in rows.get(unit_id, {}).items():
                if cat is not None and any(q in by_quarter for q in quarters):
                    found.add(cat)
        return sorted(found)

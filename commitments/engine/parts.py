"""A year's recompute in parts (phần), so that a tree of any size is computed with
memory bounded by the size of a part, and the parts on several workers at once.

A status row of a unit reads the figures of its subtree. The units whose subtree is
small enough are computed in *branches*: whole subtrees, grouped under the same parent
up to ``limit`` units, each read unit by unit. The few units above them (a country
above its provinces) form the *top*: their rows read, for each unit of the top, its
own figures, and the figures of the branches below it added up in the database by
kind, sector and flags of the units (``stand_ins``), which is all a sum over the
units of a scope needs; the figures a rule reads unit by unit (a coverage's per-unit
condition, an element whose latest quarter counts) stay per unit.

The same stand-ins serve a recompute of what one change touches: the units above the
changed one are computed, everything beside them is read as sums.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from commitments.engine.types import COVERAGE, ELEMENT_AT_LEAST, LAST, IndicatorSpec, UnitNode


@dataclass(frozen=True)
class Part:
    """The units whose rows one part computes. A branch (``summed`` False) is made of
    whole subtrees and reads its units' figures one by one; the top (``summed``
    True) reads what is below it as sums."""

    units: frozenset[int]
    summed: bool = False


def parts_of(units: Sequence[UnitNode], *, limit: int) -> list[Part]:
    """The parts of a recompute of ``units`` (the whole tree), none of more than
    ``limit`` units but the top: the branches in the order of the tree, then the top
    if some subtree is larger than ``limit``. A tree of at most ``limit`` units is one
    part."""
    children, roots = _children(units)
    size = _sizes(children, roots)
    branches: list[list[int]] = []
    top: list[int] = []
    todo = [None]  # the parent whose children are shared out; None: the roots
    while todo:
        parent = todo.pop()
        group: list[int] = []
        count = 0
        for child in roots if parent is None else children.get(parent, ()):
            if size[child] > limit:
                top.append(child)
                todo.append(child)
                continue
            if count + size[child] > limit and group:
                branches.append(group)
                group, count = [], 0
            group.append(child)
            count += size[child]
        if group:
            branches.append(group)
    result = [Part(frozenset(_members(children, group))) for group in branches]
    if top:
        result.append(Part(frozenset(top), summed=True))
    return result


def _children(units: Sequence[UnitNode]) -> tuple[dict[int, list[int]], list[int]]:
    known = {u.id for u in units}
    children: dict[int, list[int]] = {}
    roots: list[int] = []
    for unit in units:
        if unit.parent_id in known:
            children.setdefault(unit.parent_id, []).append(unit.id)
        else:
            roots.append(unit.id)
    return children, roots


def _sizes(children: dict[int, list[int]], roots: list[int]) -> dict[int, int]:
    """The number of units of each subtree (iteratively: deep trees are allowed)."""
    order: list[int] = []
    stack = list(roots)
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(children.get(node, ()))
    size: dict[int, int] = {}
    for node in reversed(order):
        size[node] = 1 + sum(size[c] for c in children.get(node, ()))
    return size


def _members(children: dict[int, list[int]], roots: Iterable[int]) -> list[int]:
    members: list[int] = []
    stack = list(roots)
    while stack:
        node = stack.pop()
        members.append(node)
        stack.extend(children.get(node, ()))
    return members


def ancestors(units: Sequence[UnitNode], ids: Iterable[int]) -> list[int]:
    """The units ``ids`` and every unit above them, each once."""
    parent = {u.id: u.parent_id for u in units}
    found: dict[int, None] = {}
    for unit_id in ids:
        while unit_id is not None and unit_id in parent and unit_id not in found:
            found[unit_id] = None
            unit_id = parent[unit_id]
    return list(found)


def stand_ins(
    units: Sequence[UnitNode], detailed: Collection[int]
) -> tuple[dict[int, int], list[UnitNode]]:
    """How the units below the ``detailed`` ones (which hold each other's ancestors)
    are read: each such unit's stand-in, a node under its nearest detailed ancestor
    for the units of its kind, sector and flags there, and those nodes (negative ids,
    ``aggregate``). Units in ``detailed``, and units below none of them, have none."""
    by_id = {u.id: u for u in units}
    children, roots = _children(units)
    node_of: dict[int, int] = {}
    nodes: dict[tuple, UnitNode] = {}
    stack = [(root, None) for root in roots]
    while stack:
        unit_id, above = stack.pop()
        unit = by_id[unit_id]
        if unit_id in detailed:
            above = unit_id
        elif above is not None:
            key = (above, unit.kind, unit.sector, unit.public_service, unit.receives_dossiers)
            if key not in nodes:
                nodes[key] = UnitNode(-1 - len(nodes), "", above, *key[1:], aggregate=True)
            node_of[unit_id] = nodes[key].id
        stack.extend((child, above) for child in children.get(unit_id, ()))
    return node_of, list(nodes.values())


def read_per_unit(indicators: Iterable[IndicatorSpec], aggregations: dict[str, str]) -> set[str]:
    """The elements that must be read unit by unit even where units are read as sums:
    those a coverage indicator checks unit by unit, and those whose latest quarter
    counts (a sum of latest values is not the latest of the sums)."""
    elements = {code for code, aggregation in aggregations.items() if aggregation == LAST}
    for indicator in indicators:
        if indicator.kind == COVERAGE and indicator.coverage_rule == ELEMENT_AT_LEAST:
            elements.add(indicator.element)
    return elements


def elements_read(indicator: IndicatorSpec) -> set[str]:
    """The data elements an indicator's value reads."""
    return {e for e in (indicator.numerator, indicator.denominator, indicator.element) if e}

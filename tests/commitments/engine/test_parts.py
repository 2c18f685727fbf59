"""A year's recompute in parts (``engine.parts``): how a tree is shared out, the nodes
that stand for the units below a part's top, and the rule that makes it safe: the rows
of every part, computed each from its own inputs, are the rows of the whole tree."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from commitments import engine
from commitments.engine import YEAR, EvidenceRow, FigureRow, MilestoneRow, PlanTaskRow, UnitNode
from tests.commitments.engine.inputs import (
    AGGREGATIONS,
    CLOSED,
    D,
    Y,
    communication_9_2,
    dataset,
    department,
    eligible_procedures_4_3,
    epayment_4_4,
    epayment_desks_4_5,
    feedback_7_1,
    initiatives_4_6,
    iso_8_2,
    on_time_5_1,
    online_share_4_2,
    periodic_inspections_3_1,
    plan_tasks_1_1,
    published_6_2,
    run,
    satisfaction_4_1,
    signed_digitally_8_1,
    surprise_inspections_3_2,
    surveyed_6_1,
    unit,
)

# The whole 2021 catalogue, as the engine reads it.
CATALOGUE = [
    plan_tasks_1_1(),
    periodic_inspections_3_1(),
    surprise_inspections_3_2(),
    satisfaction_4_1(),
    online_share_4_2(),
    eligible_procedures_4_3(),
    epayment_4_4(),
    epayment_desks_4_5(),
    initiatives_4_6(),
    on_time_5_1(),
    feedback_7_1(),
    surveyed_6_1(),
    published_6_2(),
    signed_digitally_8_1(),
    iso_8_2(),
    communication_9_2(),
]

FIELDS = ["crop", "land", "investment", "fisheries"]
CHANNELS = ["national_portal", "portal_1022"]


def _chain(depth: int) -> list[UnitNode]:
    return [department()] + [unit(n, parent=n - 1 or 1) for n in range(2, depth + 2)]


def test_a_small_tree_is_one_part():
    units = [department(), *(unit(n) for n in range(2, 6))]
    assert engine.parts_of(units, limit=5) == [engine.Part(frozenset(range(1, 6)))]


def test_a_large_tree_is_shared_out_in_whole_subtrees_under_a_top():
    # A country of three provinces of 4 units each, and two communes of its own.
    units = [department(1, code="VN")]
    for p, first in ((2, 10), (3, 20), (4, 30)):
        units += [unit(p, parent=1), *(unit(first + n, parent=p) for n in range(3))]
    units += [unit(40, parent=1), unit(41, parent=1)]
    parts = engine.parts_of(units, limit=9)
    assert [p for p in parts if p.summed] == [engine.Part(frozenset({1}), summed=True)]
    branches = [p.units for p in parts if not p.summed]
    assert all(len(b) <= 9 for b in branches)
    # Every unit in exactly one part, each province whole in one branch.
    assert sorted(u for p in parts for u in p.units) == sorted(u.id for u in units)
    for province in ({2, 10, 11, 12}, {3, 20, 21, 22}, {4, 30, 31, 32}):
        assert any(province <= b for b in branches)


def test_a_subtree_larger_than_a_part_joins_the_top():
    units = _chain(6)  # 1 > 2 > 3 > ... > 7
    parts = engine.parts_of(units, limit=3)
    assert parts == [engine.Part(frozenset({5, 6, 7})), engine.Part(frozenset({1, 2, 3, 4}), True)]


def test_a_deep_tree_is_shared_out_without_recursion():
    parts = engine.parts_of(_chain(5000), limit=100)
    assert sum(len(p.units) for p in parts) == 5001


def test_units_below_a_detailed_one_stand_in_by_kind_sector_and_flags():
    units = [
        department(),
        unit(2, parent=1),
        unit(3, "affiliated_unit", parent=2, receives=True),
        unit(4, "affiliated_unit", parent=2, receives=True),
        unit(5, "affiliated_unit", parent=2),
        unit(6, parent=1, sector="health"),
        unit(7, "affiliated_unit", parent=6, receives=True),
    ]
    node_of, nodes = engine.stand_ins(units, {1, 2})
    by_id = {n.id: n for n in nodes}
    # 3 and 4 alike under 2; 5 apart (not receiving); 6 and 7 under the department.
    assert node_of[3] == node_of[4] != node_of[5]
    assert by_id[node_of[3]].parent_id == 2 and by_id[node_of[3]].receives_dossiers
    assert by_id[node_of[7]].parent_id == 1 and by_id[node_of[6]].sector == "health"
    assert node_of[6] != node_of[7]
    assert 1 not in node_of and 2 not in node_of
    assert all(n.aggregate and n.id < 0 for n in nodes)


def test_a_coverage_never_counts_a_node_that_stands_for_units():
    units = [department(), unit(2, receives=True), unit(3, receives=True)]
    stand_in = UnitNode(-1, "", 1, "division", "agriculture", False, True, aggregate=True)
    figures = [_fig(2, "survey_responses", 5, quarter=1), _fig(-1, "survey_responses", 9)]
    rows = run(surveyed_6_1(), dataset([*units, stand_in], figures), as_of=CLOSED)
    first = next(r for r in rows if r.quarter == 1)
    assert (first.detail["covered"], first.detail["units"]) == (1, 2)
    assert first.detail["missing"] == ["U03"]


def test_rows_are_computed_for_the_units_asked_only():
    units = [department(), unit(2, receives=True), unit(3, receives=True)]
    data = dataset(units, [_fig(2, "survey_responses", 10), _fig(2, "survey_satisfied", 9)])
    rows = engine.compute_statuses(
        [satisfaction_4_1(), surveyed_6_1()],
        replace(data, rows_for=frozenset({2})),
        year=Y,
        as_of=CLOSED,
    )
    assert {(r.indicator, r.unit_id) for r in rows} == {("4.1", 2)}


# --- every part from its own inputs: the rows of the whole tree ------------------------


def _fig(unit_id, element, value, *, quarter=1, year=Y, category=None) -> FigureRow:
    return FigureRow(year, quarter, unit_id, element, category, value)


def _world(seed: int):
    """A random department three levels deep, with two years of figures of every
    element, evidence, plan tasks and milestones."""
    rnd = random.Random(seed)
    units = [department()]
    for n in range(2, 60):
        parent = rnd.choice([u.id for u in units if u.id < n and u.kind != "affiliated_unit"])
        units.append(
            unit(
                n,
                rnd.choice(["division", "affiliated_unit"]),
                parent=parent,
                sector=rnd.choice(["agriculture", "education", "health"]),
                public_service=rnd.random() < 0.4,
                receives=rnd.random() < 0.6,
            )
        )
    figures = []
    for u in units:
        for year in (2020, Y):
            for quarter in rnd.sample([1, 2, 3, 4], rnd.randint(0, 4)):
                figures += _quarter(rnd, u.id, year, quarter)
    evidence = [
        EvidenceRow(
            rnd.choice(units).id,
            rnd.choice(["inspection_periodic", "inspection_surprise", "initiative", "dialogue"]),
            D(Y, rnd.randint(1, 12), rnd.randint(1, 28)),
            rnd.choice(units).id,
        )
        for _ in range(40)
    ] + [EvidenceRow(u.id, "communication_product", D(Y, 5, 1)) for u in units[::3]]
    plan_tasks = [PlanTaskRow(u.id, Y, rnd.choice([None, D(Y, 9, 1)])) for u in units[:6]]
    milestones = [MilestoneRow("8.2", 1, Y, D(Y, 11, 30), True)]
    return units, figures, evidence, plan_tasks, milestones


def _quarter(rnd, unit_id, year, quarter) -> list[FigureRow]:
    rows = []
    for element in AGGREGATIONS:
        if rnd.random() < 0.3:
            continue
        if element.startswith("dossiers"):
            categories = rnd.sample(FIELDS, 2)
        elif element.startswith("feedback"):
            categories = rnd.sample(CHANNELS, 1)
        else:
            categories = [None]
        high = 1 if element in ("epayment_applied", "website_reform_section") else 50
        for category in categories:
            value = rnd.randint(0, high)
            rows.append(
                _fig(unit_id, element, value, quarter=quarter, year=year, category=category)
            )
    return rows


def _part_dataset(part: engine.Part, world) -> engine.Dataset:
    """What ``selectors.part_inputs`` reads for a part, worked out here in Python: a
    branch's own figures and records; for the top, its own figures, the elements read
    unit by unit for every unit below, and the rest added up by stand-in node."""
    units, figures, evidence, plan_tasks, milestones = world
    if not part.summed:
        above = set(engine.ancestors(units, part.units))
        mine = [f for f in figures if f.unit_id in part.units]
        records = [
            [r for r in rows if r.unit_id in part.units]
            for rows in (evidence, plan_tasks, milestones)
        ]
        data = dataset([u for u in units if u.id in above], mine, *records)
        return replace(data, rows_for=part.units)
    node_of, nodes = engine.stand_ins(units, part.units)
    one_by_one = engine.read_per_unit(CATALOGUE, AGGREGATIONS)
    read, sums = [], {}
    for f in figures:
        if f.unit_id in part.units or (f.unit_id in node_of and f.element in one_by_one):
            read.append(f)
        elif f.unit_id in node_of:
            key = (f.year, f.quarter, node_of[f.unit_id], f.element, f.category)
            sums[key] = sums.get(key, 0) + f.value
    read += [FigureRow(*key, value) for key, value in sums.items()]
    data = dataset([*units, *nodes], read, evidence, plan_tasks, milestones)
    return replace(data, rows_for=part.units)


def _rows(rows) -> dict:
    return {
        (r.indicator, r.unit_id, r.category, r.quarter): (r.value, r.target, r.status, r.detail)
        for r in rows
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("limit", [4, 15])
@pytest.mark.parametrize("as_of", [D(Y, 5, 20), CLOSED])
def test_the_parts_computed_apart_give_the_rows_of_the_whole_tree(seed, limit, as_of):
    world = _world(seed)
    whole = _rows(run(CATALOGUE, dataset(*world), as_of=as_of))
    parts = engine.parts_of(world[0], limit=limit)
    assert any(p.summed for p in parts) and len(parts) > 2
    apart: dict = {}
    for part in parts:
        rows = _rows(run(CATALOGUE, _part_dataset(part, world), as_of=as_of))
        assert not set(rows) & set(apart)  # no row computed twice
        apart.update(rows)
    assert apart == whole
    # The year rows and the per-category rows are among them.
    assert any(q == YEAR and c for (_, _, c, q) in whole)


def test_ancestors_are_the_units_and_all_above_them():
    units = _chain(4)
    assert sorted(engine.ancestors(units, [4])) == [1, 2, 3, 4]
    assert sorted(engine.ancestors(units, [2, 3])) == [1, 2, 3]
    assert engine.ancestors(units, [99]) == []


def test_what_an_indicator_reads_and_what_is_read_unit_by_unit():
    assert engine.elements_read(on_time_5_1()) == {"dossiers_on_time", "dossiers_resolved"}
    assert engine.elements_read(iso_8_2()) == set()
    per_unit = engine.read_per_unit(CATALOGUE, AGGREGATIONS)
    # Coverage conditions and latest-quarter elements; a sum of a ratio is never.
    assert {"survey_responses", "epayment_applied", "procedures_online_eligible"} <= per_unit
    assert "dossiers_resolved" not in per_unit

"""The scale benchmark's synthetic trees (bench/generate.py): the same files every time,
the counts the benchmark claims, and figures an import accepts whole."""

from __future__ import annotations

import csv
import hashlib

from bench import generate
from commitments import services
from commitments.models import Figure, Unit


def _digest(folder) -> str:
    return hashlib.sha256(
        (folder / "units.csv").read_bytes() + (folder / "figures.csv").read_bytes()
    ).hexdigest()


def test_the_same_scale_gives_the_same_files(tmp_path):
    first = generate.write(generate.SCALES["tiny"], tmp_path / "a")
    second = generate.write(generate.SCALES["tiny"], tmp_path / "b")
    assert first["figures"] == second["figures"] > 0
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_the_trees_have_the_counts_of_the_issue():
    assert generate.SCALES["city"].unit_count == 334
    assert generate.SCALES["national"].unit_count == 7957
    tiny = generate.SCALES["tiny"]
    assert sum(1 for _ in generate.units(tiny)) == tiny.unit_count == 1 + 2 * (1 + 2 * 3 + 3)


def test_every_unit_comes_after_its_parent_and_only_leaves_report(tmp_path):
    tiny = generate.SCALES["tiny"]
    seen: set[str] = set()
    for unit in generate.units(tiny):
        assert unit.parent == "" or unit.parent in seen, unit
        seen.add(unit.code)
    reporting = {row[2] for row in generate.figures(tiny)}
    departments = {u.code for u in generate.units(tiny) if u.kind == "department"}
    assert reporting and not reporting & departments
    assert {row[0] for row in generate.figures(tiny)} == set(generate.YEARS)


def test_the_files_import_whole_with_the_catalogues_rules(catalogue, tmp_path):
    counts = generate.write(generate.SCALES["tiny"], tmp_path)
    services.imports.units_import(path=counts["units_csv"])
    result = services.imports.figures_import(path=counts["figures_csv"])
    assert result.created == counts["figures"] == Figure.objects.count()
    assert Unit.objects.count() == counts["units"]
    with open(counts["figures_csv"], encoding="utf-8") as f:
        header = next(csv.reader(f))
    assert header == ["year", "quarter", "unit", "element", "category", "value"]

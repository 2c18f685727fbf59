"""The benchmark's own rules, without running it (bench/run.py): a measure is judged
against its floor or its limit, and the table says which missed."""

from __future__ import annotations

from bench import run


def test_a_measure_is_judged_by_its_ratio_to_the_floor():
    assert run.Measure("recompute", 6.0, floor=2.0, goal=3).met is True
    assert run.Measure("recompute", 6.1, floor=2.0, goal=3).met is False
    assert run.Measure("recompute", 6.0, floor=2.0, goal=3).ratio == 3.0


def test_without_a_floor_the_goal_is_a_limit_in_seconds():
    assert run.Measure("xlsx", 59.0, goal=60).met is True
    assert run.Measure("xlsx", 61.0, goal=60).met is False
    assert run.Measure("edit", None, goal=1.0).met is False  # nothing measured: missed
    assert run.Measure("healthz", 0.01).met is None  # no goal: not judged


def test_the_table_shows_each_scale_the_growth_and_the_misses():
    city = run.ScaleResult("city", 334, 66_000)
    country = run.ScaleResult("national", 7957, 1_474_448)
    city.measures["import_figures"] = run.Measure("import_figures", 2.0, 1.0, 2.5, 210.0)
    country.measures["import_figures"] = run.Measure("import_figures", 60.0, 20.0, 2.5, 900.0)
    text = run.table([city, country])
    line = next(line for line in text.splitlines() if line.startswith("import_figures"))
    assert "2.0x" in line and "ok" in line  # the city within 2.5x its floor
    assert "3.0x" in line and "MISS" in line  # the country not
    assert "30.0x" in line  # 60 s against 2 s: the growth from city to country
    assert "900 MiB" in line and "(peak 4.3x)" in line
    assert "7,957 units" in text
    country.machine_load = (1.0, 2.5)
    assert "national 1.0 → 2.5" in run.table([city, country])


def test_each_scale_has_a_database_of_its_own():
    base = "postgres://postgres:postgres@127.0.0.1:5432/reform_bench"
    assert run.database_for(base, "city").endswith("/reform_bench_city")

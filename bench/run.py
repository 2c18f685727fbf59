"""The scale benchmark (``make bench``): how the application does on a city's tree and
on the whole country's, each measure beside a floor measured in the same run.

For each scale (``--scale city national`` by default; ``bench/generate.py``):

1. The tree's files written (deterministic), a fresh PostgreSQL database of its own
   (``BENCH_DATABASE_URL`` with the scale's name after it, dropped and created), a
   Redis of its own, migrated, the catalogue and the units loaded.
2. ``import_figures`` of the whole file, then again (nothing changes), each beside the
   floor: ``COPY`` into a staging table and one upsert per unique index (``floors``).
3. ``recompute --year 2021`` beside a hand-written ``GROUP BY`` over the same figures
   and the unit tree.
4. The report's XLSX and CSV written in a process of their own: time and peak memory.
5. The production shape (``make serve``: ``reform/gunicorn.conf.py``, ``DEBUG`` off,
   the static files collected) with a Celery worker: ``/healthz`` and each page under a
   small bounded load (two clients, 127.0.0.1), p50 and p95, the largest answer; the
   exports through the web; then figures saved one by one and the time until the
   worker has stored their new statuses.

Prints one table: each measure per scale, its floor, the ratio and the goal, the peak
memory of the commands, and how each grows from the city to the country. ``--json``
keeps the numbers. Exits 1 when a measure misses its goal (``--no-goals``: 0).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from bench import floors, generate
from bench.measure import BenchFailed, Run, get, load, timed
from loadtest.run import (
    free_port,
    fresh_database,
    local_only,
    local_production_env,
    own_redis,
    process,
    wait_for,
)

PYTHON = sys.executable
MANAGE = ["manage.py"]
YEAR = generate.YEARS[-1]


@dataclass
class Measure:
    """One line of the table at one scale: seconds (a p95 for pages), the floor's, the
    goal (the largest ratio allowed, or a limit in seconds), peak memory, a note."""

    what: str
    seconds: float | None
    floor: float | None = None
    goal: float | None = None  # ratio to the floor; without a floor, seconds
    peak_mib: float | None = None
    note: str = ""
    size_kb: float | None = None  # a page's largest answer
    limit_kb: float | None = None

    @property
    def ratio(self) -> float | None:
        if self.seconds is None or not self.floor:
            return None
        return self.seconds / self.floor

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        if self.seconds is None:
            return False
        if self.limit_kb is not None and (self.size_kb or 0) > self.limit_kb:
            return False
        return (self.ratio if self.floor else self.seconds) <= self.goal


@dataclass
class ScaleResult:
    scale: str
    units: int
    figures: int
    measures: dict[str, Measure] = field(default_factory=dict)
    machine_load: tuple[float, float] | None = None  # load average at the start and end

    def add(self, measure: Measure) -> None:
        self.measures[measure.what] = measure
        print(f"  [{self.scale}] {_line(measure)}", file=sys.stderr, flush=True)


def database_for(base: str, scale: str) -> str:
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{scale}"))


def environment(database: str, redis_url: str, static_root: Path) -> dict[str, str]:
    """Production settings on plain HTTP at 127.0.0.1; a save's recompute is queued at
    once (``RECOMPUTE_DELAY_SECONDS=0``) so that its latency is the work's own."""
    return {
        **local_production_env(database, redis_url),
        "DJANGO_SETTINGS_MODULE": "reform.settings",
        "STATIC_ROOT": str(static_root),
        "RECOMPUTE_DELAY_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    }


def world(args: list[str], env: dict, log: Path) -> tuple[Run, dict]:
    run = timed([PYTHON, "-m", "bench.world", *args], env, log)
    return run, json.loads(run.output.strip().splitlines()[-1])


def measure_import(result: ScaleResult, files: dict, env: dict, log: Path) -> None:
    """Each import beside its floor (``floors``: into a table with the figures'
    foreign keys); the first one also beside the floor without them, in its note."""
    database, figures_csv = env["DATABASE_URL"], Path(files["figures_csv"])
    bare = f"{floors.FLOOR_TABLE}_bare"
    floors.floor_table(database, table=bare, foreign_keys=False)
    floor_bare = floors.import_floor(database, figures_csv, table=bare)
    floors.drop_table(database, bare)
    floors.floor_table(database)
    floor = floors.import_floor(database, figures_csv)
    run = timed([PYTHON, *MANAGE, "import_figures", str(figures_csv)], env, log)
    rows = f"{files['figures']:,} rows"
    note = (
        f"{rows}; floor without the foreign keys {floor_bare:.1f} s"
        f" ({run.seconds / floor_bare:.1f}x)"
    )
    result.add(Measure("import_figures", run.seconds, floor, 2.5, run.peak_mib, note))
    floor = floors.import_floor(database, figures_csv)
    run = timed([PYTHON, *MANAGE, "import_figures", str(figures_csv)], env, log)
    result.add(Measure("import_figures again", run.seconds, floor, 2.5, run.peak_mib, rows))


def measure_recompute(result: ScaleResult, env: dict, log: Path) -> None:
    """The recompute beside its floor. Its goal (3x) is the country's, as the issue
    states it; a city's is shown without one: its floor is half a second, about what
    the command's processes take to start."""
    floors.vacuum(env["DATABASE_URL"])
    floor, sums = floors.recompute_floor(env["DATABASE_URL"], YEAR)
    run = timed([PYTHON, *MANAGE, "recompute", "--year", str(YEAR)], env, log)
    note = f"{run.output.strip().splitlines()[-1]}; floor: {sums:,} sums"
    goal = 3 if result.scale == "national" else None
    result.add(Measure(f"recompute --year {YEAR}", run.seconds, floor, goal, run.peak_mib, note))
    floors.vacuum(env["DATABASE_URL"])


def measure_exports(result: ScaleResult, env: dict, log: Path) -> None:
    for kind, quarter in (("xlsx", "0"), ("csv", "0")):
        run, out = world(["export", kind, str(YEAR), quarter], env, log)
        goal = 60 if kind == "xlsx" else None
        note = f"{out['bytes'] / 1e6:.1f} MB"
        result.add(Measure(f"{kind} export (process)", run.seconds, None, goal, run.peak_mib, note))


def pages(session: dict) -> dict[str, str]:
    """The pages timed: every page that lists units, the exports through the web."""
    return {
        "/": f"/?year={YEAR}",
        "/matrix/": f"/matrix/?year={YEAR}",
        "/indicators/5.1/": f"/indicators/5.1/?year={YEAR}&quarter=2",
        "/units/<top>/": f"/units/{session['top']}/?year={YEAR}",
        "/units/<desk>/": f"/units/{session['desk']}/?year={YEAR}",
        "/completeness/": f"/completeness/?year={YEAR}&quarter=2",
        "/review/": "/review/",
        "/reports/print/": f"/reports/print/?year={YEAR}&quarter=2",
    }


def measure_pages(result: ScaleResult, host: str, session: dict, options) -> None:
    cookie = session["cookie"]
    healthz = load(f"{host}/healthz", most=60, budget=15, warm=options.web_workers)
    result.add(Measure("/healthz", healthz.p95, note=f"p50 {healthz.p50 * 1000:.1f} ms"))
    for name, path in pages(session).items():
        timing = load(
            f"{host}{path}",
            cookie=cookie,
            most=options.requests,
            budget=options.budget,
            warm=options.web_workers,
        )
        note = (
            f"p50 {timing.p50 * 1000:.0f} ms, {timing.size / 1024:.0f} KB, n={timing.requests}"
            + ("" if timing.ok else f", HTTP {timing.statuses}")
        )
        measure = Measure(f"GET {name} p95", timing.p95, healthz.p95, 5, note=note)
        measure.size_kb, measure.limit_kb = timing.size / 1024, 500
        if not timing.ok:
            measure.seconds = None  # an error is no answer
        result.add(measure)
    for name, path in (("xlsx", f"/reports/xlsx/?year={YEAR}&quarter=0"),
                       ("csv", f"/reports/csv/?year={YEAR}")):  # fmt: skip
        timing = load(f"{host}{path}", cookie=cookie, concurrency=1, most=3, budget=1)
        note = f"{timing.size / 1e6:.1f} MB, n={timing.requests}"
        result.add(Measure(f"GET /reports/{name}/", timing.p95, None, 60, note=note))


def measure_edits(result: ScaleResult, env: dict, log: Path, options) -> None:
    _run, out = world(["edit", str(options.edits), str(options.edit_budget)], env, log)
    done = sorted(s for s in out["latencies"] if s is not None)
    lost = len(out["latencies"]) - len(done)
    if not done:
        result.add(Measure("one edit → new status stored, p95", None, None, 1.0, note="none"))
        return
    p95 = done[min(len(done) - 1, round(0.95 * (len(done) - 1)))]
    note = f"p50 {done[len(done) // 2]:.2f} s, n={len(done)}" + (
        f", {lost} timed out" if lost else ""
    )
    result.add(
        Measure(
            "one edit → new status stored, p95", p95 if not lost else None, None, 1.0, note=note
        )
    )


def servers(stack: ExitStack, env: dict, logs: Path, options) -> str:
    """gunicorn as ``make serve`` runs it, and a Celery worker; the address."""
    timed([PYTHON, *MANAGE, "collectstatic", "--noinput", "-v0"], env, logs / "commands.log")
    port = free_port()
    web_env = {**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(options.web_workers)}
    web = [
        PYTHON,
        "-m",
        "gunicorn",
        "-c",
        "reform/gunicorn.conf.py",
        "--access-logfile",
        "/dev/null",
    ]
    stack.enter_context(process(web, web_env, logs / "gunicorn.log"))
    worker = [PYTHON, "-m", "celery", "-A", "reform", "worker", "--loglevel=WARNING"]
    worker += [
        "--concurrency",
        str(options.worker_concurrency),
        "--without-gossip",
        "--without-mingle",
    ]
    stack.enter_context(process(worker, env, logs / "worker.log"))
    host = f"http://127.0.0.1:{port}"
    wait_for(lambda: _answers(f"{host}/healthz"), 60, "gunicorn")
    return host


def _answers(url: str) -> bool:
    try:
        return get(url, "", 2)[1] == 200
    except OSError:
        return False


def run_scale(name: str, options, logs: Path) -> ScaleResult:
    scale = generate.SCALES[name]
    folder = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    files = generate.write(scale, folder)
    result = ScaleResult(name, files["units"], files["figures"])
    started_load = os.getloadavg()[0]
    database = database_for(options.database, name)
    fresh_database(database)
    log = logs / f"{name}.log"
    with ExitStack() as stack:
        redis_url = stack.enter_context(own_redis(SimpleNamespace(redis_url=""), logs))
        env = environment(database, redis_url, folder / "static")
        timed([PYTHON, *MANAGE, "migrate", "--noinput", "-v0"], env, log)
        world(["setup", files["units_csv"]], env, log)
        measure_import(result, files, env, log)
        measure_recompute(result, env, log)
        measure_exports(result, env, log)
        world(["quiet"], env, log)  # the imports' queued recomputes: done already
        host = servers(stack, env, logs, options)
        _run, session = world(["session"], env, log)
        measure_pages(result, host, session, options)
        measure_edits(result, env, log, options)
    result.machine_load = (started_load, os.getloadavg()[0])
    return result


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


def _line(m: Measure) -> str:
    ratio = f"{m.ratio:.1f}x" if m.ratio is not None else ""
    memory = f"{m.peak_mib:.0f} MiB" if m.peak_mib is not None else ""
    verdict = {True: "ok", False: "MISS", None: ""}[m.met]
    return f"{m.what}: {_seconds(m.seconds)} floor {_seconds(m.floor)} {ratio} {memory} {verdict} {m.note}"


def _goal(m: Measure) -> str:
    if m.goal is None:
        return ""
    goal = f"≤ {m.goal:g}x floor" if m.floor else f"≤ {_seconds(m.goal)}"
    return f"{goal}, ≤ {m.limit_kb:g} KB" if m.limit_kb else goal


def _growth(first: Measure | None, last: Measure | None) -> str:
    """How a measure grows from the first scale to the last: time, and peak memory."""
    if not (first and last and first.seconds and last.seconds):
        return ""
    text = f"{last.seconds / first.seconds:.1f}x"
    if first.peak_mib and last.peak_mib:
        text += f" (peak {last.peak_mib / first.peak_mib:.1f}x)"
    return text


def table(results: list[ScaleResult]) -> str:
    """One line per measure: each scale's value, floor, ratio, peak memory and verdict;
    the growth from the first scale to the last; the goal."""
    names = list(dict.fromkeys(name for r in results for name in r.measures))
    head = ["what"]
    for r in results:
        head += [f"{r.scale}: value", "floor", "ratio", "peak", ""]
    head += ["growth", "goal"] if len(results) > 1 else ["goal"]
    rows = [head]
    for name in names:
        row, goal = [name], ""
        for r in results:
            m = r.measures.get(name)
            if m is None:
                row += ["", "", "", "", ""]
                continue
            goal = _goal(m) or goal
            row += [
                _seconds(m.seconds),
                _seconds(m.floor) if m.floor else "",
                f"{m.ratio:.1f}x" if m.ratio is not None else "",
                f"{m.peak_mib:.0f} MiB" if m.peak_mib is not None else "",
                {True: "ok", False: "MISS", None: ""}[m.met],
            ]
        if len(results) > 1:
            row.append(_growth(results[0].measures.get(name), results[-1].measures.get(name)))
        row.append(goal)
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    sizes = ", ".join(f"{r.scale}: {r.units:,} units, {r.figures:,} figure rows" for r in results)
    notes = [
        f"{r.scale} {m.what}: {m.note}" for r in results for m in r.measures.values() if m.note
    ]
    busy = ", ".join(
        f"{r.scale} {r.machine_load[0]:.1f} → {r.machine_load[1]:.1f}"
        for r in results
        if r.machine_load
    )
    machine = f"{os.cpu_count()} cores; load average of the whole machine (start → end): {busy}"
    return "\n".join([sizes, machine, "", *lines, "", *notes])


def parse(argv: list[str] | None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = os.environ.get(
        "BENCH_DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/reform_bench"
    )
    parser.add_argument("--database", default=default, help="base URL; the scale is appended")
    parser.add_argument(
        "--scale", nargs="+", default=["city", "national"], choices=list(generate.SCALES)
    )
    parser.add_argument("--requests", type=int, default=30, help="answers per page, at most")
    parser.add_argument("--budget", type=float, default=30.0, help="seconds per page, at most")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--edit-budget", type=float, default=180.0)
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--worker-concurrency", type=int, default=2)
    parser.add_argument("--logs", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--no-goals", action="store_true", help="exit 0 even when a goal is missed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    local_only(options.database)
    logs = options.logs or Path(tempfile.mkdtemp(prefix="bench-logs-"))
    logs.mkdir(parents=True, exist_ok=True)
    print(f"logs in {logs}", file=sys.stderr)
    results = []
    try:
        for name in options.scale:
            results.append(run_scale(name, options, logs))
    except BenchFailed as failure:
        print(f"benchmark stopped: {failure}", file=sys.stderr)
        if not results:
            return 2
    print(table(results))
    if options.json:
        options.json.write_text(json.dumps([asdict(r) for r in results], indent=2, default=str))
    missed = [m.what for r in results for m in r.measures.values() if m.met is False]
    return 0 if options.no_goals or not missed else 1


if __name__ == "__main__":
    sys.exit(main())

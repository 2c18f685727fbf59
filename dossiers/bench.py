"""The dossier import's benchmark: ``python -m dossiers.bench N`` generates N synthetic
dossiers of 2021 (a CSV, written as it goes), imports them with ``dossiers_import`` into
the database of ``DATABASE_URL`` (migrated; the default SQLite file otherwise), then
COPYs the same file into an unindexed table of text columns (the floor: PostgreSQL
only), and prints both rates, their ratio and the import's peak memory.

The import runs in a child process of its own so that its peak resident memory is its
own (``ru_maxrss`` of the children). Its dossiers, figures and counts are removed
before and after (the bench units ``bench-*`` only).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import multiprocessing
import os
import random
import resource
import tempfile
import time
from pathlib import Path

FIELDS = ("crop", "livestock_vet", "fisheries", "forestry", "irrigation", "land", "investment")
UNITS = [f"bench-desk-{n}" for n in range(1, 11)]
CHANNELS = ("online", "direct", "postal")
HEADER = [
    "code", "unit", "field", "procedure", "channel", "received_at", "due_at", "resolved_at",
    "paused_days", "status", "paid_online",
]  # fmt: skip


def generate(path: Path, rows: int, seed: int = 2021) -> None:
    """N dossiers received in 2021, three in four resolved, one in twenty late."""
    rng = random.Random(seed)
    start = dt.datetime(2021, 1, 1, 8)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            received = start + dt.timedelta(minutes=rng.randrange(364 * 24 * 60))
            due = received + dt.timedelta(days=rng.choice((5, 10, 15, 20)))
            status = rng.choices(
                ("resolved", "in_progress", "refused", "withdrawn"), (75, 20, 3, 2)
            )[0]
            resolved = ""
            if status in ("resolved", "refused"):
                late = rng.random() < 0.05
                days = rng.randrange(1, 5) if late else -rng.randrange(0, 5)
                resolved = (
                    f"{min(due + dt.timedelta(days=days), dt.datetime(2022, 1, 30)):%Y-%m-%d %H:%M}"
                )
            writer.writerow(
                [
                    f"BENCH-{n:09d}", rng.choice(UNITS), rng.choice(FIELDS), f"1.{n % 997:06d}",
                    rng.choice(CHANNELS), f"{received:%Y-%m-%d %H:%M}", f"{due:%Y-%m-%d %H:%M}",
                    resolved, rng.choice((0, 0, 0, 2)), status, rng.choice(("", "0", "1")),
                ]
            )  # fmt: skip


def _setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")
    django.setup()


def _prepare() -> None:
    """The catalogue, a department and the bench's ten desks, without any dossier."""
    from commitments import services
    from commitments.models import Category, Unit

    if not Category.objects.filter(code="land").exists():
        services.catalogue.catalogue_load(name="hcmc-dard-2021")
    department, _ = Unit.objects.get_or_create(
        code="bench-dept", defaults={"name": "Bench department", "kind": "department"}
    )
    for code in UNITS:
        Unit.objects.get_or_create(
            code=code,
            defaults={"name": code, "kind": "division", "parent": department, "receives_dossiers": True},
        )  # fmt: skip
    _clean()


def _clean() -> None:
    from commitments.models import Figure, OfficialFigure, QuarterlyReport
    from dossiers.models import Dossier, DossierCount

    bench = {"unit__code__startswith": "bench-"}
    for model in (Dossier, DossierCount, Figure, OfficialFigure, QuarterlyReport):
        model.objects.filter(**bench).delete()


def _import(path: str, queue) -> None:
    _setup()
    from django.db import connection

    from dossiers.services import dossiers_import

    connection.ensure_connection()
    began = time.perf_counter()
    result = dossiers_import(path=path)
    queue.put((time.perf_counter() - began, result.rows))


def _bare_copy(path: Path) -> float | None:
    """Seconds to COPY the file into an unindexed table of text columns, or None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    columns = ", ".join(f"{name} text" for name in HEADER)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS dossier_bench_floor")
        cursor.execute(f"CREATE UNLOGGED TABLE dossier_bench_floor ({columns})")
        began = time.perf_counter()
        with (
            path.open("rb") as handle,
            cursor.cursor.copy(
                "COPY dossier_bench_floor FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        seconds = time.perf_counter() - began
        cursor.execute("DROP TABLE dossier_bench_floor")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("rows", type=int)
    args = parser.parse_args()
    _setup()
    from django.db import connection

    _prepare()
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as folder:
        path = Path(folder) / "dossiers.csv"
        generate(path, args.rows)
        connection.close()  # the child opens its own
        queue = multiprocessing.get_context("fork").Queue()
        child = multiprocessing.get_context("fork").Process(target=_import, args=(str(path), queue))
        child.start()
        seconds, rows = queue.get()
        child.join()
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        floor = _bare_copy(path)
        size_mb = path.stat().st_size / 1e6
    _clean()
    print(f"database: {connection.vendor}; rows: {rows:,}; file: {size_mb:,.1f} MB")
    print(f"import: {seconds:,.1f} s, {rows / seconds:,.0f} rows/s; peak memory {peak_mb:,.0f} MB")
    if floor is not None:
        print(f"bare COPY into an unindexed table: {floor:,.1f} s, {rows / floor:,.0f} rows/s")
        print(f"ratio import / bare COPY: {seconds / floor:.2f}x")


if __name__ == "__main__":
    main()

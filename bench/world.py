"""The Django side of the benchmark, run in a process of its own on the benchmark's
database (``bench/run.py`` sets its environment); each action prints JSON:

- ``setup UNITS_CSV``: the 2021 catalogue, the units, and the superuser ``bench-admin``.
- ``session``: a logged-in session of ``bench-admin`` (its cookie) and the codes of a
  few units for the pages that show one.
- ``export xlsx|csv YEAR QUARTER``: the whole country's report written to nowhere (the
  caller reads the process's time and peak memory).
- ``quiet``: the recomputes the imports asked for forgotten (outbox and queue).
- ``edit SAMPLES BUDGET``: figures saved one at a time, each through the figure service
  as a staff save is, and the time until the new statuses of its unit and of the root
  are stored by the worker (the pages read them from there), for each edit.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2021
ADMIN = "bench-admin"


def setup(units_csv: str) -> dict:
    from django.contrib.auth import get_user_model

    from commitments import services

    services.catalogue.catalogue_load(name="hcmc-dard-2021")
    result = services.imports.units_import(path=units_csv)
    get_user_model().objects.filter(username=ADMIN).delete()
    get_user_model().objects.create_superuser(ADMIN, "bench@example.invalid", None)
    return {"units": str(result)}


def session() -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from commitments.models import Unit

    client = Client()
    client.force_login(get_user_model().objects.get(username=ADMIN))
    root = Unit.objects.get(parent__isnull=True)
    top = Unit.objects.filter(parent=root).order_by("code").first()
    desk = Unit.objects.filter(receives_dossiers=True).order_by("code").first()
    return {
        "cookie": f"sessionid={client.cookies['sessionid'].value}",
        "root": root.code,
        "top": top.code,
        "desk": desk.code,
    }


def export(kind: str, year: str, quarter: str) -> dict:
    from commitments import access, exports

    if kind == "xlsx":
        size = len(exports.workbook(year=int(year), quarter=int(quarter), scope=access.ALL_UNITS))
    else:
        size = sum(
            len(chunk.encode())
            for chunk in exports.status_csv(year=int(year), scope=access.ALL_UNITS)
        )
    return {"bytes": size}


def edit(samples: str, budget: str) -> dict:
    """Save ``samples`` figures (dossiers on time in a field, one unit each, spread over
    the tree), one at a time; for each, the seconds from the save until the worker has
    stored the new 5.1 status of that field and quarter for the unit and for the root.
    Stops early once ``budget`` seconds have passed."""
    from commitments.models import Figure, Status, Unit

    root = Unit.objects.get(parent__isnull=True)
    figures = Figure.objects.filter(
        year=YEAR, element__code="dossiers_on_time", unit__receives_dossiers=True, value__gt=0
    ).select_related("unit", "element", "category")
    count = figures.count()
    step = max(count // int(samples), 1)
    latencies, missing = [], 0
    deadline = time.monotonic() + float(budget)
    for n in range(int(samples)):
        if time.monotonic() > deadline:
            break
        figure = figures.order_by("unit__code", "quarter", "category__code")[n * step]
        watched = Status.objects.filter(
            indicator__code="5.1",
            unit__in=[figure.unit, root],
            category=figure.category.code,
            year=YEAR,
            quarter=figure.quarter,
        )
        before = dict(watched.values_list("unit_id", "value"))
        if len(before) < 2:
            missing += 1
            continue
        latencies.append(_one_edit(figure, watched, before))
    return {"latencies": latencies, "missing": missing}


def _one_edit(figure, watched, before: dict, timeout: float = 600.0) -> float | None:
    from commitments.services.figures import FigureInput, figures_save

    save = FigureInput(
        where=0,
        year=figure.year,
        quarter=figure.quarter,
        unit=figure.unit,
        element=figure.element,
        category=figure.category,
        value=figure.value - 1,
    )
    started = time.monotonic()
    figures_save(inputs=[save])
    while time.monotonic() - started < timeout:
        now = dict(watched.values_list("unit_id", "value"))
        if all(now.get(unit) != value for unit, value in before.items()):
            return time.monotonic() - started
        time.sleep(0.02)
    return None


def quiet() -> dict:
    """Nothing left for a worker to start on: the recomputes the imports asked for are
    done by the measured recompute (the year timed) or not needed for the pages."""
    from commitments.models import RecomputeRequest
    from reform.celery import app

    deleted, _ = RecomputeRequest.objects.all().delete()
    return {"requests": deleted, "purged": app.control.purge()}


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")
    import django

    django.setup()
    action, *args = argv
    actions = {"setup": setup, "session": session, "export": export, "edit": edit, "quiet": quiet}
    print(json.dumps(actions[action](*args), ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])

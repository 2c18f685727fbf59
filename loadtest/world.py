"""The Django side of the load test, run in a process of its own on the load database
(``loadtest/run.py`` sets its environment):

- ``setup DESK``: the 2021 catalogue and its targets copied to this year, a department
  with one receiving desk ``DESK``, and this year's questionnaire: the smallest world
  the public form needs.
- ``check DESK``: the tally of the answers not yet counted and the recompute of their
  years, as the worker and the beat do; then prints, as JSON, what is stored and what
  the figures count: ``stored`` (responses), ``valid`` (not voided), ``counted`` (the
  desk's ``survey_responses``, over the quarters answered), ``satisfied`` and
  ``satisfied_counted``, and the desk's 4.1 of each quarter.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = (
    "code,name,parent,kind,sector,public_service,receives_dossiers\n"
    "so-load,Sở thử tải,,department,agriculture,0,0\n"
    "{desk},Bộ phận tiếp nhận và trả kết quả (thử tải),so-load,division,agriculture,0,1\n"
)


def setup(desk: str) -> dict:
    from django.utils import timezone

    from commitments import services
    from surveys import services as survey_services

    services.catalogue.catalogue_load(name="hcmc-dard-2021")
    with tempfile.NamedTemporaryFile("w", suffix=".csv", encoding="utf-8", delete=False) as f:
        f.write(UNITS.format(desk=desk))
    try:
        services.imports.units_import(path=f.name)
    finally:
        os.unlink(f.name)
    year = timezone.localdate().year
    if year != 2021:  # this year's targets, so that the desk's 4.1 is judged
        services.targets.targets_copy_year(source_year=2021, year=year)
    questionnaire = survey_services.questionnaire_ensure(year=year)
    return {"desk": desk, "questionnaire": questionnaire.pk}


def check(desk: str) -> dict:
    from django.db.models import Count, Q, Sum

    from commitments import services
    from commitments.models import Figure, Status
    from surveys import selectors
    from surveys import services as survey_services
    from surveys.models import Response

    tallied = survey_services.survey_figures_tally()
    responses = Response.objects.filter(unit__code=desk)
    periods = sorted(set(responses.values_list("year", "quarter")))
    for year in sorted({year for year, _ in periods}):
        services.recompute.statuses_recompute(year=year)
    valid = selectors.valid_responses().filter(unit__code=desk)
    counts = valid.aggregate(n=Count("pk"), satisfied=Count("pk", filter=Q(satisfied=True)))
    figures = Figure.objects.filter(unit__code=desk, category__isnull=True)
    counted = dict(
        figures.filter(element__code__in=("survey_responses", "survey_satisfied"))
        .values_list("element__code")
        .annotate(total=Sum("value"))
    )
    statuses = Status.objects.filter(
        indicator__code="4.1", unit__code=desk, category="", year__in={y for y, _ in periods}
    )
    return {
        "desk": desk,
        "periods": [f"{year}-Q{quarter}" for year, quarter in periods],
        "tallied_now": tallied,
        "stored": responses.count(),
        "valid": counts["n"],
        "satisfied": counts["satisfied"],
        "counted": counted.get("survey_responses", 0),
        "satisfied_counted": counted.get("survey_satisfied", 0),
        "untallied": responses.filter(tallied=False).count(),
        "status_4_1": {
            f"{s.year}-Q{s.quarter}": [str(s.value) if s.value is not None else None, s.status]
            for s in statuses
            if (s.year, s.quarter) in periods
        },
    }


def main(argv: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reform.settings")
    import django

    django.setup()
    action, desk = argv
    result = {"setup": setup, "check": check}[action](desk)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])

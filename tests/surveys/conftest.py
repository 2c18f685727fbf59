"""A department with two receiving desks and a division that receives nothing, the
2021 catalogue loaded and its questionnaire in place."""

from __future__ import annotations

import datetime as dt

import pytest

from surveys import services
from tests import factories


@pytest.fixture
def desks(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        department = factories.department()
        one_stop = factories.unit(
            "mot-cua", parent=department, receives_dossiers=True, name="Bộ phận Một cửa"
        )
        fisheries = factories.unit("ccts", parent=department, receives_dossiers=True)
        division = factories.unit("pkh", parent=department)
        services.questionnaire_ensure(year=2021)
    return {"department": department, "desk": one_stop, "other": fisheries, "division": division}


@pytest.fixture
def people(desks):
    """A user of each role around the desks: the department's director, the director
    of the other desk, staff of the desk, staff of the division (no desk), a director of
    another department, a superuser."""
    elsewhere = factories.department("so-khac")
    return {
        "director": factories.director("giamdoc", desks["department"]),
        "director_other": factories.director("truong-ccts", desks["other"]),
        "staff": factories.staff("chuyenvien", desks["desk"], first_name="Lan"),
        "staff_division": factories.staff("chuyenvien-pkh", desks["division"]),
        "director_elsewhere": factories.director("giamdoc-khac", elsewhere),
        "superuser": factories.superuser(),
    }


# A moment in each quarter of 2021 (UTC; local time is seven hours ahead).
IN_QUARTER = {q: dt.datetime(2021, 3 * q - 1, 15, 3, tzinfo=dt.UTC) for q in (1, 2, 3, 4)}


def answer(unit, overall: int = 5, *, quarter: int = 1, aspects: int = 4, **fields):
    """Store one web response at ``unit`` with a fresh form token."""
    scores = {code: aspects for code, *_ in services.DEFAULT_QUESTIONS}
    scores["overall"] = overall
    comment = fields.pop("comment", "")
    dossier = fields.pop("dossier_code", "")
    return services.response_submit(
        unit=unit,
        answers=services.Answers(scores=scores, comment=comment, dossier_code=dossier),
        channel=fields.pop("channel", "web"),
        token=fields.pop("token", None) or services.form_token(unit=unit),
        when=fields.pop("when", IN_QUARTER[quarter]),
        **fields,
    )

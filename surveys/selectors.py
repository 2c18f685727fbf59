"""Reads of the satisfaction survey: the questionnaire in use, the counts that make a
desk's figures, and a desk's results of a quarter as its public page shows them."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, F, Q

from commitments.models import Unit
from surveys.models import (
    SATISFIED_FROM,
    Answer,
    DeskPublication,
    Kiosk,
    Question,
    Questionnaire,
    Response,
)


def questionnaire_current(*, year: int) -> Questionnaire | None:
    """The newest version of ``year``'s questionnaire, with its questions, or None."""
    return (
        Questionnaire.objects.filter(year=year)
        .prefetch_related("questions")
        .order_by("-version")
        .first()
    )


def valid_responses():
    """Responses that count: not voided."""
    return Response.objects.filter(voided_at__isnull=True)


def desk_for_survey(*, code: str) -> Unit | None:
    """The receiving unit (bộ phận tiếp nhận) of a code, with the unit above it, or
    None for a unit that does not exist or does not receive dossiers."""
    return Unit.objects.filter(code=code, receives_dossiers=True).select_related("parent").first()


def desk_kiosks(*, unit: Unit) -> list[Kiosk]:
    """A desk's kiosks, live ones first, each with who enrolled it."""
    return list(
        Kiosk.objects.filter(unit=unit)
        .select_related("enrolled_by")
        .order_by(F("revoked_at").desc(nulls_first=True), "name", "pk")
    )


def kiosk_live(*, unit: Unit, pk: int | None) -> Kiosk | None:
    """The kiosk ``pk`` of this desk if it has not been revoked, else None."""
    if pk is None:
        return None
    return Kiosk.objects.filter(pk=pk, unit=unit, revoked_at__isnull=True).first()


def desk_publications(*, unit: Unit) -> list[DeskPublication]:
    """A desk's published quarters, newest first (one query)."""
    return list(DeskPublication.objects.filter(unit=unit).order_by("-year", "-quarter"))


def desk_counts(
    *, desks: Iterable[tuple[int, int, int]]
) -> dict[tuple[int, int, int], tuple[int, int]]:
    """(valid responses, satisfied) of each (unit id, year, quarter) in ``desks`` that
    has any, in one query."""
    desks = set(desks)
    if not desks:
        return {}
    rows = (
        valid_responses()
        .filter(unit_id__in={u for u, _, _ in desks}, year__in={y for _, y, _ in desks})
        .values_list("unit_id", "year", "quarter")
        .annotate(n=Count("pk"), satisfied=Count("pk", filter=Q(satisfied=True)))
        .order_by()
    )
    return {(u, y, q): (n, s) for u, y, q, n, s in rows if (u, y, q) in desks}


def share(part: int, whole: int) -> str | None:
    """``part`` of ``whole`` in percent to two decimals (half up), as text; None of 0."""
    if not whole:
        return None
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return str(value)


def desk_results(*, unit: Unit, year: int, quarter: int) -> dict:
    """A desk's results of a quarter, as JSON-ready values: valid responses, satisfied
    and their share, each question's mean score and satisfied share (4 or 5), and the
    comments published. Three queries."""
    responses = valid_responses().filter(unit=unit, year=year, quarter=quarter)
    totals = responses.aggregate(n=Count("pk"), satisfied=Count("pk", filter=Q(satisfied=True)))
    scores = (
        Answer.objects.filter(response__in=responses)
        .values("question_id")
        .annotate(
            mean=Avg("score"),
            n=Count("pk"),
            satisfied=Count("pk", filter=Q(score__gte=SATISFIED_FROM)),
        )
        .order_by()
    )
    by_question = {row["question_id"]: row for row in scores}
    questions = Question.objects.filter(pk__in=by_question).select_related("questionnaire")
    aspects = []
    for question in sorted(questions, key=lambda q: (q.questionnaire.version, q.position)):
        row = by_question[question.pk]
        aspects.append(
            {
                "code": question.code,
                "kind": question.kind,
                "text": question.text,
                "text_en": question.text_en,
                "answers": row["n"],
                "mean": str(Decimal(row["mean"]).quantize(Decimal("0.01"), ROUND_HALF_UP)),
                "satisfied_share": share(row["satisfied"], row["n"]),
            }
        )
    comments = [
        {"at": at.isoformat(), "text": text}
        for at, text in responses.filter(comment_state=Response.Comment.PUBLISHED)
        .order_by("submitted_at")
        .values_list("submitted_at", "comment")
    ]
    return {
        "unit": unit.code,
        "year": year,
        "quarter": quarter,
        "responses": totals["n"],
        "satisfied": totals["satisfied"],
        "satisfied_share": share(totals["satisfied"], totals["n"]),
        "aspects": aspects,
        "comments": comments,
    }

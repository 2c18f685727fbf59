"""Reads of the satisfaction survey: the questionnaire in use, the counts that make a
desk's figures, and a desk's results of a quarter as its public page shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import Avg, Case, Count, F, OuterRef, Q, QuerySet, Subquery, When

from commitments import engine
from commitments.models import Target, Unit
from commitments.selectors import sheets
from commitments.selectors.engine_inputs import target_spec
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


# ---------------------------------------------------------------------------
# The directors' pages: each desk's quarters against the target, a desk's responses
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DeskQuarter:
    """What a desk's quarter holds: its valid responses, of those the satisfied ones,
    those flagged as part of a burst and those with a comment awaiting moderation; and
    the voided responses, which never count."""

    responses: int = 0
    satisfied: int = 0
    flagged: int = 0
    pending: int = 0
    voided: int = 0

    def __add__(self, other: DeskQuarter) -> DeskQuarter:
        return DeskQuarter(*(a + b for a, b in zip(self.counts(), other.counts(), strict=True)))

    def counts(self) -> tuple[int, ...]:
        return (self.responses, self.satisfied, self.flagged, self.pending, self.voided)

    @property
    def exact_share(self) -> Fraction | None:
        """The satisfied share in percent, exact (what the target is judged on)."""
        return Fraction(100 * self.satisfied, self.responses) if self.responses else None

    @property
    def satisfied_share(self) -> Decimal | None:
        """The satisfied share in percent, two places (half up), for display."""
        return engine.rounded(self.exact_share)


NOTHING = DeskQuarter()


def desk_quarters(*, unit_ids: Iterable[int], year: int) -> dict[tuple[int, int], DeskQuarter]:
    """The counts of each (unit id, quarter) of ``year`` that has any response, for the
    desks ``unit_ids``; one query."""
    valid = Q(voided_at__isnull=True)
    rows = (
        Response.objects.filter(unit_id__in=list(unit_ids), year=year)
        .values_list("unit_id", "quarter")
        .annotate(
            responses=Count("pk", filter=valid),
            satisfied=Count("pk", filter=valid & Q(satisfied=True)),
            flagged=Count("pk", filter=valid & Q(flagged=True)),
            pending=Count("pk", filter=valid & Q(comment_state=Response.Comment.PENDING)),
            voided=Count("pk", filter=~valid),
        )
        .order_by()
    )
    return {(unit_id, quarter): DeskQuarter(*counts) for unit_id, quarter, *counts in rows}


def publications_by_desk(
    *, unit_ids: Iterable[int], year: int
) -> dict[tuple[int, int], DeskPublication]:
    """The published quarters of ``year`` of the desks ``unit_ids``, with who published
    them; one query."""
    rows = DeskPublication.objects.filter(unit_id__in=list(unit_ids), year=year).select_related(
        "published_by"
    )
    return {(p.unit_id, p.quarter): p for p in rows}


def survey_years(*, today: dt.date) -> list[int]:
    """The years a director may look at: those with a questionnaire, and this one."""
    years = set(Questionnaire.objects.order_by().values_list("year", flat=True).distinct())
    return sorted(years | {today.year})


def satisfaction_targets(
    *, year: int, units: Iterable[Unit]
) -> dict[int, engine.TargetSpec | None]:
    """For each desk of ``units``, by id, the target of citizen satisfaction (4.1 in the
    2021 catalogue: the ratio ``survey_satisfied`` / ``survey_responses``) of the sheet
    of ``year`` that applies to its department, with its scoped thresholds, as the
    engine reads it; None where that sheet has no such target. Three queries, whatever
    the number of desks and departments."""
    targets = sheets.unit_targets(
        year=year,
        units=units,
        targets=Target.objects.filter(
            indicator__numerator__code="survey_satisfied",
            indicator__denominator__code="survey_responses",
        ),
    )
    specs: dict[int, engine.TargetSpec] = {}
    return {
        unit_id: None
        if target is None
        else specs.setdefault(target.pk, target_spec(target, target.overrides.all()))
        for unit_id, target in targets.items()
    }


def satisfaction_target(*, year: int, unit: Unit) -> engine.TargetSpec | None:
    """The satisfaction target of ``year`` a desk is judged on: its department's
    (``satisfaction_targets``); three queries."""
    return satisfaction_targets(year=year, units=[unit])[unit.pk]


def satisfaction_status(
    counts: DeskQuarter,
    *,
    threshold: Decimal | None,
    comparator: str | None,
    year: int,
    quarter: int,
    today: dt.date,
) -> str | None:
    """A desk's satisfaction in a quarter (or the year to date, ``quarter`` 0) judged
    as the engine judges 4.1: exactly, and only "at risk" while the period is open.
    None for a period not begun."""
    first, last = engine.period_bounds(year, quarter)
    if first > today:
        return None
    return engine.judge(counts.exact_share, threshold, comparator, is_open=today <= last)


@dataclass(frozen=True)
class Cell:
    """One desk's quarter (``quarter`` 0: the year to date) on the overview."""

    quarter: int
    counts: DeskQuarter
    status: str | None  # None: the quarter has not begun
    publication: DeskPublication | None = None
    published: int = 0  # every desk added up: how many published the quarter


@dataclass(frozen=True)
class DeskRow:
    """One desk (``unit`` None: every desk shown, added up) and its quarters."""

    unit: Unit | None
    threshold: Decimal | None
    comparator: str | None
    quarters: list[Cell]
    year: Cell


def satisfaction_by_desk(
    *, units: list[Unit], year: int, today: dt.date, every_desk: QuerySet[Unit] | None = None
) -> tuple[list[DeskRow], DeskRow, engine.TargetSpec | None]:
    """Each desk's satisfaction by quarter against its department's sheet's target, its
    published quarters, and every desk (``every_desk``, a query, when the rows are a
    page) added up in the database against the target all their departments share
    (returned; None, and the total not judged, when they differ). A constant number of
    queries whatever the number of desks and departments."""
    targets = satisfaction_targets(year=year, units=units if every_desk is None else every_desk)
    shared = {None if t is None else (t.threshold, t.comparator) for t in targets.values()}
    target = next(iter(targets.values())) if len(shared) == 1 else None
    ids = [unit.pk for unit in units]
    counts = desk_quarters(unit_ids=ids, year=year)
    published = publications_by_desk(unit_ids=ids, year=year)

    def row(unit: Unit | None, of_quarter, published_of) -> DeskRow:
        judged_on = target if unit is None else targets[unit.pk]
        threshold, comparator = (
            (None, None)
            if judged_on is None
            else judged_on.resolve(unit, None)
            if unit is not None
            else (judged_on.threshold, judged_on.comparator)
        )

        def cell(quarter: int, held: DeskQuarter, publication=None) -> Cell:
            judged = satisfaction_status(
                held,
                threshold=threshold,
                comparator=comparator,
                year=year,
                quarter=quarter,
                today=today,
            )
            return Cell(quarter, held, judged, publication)

        quarters = [cell(q, of_quarter(q), published_of(q)) for q in (1, 2, 3, 4)]
        whole = sum((c.counts for c in quarters), NOTHING)
        return DeskRow(unit, threshold, comparator, quarters, cell(engine.YEAR, whole))

    rows = [
        row(
            unit,
            lambda q, pk=unit.pk: counts.get((pk, q), NOTHING),
            lambda q, pk=unit.pk: published.get((pk, q)),
        )
        for unit in units
    ]
    if every_desk is None:
        totals, published_by_quarter = _rows_totals(ids=ids, counts=counts, published=published)
    else:
        totals, published_by_quarter = desk_totals(desks=every_desk, year=year)
    total = row(None, lambda q: totals.get(q, NOTHING), lambda q: None)
    total = replace(
        total,
        quarters=[
            replace(c, published=published_by_quarter.get(c.quarter, 0)) for c in total.quarters
        ],
    )
    return rows, total, target


def _rows_totals(
    *, ids: list[int], counts: dict, published: dict
) -> tuple[dict[int, DeskQuarter], dict[int, int]]:
    """The counts of each quarter added up over the desks of the rows, and how many of
    them published each quarter, from what the rows already read."""
    totals = {q: sum((counts.get((pk, q), NOTHING) for pk in ids), NOTHING) for q in (1, 2, 3, 4)}
    published_by_quarter = {q: sum(1 for pk in ids if (pk, q) in published) for q in (1, 2, 3, 4)}
    return totals, published_by_quarter


def desk_totals(
    *, desks: QuerySet[Unit], year: int
) -> tuple[dict[int, DeskQuarter], dict[int, int]]:
    """The counts of each quarter of ``year`` added up over ``desks``, and how many of
    them published each quarter: one query, counted in the database whatever the
    number of desks. (A published quarter has responses: publishing needs a valid one,
    and a voided one still counts as voided.)"""
    valid = Q(voided_at__isnull=True)
    published = (
        DeskPublication.objects.filter(
            unit__in=desks.values("pk"), year=year, quarter=OuterRef("quarter")
        )
        .order_by()
        .values("quarter")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Response.objects.filter(unit__in=desks.values("pk"), year=year)
        .values_list("quarter")
        .annotate(
            responses=Count("pk", filter=valid),
            satisfied=Count("pk", filter=valid & Q(satisfied=True)),
            flagged=Count("pk", filter=valid & Q(flagged=True)),
            pending=Count("pk", filter=valid & Q(comment_state=Response.Comment.PENDING)),
            voided=Count("pk", filter=~valid),
            published=Subquery(published),
        )
        .order_by()
    )
    totals, publications = {}, {}
    for quarter, *counts, n in rows:
        totals[quarter] = DeskQuarter(*counts)
        publications[quarter] = n or 0
    return totals, publications


def desk_responses(*, unit: Unit, year: int, quarter: int, flagged_only: bool = False) -> QuerySet:
    """A desk's responses of a quarter, newest first (the voided ones too, marked)."""
    responses = Response.objects.filter(unit=unit, year=year, quarter=quarter)
    if flagged_only:
        responses = responses.filter(flagged=True)
    return responses.select_related("kiosk").order_by("-submitted_at", "-pk")


def desk_voided(*, unit: Unit, year: int, quarter: int) -> list[Response]:
    """A desk's voided responses of a quarter, with who voided them; one query."""
    return list(
        Response.objects.filter(unit=unit, year=year, quarter=quarter, voided_at__isnull=False)
        .select_related("voided_by")
        .order_by("-voided_at", "-pk")
    )


def desk_comments(*, unit: Unit, year: int, quarter: int, limit: int = 200) -> list[Response]:
    """The comments of a desk's valid responses of a quarter, those awaiting moderation
    first, then the newest; one query."""
    return list(
        valid_responses()
        .filter(unit=unit, year=year, quarter=quarter)
        .exclude(comment="")
        .order_by(
            Case(When(comment_state=Response.Comment.PENDING, then=0), default=1),
            "-submitted_at",
            "-pk",
        )[:limit]
    )


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


def desk_publications_listed(*, year: int | None = None, unit: str | None = None) -> QuerySet:
    """The desks' published survey results (public, as each desk's results page), by
    year and desk code, with their snapshots (the REST API)."""
    rows = DeskPublication.objects.select_related("unit")
    if year is not None:
        rows = rows.filter(year=year)
    if unit is not None:
        rows = rows.filter(unit__code=unit)
    return rows.order_by("unit__code", "-year", "quarter")

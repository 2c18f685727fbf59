"""The public pages of the survey, without a login (CONTRACT.md: ``/s/<unit code>/``): a
receiving desk's questionnaire, the thank-you page and the desk's published quarters.
A kiosk (``surveys.views.kiosk``) answers through the same form.

The answers are stored by ``services.response_submit``, which holds the one-time token
and the one answer per dossier code; here the throttles (``guards``) and the honeypot,
a field people never see and bots fill in: a bot is thanked like anyone, and nothing is
stored."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from commitments.models import Unit
from surveys import selectors, services
from surveys.models import SCALE, DeskPublication, Kiosk, Question, Response
from surveys.views import guards

logger = logging.getLogger(__name__)

# The honeypot's name: one a form filler recognises and fills.
HONEYPOT = "website"
# A question's radio group is named after its code: q-access, q-overall...
PREFIX = "q-"
# Seconds a kiosk's thank-you page stays before the next citizen's form.
KIOSK_RESET_SECONDS = 6
# Seconds a kiosk's form left alone keeps its answers before it clears itself, so
# that a citizen who walks away never leaves answers for the next one.
KIOSK_IDLE_SECONDS = 240


def desk_or_404(code: str) -> Unit:
    """The receiving desk of ``code``; 404 for any other unit or none."""
    unit = selectors.desk_for_survey(code=code)
    if unit is None:
        raise Http404(_("Không có bộ phận tiếp nhận hồ sơ nào mang mã này."))
    return unit


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, code: str) -> HttpResponse:
    """A desk's survey from its QR code: the form (``?dossier=`` carries a receipt's
    dossier code), and its answers stored (channel "web")."""
    return survey_page(request, desk_or_404(code), kiosk=None)


def survey_page(request: HttpRequest, unit: Unit, *, kiosk: Kiosk | None) -> HttpResponse:
    """The form of a desk, or its answers sent: from a citizen's phone (no kiosk) or from
    the desk's enrolled kiosk."""
    if request.method == "POST":
        return _answer(request, unit, kiosk=kiosk)
    return _form(request, unit, kiosk=kiosk, data={"dossier": _receipt_code(request)})


def _receipt_code(request: HttpRequest) -> str:
    """The dossier code a receipt's QR code carries, left out when it is not one (the
    citizen could not remove it from the form)."""
    try:
        return services.dossier_code_checked(request.GET.get("dossier", ""))
    except services.SurveyRefused:
        return ""


def _answer(request: HttpRequest, unit: Unit, *, kiosk: Kiosk | None) -> HttpResponse:
    """Store the answers sent (then to the thank-you page: post, redirect, get), or say
    why not: past a throttle (429), the same form sent twice (409), or per field."""
    if guards.throttled(request, unit=unit, per_client=kiosk is None):
        return render(request, "surveys/throttled.html", {"unit": unit, "kiosk": kiosk}, status=429)
    thanks = redirect("surveys:kiosk_thanks" if kiosk else "surveys:thanks", code=unit.code)
    if request.POST.get(HONEYPOT):
        logger.info("survey %s: honeypot filled, nothing stored", unit.code)
        return thanks
    token = request.POST.get("token", "")
    try:
        services.response_submit(
            unit=unit,
            answers=services.Answers(
                scores={
                    name.removeprefix(PREFIX): value
                    for name, value in request.POST.items()
                    if name.startswith(PREFIX)
                },
                comment=request.POST.get("comment", ""),
                dossier_code=request.POST.get("dossier", ""),
            ),
            channel=Response.Channel.KIOSK if kiosk else Response.Channel.WEB,
            token=token,
            # A kiosk answers for every citizen at its desk: its address says nothing.
            client_address="" if kiosk else guards.client_address(request),
            kiosk=kiosk,
        )
    except services.SurveyRefused as refused:
        if refused.field == "form" and services.form_token_spent(token=token):
            return thanks_page(request, unit, kiosk=kiosk, message=refused.message, status=409)
        return _form(request, unit, kiosk=kiosk, data=request.POST, errors=refused.errors)
    return thanks


@dataclass(frozen=True)
class QuestionField:
    """A question as the form shows it: its radio group, the level chosen, its error."""

    code: str
    number: int
    label: str
    overall: bool
    choices: list[tuple[str, str, bool]]  # (value, label, checked)
    error: str | None = None

    @property
    def name(self) -> str:
        return f"{PREFIX}{self.code}"


def _form(
    request: HttpRequest, unit: Unit, *, kiosk: Kiosk | None, data, errors=None
) -> HttpResponse:
    """The desk's form with a new one-time token, the answers in ``data`` checked and
    each error beside its question; the first error is also said at the top."""
    errors = {name: str(message) for name, message in (errors or {}).items()}
    questionnaire = services.questionnaire_ensure(year=timezone.localdate().year)
    questions = [
        QuestionField(
            code=question.code,
            number=number,
            label=question.label,
            overall=question.kind == Question.Kind.OVERALL,
            choices=[
                (str(value), str(label), data.get(f"{PREFIX}{question.code}") == str(value))
                for value, label in SCALE
            ],
            error=errors.get(question.code),
        )
        for number, question in enumerate(questionnaire.questions.all(), start=1)
    ]
    context = {
        "unit": unit,
        "kiosk": kiosk,
        "questionnaire": questionnaire,
        "questions": questions,
        "unanswered": [q for q in questions if q.error],
        "token": services.form_token(unit=unit),
        "dossier": data.get("dossier", "").strip(),
        "comment": data.get("comment", ""),
        "errors": errors,
        "honeypot": HONEYPOT,
        "idle_reset": KIOSK_IDLE_SECONDS if kiosk else None,
    }
    return render(request, "surveys/survey.html", context)


def thanks_page(
    request: HttpRequest,
    unit: Unit,
    *,
    kiosk: bool | Kiosk | None,
    message: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The thank-you page. A kiosk's goes back to a fresh form by itself, and in
    Vietnamese: the language one citizen chose is not the next one's."""
    context = {
        "unit": unit,
        "message": message,
        "again": reverse("surveys:kiosk" if kiosk else "surveys:survey", args=[unit.code]),
        "kiosk": bool(kiosk),
        "reset_seconds": KIOSK_RESET_SECONDS,
    }
    response = render(request, "surveys/thanks.html", context, status=status)
    if kiosk:
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
        )
    return response


@require_GET
def thanks(request: HttpRequest, code: str) -> HttpResponse:
    return thanks_page(request, desk_or_404(code), kiosk=None)


# ---------------------------------------------------------------------------
# The desk's published results
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedQuarter:
    """A published quarter as the public page shows it, read from its snapshot."""

    year: int
    quarter: int
    published_at: object
    responses: int
    satisfied: int
    share: Decimal | None
    aspects: list[dict] = field(default_factory=list)
    comments: list[dict] = field(default_factory=list)


def _decimal(text: str | None) -> Decimal | None:
    return Decimal(text) if text not in (None, "") else None


def _published(publication: DeskPublication) -> PublishedQuarter:
    snapshot = publication.snapshot or {}
    english = (get_language() or "vi").startswith("en")
    aspects = [
        {
            "label": (english and aspect.get("text_en")) or aspect.get("text", ""),
            "overall": aspect.get("kind") == Question.Kind.OVERALL,
            "answers": aspect.get("answers", 0),
            "mean": _decimal(aspect.get("mean")),
            "share": _decimal(aspect.get("satisfied_share")),
        }
        for aspect in snapshot.get("aspects", [])
    ]
    comments = [
        {"at": parse_datetime(comment.get("at", "")), "text": comment.get("text", "")}
        for comment in snapshot.get("comments", [])
    ]
    return PublishedQuarter(
        year=publication.year,
        quarter=publication.quarter,
        published_at=publication.published_at,
        responses=snapshot.get("responses", 0),
        satisfied=snapshot.get("satisfied", 0),
        share=_decimal(snapshot.get("satisfied_share")),
        aspects=sorted(aspects, key=lambda a: a["overall"], reverse=True),
        comments=comments,
    )


@require_GET
def results(request: HttpRequest, code: str) -> HttpResponse:
    """The desk's published quarters, newest first, as frozen when published: responses,
    the satisfied share, each question's mean and share, the comments published. Two
    queries, whatever the number of quarters."""
    unit = desk_or_404(code)
    quarters = [_published(p) for p in selectors.desk_publications(unit=unit)]
    context = {
        "unit": unit,
        "quarters": quarters,
    }
    return render(request, "surveys/public_results.html", context)

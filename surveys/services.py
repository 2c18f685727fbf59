"""Writes of the satisfaction survey: a citizen's answers stored (from the QR page, a
kiosk or a paper form), the desks' figures counted from them, a response voided, a
comment moderated, a desk's quarter published, a kiosk enrolled, old keys forgotten."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments import services as commitments_services
from commitments.models import AuditEntry, DataElement, Unit
from commitments.services.figures import FigureInput
from surveys import selectors
from surveys.models import (
    SATISFIED_FROM,
    Answer,
    DeskPublication,
    Kiosk,
    Question,
    Questionnaire,
    Response,
)

logger = logging.getLogger(__name__)

# Sent once answers are stored (after commit): ``surveys.tasks`` queues one tally for
# a burst of them.
answers_stored = Signal()

TOKEN_SALT = "surveys.form"
# How long a survey form may stay open before it is sent.
TOKEN_MAX_AGE = dt.timedelta(hours=2)
# One sender's answers to one desk within this window, from the third on, are flagged.
BURST_WINDOW = dt.timedelta(minutes=10)
BURST_COUNT = 3
# How long the keyed hash of a sender's address is kept (personal data protection).
CLIENT_KEY_DAYS = 30
DOSSIER_CODE_MAX = 50

SURVEY_ELEMENTS = ("survey_responses", "survey_satisfied", "survey_published")


class SurveyRefused(ValueError):
    """Answers that cannot be stored; ``field`` names the part of the form at fault
    (a question's code, ``dossier``, ``comment`` or ``form``)."""

    def __init__(self, message, *, field: str = "form", errors: Mapping | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.errors = dict(errors or {field: message})


# ---------------------------------------------------------------------------
# The questionnaire
# ---------------------------------------------------------------------------

# SIPAS's five aspects and the overall question: (code, kind, Vietnamese, English).
DEFAULT_QUESTIONS = (
    (
        "access",
        Question.Kind.ASPECT,
        "Tiếp cận dịch vụ: địa điểm, chỉ dẫn, thời gian làm việc, cơ sở vật chất",
        "Access to the service: place, signs, opening hours, facilities",
    ),
    (
        "procedure",
        Question.Kind.ASPECT,
        "Thủ tục hành chính: được niêm yết công khai, đầy đủ, dễ hiểu",
        "The procedure: posted publicly, complete, easy to understand",
    ),
    (
        "staff",
        Question.Kind.ASPECT,
        "Công chức tiếp nhận và giải quyết: tận tình, đúng mực, hướng dẫn đầy đủ",
        "The civil servants: courteous, correct, giving full guidance",
    ),
    (
        "result",
        Question.Kind.ASPECT,
        "Kết quả giải quyết: đúng hạn, đúng quy định, đầy đủ",
        "The result: on time, lawful, complete",
    ),
    (
        "feedback",
        Question.Kind.ASPECT,
        "Tiếp nhận, xử lý ý kiến góp ý, phản ánh, kiến nghị",
        "Handling of comments, complaints and suggestions",
    ),
    (
        "overall",
        Question.Kind.OVERALL,
        "Nhìn chung, Ông/Bà hài lòng thế nào với việc giải quyết thủ tục hành chính tại đây?",
        "Overall, how satisfied are you with how your procedure was handled here?",
    ),
)


def questionnaire_ensure(*, year: int) -> Questionnaire:
    """The questionnaire citizens answer in ``year``: its newest version, or the
    default one (SIPAS's five aspects and the overall question), created once."""
    current = selectors.questionnaire_current(year=year)
    if current is not None:
        return current
    with transaction.atomic():
        questionnaire, created = Questionnaire.objects.get_or_create(
            year=year,
            version=1,
            defaults={
                "title": "Phiếu khảo sát sự hài lòng về giải quyết thủ tục hành chính",
                "title_en": "Satisfaction with the handling of administrative procedures",
            },
        )
        if created:
            Question.objects.bulk_create(
                Question(
                    questionnaire=questionnaire,
                    code=code,
                    kind=kind,
                    text=text,
                    text_en=text_en,
                    position=position,
                )
                for position, (code, kind, text, text_en) in enumerate(DEFAULT_QUESTIONS)
            )
    return questionnaire


def questionnaire_revise(*, questionnaire: Questionnaire) -> Questionnaire:
    """A new version of a year's questionnaire, a copy of ``questionnaire`` to edit:
    a version that has answers is never altered, only replaced."""
    with transaction.atomic():
        newest = (
            Questionnaire.objects.select_for_update()
            .filter(year=questionnaire.year)
            .order_by("-version")
            .first()
        )
        copy = Questionnaire.objects.create(
            year=questionnaire.year,
            version=newest.version + 1,
            title=questionnaire.title,
            title_en=questionnaire.title_en,
        )
        Question.objects.bulk_create(
            Question(
                questionnaire=copy,
                code=q.code,
                kind=q.kind,
                text=q.text,
                text_en=q.text_en,
                position=q.position,
            )
            for q in questionnaire.questions.all()
        )
    return copy


# ---------------------------------------------------------------------------
# Storing answers
# ---------------------------------------------------------------------------


def form_token(*, unit: Unit) -> str:
    """A signed one-time token for one view of a desk's form: the answers it carries
    are stored once (its nonce is unique among responses)."""
    return signing.dumps({"u": unit.pk, "n": uuid.uuid4().hex}, salt=TOKEN_SALT, compress=False)


def _token_nonce(token: str, unit: Unit) -> str:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise SurveyRefused(
            _("Phiếu đã mở quá lâu. Vui lòng trả lời lại trên phiếu mới."), field="form"
        ) from error
    except signing.BadSignature as error:
        raise SurveyRefused(
            _("Phiếu không hợp lệ. Vui lòng mở lại phiếu."), field="form"
        ) from error
    if data.get("u") != unit.pk or not data.get("n"):
        raise SurveyRefused(_("Phiếu không hợp lệ. Vui lòng mở lại phiếu."), field="form")
    return str(data["n"])


def form_token_spent(*, token: str) -> bool:
    """Whether a form's token has already brought its answers: the same form sent
    twice (a double tap, the back button), as opposed to one expired or forged."""
    try:
        data = signing.loads(token or "", salt=TOKEN_SALT)
    except signing.BadSignature:
        return False
    return Response.objects.filter(token=str(data.get("n") or "")).exists()


def client_key(address: str) -> str:
    """A keyed hash of a sender's address: enough to see a burst, never the address."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"surveys:{address}".encode(), hashlib.sha256
    ).hexdigest()


@dataclass(frozen=True)
class Answers:
    """What a citizen (or the paper form typed by staff) answered: a score of 1 to 5
    by question code, an optional comment and the dossier code of a receipt."""

    scores: Mapping[str, int | str | None]
    comment: str = ""
    dossier_code: str = ""


def response_submit(
    *,
    unit: Unit,
    answers: Answers,
    channel: str,
    token: str | None = None,
    client_address: str = "",
    kiosk: Kiosk | None = None,
    user=None,
    when: dt.datetime | None = None,
) -> Response:
    """Store one response at a receiving desk, all or nothing, and have the desk's
    figures counted again (coalesced: ``answers_stored``).

    Web and kiosk answers carry the form's one-time ``token``; paper answers are typed
    by ``user``. Refused (``SurveyRefused``, naming the field): a desk that does not
    receive dossiers, a question unanswered or out of the scale, a token replayed,
    forged or expired, a dossier code already answered at this desk."""
    if not unit.receives_dossiers:
        raise SurveyRefused(_("Đơn vị này không tiếp nhận hồ sơ."), field="form")
    when = when or timezone.now()
    local = timezone.localtime(when)
    questionnaire = questionnaire_ensure(year=local.year)
    questions = list(questionnaire.questions.all())
    scores = _scores(questions, answers.scores)
    nonce = None if channel == Response.Channel.PAPER else _token_nonce(token or "", unit)
    dossier = dossier_code_checked(answers.dossier_code)
    comment = answers.comment.strip()[:2000]
    key = client_key(client_address) if client_address else ""
    overall = scores[next(q.code for q in questions if q.kind == Question.Kind.OVERALL)]
    response = Response(
        questionnaire=questionnaire,
        unit=unit,
        year=local.year,
        quarter=(local.month - 1) // 3 + 1,
        channel=channel,
        submitted_at=when,
        overall=overall,
        satisfied=overall >= SATISFIED_FROM,
        comment=comment,
        comment_state=Response.Comment.PENDING if comment else Response.Comment.NONE,
        dossier_code=dossier,
        token=nonce,
        client_key=key,
        kiosk=kiosk,
        entered_by=user if channel == Response.Channel.PAPER else None,
        flagged=bool(key) and _burst(unit, key, when),
    )
    try:
        with transaction.atomic():
            response.save(force_insert=True)
            Answer.objects.bulk_create(
                Answer(response=response, question=q, score=scores[q.code]) for q in questions
            )
            transaction.on_commit(lambda: answers_stored.send(sender=Response))
    except IntegrityError as error:
        raise _duplicate(unit, nonce, dossier) from error
    return response


def _scores(questions: list[Question], given: Mapping[str, int | str | None]) -> dict[str, int]:
    """Every question's score, 1 to 5; every unanswered or wrong one named."""
    scores, errors = {}, {}
    for question in questions:
        raw = given.get(question.code)
        try:
            score = int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            score = 0
        if score is None:
            errors[question.code] = _("Vui lòng chọn một mức đánh giá.")
        elif not 1 <= score <= 5:
            errors[question.code] = _("Chọn một mức từ 1 đến 5.")
        else:
            scores[question.code] = score
    if errors:
        first = next(iter(errors))
        raise SurveyRefused(errors[first], field=first, errors=errors)
    return scores


def dossier_code_checked(text: str) -> str:
    """A dossier code as stored (trimmed), or ``SurveyRefused`` naming the field."""
    code = (text or "").strip()
    if len(code) > DOSSIER_CODE_MAX or any(c.isspace() for c in code):
        raise SurveyRefused(
            _("Mã hồ sơ không hợp lệ: tối đa 50 ký tự, không có khoảng trắng."), field="dossier"
        )
    return code


def _burst(unit: Unit, key: str, when: dt.datetime) -> bool:
    """Whether this sender already answered this desk often enough lately to make
    this answer part of a burst a director should look at.

    The window lies in this quarter or, just after a quarter begins, also in the one
    before: reading only those desk-quarters (their index) keeps the check as quick at
    a desk with years of answers as at a new one, instead of reading them all."""
    since = when - BURST_WINDOW
    quarters = Q()
    for year, quarter in {_quarter_of(since), _quarter_of(when)}:
        quarters |= Q(year=year, quarter=quarter)
    recent = Response.objects.filter(
        quarters, unit=unit, client_key=key, submitted_at__gte=since
    ).count()
    return recent + 1 >= BURST_COUNT


def _quarter_of(moment: dt.datetime) -> tuple[int, int]:
    """The (year, quarter) of a moment at the desks' local time."""
    local = timezone.localtime(moment)
    return local.year, (local.month - 1) // 3 + 1


def _duplicate(unit: Unit, nonce: str | None, dossier: str) -> SurveyRefused:
    """Which unique rule a refused insert broke: the token or the dossier code."""
    if nonce and Response.objects.filter(token=nonce).exists():
        return SurveyRefused(_("Phiếu này đã được gửi. Cảm ơn Ông/Bà đã trả lời."), field="form")
    if dossier and Response.objects.filter(unit=unit, dossier_code=dossier).exists():
        return SurveyRefused(
            _("Hồ sơ %(code)s đã được đánh giá tại bộ phận này.") % {"code": dossier},
            field="dossier",
        )
    return SurveyRefused(_("Không lưu được phiếu. Vui lòng thử lại."), field="form")


# ---------------------------------------------------------------------------
# The desks' figures
# ---------------------------------------------------------------------------


def survey_figures_tally(*, limit: int = 50_000) -> int:
    """Count again the figures of each desk and quarter that has answers not counted
    yet (or voided since): ``survey_responses`` (valid responses) and
    ``survey_satisfied`` (of those, satisfied), written through the figure service,
    which asks for the recompute. Returns how many desk-quarters were written.

    Idempotent: each desk-quarter is counted whole from its responses, so two tallies
    at once write the same numbers.
    """
    with transaction.atomic():
        pending = list(
            Response.objects.filter(tallied=False)
            .order_by("pk")
            .values_list("pk", "unit_id", "year", "quarter")[:limit]
        )
        if not pending:
            return 0
        Response.objects.filter(pk__in=[pk for pk, *_ in pending]).update(tallied=True)
        desks = {(u, y, q) for _, u, y, q in pending}
        _figures_write(desks)
    return len(desks)


def _figures_write(desks: set[tuple[int, int, int]]) -> None:
    elements = DataElement.objects.in_bulk(
        ["survey_responses", "survey_satisfied"], field_name="code"
    )
    if len(elements) < 2:
        logger.warning("The survey elements are not in the catalogue: nothing counted.")
        return
    counts = selectors.desk_counts(desks=desks)
    units = Unit.objects.in_bulk({u for u, _, _ in desks})
    inputs = []
    for unit_id, year, quarter in sorted(desks):
        responses, satisfied = counts.get((unit_id, year, quarter), (0, 0))
        for code, value in (("survey_responses", responses), ("survey_satisfied", satisfied)):
            inputs.append(
                FigureInput(
                    where=(unit_id, year, quarter, code),
                    year=year,
                    quarter=quarter,
                    unit=units[unit_id],
                    element=elements[code],
                    category=None,
                    value=value,
                )
            )
    commitments_services.figures.figures_save(
        inputs=inputs,
        source=str(_("Khảo sát sự hài lòng")),
        action=AuditEntry.Action.COUNTED,
    )


# ---------------------------------------------------------------------------
# A director's decisions
# ---------------------------------------------------------------------------


def response_void(*, response: Response, user, reason: str) -> Response:
    """Void a response with a reason (abuse, a test answer...): it never counts again,
    and the audit log keeps who and why. The desk's figures are counted at once."""
    reason = (reason or "").strip()
    if not reason:
        raise SurveyRefused(_("Hãy ghi lý do hủy phiếu."), field="reason")
    now = timezone.now()
    with transaction.atomic():
        moved = Response.objects.filter(pk=response.pk, voided_at__isnull=True).update(
            voided_at=now, voided_by=user, void_reason=reason, tallied=False
        )
        if not moved:
            raise SurveyRefused(_("Phiếu này đã bị hủy."), field="form")
        commitments_services.audit.audit_record(
            subject=AuditEntry.Subject.SURVEY,
            action=AuditEntry.Action.VOIDED,
            user=user,
            unit=response.unit,
            year=response.year,
            quarter=response.quarter,
            label=_response_label(response),
            changes=[["voided", None, reason]],
            note=reason,
        )
        survey_figures_tally()
    response.refresh_from_db()
    return response


def comment_moderate(*, response: Response, user, publish: bool) -> Response:
    """Publish a response's comment on the desk's results, or keep it unpublished."""
    if not response.comment:
        raise SurveyRefused(_("Phiếu này không có ý kiến."), field="comment")
    state = Response.Comment.PUBLISHED if publish else Response.Comment.HIDDEN
    with transaction.atomic():
        old = response.comment_state
        Response.objects.filter(pk=response.pk).update(comment_state=state)
        commitments_services.audit.audit_record(
            subject=AuditEntry.Subject.SURVEY,
            action=AuditEntry.Action.MODERATED,
            user=user,
            unit=response.unit,
            year=response.year,
            quarter=response.quarter,
            label=_response_label(response),
            changes=[["comment_state", old, state]],
        )
    response.comment_state = state
    return response


def _response_label(response: Response) -> str:
    return f"#{response.pk} {response.submitted_at:%Y-%m-%d %H:%M}"


class PublishRefused(ValueError):
    pass


def desk_publish(*, unit: Unit, year: int, quarter: int, user) -> DeskPublication:
    """Publish a desk's results of a quarter (công khai kết quả khảo sát): a snapshot of
    its responses, satisfied share, each aspect's mean and share and its published
    comments for the public page, and ``survey_published`` = 1 for 6.2. Republishing
    replaces the snapshot. Refused for a desk that does not receive dossiers, a
    quarter not begun, or a quarter without a valid response."""
    if not unit.receives_dossiers:
        raise PublishRefused(_("Đơn vị này không tiếp nhận hồ sơ."))
    today = timezone.localdate()
    if (year, quarter) > (today.year, (today.month - 1) // 3 + 1):
        raise PublishRefused(_("Quý này chưa bắt đầu."))
    results = selectors.desk_results(unit=unit, year=year, quarter=quarter)
    if not results["responses"]:
        raise PublishRefused(_("Quý này chưa có phiếu hợp lệ nào để công bố."))
    element = DataElement.objects.filter(code="survey_published").first()
    with transaction.atomic():
        publication, created = DeskPublication.objects.update_or_create(
            unit=unit,
            year=year,
            quarter=quarter,
            defaults={
                "published_by": user,
                "published_at": timezone.now(),
                "snapshot": results,
            },
        )
        if element is not None:
            commitments_services.figures.figures_save(
                inputs=[
                    FigureInput(
                        where=(unit.pk, year, quarter, element.code),
                        year=year,
                        quarter=quarter,
                        unit=unit,
                        element=element,
                        category=None,
                        value=1,
                    )
                ],
                user=user,
                source=str(_("Khảo sát sự hài lòng")),
                action=AuditEntry.Action.PUBLISHED,
            )
        commitments_services.audit.audit_record(
            subject=AuditEntry.Subject.SURVEY,
            action=AuditEntry.Action.PUBLISHED,
            user=user,
            unit=unit,
            year=year,
            quarter=quarter,
            label=str(_("Kết quả khảo sát quý %(quarter)s/%(year)s"))
            % {"quarter": quarter, "year": year},
            changes=[["responses", None, results["responses"]]] if created else [],
        )
    return publication


# ---------------------------------------------------------------------------
# Kiosks and privacy
# ---------------------------------------------------------------------------


def kiosk_enroll(*, unit: Unit, name: str, user) -> Kiosk:
    """Enroll a tablet at a receiving desk as a kiosk."""
    if not unit.receives_dossiers:
        raise SurveyRefused(_("Đơn vị này không tiếp nhận hồ sơ."), field="unit")
    name = (name or "").strip()[:100]
    if not name:
        raise SurveyRefused(_("Hãy đặt tên cho thiết bị."), field="name")
    return Kiosk.objects.create(unit=unit, name=name, enrolled_by=user)


def kiosk_revoke(*, kiosk: Kiosk) -> None:
    Kiosk.objects.filter(pk=kiosk.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def client_keys_forget(*, now: dt.datetime | None = None) -> int:
    """Empty the keyed hashes of addresses older than 30 days; returns how many."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=CLIENT_KEY_DAYS)
    return (
        Response.objects.filter(submitted_at__lt=cutoff)
        .exclude(client_key="")
        .update(client_key="")
    )

"""The demo's season of citizens' answers (mùa khảo sát mẫu) at its receiving desks.

``season_load`` writes, for each desk and quarter it is given, as many valid responses
and satisfied ones as the demo's table says, so that the figures counted from them are
the demo's stated ones (4.1, 6.1, 6.2 of ``commitments/demo.py``); then counts them with
the tally and publishes every desk-quarter, as a director would. Nothing is random:
each response follows from its desk, quarter and position, so a reader can check any
of it and a second load finds everything in place and writes nothing.

What the season shows on the survey's pages:

- channels: QR code on the poster or receipt (web), the tablet at the four busiest
  desks (kiosk), and paper questionnaires typed by staff; about a third of the web
  answers carry the dossier code of their receipt;
- aspects that drag a desk down: the waiting room of Chi cục Chăn nuôi và Thú y
  (``access``), and the results of the one-stop desk in Q2, when land dossiers ran late
  (``result``);
- comments: published, kept unpublished, and those of each year's last quarter still
  pending for the director;
- two responses voided with their reason (a kiosk's test answer, an abusive one),
  which never count, and a burst of four answers in a few minutes from one phone at the
  one-stop desk in Q3, the last two flagged for a director.

Responses are written in bulk (with neither token nor sender's key: these are old
answers), not through ``services.response_submit``, so that ``make run`` stays quick;
they wait untallied, and ``services.survey_figures_tally`` counts them as it counts any.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone

from commitments.models import Unit
from surveys import services
from surveys.models import SATISFIED_FROM, Answer, DeskPublication, Kiosk, Questionnaire, Response

# The desks with a tablet at the counter.
KIOSK_DESKS = ("sonn-vp", "ccttbvtv", "cccntty", "ccqlcl")
KIOSK_NAME = "Máy tính bảng tại quầy tiếp nhận"
# (desk, quarter or None for every quarter): the aspect answered a level lower, two
# answers in three.
DRAGS = {
    ("cccntty", None): "access",
    ("sonn-vp", 2): "result",
}
# The burst: four answers within minutes from one phone, the third on flagged.
BURST = ("sonn-vp", 3)

PRAISE = (
    "Cán bộ hướng dẫn tận tình, hồ sơ được trả đúng hẹn.",
    "Thủ tục nhanh gọn, không phải đi lại nhiều lần.",
    "Nộp hồ sơ trực tuyến thuận tiện, có tin nhắn báo khi có kết quả.",
    "Bộ phận một cửa sạch sẽ, lấy số thứ tự rõ ràng.",
    "Cảm ơn chị tiếp nhận đã giải thích kỹ giấy tờ cần bổ sung.",
)
COMPLAINTS = {
    "access": "Phòng chờ chật, thiếu ghế ngồi, chỗ gửi xe xa.",
    "procedure": "Phải bổ sung hồ sơ hai lần vì lần đầu không được hướng dẫn đủ.",
    "result": "Hồ sơ trả trễ hẹn một tuần mà không có thư xin lỗi.",
    "feedback": "Gọi đường dây nóng nhiều lần không ai nghe máy.",
    "staff": "Buổi sáng chờ đến lượt quá lâu, chỉ mở một quầy.",
}


@dataclass(frozen=True)
class Voided:
    """An answer that never counts: voided by the director with a reason."""

    desk: str
    quarter: int
    channel: str
    overall: int
    comment: str
    reason: str


VOIDED = (
    Voided(
        "sonn-vp",
        1,
        Response.Channel.KIOSK,
        5,
        "",
        "Phiếu thử của cán bộ khi cài đặt máy tính bảng tại quầy, không phải ý kiến của người dân.",
    ),
    Voided(
        "ccttbvtv",
        2,
        Response.Channel.WEB,
        1,
        "Toàn người vô trách nhiệm!!! (lời lẽ thô tục)",
        "Ý kiến có lời lẽ xúc phạm cán bộ, không nêu thủ tục nào; gửi lặp lại từ một thiết bị.",
    ),
)


@dataclass
class _Batch:
    """The responses of a load, with their scores by question code, in order."""

    responses: list[Response] = field(default_factory=list)
    scores: list[dict[str, int]] = field(default_factory=list)
    voided: list[tuple[Response, str]] = field(default_factory=list)


def season_load(
    *,
    desks: Mapping[Unit, Sequence[tuple[int, int]]],
    year: int,
    quarters: int,
    director,
    clerks: Mapping[Unit, object] | None = None,
) -> int:
    """The answers of ``year``'s first ``quarters`` quarters at each desk, where that
    desk-quarter has none yet: ``desks`` gives each desk's (valid responses, satisfied)
    by quarter. Then the tally counts them and ``director`` publishes each desk-quarter
    not published yet. ``clerks`` names who typed a desk's paper questionnaires.
    Returns how many responses were written."""
    questionnaire = services.questionnaire_ensure(year=year)
    questions = list(questionnaire.questions.all())
    present = set(
        Response.objects.filter(unit__in=list(desks), year=year)
        .values_list("unit_id", "quarter")
        .distinct()
    )
    kiosks = {unit: _kiosk(unit, director) for unit in desks if unit.code in KIOSK_DESKS}
    batch = _Batch()
    for unit, season in desks.items():
        for quarter in range(1, quarters + 1):
            if (unit.pk, quarter) in present:
                continue
            context = _Context(
                unit, year, quarter, questionnaire, kiosks.get(unit), (clerks or {}).get(unit)
            )
            _desk_quarter(batch, context, *season[quarter - 1], last=quarter == quarters)
    _batch_save(batch, questions)
    for response, reason in batch.voided:
        services.response_void(response=response, user=director, reason=reason)
    services.survey_figures_tally()
    _publish(desks, year, quarters, director)
    return len(batch.responses)


@dataclass(frozen=True)
class _Context:
    unit: Unit
    year: int
    quarter: int
    questionnaire: Questionnaire
    kiosk: Kiosk | None
    clerk: object


def _kiosk(unit: Unit, director) -> Kiosk:
    found = Kiosk.objects.filter(unit=unit, name=KIOSK_NAME, revoked_at__isnull=True).first()
    return found or services.kiosk_enroll(unit=unit, name=KIOSK_NAME, user=director)


def _desk_quarter(batch: _Batch, c: _Context, responses: int, satisfied: int, *, last: bool):
    """A desk-quarter's answers: ``responses`` valid ones, ``satisfied`` of them
    satisfied, the unsatisfied spread evenly over the quarter; and its voided ones."""
    days = _working_days(c.year, c.quarter)
    unsatisfied = responses - satisfied
    drag = DRAGS.get((c.unit.code, c.quarter)) or DRAGS.get((c.unit.code, None))
    for i in range(responses):
        happy = (i + 1) * unsatisfied // responses == i * unsatisfied // responses
        overall = (5 if i % 5 in (0, 1, 3) else 4) if happy else (1 if i % 7 == 6 else 3 - i % 2)
        scores = _aspects(i, overall, drag)
        day = days[i * len(days) // responses]
        when = _at(day, 450 + (i * 53) % 540)  # from 7:30 to 16:30
        channel = _channel(i, c.kiosk is not None)
        response = _response(c, i, when, channel, overall)
        _comment(response, i, happy, drag, last=last)
        batch.responses.append(response)
        batch.scores.append(scores)
    if (c.unit.code, c.quarter) == BURST and responses >= 8:
        _burst(batch.responses[-responses:], batch.scores[-responses:], days[-3])
    for voided in VOIDED:
        if (voided.desk, voided.quarter) == (c.unit.code, c.quarter):
            scores = dict.fromkeys(_aspect_codes(), voided.overall)
            scores["overall"] = voided.overall
            channel = voided.channel
            response = _response(c, responses, _at(days[0], 480), channel, voided.overall)
            response.comment = voided.comment
            response.comment_state = Response.Comment.PENDING if voided.comment else ""
            batch.responses.append(response)
            batch.scores.append(scores)
            batch.voided.append((response, voided.reason))


def _aspect_codes() -> list[str]:
    return [code for code, kind, *_ in services.DEFAULT_QUESTIONS if kind == "aspect"]


def _aspects(i: int, overall: int, drag: str | None) -> dict[str, int]:
    """Each aspect near the overall answer, a step up or down now and then; the desk's
    dragging aspect a level lower two answers in three."""
    scores = {}
    for k, code in enumerate(_aspect_codes()):
        step = (0, 0, -1, 0, 1, 0, -1)[(i + 3 * k) % 7]
        if code == drag and i % 3:
            step -= 1
        scores[code] = min(5, max(1, overall + step))
    scores["overall"] = overall
    return scores


def _channel(i: int, has_kiosk: bool) -> str:
    slot = i % 20
    if has_kiosk:
        if slot < 11:
            return Response.Channel.WEB
        return Response.Channel.KIOSK if slot < 17 else Response.Channel.PAPER
    return Response.Channel.WEB if slot < 13 else Response.Channel.PAPER


def _response(c: _Context, i: int, when: dt.datetime, channel: str, overall: int) -> Response:
    web = channel == Response.Channel.WEB
    dossier = ""
    if web and i % 3 == 0:
        local = timezone.localtime(when)
        dossier = f"000.{c.unit.pk % 100:02d}.16.H29-{local:%y%m%d}-{i:04d}"
    return Response(
        questionnaire=c.questionnaire,
        unit=c.unit,
        year=c.year,
        quarter=c.quarter,
        channel=channel,
        submitted_at=when,
        overall=overall,
        satisfied=overall >= SATISFIED_FROM,
        dossier_code=dossier,
        kiosk=c.kiosk if channel == Response.Channel.KIOSK else None,
        entered_by=c.clerk if channel == Response.Channel.PAPER else None,
        tallied=False,
    )


def _comment(response: Response, i: int, happy: bool, drag: str | None, *, last: bool) -> None:
    """One answer in seventeen has a comment: praise, or a complaint about the aspect
    it scored lowest; published or kept unpublished by the director, or still pending
    in the last quarter of the season."""
    if i % 17 != 5:
        return
    n = i // 17
    if happy:
        response.comment = PRAISE[n % len(PRAISE)]
    else:
        aspect = drag or _aspect_codes()[n % 5]
        response.comment = COMPLAINTS[aspect]
    if last:
        response.comment_state = Response.Comment.PENDING
    elif n % 4 == 3:
        response.comment_state = Response.Comment.HIDDEN
    else:
        response.comment_state = Response.Comment.PUBLISHED


def _burst(responses: list[Response], scores: list[dict[str, int]], day: dt.date) -> None:
    """Four satisfied answers of the quarter moved within seven minutes of one morning,
    all top marks, from one phone: the third and fourth are flagged."""
    happy = [n for n, r in enumerate(responses) if r.satisfied][-4:]
    for rank, n in enumerate(happy):
        response = responses[n]
        response.channel, response.kiosk, response.entered_by = Response.Channel.WEB, None, None
        response.submitted_at = _at(day, 600 + 2 * rank + rank // 2)
        response.overall, response.dossier_code = 5, ""
        response.flagged = rank + 1 >= services.BURST_COUNT
        scores[n] = dict.fromkeys(scores[n], 5)


def _batch_save(batch: _Batch, questions) -> None:
    """The responses in bulk, then their answers as plain rows: six to a response, a
    season's tens of thousands of model instances would cost seconds for nothing."""
    by_code = {q.code: q.pk for q in questions}
    Response.objects.bulk_create(batch.responses, batch_size=2000)
    rows = [
        (response.pk, by_code[code], score)
        for response, scores in zip(batch.responses, batch.scores, strict=True)
        for code, score in scores.items()
    ]
    table = connection.ops.quote_name(Answer._meta.db_table)
    columns = "(response_id, question_id, score)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One stream rather than a statement a row: the demo is loaded under many
            # tests.
            with cursor.cursor.copy(f"COPY {table} {columns} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} {columns} VALUES (%s, %s, %s)", rows)


def _publish(desks: Mapping[Unit, Sequence], year: int, quarters: int, director) -> None:
    published = set(
        DeskPublication.objects.filter(unit__in=list(desks), year=year).values_list(
            "unit_id", "quarter"
        )
    )
    for unit in desks:
        for quarter in range(1, quarters + 1):
            if (unit.pk, quarter) not in published:
                services.desk_publish(unit=unit, year=year, quarter=quarter, user=director)


def _working_days(year: int, quarter: int) -> list[dt.date]:
    """Monday to Friday of the quarter."""
    day = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + quarter // 4, 3 * quarter % 12 + 1, 1)
    days = []
    while day < end:
        if day.weekday() < 5:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _at(day: dt.date, minutes: int) -> dt.datetime:
    """``minutes`` after midnight of ``day``, at the desks' local time."""
    moment = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
    return timezone.make_aware(moment)

"""The satisfaction survey (khảo sát sự hài lòng): a questionnaire per year, the
answers citizens give at a receiving desk, the tablets enrolled as kiosks, and each
desk's published quarters."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from commitments.models import Unit
from commitments.models.organisation import done_by

# The five levels of every question, worst first (the SIPAS scale).
SCALE = (
    (1, _("Rất không hài lòng")),
    (2, _("Không hài lòng")),
    (3, _("Bình thường")),
    (4, _("Hài lòng")),
    (5, _("Rất hài lòng")),
)
# A response is satisfied when its overall answer is "satisfied" or better (DOMAIN.md:
# survey_satisfied).
SATISFIED_FROM = 4


class Questionnaire(models.Model):
    """One version of a year's questionnaire (phiếu khảo sát). The newest version of a
    year is the one citizens answer; a version that has answers is never altered, only
    replaced by a new one."""

    year = models.PositiveIntegerField(_("năm"))
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    title = models.CharField(_("tiêu đề"), max_length=300)
    title_en = models.CharField(_("tiêu đề (tiếng Anh)"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-version"]
        verbose_name = _("phiếu khảo sát")
        verbose_name_plural = pgettext_lazy("plural", "phiếu khảo sát")
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="questionnaire_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.year} v{self.version} · {self.title}"

    @property
    def label(self) -> str:
        return _bilingual(self.title, self.title_en)


class Question(models.Model):
    """A question of a questionnaire, answered on the five-level scale: one of the
    aspects (tiêu chí) or the overall question, which decides whether a response is
    satisfied."""

    class Kind(models.TextChoices):
        ASPECT = "aspect", _("Tiêu chí")
        OVERALL = "overall", _("Đánh giá chung")

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("phiếu khảo sát"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    code = models.SlugField(_("mã"), max_length=50)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.ASPECT)
    text = models.CharField(_("câu hỏi"), max_length=500)
    text_en = models.CharField(_("câu hỏi (tiếng Anh)"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["questionnaire", "position", "pk"]
        verbose_name = _("câu hỏi")
        verbose_name_plural = pgettext_lazy("plural", "câu hỏi")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "code"], name="question_unique"),
            models.UniqueConstraint(
                fields=["questionnaire"],
                condition=Q(kind="overall"),
                name="question_one_overall",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.text}"

    @property
    def label(self) -> str:
        return _bilingual(self.text, self.text_en)


class Kiosk(models.Model):
    """A tablet at a desk, enrolled by a director, that shows the survey and resets
    itself after each answer. The tablet keeps a signed cookie naming this row; a
    revoked kiosk's cookie no longer counts."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("bộ phận tiếp nhận"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("tên thiết bị"), max_length=100)
    enrolled_by = done_by(_("người đăng ký"))
    enrolled_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        ordering = ["unit__code", "name"]
        verbose_name = _("máy khảo sát tại quầy")
        verbose_name_plural = pgettext_lazy("plural", "máy khảo sát tại quầy")

    def __str__(self) -> str:
        return f"{self.unit.code} · {self.name}"


class Response(models.Model):
    """One citizen's answers (phiếu trả lời) at a desk, in the quarter it was given.

    No name, phone or address is kept. ``client_key`` is a keyed hash of the sender's
    address, kept only to flag bursts and emptied after 30 days; ``token`` is the
    one-time token of the form it answers, so that a form cannot be sent twice.
    A voided response never counts; the audit log keeps who voided it and why.
    """

    class Channel(models.TextChoices):
        WEB = "web", _("Quét mã QR")
        KIOSK = "kiosk", _("Máy tại quầy")
        PAPER = "paper", _("Phiếu giấy")

    class Comment(models.TextChoices):
        NONE = "", _("Không có ý kiến")
        PENDING = "pending", _("Chờ duyệt")
        PUBLISHED = "published", _("Được công khai")
        HIDDEN = "hidden", _("Không công khai")

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("phiếu khảo sát"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("bộ phận tiếp nhận"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(
        _("quý"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    submitted_at = models.DateTimeField(_("gửi lúc"))
    overall = models.PositiveSmallIntegerField(_("đánh giá chung"), choices=SCALE)
    satisfied = models.BooleanField(_("hài lòng"))
    comment = models.TextField(_("ý kiến"), max_length=2000, blank=True)
    comment_state = models.CharField(
        _("ý kiến"), max_length=10, choices=Comment.choices, blank=True, default=Comment.NONE
    )
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=50, blank=True)
    token = models.CharField(_("mã phiên"), max_length=40, null=True, blank=True, unique=True)
    client_key = models.CharField(_("khóa chống lạm dụng"), max_length=64, blank=True)
    kiosk = models.ForeignKey(
        Kiosk, verbose_name=_("máy tại quầy"), null=True, blank=True, on_delete=models.SET_NULL
    )
    entered_by = done_by(_("người nhập phiếu giấy"))
    flagged = models.BooleanField(_("gửi dồn dập"), default=False)
    voided_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    voided_by = done_by(_("người hủy"))
    void_reason = models.TextField(_("lý do hủy"), blank=True)
    # False until the desk's figures of the quarter count it (or its voiding).
    tallied = models.BooleanField(default=False)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = pgettext_lazy("plural", "phiếu trả lời")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "dossier_code"],
                condition=~Q(dossier_code=""),
                name="response_one_per_dossier",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1) & Q(quarter__lte=4), name="response_quarter_1_to_4"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "year", "quarter"], name="response_desk_quarter"),
            models.Index(
                fields=["unit", "year", "quarter"],
                condition=Q(tallied=False),
                name="response_untallied",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter} {self.unit_id} #{self.pk}"

    @property
    def valid(self) -> bool:
        return self.voided_at is None


class Answer(models.Model):
    """A response's score for one question."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("mức"), choices=SCALE)

    class Meta:
        verbose_name = _("câu trả lời")
        verbose_name_plural = pgettext_lazy("plural", "câu trả lời")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.response_id} {self.question_id}={self.score}"


class DeskPublication(models.Model):
    """A desk's quarter of results published by a director (công khai kết quả): sets the
    desk's ``survey_published`` for 6.2 and opens its public page."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("bộ phận tiếp nhận"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(
        _("quý"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    published_by = done_by(_("người công bố"))
    published_at = models.DateTimeField(_("công bố lúc"))
    # What the public page shows, frozen at publication: responses, the satisfied
    # share, each aspect's mean and share, the published comments.
    snapshot = models.JSONField(_("kết quả"), default=dict)

    class Meta:
        ordering = ["-year", "-quarter", "unit__code"]
        verbose_name = _("kết quả khảo sát đã công bố")
        verbose_name_plural = pgettext_lazy("plural", "kết quả khảo sát đã công bố")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "quarter"], name="desk_publication_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-Q{self.quarter} {self.unit_id}"


def _bilingual(vi: str, en: str) -> str:
    if (get_language() or "vi").startswith("en") and en:
        return en
    return vi


__all__ = [
    "SATISFIED_FROM",
    "SCALE",
    "Answer",
    "DeskPublication",
    "Kiosk",
    "Question",
    "Questionnaire",
    "Response",
]

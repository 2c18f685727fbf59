"""The paper questionnaire (phiếu giấy) as staff type it: the same questions and scale
as the citizens' form, the day the paper was filled, the dossier code if any and the
comment."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments import engine
from surveys.models import SCALE, Question
from surveys.services import DOSSIER_CODE_MAX

QUESTION_PREFIX = "q_"


def question_field(code: str) -> str:
    """The form field of a question (prefixed: a question's code never clashes with
    the form's own fields)."""
    return f"{QUESTION_PREFIX}{code}"


def quarter_open(day: dt.date, today: dt.date) -> bool:
    """Whether staff may still enter answers of ``day``'s quarter: the quarter has begun
    and is one of the last ``REPORT_OPEN_QUARTERS`` (0: any), as for reports."""
    age = (today.year * 4 + engine.quarter_of(today)) - (day.year * 4 + engine.quarter_of(day))
    window = settings.REPORT_OPEN_QUARTERS
    return age >= 0 and (not window or age < window)


class PaperForm(forms.Form):
    """A paper questionnaire; ``questions`` are those of the questionnaire in use."""

    filled_on = forms.DateField(
        label=_("Ngày người dân điền phiếu"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Hãy ghi ngày điền phiếu."),
            "invalid": _("Ngày không hợp lệ (ngày/tháng/năm)."),
        },
    )

    def __init__(self, *args, questions: list[Question], today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.questions = questions
        for question in questions:
            self.fields[question_field(question.code)] = forms.TypedChoiceField(
                label=question.label,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Vui lòng chọn một mức đánh giá."),
                    "invalid_choice": _("Chọn một mức từ 1 đến 5."),
                },
            )
        self.fields["dossier"] = forms.CharField(
            label=_("Mã hồ sơ (nếu có)"),
            required=False,
            max_length=DOSSIER_CODE_MAX,
            error_messages={"max_length": _("Mã hồ sơ tối đa %(limit_value)d ký tự.")},
        )
        self.fields["comment"] = forms.CharField(
            label=_("Ý kiến khác (nếu có)"),
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def clean_filled_on(self) -> dt.date:
        day = self.cleaned_data["filled_on"]
        if day > self.today:
            raise forms.ValidationError(_("Ngày điền phiếu không được sau hôm nay."))
        if not quarter_open(day, self.today):
            raise forms.ValidationError(
                _("Quý %(quarter)s/%(year)s đã khóa: chỉ nhập phiếu của các quý còn mở."),
                params={"quarter": engine.quarter_of(day), "year": day.year},
            )
        return day

    def question_fields(self) -> list[forms.BoundField]:
        return [self[question_field(q.code)] for q in self.questions]

    def scores(self) -> dict[str, int]:
        return {q.code: self.cleaned_data[question_field(q.code)] for q in self.questions}

    def moment(self) -> dt.datetime:
        """When the paper was filled: now for today's paper, else noon that day (local
        time); the quarter is that of the day."""
        day = self.cleaned_data["filled_on"]
        now = timezone.localtime()
        if day == now.date():
            return now
        return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))

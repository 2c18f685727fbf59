"""Paper questionnaires (phiếu giấy): staff of a desk, or a director above it, type
the answers of a citizen who preferred paper. The response is stored as any other,
marked as paper everywhere, in the quarter of the day the paper was filled."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from commitments import engine
from commitments.templatetags.statuses import period_name
from surveys import services
from surveys.models import Response
from surveys.paper_form import PaperForm, question_field
from surveys.views.staff import desk_for_user, desk_url

# Where a refusal of the service belongs on the form, besides the questions.
REFUSAL_FIELDS = {"dossier": "dossier", "comment": "comment"}


@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request: HttpRequest, code: str) -> HttpResponse:
    """The paper form of a desk. A stored paper goes back to an empty form for the next
    one, with the same day (``?on=``) and a message naming the quarter it counts in;
    a refused one comes back with what was typed and each error next to its field."""
    unit, _roles = desk_for_user(request, code)
    today = timezone.localdate()
    questionnaire = services.questionnaire_ensure(year=today.year)
    questions = list(questionnaire.questions.all())
    if request.method == "POST":
        form = PaperForm(request.POST, questions=questions, today=today)
        if form.is_valid():
            stored = _store(request, unit, form)
            if stored is not None:
                messages.success(
                    request,
                    _(
                        "Đã lưu phiếu giấy #%(number)s, tính vào %(period)s. "
                        "Có thể nhập phiếu tiếp theo."
                    )
                    % {"number": stored.pk, "period": period_name(stored.year, stored.quarter)},
                )
                day = form.cleaned_data["filled_on"].isoformat()
                return redirect(f"{reverse('surveys:paper_entry', args=[unit.code])}?on={day}")
    else:
        form = PaperForm(
            initial={"filled_on": request.GET.get("on") or today.isoformat()},
            questions=questions,
            today=today,
        )
    return render(
        request,
        "surveys/staff_paper.html",
        {
            "unit": unit,
            "form": form,
            "questionnaire": questionnaire,
            "results_url": desk_url(unit, today.year, engine.quarter_of(today)),
        },
        status=400 if form.is_bound else 200,
    )


def _store(request: HttpRequest, unit, form: PaperForm) -> Response | None:
    """Store the paper through the service; a refusal goes onto the form (None)."""
    try:
        return services.response_submit(
            unit=unit,
            answers=services.Answers(
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                dossier_code=form.cleaned_data["dossier"],
            ),
            channel=Response.Channel.PAPER,
            user=request.user,
            when=form.moment(),
        )
    except services.SurveyRefused as refusal:
        for field, message in refusal.errors.items():
            name = REFUSAL_FIELDS.get(field) or question_field(field)
            form.add_error(name if name in form.fields else None, str(message))
        return None

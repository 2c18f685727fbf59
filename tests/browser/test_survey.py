"""The public survey in a real browser on a phone-sized screen: a citizen answers the
demo's one-stop desk in Vietnamese, another in English after the language switch, one
forgets a question and is told which; the desk's figures of the quarter count them and
its satisfaction (4.1) is computed again. Then a tablet enrolled as the desk's kiosk
goes back to a fresh form after an answer."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from commitments.demo import demo_load
from commitments.models import Figure, Status
from surveys import selectors
from surveys.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def choose_everywhere(page, level: str, *, skip: tuple[int, ...] = ()) -> None:
    for number, question in enumerate(page.locator("fieldset.question").all(), start=1):
        if number not in skip:
            question.get_by_text(level, exact=True).click()


def this_quarter() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def counted_this_quarter(unit_code: str) -> tuple[int, int]:
    """The valid responses of the desk this quarter, and of those the satisfied."""
    year, quarter = this_quarter()
    responses = selectors.valid_responses().filter(unit__code=unit_code, year=year, quarter=quarter)
    return responses.count(), responses.filter(satisfied=True).count()


def figures_of_the_quarter(unit_code: str) -> tuple[int, int]:
    year, quarter = this_quarter()
    figures = dict(
        Figure.objects.filter(
            unit__code=unit_code,
            year=year,
            quarter=quarter,
            element__code__in=("survey_responses", "survey_satisfied"),
        ).values_list("element__code", "value")
    )
    return figures.get("survey_responses"), figures.get("survey_satisfied")


def test_citizens_answer_the_one_stop_desk_on_a_phone_in_both_languages(
    phone, live_server, screenshot
):
    demo_load()
    last = Response.objects.order_by("pk").values_list("pk", flat=True).last() or 0
    before = counted_this_quarter("sonn-vp")
    survey = f"{live_server.url}{reverse('surveys:survey', args=['sonn-vp'])}"
    phone.goto(f"{survey}?dossier=000.00.12.H29-0001")
    assert phone.locator("html").get_attribute("lang") == "vi"
    assert "Mã hồ sơ: 000.00.12.H29-0001" in phone.locator("p.dossier").inner_text()
    screenshot(phone, "survey-phone-vi")
    choose_everywhere(phone, "Hài lòng", skip=(3,))
    phone.get_by_role("button", name="Gửi đánh giá").click()
    phone.wait_for_load_state("load")
    assert "Vui lòng chọn một mức đánh giá." in phone.locator("#q-staff").inner_text()
    screenshot(phone, "survey-phone-vi-error")
    phone.locator("#q-staff").get_by_text("Rất hài lòng", exact=True).click()
    phone.get_by_role("button", name="Gửi đánh giá").click()
    phone.wait_for_url("**/thanks/")
    assert "Cảm ơn Ông/Bà đã đánh giá!" in phone.locator("h1").inner_text()
    screenshot(phone, "survey-phone-vi-thanks")

    phone.goto(survey)
    phone.get_by_role("button", name="English").click()
    phone.wait_for_load_state("load")
    assert phone.locator("html").get_attribute("lang") == "en"
    choose_everywhere(phone, "Dissatisfied")
    phone.fill("#comment", "The queue was long.")
    screenshot(phone, "survey-phone-en")
    phone.get_by_role("button", name="Send").click()
    phone.wait_for_url("**/thanks/")
    assert "Thank you for your answers!" in phone.locator("h1").inner_text()

    stored = Response.objects.filter(pk__gt=last).order_by("pk")
    assert [(r.channel, r.overall, r.dossier_code) for r in stored] == [
        ("web", 4, "000.00.12.H29-0001"),
        ("web", 2, ""),
    ]
    # The tally counted them as the desk's figures, and 4.1 followed.
    responses, satisfied = before[0] + 2, before[1] + 1
    assert counted_this_quarter("sonn-vp") == (responses, satisfied)
    assert figures_of_the_quarter("sonn-vp") == (responses, satisfied)
    year, quarter = this_quarter()
    status = Status.objects.get(
        indicator__code="4.1", unit__code="sonn-vp", category="", year=year, quarter=quarter
    )
    assert float(status.value) == pytest.approx(100 * satisfied / responses, abs=0.01)


def test_a_kiosk_goes_back_to_a_fresh_form_after_an_answer(phone, live_server, screenshot):
    demo_load()
    kiosk_answers = Response.objects.filter(unit__code="sonn-vp", channel="kiosk")
    seeded = list(kiosk_answers.values_list("pk", flat=True))  # the demo's own
    enrol = reverse("surveys:kiosk_enrol", args=["sonn-vp"])
    phone.set_viewport_size({"width": 800, "height": 1280})  # a tablet
    phone.goto(f"{live_server.url}{reverse('login')}?next={enrol}")
    phone.fill("input[name=username]", "demo-director")
    phone.fill("input[name=password]", "demo")
    phone.locator("form.login button, .login form button").last.click()
    phone.wait_for_url(f"**{enrol}")
    phone.fill("#kiosk-name", "Quầy 1")
    phone.get_by_role("button", name="Đăng ký máy này làm máy tại quầy").click()
    phone.wait_for_url("**/kiosk/")
    assert "Máy tại quầy: Quầy 1" in phone.locator("p.device").inner_text()
    choose_everywhere(phone, "Rất hài lòng")
    phone.fill("#comment", "Nhanh gọn")
    phone.get_by_role("button", name="Gửi đánh giá").click()
    phone.wait_for_url("**/kiosk/thanks/")
    screenshot(phone, "survey-kiosk-thanks")
    phone.wait_for_url("**/kiosk/", timeout=20_000)  # by itself, after a few seconds
    assert phone.locator("input[type=radio]:checked").count() == 0
    assert phone.locator("#comment").input_value() == ""
    screenshot(phone, "survey-kiosk-fresh")
    assert kiosk_answers.exclude(pk__in=seeded).get().comment == "Nhanh gọn"

"""The signed-in survey pages: who sees which desks, the overview against the target
of each desk's department's sheet, a desk's quarter, voiding with a reason, moderating comments, publishing a
desk's quarter (6.2), the navigation links, and the query budgets (the desks and
people are tests/surveys/conftest.py's ``desks`` and ``people``)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from commitments.models import AuditEntry, Figure, Target
from commitments.views.paging import PER_PAGE
from surveys.models import DeskPublication, Response
from tests import factories
from tests.surveys.conftest import answer

OVERVIEW = "/surveys/"


def desk_url(code="mot-cua", year=2021, quarter=1, action=""):
    url = reverse("surveys:desk_quarter", args=[code, year, quarter])
    return f"{url}{action}/" if action else url


def as_user(client, people, role):
    client.force_login(people[role])
    return client


def figure(unit, element, quarter=1):
    row = Figure.objects.filter(unit=unit, year=2021, quarter=quarter, element__code=element)
    return row.values_list("value", flat=True).first()


def season(desks, *, desk=(10, 9), other=(10, 10), quarter=1):
    """``desk`` and ``other`` as (responses, satisfied) in a quarter of 2021."""
    for unit, (n, satisfied) in ((desks["desk"], desk), (desks["other"], other)):
        for i in range(n):
            answer(unit, 5 if i < satisfied else 2, quarter=quarter)


def cell_of(page, code, quarter):
    """The overview's cell of a desk and quarter (quarter 0: the year)."""
    row = next(r["row"] for r in page.context["rows"] if r["row"].unit.code == code)
    return row.year if quarter == 0 else row.quarters[quarter - 1]


# --- the overview ------------------------------------------------------------------------


def test_overview_judges_each_desk_against_the_years_target(client, desks, people):
    season(desks)  # 9/10 at the desk, 10/10 at the other
    page = as_user(client, people, "director").get(OVERVIEW, {"year": 2021})
    assert page.status_code == 200
    desk, other = cell_of(page, "mot-cua", 1), cell_of(page, "ccts", 1)
    assert (desk.counts.responses, desk.counts.satisfied, desk.status) == (10, 9, "not_met")
    assert (other.counts.responses, other.status) == (10, "met")
    html = page.content.decode()
    # Below target in colour (the cell's class), icon and words (the badge).
    assert re.search(r'class="survey-cell not_met">\s*<div class="cell-head">', html)
    assert '<span class="badge not_met"><span aria-hidden="true" class="icon"></span>Không đạt' in (
        html
    )
    assert "90%" in html and "100%" in html
    assert "≥ 91%" in html
    assert page.context["total"].quarters[0].counts.responses == 20
    assert "0/2 bộ phận đã công bố" in html


def test_the_total_row_counts_the_desks_that_published(client, desks, people):
    season(desks)
    as_user(client, people, "director")
    client.post(desk_url(action="publish"))
    page = client.get(OVERVIEW, {"year": 2021})
    assert [c.published for c in page.context["total"].quarters] == [1, 0, 0, 0]
    assert "1/2 bộ phận đã công bố" in page.content.decode()
    assert cell_of(page, "mot-cua", 1).publication is not None
    assert cell_of(page, "ccts", 1).publication is None


def test_the_target_is_read_from_the_year_not_written_in_the_page(client, desks, people):
    season(desks)
    target = Target.objects.get(indicator__code="4.1", year=2021)
    target.threshold = Decimal("85")
    target.save()
    page = as_user(client, people, "director").get(OVERVIEW, {"year": 2021})
    assert cell_of(page, "mot-cua", 1).status == "met"
    assert "≥ 85%" in page.content.decode()


def test_a_desk_with_a_threshold_of_its_own_is_judged_on_it(client, desks, people):
    desks["other"].sector = "fisheries"
    desks["other"].save()
    target = factories.target("4.1")
    factories.target_override(target, unit_sector="fisheries", threshold=85, comparator=">=")
    season(desks, desk=(10, 9), other=(10, 9))
    page = as_user(client, people, "director").get(OVERVIEW, {"year": 2021})
    assert cell_of(page, "mot-cua", 1).status == "not_met"
    assert cell_of(page, "ccts", 1).status == "met"
    assert "mục tiêu riêng ≥ 85%" in page.content.decode()


def test_each_desk_is_judged_on_the_target_of_its_own_departments_sheet(client, desks, people):
    # Another department signed a sheet of its own, whose 4.1 asks for 85%.
    health, own = factories.department_with_sheet("soyt")
    their_desk = factories.unit("soyt-mc", parent=health, receives_dossiers=True)
    Target.objects.filter(pk=factories.sheet_target(own, "4.1").pk).update(threshold=85)
    season(desks)  # 9/10 at the desk
    for i in range(10):
        answer(their_desk, 5 if i < 9 else 2, quarter=1)
    page = as_user(client, people, "superuser").get(OVERVIEW, {"year": 2021})
    assert cell_of(page, "mot-cua", 1).status == "not_met"  # 90% against the common 91%
    assert cell_of(page, "soyt-mc", 1).status == "met"  # 90% against its own 85%
    # Desks judged on different targets: the page says so, their total is not judged.
    assert page.context["target"] is None and page.context["total"].threshold is None
    html = page.content.decode()
    assert "theo mục tiêu hài lòng (chỉ tiêu 4.1) trong bản đăng ký của sở mình" in html
    assert "mục tiêu riêng ≥ 85%" in html and "mục tiêu riêng ≥ 91%" in html
    # The desk's own page, and its director's overview, judge it on its sheet alone.
    desk_page = client.get(desk_url("soyt-mc"))
    assert (desk_page.context["threshold"], desk_page.context["status"]) == (85, "met")
    client.force_login(factories.director("giamdoc-yte", health))
    page = client.get(OVERVIEW, {"year": 2021})
    assert page.context["target"].threshold == 85
    assert "Mục tiêu: ≥ 85%" in page.content.decode()


def test_91_of_100_meets_on_the_overview(client, desks, people):
    season(desks, desk=(100, 91), other=(0, 0))
    page = as_user(client, people, "director").get(OVERVIEW, {"year": 2021})
    assert cell_of(page, "mot-cua", 1).status == "met"
    assert cell_of(page, "mot-cua", 0).status == "met"  # the year, 2021 ended


def test_overview_counts_flagged_and_pending_and_leaves_voided_out(client, desks, people):
    answer(desks["desk"], 5, comment="Rất tốt")
    for _ in range(3):
        answer(desks["desk"], 5, client_address="203.0.113.7")  # the third is flagged
    voided = answer(desks["desk"], 1)
    Response.objects.filter(pk=voided.pk).update(voided_at=voided.submitted_at)
    page = as_user(client, people, "director").get(OVERVIEW, {"year": 2021})
    counts = cell_of(page, "mot-cua", 1).counts
    assert (counts.responses, counts.flagged, counts.pending, counts.voided) == (4, 1, 1, 1)
    html = page.content.decode()
    assert "1 phiếu gửi dồn dập" in html and "1 ý kiến chờ duyệt" in html


@pytest.mark.parametrize(
    ("role", "codes"),
    [
        ("superuser", ["ccts", "mot-cua"]),
        ("director", ["ccts", "mot-cua"]),
        ("director_other", ["ccts"]),
        ("staff", ["mot-cua"]),
        ("staff_division", []),
        ("director_elsewhere", []),
    ],
)
def test_each_user_sees_the_desks_in_their_scope(client, desks, people, role, codes):
    page = as_user(client, people, role).get(OVERVIEW, {"year": 2021})
    assert [r["row"].unit.code for r in page.context["rows"]] == codes
    if not codes:
        assert "Bạn không phụ trách bộ phận tiếp nhận hồ sơ nào." in page.content.decode()


def test_only_directors_get_the_publish_button(client, desks, people):
    season(desks)
    publish = reverse("surveys:desk_publish", args=["mot-cua", 2021, 1])
    assert (
        publish
        in as_user(client, people, "director").get(OVERVIEW, {"year": 2021}).content.decode()
    )
    client.logout()
    staff_page = as_user(client, people, "staff").get(OVERVIEW, {"year": 2021})
    assert publish not in staff_page.content.decode()


def test_the_overview_needs_a_login(client, desks):
    response = client.get(OVERVIEW)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_year_falls_back_to_this_year(client, desks, people):
    page = as_user(client, people, "director").get(OVERVIEW, {"year": "abc"})
    assert page.status_code == 200
    assert page.context["year"] not in (2021, "abc")


# --- a desk's quarter --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("superuser", 200),
        ("director", 200),
        ("staff", 200),
        ("director_other", 404),  # directs the other desk only
        ("staff_division", 404),
        ("director_elsewhere", 404),  # another department
    ],
)
def test_who_sees_a_desks_quarter(client, desks, people, role, status):
    assert as_user(client, people, role).get(desk_url()).status_code == status


def test_a_unit_without_a_desk_or_a_quarter_not_begun_is_404(client, desks, people):
    as_user(client, people, "director")
    assert client.get(desk_url("pkh")).status_code == 404
    assert client.get(desk_url("khong-co")).status_code == 404
    assert client.get(desk_url(year=2100)).status_code == 404
    assert client.get(reverse("surveys:desk_quarter", args=["mot-cua", 2021, 5])).status_code == 404


def test_the_weakest_aspect_is_marked(client, desks, people):
    for _ in range(4):
        response = answer(desks["desk"], 5, aspects=5)
    # The civil servants' aspect drags the desk down: 2 on the last answer.
    response.answers.filter(question__code="staff").update(score=2)
    page = as_user(client, people, "director").get(desk_url())
    aspects = page.context["aspects"]
    assert [a["code"] for a in aspects if a["weakest"]] == ["staff"]
    staff_row = next(a for a in aspects if a["code"] == "staff")
    assert (staff_row["share"], staff_row["mean"], staff_row["below"]) == (
        Decimal("75.00"),
        Decimal("4.25"),
        True,
    )
    assert aspects[-1]["code"] == "overall"  # the overall question last, apart
    assert "Tiêu chí kéo kết quả xuống nhiều nhất" in page.content.decode()


def test_aspects_tied_at_the_bottom_are_all_marked_and_none_when_all_tie(client, desks, people):
    response = answer(desks["desk"], 5, aspects=5)
    as_user(client, people, "director")
    assert not any(a["weakest"] for a in client.get(desk_url()).context["aspects"])
    response.answers.filter(question__code__in=["staff", "result"]).update(score=3)
    aspects = client.get(desk_url()).context["aspects"]
    assert [a["code"] for a in aspects if a["weakest"]] == ["staff", "result"]


def test_the_responses_list_shows_channel_dossier_flag_and_is_paged(client, desks, people):
    answer(desks["desk"], 4, dossier_code="HS-0001", channel="kiosk")
    for _ in range(55):
        answer(desks["desk"], 5)
    page = as_user(client, people, "director").get(desk_url())
    assert len(page.context["page"].object_list) == 50
    assert page.context["page"].paginator.num_pages == 2
    second = client.get(desk_url(), {"page": 2}).content.decode()
    assert "HS-0001" in second and "Máy tại quầy" in second


def test_flagged_only_lists_the_burst(client, desks, people):
    answer(desks["desk"], 5)
    for _ in range(3):
        last = answer(desks["desk"], 5, client_address="203.0.113.9")
    page = as_user(client, people, "director").get(desk_url(), {"flagged": "1"})
    assert [r.pk for r in page.context["page"].object_list] == [last.pk]


def test_staff_read_their_desk_without_the_directors_forms(client, desks, people):
    answer(desks["desk"], 5, comment="Chờ duyệt")
    page = as_user(client, people, "staff").get(desk_url())
    html = page.content.decode()
    assert 'name="reason"' not in html
    assert "Chờ duyệt" not in html  # a comment not moderated stays with the directors
    assert page.context["decides"] is False


# --- voiding -----------------------------------------------------------------------------


def void(client, response, reason, **extra):
    url = reverse("surveys:response_void", args=["mot-cua", 2021, 1, response.pk])
    return client.post(url, {"reason": reason, **extra})


def test_void_with_a_reason_stops_the_response_counting(
    client, desks, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        keep = answer(desks["desk"], 5)
        spam = answer(desks["desk"], 1)
    assert figure(desks["desk"], "survey_responses") == 2
    as_user(client, people, "director")
    with django_capture_on_commit_callbacks(execute=True):
        done = void(client, spam, "Phiếu thử nghiệm", page="1")
    assert done.status_code == 302
    assert done["Location"] == f"{desk_url()}?page=1"
    spam.refresh_from_db()
    assert spam.voided_at is not None
    assert (spam.voided_by, spam.void_reason) == (people["director"], "Phiếu thử nghiệm")
    assert figure(desks["desk"], "survey_responses") == 1
    assert figure(desks["desk"], "survey_satisfied") == 1
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VOIDED)
    assert (entry.user, entry.note) == (people["director"], "Phiếu thử nghiệm")
    keep.refresh_from_db()
    assert keep.voided_at is None
    page = client.get(desk_url())
    assert "Phiếu thử nghiệm" in page.content.decode()  # the voided, apart, with why
    assert [r.pk for r in page.context["voided"]] == [spam.pk]


def test_void_without_a_reason_is_refused_next_to_the_field(client, desks, people):
    spam = answer(desks["desk"], 1)
    page = void(as_user(client, people, "director"), spam, "   ")
    assert page.status_code == 400
    html = page.content.decode()
    assert f'id="reason-error-{spam.pk}" role="alert">Hãy ghi lý do hủy phiếu.' in html
    assert 'aria-invalid="true"' in html
    spam.refresh_from_db()
    assert spam.voided_at is None
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VOIDED).exists()


def test_voiding_twice_says_so(client, desks, people):
    spam = answer(desks["desk"], 1)
    as_user(client, people, "director")
    void(client, spam, "Trùng")
    again = void(client, spam, "Trùng lần nữa")
    assert again.status_code == 302
    assert "Phiếu này đã bị hủy." in client.get(again["Location"]).content.decode()
    spam.refresh_from_db()
    assert spam.void_reason == "Trùng"


@pytest.mark.parametrize(("role", "status"), [("staff", 403), ("director_other", 404)])
def test_only_a_director_of_the_desk_voids(client, desks, people, role, status):
    spam = answer(desks["desk"], 1)
    assert void(as_user(client, people, role), spam, "Lý do").status_code == status
    spam.refresh_from_db()
    assert spam.voided_at is None


def test_a_response_of_another_quarter_is_not_voided_through_this_one(client, desks, people):
    other_quarter = answer(desks["desk"], 1, quarter=2)
    assert void(as_user(client, people, "director"), other_quarter, "Lý do").status_code == 404


def test_voiding_needs_a_post_with_a_csrf_token(desks, people):
    spam = answer(desks["desk"], 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["director"])
    url = reverse("surveys:response_void", args=["mot-cua", 2021, 1, spam.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"reason": "x"}).status_code == 403
    spam.refresh_from_db()
    assert spam.voided_at is None


# --- moderating comments -----------------------------------------------------------------


def moderate(client, response, action):
    url = reverse("surveys:comment_moderate", args=["mot-cua", 2021, 1, response.pk])
    return client.post(url, {"action": action})


def test_a_director_publishes_or_keeps_a_comment_unpublished(client, desks, people):
    good = answer(desks["desk"], 5, comment="Cán bộ rất nhiệt tình")
    rude = answer(desks["desk"], 1, comment="Lời lẽ không phù hợp")
    as_user(client, people, "director")
    assert moderate(client, good, "publish")["Location"] == f"{desk_url()}#comments"
    moderate(client, rude, "hide")
    good.refresh_from_db()
    rude.refresh_from_db()
    assert (good.comment_state, rude.comment_state) == ("published", "hidden")
    assert AuditEntry.objects.filter(action=AuditEntry.Action.MODERATED).count() == 2
    # Staff now read the published comment, never the hidden one.
    client.force_login(people["staff"])
    html = client.get(desk_url()).content.decode()
    assert "Cán bộ rất nhiệt tình" in html and "Lời lẽ không phù hợp" not in html


def test_moderation_refusals(client, desks, people):
    silent = answer(desks["desk"], 5)
    with_comment = answer(desks["desk"], 5, comment="Tốt")
    as_user(client, people, "director")
    assert moderate(client, with_comment, "delete").status_code == 400
    done = moderate(client, silent, "publish")
    assert "Phiếu này không có ý kiến." in client.get(done["Location"]).content.decode()
    client.force_login(people["staff"])
    assert moderate(client, with_comment, "publish").status_code == 403
    with_comment.refresh_from_db()
    assert with_comment.comment_state == "pending"


# --- publishing a desk's quarter ---------------------------------------------------------


def test_publishing_asks_then_sets_6_2_for_the_desk_and_quarter(
    client, desks, people, django_capture_on_commit_callbacks
):
    season(desks)
    answer(desks["desk"], 5, comment="Chưa duyệt")
    as_user(client, people, "director")
    confirm = client.get(desk_url(action="publish"), {"back": "overview"})
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "1 ý kiến chưa được duyệt sẽ không được công khai." in html
    assert not DeskPublication.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(desk_url(action="publish"), {"back": "overview"})
    assert done["Location"] == f"{OVERVIEW}?year=2021"
    publication = DeskPublication.objects.get()
    assert (publication.unit, publication.year, publication.quarter) == (desks["desk"], 2021, 1)
    assert publication.published_by == people["director"]
    assert figure(desks["desk"], "survey_published") == 1
    assert figure(desks["other"], "survey_published") is None
    assert figure(desks["desk"], "survey_published", quarter=2) is None
    followed = client.get(done["Location"]).content.decode()
    assert "Đã công bố kết quả khảo sát Quý 1/2021 của" in followed


def test_publishing_a_quarter_without_responses_is_refused_with_a_message(client, desks, people):
    as_user(client, people, "director")
    done = client.post(desk_url(quarter=3, action="publish"))
    assert done["Location"] == desk_url(quarter=3)
    assert (
        "Quý này chưa có phiếu hợp lệ nào để công bố."
        in client.get(done["Location"]).content.decode()
    )
    assert not DeskPublication.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("staff", 403), ("director_elsewhere", 404)])
def test_only_a_director_of_the_desk_publishes(client, desks, people, role, status):
    season(desks)
    as_user(client, people, role)
    assert client.get(desk_url(action="publish")).status_code == status
    assert client.post(desk_url(action="publish")).status_code == status
    assert not DeskPublication.objects.exists()


def test_a_change_to_a_published_quarter_asks_to_publish_again(client, desks, people):
    season(desks)
    spam = answer(desks["desk"], 1)
    as_user(client, people, "director")
    client.post(desk_url(action="publish"))
    done = void(client, spam, "Phiếu rác")
    assert "hãy công bố lại" in client.get(done["Location"]).content.decode()


# --- the navigation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "linked"),
    [
        ("superuser", True),
        ("director", True),
        ("staff", True),  # staff of a receiving desk
        ("staff_division", False),  # staff of a unit without a desk
    ],
)
def test_the_navigation_links_the_survey_pages(client, desks, people, role, linked):
    link = f'href="{OVERVIEW}"'
    as_user(client, people, role)
    # (A reviewer's /report/ leads to the review inbox.)
    page = client.get(reverse("commitments:my_reports"), follow=True)
    assert (link in page.content.decode()) is linked
    assert (link in client.get(reverse("commitments:results")).content.decode()) is linked


def test_the_results_page_has_no_survey_link_for_the_public(client, desks):
    assert 'href="/surveys/"' not in client.get(reverse("commitments:results")).content.decode()


# --- query budgets -----------------------------------------------------------------------


def more_desks(desks, count):
    for i in range(count):
        unit = factories.unit(f"quay-{i:02}", parent=desks["department"], receives_dossiers=True)
        for overall in (5, 4, 2):
            answer(unit, overall, quarter=1 + i % 4, comment="Ý kiến" if overall == 2 else "")


@pytest.mark.parametrize("extra", [0, 18])  # 2 desks, then 20
def test_overview_query_budget(client, desks, people, django_assert_max_num_queries, extra):
    more_desks(desks, extra)
    as_user(client, people, "director")
    # Session and user (2), scope (2), years (1), desks (1), the desks' departments (1),
    # their targets and overrides (2), counts (1), publications (1); the frame:
    # permissions (2), the navigation (1).
    with django_assert_max_num_queries(14):
        page = client.get(OVERVIEW, {"year": 2021})
    assert len(page.context["rows"]) == 2 + extra


def test_the_overview_pages_the_desks_and_adds_up_every_one(client, desks, people):
    more_desks(desks, PER_PAGE)  # a page and two more
    as_user(client, people, "director")
    first = client.get(OVERVIEW, {"year": 2021})
    assert len(first.context["rows"]) == PER_PAGE
    second = client.get(OVERVIEW, {"year": 2021, "page": 2})
    assert len(second.context["rows"]) == 2
    assert first.context["page"].paginator.count == PER_PAGE + 2
    # The total counts every desk, whichever page is shown.
    for page in (first, second):
        total = page.context["total"]
        for cell in total.quarters:
            valid = Response.objects.filter(year=2021, quarter=cell.quarter, voided_at=None)
            assert cell.counts.responses == valid.count()
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize("responses", [3, 120])
def test_desk_page_query_budget(client, desks, people, django_assert_max_num_queries, responses):
    for i in range(responses):
        answer(desks["desk"], 5 - i % 3, comment="Góp ý" if i % 4 == 0 else "")
    spam = Response.objects.filter(unit=desks["desk"]).first()
    Response.objects.filter(pk=spam.pk).update(voided_at=spam.submitted_at, void_reason="x")
    as_user(client, people, "director")
    # Session and user (2), scope (2), desk (1), its department (1), target (2), counts
    # (1), results (3), page of responses and its count (2), publications (1), comments
    # (1), voided (1); the frame: permissions (2), the navigation (1).
    with django_assert_max_num_queries(21):
        page = client.get(desk_url())
    assert page.status_code == 200

"""Publishing from the dashboard and the public page ``/results/``: who may publish, what
the dashboard offers, the confirmation page (how many units' reports are approved, the
units behind, the note), what the public sees (published snapshots only, with the
note and the readiness), and the query budgets (the department, A and B are
conftest.py's ``world``)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commitments import selectors, services
from commitments.models import Figure, Publication, QuarterlyReport, Unit
from tests import factories
from tests.commitments.shortcuts import DEPARTMENT, LAND_5_1, LAND_5_1_EN, A, as_role, publish

COMMITMENT_5 = "98% hồ sơ trên từng lĩnh vực giải quyết đúng hạn"
NOTHING_PUBLISHED = "Chưa có kết quả nào được công bố."
Q1 = {"year": 2021, "quarter": 1}


def _post_publish(client, **fields):
    data = {"unit": DEPARTMENT, **Q1, **fields}
    return client.post(reverse("commitments:results_publish"), data)


# --- who may publish ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "published"),
    [
        ("superuser", 302, True),
        ("director_department", 302, True),
        ("director_a", 403, False),  # directs a division, not the department
        ("staff_a", 403, False),
        ("no_membership", 403, False),
        ("anonymous", 302, False),  # to the log-in page
    ],
)
def test_who_may_publish(client, world, role, status, published):
    response = _post_publish(as_role(client, world, role), note="Kết quả quý 1")
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    elif published:
        assert response["Location"] == f"{reverse('commitments:dashboard')}?year=2021&quarter=1"
    assert Publication.objects.exists() == published
    if published:
        publication = Publication.objects.get()
        assert (publication.unit, publication.year, publication.quarter) == (
            world["department"],
            2021,
            1,
        )
        assert publication.published_by == world["users"][role]
        assert publication.note == "Kết quả quý 1"


def test_a_division_cannot_be_published_even_by_its_director(client, world):
    response = _post_publish(as_role(client, world, "director_a"), unit=A)
    assert response.status_code == 403
    assert not Publication.objects.exists()


def test_publishing_is_a_post_with_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["director_department"])
    # A GET only asks for confirmation; no other method is accepted.
    response = client.get(reverse("commitments:results_publish"), {"unit": DEPARTMENT, **Q1})
    assert response.status_code == 200
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert not Publication.objects.exists()
    assert client.options(reverse("commitments:results_publish")).status_code == 405
    assert _post_publish(client).status_code == 403  # no token
    assert not Publication.objects.exists()


def test_the_dashboard_form_tells_a_refusal_and_publishes_nothing(client, world):
    today = timezone.localdate()
    client = as_role(client, world, "director_department")
    response = _post_publish(client, year=today.year, quarter=0)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert f"Năm {today.year} chưa kết thúc" in html
    assert not Publication.objects.exists()


# --- the director's dashboard ------------------------------------------------------------


def test_the_dashboard_offers_publishing_to_the_department_director(client, world):
    html = as_role(client, world, "director_department").get(reverse("commitments:dashboard"), Q1)
    html = html.content.decode()
    # The button asks for the confirmation page, which publishes.
    assert f'<form method="get" action="{reverse("commitments:results_publish")}"' in html
    assert "Công bố kết quả</button>" in html
    assert "Đã công bố lúc" not in html

    response = _post_publish(client, note="")
    html = client.get(response["Location"]).content.decode()
    assert "Đã công bố kết quả của Sở Nông nghiệp và Phát triển nông thôn: Quý 1/2021." in html
    assert "2021-Q1" not in html
    publication = Publication.objects.get()
    when = timezone.localtime(publication.published_at).strftime("%d/%m/%Y %H:%M")
    assert f"Đã công bố lúc {when} bởi Nguyễn giamdoc." in html
    assert "Công bố lại</button>" in html
    # Another period is not published.
    html = client.get(
        reverse("commitments:dashboard"), {"year": 2021, "quarter": 2}
    ).content.decode()
    assert "Đã công bố lúc" not in html


@pytest.mark.parametrize("role", ["director_a", "staff_a"])
def test_the_dashboard_offers_no_publishing_to_others(client, world, role):
    html = as_role(client, world, role).get(reverse("commitments:dashboard"), Q1).content.decode()
    assert reverse("commitments:results_publish") not in html


# --- the public page ---------------------------------------------------------------------


def test_the_public_page_needs_no_login(client, world):
    publish(world, note="Kết quả đã được lãnh đạo Sở thông qua.")
    response = client.get(reverse("commitments:results"))
    assert response.status_code == 200
    html = response.content.decode()
    assert COMMITMENT_5 in html
    assert LAND_5_1 in html
    assert "95,82%" in html and "95,50%" in html and "≥ 96%" in html
    assert '<li class="card not_met">' in html
    assert '<span class="badge not_met"><span aria-hidden="true" class="icon"></span>Không đạt' in (
        html
    )
    assert "Kết quả đã được lãnh đạo Sở thông qua." in html
    publication = Publication.objects.get()
    when = timezone.localtime(publication.published_at).strftime("%d/%m/%Y %H:%M")
    assert f"Công bố lúc {when}." in html
    # Who published it is not shown to the public.
    assert "giamdoc" not in html


def test_every_page_links_to_the_published_results(client, world):
    link = f'<a href="{reverse("commitments:results")}">Kết quả đã công bố</a>'
    assert link in client.get(reverse("login")).content.decode()
    html = as_role(client, world, "staff_a").get(reverse("commitments:dashboard")).content.decode()
    assert link in html


def test_nothing_unpublished_is_shown(client, world):
    factories.figure(world["a"], "dossiers_resolved", 500, category="land", quarter=2)
    factories.figure(world["a"], "dossiers_on_time", 400, category="land", quarter=2)
    services.recompute.statuses_recompute(year=2021)

    html = client.get(reverse("commitments:results")).content.decode()
    assert NOTHING_PUBLISHED in html
    assert COMMITMENT_5 not in html and LAND_5_1 not in html and "95,50%" not in html

    publish(world, quarter=1)
    html = client.get(reverse("commitments:results")).content.decode()
    assert LAND_5_1 in html
    # Q2 has statuses (land 80%) but was never published: not listed, not shown.
    assert "80%" not in html
    assert "quarter=2" not in html
    for period in ({"year": 2021, "quarter": 2}, {"year": 2021, "quarter": 0}):
        response = client.get(reverse("commitments:results"), {"unit": DEPARTMENT, **period})
        assert response.status_code == 404
    # A division's statuses are never published.
    assert client.get(reverse("commitments:results"), {"unit": A, **Q1}).status_code == 404


def test_the_public_page_shows_the_snapshot_until_republished(client, world):
    publish(world)
    Figure.objects.filter(unit=world["a"], element__code="dossiers_on_time").update(value=980)
    services.recompute.statuses_recompute(year=2021)
    # The stored status has changed: land now meets 96%.
    live = {
        s.category: s.status
        for s in selectors.statuses.year_statuses(year=2021, unit=world["department"])
        if s.indicator.code == "5.1" and s.quarter == 1
    }
    assert live["land"] == "met"

    html = client.get(reverse("commitments:results"), {"unit": DEPARTMENT, **Q1}).content.decode()
    assert "95,50%" in html and "95,82%" in html and "98,09%" not in html

    publish(world)
    html = client.get(reverse("commitments:results"), {"unit": DEPARTMENT, **Q1}).content.decode()
    # 980 + 99 of 1,100 on time: 98.09%.
    assert "95,50%" not in html and "95,82%" not in html and "98,09%" in html


def test_the_newest_period_is_shown_first(client, world):
    publish(world, quarter=1)
    factories.figure(world["a"], "dossiers_resolved", 500, category="land", quarter=4)
    factories.figure(world["a"], "dossiers_on_time", 500, category="land", quarter=4)
    services.recompute.statuses_recompute(year=2021)
    # No unit has opened its report of Q2 to Q4: both need a note.
    publish(world, quarter=4, note="Chưa có báo cáo quý 4.")
    publish(world, quarter=0, note="Chưa có báo cáo quý 2 đến quý 4.")
    response = client.get(reverse("commitments:results"))
    selected = response.context["selected"]
    assert (selected.year, selected.quarter) == (2021, 0)
    periods = [(p.year, p.quarter) for p in response.context["departments"][0]["publications"]]
    assert periods == [(2021, 0), (2021, 4), (2021, 1)]
    html = response.content.decode()
    assert html.index("Lũy kế năm 2021") < html.index("Quý 4/2021") < html.index("Quý 1/2021")


def test_names_in_english_with_the_cookie(client, world, settings):
    publish(world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("commitments:results")).content.decode()
    assert LAND_5_1_EN in html
    assert LAND_5_1 not in html
    assert "98% of dossiers in each field resolved on time" in html
    assert "95.82%" in html and "≥ 96%" in html
    assert "Not met</span>" in html


# --- a constant number of queries --------------------------------------------------------


def _many_publications(world, count: int) -> None:
    """``count`` publications of as many departments, each a copy of Q1's snapshot."""
    snapshot = publish(world).snapshot
    departments = Unit.objects.bulk_create(
        Unit(code=f"so-{n}", name=f"Sở {n}", kind="department") for n in range(count - 1)
    )
    Publication.objects.bulk_create(
        Publication(unit=unit, year=2021, quarter=1, published_at=timezone.now(), snapshot=snapshot)
        for unit in departments
    )


# Anonymous: the publications (1) and the one shown (1). Logged in: the session, the
# user and their permissions (4) and the menu's check for the completeness link (1).
RESULTS_BUDGET = {"anonymous": 2, "director_department": 2 + 5}


@pytest.mark.parametrize("count", [2, 20])
@pytest.mark.parametrize("role", list(RESULTS_BUDGET))
def test_query_budget_does_not_grow_with_publications(
    client, world, django_assert_max_num_queries, count, role
):
    _many_publications(world, count)
    client = as_role(client, world, role)
    with django_assert_max_num_queries(RESULTS_BUDGET[role]):
        response = client.get(reverse("commitments:results"))
    assert response.status_code == 200
    assert len(response.context["departments"]) == count


# --- the confirmation page: the period's readiness ---------------------------------------

PUBLISH_NOTE = "Chi cục Chăn nuôi chưa lập báo cáo; công bố theo số liệu đã duyệt."


@pytest.fixture
def behind(world):
    """The world with B's report of Q1 back to a draft and a third unit, C, that never
    opened its report: 1 of 3 units approved."""
    QuarterlyReport.objects.filter(unit=world["b"], quarter=1).update(
        state=QuarterlyReport.State.DRAFT
    )
    c = factories.unit("cc-channuoi", parent=world["department"], name="Chi cục Chăn nuôi")
    Unit.objects.filter(pk=c.pk).update(name_en="Sub-department of Livestock")
    Unit.objects.filter(pk=world["b"].pk).update(name_en="Forest Protection Sub-department")
    return world


def _confirmation(client, **fields):
    return client.get(reverse("commitments:results_publish"), {"unit": DEPARTMENT, **Q1, **fields})


def _missing_units(html: str) -> str:
    start = html.index('<ul class="missing-units">')
    return html[start : html.index("</ul>", start)]


def test_the_confirmation_page_counts_the_reports_and_names_the_units_behind(client, behind):
    response = _confirmation(as_role(client, behind, "director_department"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Công bố kết quả · Sở Nông nghiệp và Phát triển nông thôn · Quý 1/2021" in html
    assert "1/3 đơn vị đã được duyệt báo cáo Quý 1/2021." in html
    counts = response.context["readiness"].quarters[0]
    assert (counts.approved, counts.submitted, counts.being_written, counts.not_started) == (
        1,
        0,
        1,
        1,
    )
    assert '<tr class="approved"><th scope="row"><span class="badge report-approved">' in html
    assert "Đơn vị chưa được duyệt (2)" in html
    missing = _missing_units(html)
    # Not started first, then the draft; A's approved report is not behind.
    assert missing.index("Chi cục Chăn nuôi") < missing.index("Chi cục Kiểm lâm")
    assert "Chưa lập</span>" in missing and "Bản nháp</span>" in missing
    assert "Chi cục Thủy lợi" not in missing
    assert "Ghi chú (bắt buộc khi còn đơn vị chưa được duyệt)" in html
    assert 'method="post"' in html and "Xác nhận công bố</button>" in html
    assert 'maxlength="1000"' in html  # not "1.000", which a browser reads as 1
    assert "2021-Q1" not in html
    assert not Publication.objects.exists()  # looking publishes nothing


def test_the_confirmation_page_in_english(client, behind, settings):
    client = as_role(client, behind, "director_department")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _confirmation(client).content.decode()
    assert "1 of 3 units have their Q1 2021 report approved." in html
    missing = _missing_units(html)
    assert "Sub-department of Livestock" in missing and "Not started</span>" in missing
    assert "Forest Protection Sub-department" in missing and "Draft</span>" in missing
    assert "Chi cục" not in missing


def test_the_confirmation_page_needs_no_note_when_every_report_is_approved(client, world):
    html = _confirmation(as_role(client, world, "director_department")).content.decode()
    assert "2/2 đơn vị đã được duyệt báo cáo Quý 1/2021." in html
    assert "missing-units" not in html
    assert "Ghi chú (không bắt buộc)" in html


def test_the_confirmation_page_of_the_year_counts_each_quarter(client, behind):
    response = _confirmation(as_role(client, behind, "director_department"), quarter=0)
    html = response.content.decode()
    assert "Công bố kết quả · Sở Nông nghiệp và Phát triển nông thôn · Năm 2021" in html
    assert "0/3 đơn vị đã được duyệt báo cáo cả bốn quý năm 2021." in html
    for quarter in (1, 2, 3, 4):
        assert f'<th scope="col" class="num">Quý {quarter}/2021</th>' in html
    readiness = response.context["readiness"]
    assert [(q.approved, q.not_started) for q in readiness.quarters] == [
        (1, 1),
        (0, 3),
        (0, 3),
        (0, 3),
    ]
    # A: approved in Q1 only; the quarters behind are named.
    missing = _missing_units(html)
    assert missing.count("Chi cục Thủy lợi") == 1
    assert '<span class="muted">Quý 2/2021:</span>' in missing


def test_a_period_not_over_cannot_be_confirmed(client, world):
    today = timezone.localdate()
    html = _confirmation(as_role(client, world, "director_department"), year=today.year, quarter=0)
    html = html.content.decode()
    assert "Kỳ này chưa kết thúc: chỉ công bố được kỳ đã kết thúc." in html
    assert "publish-confirm" not in html


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("superuser", 200),
        ("director_department", 200),
        ("director_a", 403),
        ("staff_a", 403),
        ("no_membership", 403),
        ("anonymous", 302),  # to the log-in page
    ],
)
def test_who_may_see_the_confirmation_page(client, world, role, status):
    response = _confirmation(as_role(client, world, role))
    assert response.status_code == status
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"unit": "khong-co"}, 404),
        ({"unit": A}, 403),  # a division is never published
        ({"quarter": "5"}, 404),
        ({"year": "hai"}, 404),
    ],
)
def test_the_confirmation_page_of_what_cannot_be_published(client, world, fields, status):
    response = _confirmation(as_role(client, world, "director_department"), **fields)
    assert response.status_code == status


# --- confirming ---------------------------------------------------------------------------


@pytest.mark.parametrize("note", ["", "  "])
def test_without_a_note_the_form_says_why_next_to_the_note(client, behind, note):
    response = _post_publish(as_role(client, behind, "director_department"), note=note)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<div class="error" id="err_note" role="alert">Còn 2/3 đơn vị chưa được duyệt báo cáo: '
        "hãy ghi chú lý do công bố khi chưa đủ.</div>"
    ) in html
    assert 'aria-invalid="true" aria-describedby="err_note"' in html
    assert "Đơn vị chưa được duyệt (2)" in html  # the page still says who
    assert not Publication.objects.exists()


def test_a_refused_note_is_kept_as_typed(client, behind):
    typed = "Công bố sớm " + "x" * 1000
    response = _post_publish(as_role(client, behind, "director_department"), note=typed)
    html = response.content.decode()
    assert "Ghi chú dài tối đa 1000 ký tự." in html
    assert f">{typed}</textarea>" in html
    assert not Publication.objects.exists()


def test_confirming_with_a_note_publishes_it_with_the_readiness(client, behind, settings):
    client = as_role(client, behind, "director_department")
    response = _post_publish(client, note=PUBLISH_NOTE)
    assert response["Location"] == f"{reverse('commitments:dashboard')}?year=2021&quarter=1"
    html = client.get(response["Location"]).content.decode()
    assert "Đã công bố kết quả của Sở Nông nghiệp và Phát triển nông thôn: Quý 1/2021." in html

    html = Client().get(reverse("commitments:results")).content.decode()
    assert "Công bố khi 1/3 đơn vị đã được duyệt." in html
    assert f'<span class="label">Ghi chú khi công bố:</span> {PUBLISH_NOTE}' in html
    assert "<h2>Sở Nông nghiệp và Phát triển nông thôn · Quý 1/2021</h2>" in html

    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = english.get(reverse("commitments:results")).content.decode()
    assert "Published with 1 of 3 units approved." in html
    assert "Q1 2021" in html


def test_the_public_page_of_a_year_says_all_four_quarters(client, behind):
    publish(behind, quarter=0, note=PUBLISH_NOTE)
    html = client.get(reverse("commitments:results")).content.decode()
    assert "Công bố khi 0/3 đơn vị đã được duyệt cả bốn quý." in html


def test_a_publication_made_before_readiness_was_kept_says_nothing_of_it(client, world):
    publication = publish(world)
    snapshot = {k: v for k, v in publication.snapshot.items() if k != "readiness"}
    Publication.objects.filter(pk=publication.pk).update(snapshot=snapshot)
    html = client.get(reverse("commitments:results")).content.decode()
    assert "Công bố khi" not in html
    assert LAND_5_1 in html


# Session, user (2); the department (1); the user's scope (2: memberships, tree); the
# publication of the period (1); the readiness (3: tree, units, reports); the menu: the
# user's permissions (2) and the check for the completeness link (1).
CONFIRMATION_BUDGET = 12


@pytest.mark.parametrize("count", [2, 40])
def test_query_budget_of_the_confirmation_page(
    client, behind, django_assert_max_num_queries, count
):
    for n in range(count):
        unit = factories.unit(f"dv-{n:03}", parent=behind["department"])
        factories.report(unit, state="draft" if n % 3 else "approved")
    publish(behind, note=PUBLISH_NOTE)
    client = as_role(client, behind, "director_department")
    with django_assert_max_num_queries(CONFIRMATION_BUDGET):
        response = _confirmation(client)
    assert response.status_code == 200
    assert len(response.context["readiness"].units) == count + 3

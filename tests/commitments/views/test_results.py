"""Publishing a period's results (công bố kết quả) and the public page ``/results/``.

The department (Sở) has two receiving units, A and B, with figures of the first quarter
of 2021: A resolved 955 of 1,000 land dossiers on time (95.50%, under the 96% land
must reach), so indicator 5.1 and commitment 5 are not met.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commitments import selectors, services
from commitments.models import AuditEntry, Figure, Membership, Publication, Unit
from tests import factories

DEPARTMENT, A, B = "so-nnptnt", "cc-thuyloi", "cc-kiemlam"
LAND_5_1 = "Tỷ lệ hồ sơ giải quyết đúng hạn trên từng lĩnh vực"
LAND_5_1_EN = "Dossiers resolved on time, in each field"
COMMITMENT_5 = "98% hồ sơ trên từng lĩnh vực giải quyết đúng hạn"
NOTHING_PUBLISHED = "Chưa có kết quả nào được công bố."
Q1 = {"year": 2021, "quarter": 1}


@pytest.fixture
def world(catalogue, django_user_model):
    """The department, A and B with statuses of 2021, and a user per role."""
    department = factories.unit(
        DEPARTMENT, kind="department", name="Sở Nông nghiệp và Phát triển nông thôn"
    )
    a = factories.unit(A, parent=department, receives_dossiers=True, name="Chi cục Thủy lợi")
    b = factories.unit(B, parent=department, receives_dossiers=True, name="Chi cục Kiểm lâm")
    factories.figure(a, "dossiers_resolved", 1000, category="land")
    factories.figure(a, "dossiers_on_time", 955, category="land")
    factories.figure(a, "survey_responses", 10)
    factories.figure(b, "dossiers_resolved", 100, category="crop")
    factories.figure(b, "dossiers_on_time", 99, category="crop")
    services.recompute.statuses_recompute(year=2021)

    def member(name, unit=None, role=None):
        user = django_user_model.objects.create_user(
            name, password="mat-khau-dai-123", first_name="Nguyễn", last_name=name
        )
        if unit is not None:
            Membership.objects.create(user=user, unit=unit, role=role)
        return user

    users = {
        "anonymous": None,
        "no_membership": member("nguoidung"),
        "staff_a": member("chuyenvien-a", a, Membership.Role.STAFF),
        "director_a": member("truongphong-a", a, Membership.Role.DIRECTOR),
        "director_department": member("giamdoc", department, Membership.Role.DIRECTOR),
        "superuser": django_user_model.objects.create_superuser(
            "quantri", password="mat-khau-dai-123"
        ),
    }
    return {"department": department, "a": a, "b": b, "users": users}


def _as(client, world, role):
    client.logout()
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    return client


def _publish(world, *, year=2021, quarter=1, role="director_department", note=""):
    return services.publishing.results_publish(
        department=world["department"],
        year=year,
        quarter=quarter,
        user=world["users"][role],
        note=note,
    )


def _post_publish(client, **fields):
    data = {"unit": DEPARTMENT, **Q1, **fields}
    return client.post(reverse("commitments:results_publish"), data)


# --- who may publish ---------------------------------------------------------------


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
    response = _post_publish(_as(client, world, role), note="Kết quả quý 1")
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
    response = _post_publish(_as(client, world, "director_a"), unit=A)
    assert response.status_code == 403
    assert not Publication.objects.exists()


def test_the_service_refuses_who_may_not(world):
    with pytest.raises(PermissionDenied):
        _publish(world, role="director_a")
    assert not Publication.objects.exists()
    assert not AuditEntry.objects.exists()


def test_publishing_is_a_post_with_a_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["director_department"])
    assert (
        client.get(reverse("commitments:results_publish"), {"unit": DEPARTMENT, **Q1}).status_code
        == 405
    )
    assert _post_publish(client).status_code == 403  # no token
    assert not Publication.objects.exists()


# --- which periods ------------------------------------------------------------------


def test_a_period_is_over_the_day_after_its_last_day():
    ended = selectors.publications.period_ended
    assert not ended(year=2021, quarter=1, today=dt.date(2021, 3, 31))
    assert ended(year=2021, quarter=1, today=dt.date(2021, 4, 1))
    assert not ended(year=2021, quarter=0, today=dt.date(2021, 12, 31))
    assert not ended(year=2021, quarter=0, today=dt.date(2021, 10, 1))  # Q3 is over
    assert ended(year=2021, quarter=0, today=dt.date(2022, 1, 1))


def test_a_quarter_not_over_is_refused(world):
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    with pytest.raises(services.publishing.PublishRefused) as refused:
        _publish(world, year=today.year, quarter=quarter)
    assert str(refused.value) == (
        f"Quý {quarter} năm {today.year} chưa kết thúc: chỉ công bố được kỳ đã kết thúc."
    )
    with pytest.raises(services.publishing.PublishRefused, match=f"Năm {today.year} chưa kết thúc"):
        _publish(world, year=today.year, quarter=0)
    assert not Publication.objects.exists()


def test_the_dashboard_form_tells_a_refusal_and_publishes_nothing(client, world):
    today = timezone.localdate()
    client = _as(client, world, "director_department")
    response = _post_publish(client, year=today.year, quarter=0)
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert f"Năm {today.year} chưa kết thúc" in html
    assert not Publication.objects.exists()


def test_a_period_without_statuses_is_refused(world):
    with pytest.raises(services.publishing.PublishRefused, match="chưa có trạng thái"):
        _publish(world, year=2019, quarter=4)
    assert not Publication.objects.exists()


# --- what is published ---------------------------------------------------------------


def test_the_snapshot_holds_plain_json_and_names_no_person(world):
    publication = _publish(world, note="")
    snapshot = publication.snapshot
    assert json.loads(json.dumps(snapshot)) == snapshot
    assert snapshot["computed_at"]
    commitments = {c["code"]: c for c in snapshot["commitments"]}
    assert commitments["5"]["status"] == "not_met"
    assert commitments["5"]["name_en"].startswith("98% of dossiers in each field")
    land = next(i for i in commitments["5"]["indicators"] if i["code"] == "5.1")
    assert land | {"categories": None} == {
        "code": "5.1",
        "name_vi": LAND_5_1,
        "name_en": LAND_5_1_EN,
        "kind": "ratio",
        "value": land["value"],
        "target": "98.0000",
        "comparator": ">=",
        "status": "not_met",
        "categories": None,
    }
    # 955 + 99 of 1,100 on time.
    assert land["value"] == "95.8181818182"
    assert next(i for i in commitments["5"]["indicators"] if i["code"] == "5.2")["value"] == (
        "0.0000000000"
    )
    assert {c["code"]: (c["value"][:5], c["target"], c["status"]) for c in land["categories"]} == {
        "land": ("95.50", "96.0000", "not_met"),
        "crop": ("99.00", "98.0000", "met"),
    }
    text = json.dumps(snapshot, ensure_ascii=False)
    for user in world["users"].values():
        if user is not None:
            assert user.get_username() not in text
    # The units that miss a coverage condition are not named either.
    assert "Chi cục" not in text


def test_republishing_replaces_the_snapshot_and_both_are_in_the_audit_log(world):
    first = _publish(world, note="Lần đầu")
    Figure.objects.filter(unit=world["a"], element__code="dossiers_on_time").update(value=980)
    services.recompute.statuses_recompute(year=2021)
    second = _publish(world, role="superuser", note="Số liệu đất đai được sửa")
    assert Publication.objects.count() == 1
    assert second.pk == first.pk
    second.refresh_from_db()
    assert second.published_by == world["users"]["superuser"]
    assert second.note == "Số liệu đất đai được sửa"
    indicators = {
        i["code"]: i["status"] for c in second.snapshot["commitments"] for i in c["indicators"]
    }
    assert indicators["5.1"] == "met"

    entries = list(AuditEntry.objects.order_by("pk"))
    assert [(e.subject, e.action, e.user.get_username(), e.note) for e in entries] == [
        ("publication", "published", "giamdoc", "Lần đầu"),
        ("publication", "published", "quantri", "Số liệu đất đai được sửa"),
    ]
    assert all(
        (e.unit, e.year, e.quarter, e.label) == (world["department"], 2021, 1, "2021-Q1")
        for e in entries
    )
    # The first names every status published; the second what changed: land now
    # meets 96%, commitment 5 is still not met (no dialogue in the quarter, 5.2).
    assert ["5", None, "not_met"] in entries[0].changes
    assert ["5.1", None, "not_met"] in entries[0].changes
    assert [key for key, _old, _new in entries[1].changes] == ["computed_at", "5.1"]
    assert entries[1].changes[1] == ["5.1", "not_met", "met"]


# --- the director's dashboard ------------------------------------------------------------


def test_the_dashboard_offers_publishing_to_the_department_director(client, world):
    html = _as(client, world, "director_department").get(reverse("commitments:dashboard"), Q1)
    html = html.content.decode()
    assert f'action="{reverse("commitments:results_publish")}"' in html
    assert "Công bố kết quả</button>" in html
    assert "Đã công bố lúc" not in html

    response = _post_publish(client, note="")
    html = client.get(response["Location"]).content.decode()
    assert "Đã công bố kết quả 2021-Q1 của Sở Nông nghiệp và Phát triển nông thôn." in html
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
    html = _as(client, world, role).get(reverse("commitments:dashboard"), Q1).content.decode()
    assert reverse("commitments:results_publish") not in html


# --- the public page ---------------------------------------------------------------------


def test_the_public_page_needs_no_login(client, world):
    _publish(world, note="Kết quả đã được lãnh đạo Sở thông qua.")
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
    html = _as(client, world, "staff_a").get(reverse("commitments:dashboard")).content.decode()
    assert link in html


def test_nothing_unpublished_is_shown(client, world):
    factories.figure(world["a"], "dossiers_resolved", 500, category="land", quarter=2)
    factories.figure(world["a"], "dossiers_on_time", 400, category="land", quarter=2)
    services.recompute.statuses_recompute(year=2021)

    html = client.get(reverse("commitments:results")).content.decode()
    assert NOTHING_PUBLISHED in html
    assert COMMITMENT_5 not in html and LAND_5_1 not in html and "95,50%" not in html

    _publish(world, quarter=1)
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
    _publish(world)
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

    _publish(world)
    html = client.get(reverse("commitments:results"), {"unit": DEPARTMENT, **Q1}).content.decode()
    # 980 + 99 of 1,100 on time: 98.09%.
    assert "95,50%" not in html and "95,82%" not in html and "98,09%" in html


def test_the_newest_period_is_shown_first(client, world):
    _publish(world, quarter=1)
    factories.figure(world["a"], "dossiers_resolved", 500, category="land", quarter=4)
    factories.figure(world["a"], "dossiers_on_time", 500, category="land", quarter=4)
    services.recompute.statuses_recompute(year=2021)
    _publish(world, quarter=4)
    _publish(world, quarter=0)
    response = client.get(reverse("commitments:results"))
    selected = response.context["selected"]
    assert (selected.year, selected.quarter) == (2021, 0)
    periods = [(p.year, p.quarter) for p in response.context["departments"][0]["publications"]]
    assert periods == [(2021, 0), (2021, 4), (2021, 1)]
    html = response.content.decode()
    assert html.index("Lũy kế năm 2021") < html.index("Quý 4/2021") < html.index("Quý 1/2021")


def test_names_in_english_with_the_cookie(client, world, settings):
    _publish(world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("commitments:results")).content.decode()
    assert LAND_5_1_EN in html
    assert LAND_5_1 not in html
    assert "98% of dossiers in each field resolved on time" in html
    assert "95.82%" in html and "≥ 96%" in html
    assert "Not met</span>" in html


# --- a constant number of queries ------------------------------------------------------------


def _many_publications(world, count: int) -> None:
    """``count`` publications of as many departments, each a copy of Q1's snapshot."""
    snapshot = _publish(world).snapshot
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
    client = _as(client, world, role)
    with django_assert_max_num_queries(RESULTS_BUDGET[role]):
        response = client.get(reverse("commitments:results"))
    assert response.status_code == 200
    assert len(response.context["departments"]) == count

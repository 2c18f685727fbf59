"""The targets pages: who may open them, a year's list and the copy form, editing a target
and its scoped thresholds (each refusal next to its field), the preview of the statuses
an edit would give, and the history of both."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from commitments import services
from commitments.demo import demo_load
from commitments.models import Category, RecomputeState, Sheet, Status, Target, TargetChange
from tests import factories
from tests.commitments.shortcuts import AFTER_2021, overrides_of


@pytest.fixture
def department(catalogue, django_capture_on_commit_callbacks):
    """One receiving desk with land and crop dossiers in Q1 2021, its statuses computed
    (the recompute its figures queued has run, so what a test saves queues its own)."""
    with django_capture_on_commit_callbacks(execute=True):
        department = factories.department()
        desk = factories.unit("vp", parent=department, receives_dossiers=True)
        factories.figure(desk, "dossiers_resolved", 1000, category="land")
        factories.figure(desk, "dossiers_on_time", 955, category="land")
        factories.figure(desk, "dossiers_resolved", 500, category="crop")
        factories.figure(desk, "dossiers_on_time", 495, category="crop")
    return department


def _form_data(target: Target, **changes) -> dict[str, str]:
    """The edit form as the page fills it in, with some fields changed."""
    data = {
        "threshold": "" if target.threshold is None else str(target.threshold.normalize()),
        "comparator": target.comparator,
        "deadline": target.deadline.isoformat() if target.deadline else "",
        "baseline_year": str(target.baseline_year or ""),
        "baseline_value": "" if target.baseline_value is None else str(target.baseline_value),
        "wording": target.wording,
        "note": "",
    }
    overrides = list(target.overrides.select_related("category").order_by("pk"))
    data.update(
        {
            "overrides-TOTAL_FORMS": str(len(overrides) + 1),
            "overrides-INITIAL_FORMS": str(len(overrides)),
            "overrides-MIN_NUM_FORMS": "0",
            "overrides-MAX_NUM_FORMS": "1000",
        }
    )
    for n, override in enumerate(overrides):
        data.update(
            {
                f"overrides-{n}-category": str(override.category_id or ""),
                f"overrides-{n}-unit_kind": override.unit_kind,
                f"overrides-{n}-unit_sector": override.unit_sector,
                f"overrides-{n}-comparator": override.comparator,
                f"overrides-{n}-threshold": str(override.threshold.normalize()),
            }
        )
    # The empty row the page adds, untouched.
    data[f"overrides-{len(overrides)}-comparator"] = ">="
    data.update(changes)
    return data


# --- who may open the pages --------------------------------------------------------------


def _pages() -> list[tuple[str, str]]:
    target = factories.target("5.1")
    return [
        ("get", reverse("commitments:targets")),
        ("get", reverse("commitments:target_edit", args=[target.pk])),
        ("post", reverse("commitments:targets_copy")),
    ]


def test_anonymous_users_are_sent_to_log_in(client, catalogue):
    for method, url in _pages():
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_users_without_the_permission_get_403(client, catalogue):
    director = factories.user("giamdoc")
    client.force_login(director)
    for method, url in _pages():
        assert getattr(client, method)(url).status_code == 403, url
    assert Target.objects.count() == 21


def test_admins_and_users_with_the_permission_open_the_pages(client, catalogue, admin):
    editor = factories.user("bientap", permissions=["change_target"])
    for user in (admin, editor):
        client.force_login(user)
        for method, url in _pages():
            # An empty copy form is refused on the page itself, not by a 403.
            assert getattr(client, method)(url).status_code == 200, (user, url)
        html = client.get(reverse("commitments:dashboard")).content.decode()
        assert f'href="{reverse("commitments:targets")}"' in html  # the link in the menu


def test_the_menu_hides_the_link_from_users_without_the_permission(client, catalogue):
    client.force_login(factories.user("cv", password="mat-khau-123"))
    html = client.get(reverse("commitments:dashboard")).content.decode()
    assert f'href="{reverse("commitments:targets")}"' not in html


# --- the list of a year and the copy form ------------------------------------------------


def test_the_year_lists_targets_by_commitment_with_overrides(client, catalogue, admin):
    client.force_login(admin)

    response = client.get(reverse("commitments:targets"), {"year": 2021})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Mục tiêu năm 2021" in html
    assert "Tỷ lệ hồ sơ giải quyết đúng hạn trên từng lĩnh vực" in html
    assert "Đất đai: ≥ 96%" in html  # the override, by the category's name
    assert "&gt; 95%" in html  # 4.4: "trên 95%"
    assert "31/10/2021" in html  # 1.1's deadline
    codes = [t.indicator.code for g in response.context["commitments"] for t in g["targets"]]
    assert codes[:3] == ["1.1", "2.1", "2.2"] and len(codes) == 21


def test_the_year_page_reads_a_fixed_number_of_queries(
    client, catalogue, admin, django_assert_max_num_queries
):
    client.force_login(admin)
    url = f"{reverse('commitments:targets')}?year=2022"
    services.targets.targets_copy_year(source_year=2021, year=2022, user=admin)
    # The page's reads, and the navigation's count of the reports waiting for review (1).
    budget = 7 + 1
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200
    # More overrides and more history: the same number of queries.
    for target in Target.objects.filter(year=2022):
        factories.target_override(target, unit_kind="division", threshold=50, comparator=">=")
    services.targets.targets_copy_year(source_year=2021, year=2023, user=admin)
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


def test_the_copy_form_prepares_a_year_and_shows_its_history(
    client, catalogue, admin, django_capture_on_commit_callbacks
):
    client.force_login(admin)

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("commitments:targets_copy"), {"source_year": "2021", "year": "2022"}
        )

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('commitments:targets')}?year=2022"
    assert Target.objects.filter(year=2022).count() == 21
    assert callbacks
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Đã sao chép 21 mục tiêu từ năm 2021 sang năm 2022" in html
    assert "Sao chép từ năm khác" in html  # the history of the year
    assert "2021-12-31 → 2022-12-31" in html


def test_the_copy_form_refuses_a_year_with_targets_and_keeps_the_page(client, catalogue, admin):
    client.force_login(admin)

    response = client.post(
        reverse("commitments:targets_copy"), {"source_year": "2021", "year": "2021"}
    )

    assert response.status_code == 200
    assert "Năm 2021 đã có mục tiêu" in response.content.decode()
    assert Target.objects.count() == 21
    assert not TargetChange.objects.exists()


def test_an_empty_year_offers_the_copy(client, catalogue, admin):
    client.force_login(admin)

    response = client.get(reverse("commitments:targets"), {"year": 2027})

    html = response.content.decode()
    assert "Năm 2027 chưa có mục tiêu" in html
    assert response.context["copy_form"].initial == {"source_year": 2021, "year": 2027}


# --- editing a target --------------------------------------------------------------------


def test_saving_a_threshold_records_the_change_and_recomputes(
    client, admin, department, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    target = factories.target("5.1")
    url = reverse("commitments:target_edit", args=[target.pk])

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            url,
            _form_data(target, threshold="98,5", note="Công văn 12/UBND", save="1"),
        )

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('commitments:targets')}?year=2021#t{target.pk}"
    target.refresh_from_db()
    assert target.threshold == Decimal("98.5")
    assert overrides_of(target) == [
        ("investment", "", "", ">=", Decimal(96)),
        ("land", "", "", ">=", Decimal(96)),
    ]
    entry = TargetChange.objects.get()
    assert (entry.action, entry.user, entry.target, entry.year) == ("updated", admin, target, 2021)
    assert entry.changes == {"threshold": ["98", "98.5"]}
    assert entry.note == "Công văn 12/UBND"
    assert callbacks
    # The recompute ran: crop's 99% is now judged against 98.5.
    crop = Status.objects.get(indicator=target.indicator, quarter=1, category="crop",
                              unit__code="sonn")  # fmt: skip
    assert crop.target == Decimal("98.5")
    assert RecomputeState.objects.get(year=2021).computed_at is not None
    html = client.get(response["Location"]).content.decode()
    assert "Đã lưu mục tiêu 5.1 năm 2021" in html
    assert "98 → 98.5" in html


def test_overrides_are_added_changed_and_removed(client, admin, catalogue):
    client.force_login(admin)
    target = factories.target("5.1")
    land = Category.objects.get(code="land")
    investment = Category.objects.get(code="investment")
    data = _form_data(target, save="1")
    by_category = {data[f"overrides-{n}-category"]: n for n in range(2)}
    data[f"overrides-{by_category[str(land.pk)]}-threshold"] = "95"
    data[f"overrides-{by_category[str(investment.pk)]}-DELETE"] = "on"
    data.update(
        {
            "overrides-2-unit_kind": "affiliated_unit",
            "overrides-2-comparator": ">",
            "overrides-2-threshold": "97",
        }
    )

    response = client.post(reverse("commitments:target_edit", args=[target.pk]), data)

    assert response.status_code == 302, response.context["formset"].errors
    assert overrides_of(target) == [
        ("", "affiliated_unit", "", ">", Decimal(97)),
        ("land", "", "", ">=", Decimal(95)),
    ]
    assert TargetChange.objects.get().changes == {
        "overrides": [
            ["investment: >= 96", "land: >= 96"],
            ["affiliated_unit: > 97", "land: >= 95"],
        ]
    }


def test_nothing_changed_writes_nothing(client, admin, catalogue):
    client.force_login(admin)
    target = factories.target("5.1")

    response = client.post(
        reverse("commitments:target_edit", args=[target.pk]), _form_data(target, save="1")
    )

    assert response.status_code == 302
    assert not TargetChange.objects.exists()


def _refused(client, target: Target, **changes):
    """Post the edit form and check that nothing was saved; returns the page's HTML."""
    before = (target.threshold, target.comparator, overrides_of(target))
    response = client.post(
        reverse("commitments:target_edit", args=[target.pk]),
        _form_data(target, save="1", **changes),
    )
    assert response.status_code == 200
    target.refresh_from_db()
    assert (target.threshold, target.comparator, overrides_of(target)) == before
    assert not TargetChange.objects.exists()
    return response


def test_a_threshold_without_comparator_is_refused_next_to_the_comparator(client, admin, catalogue):
    client.force_login(admin)
    target = factories.target("4.1")

    response = _refused(client, target, threshold="92", comparator="")

    form = response.context["form"]
    assert form.errors["comparator"] == ["Ngưỡng và phép so sánh phải cùng có hoặc cùng trống."]
    html = response.content.decode()
    assert 'name="threshold" value="92"' in html  # what was typed stays


def test_a_threshold_that_is_not_a_number_is_refused(client, admin, catalogue):
    client.force_login(admin)
    target = factories.target("4.1")

    response = _refused(client, target, threshold="abc")

    assert response.context["form"].errors["threshold"] == ["Nhập một số, ví dụ 96 hoặc 96,5."]
    assert 'value="abc"' in response.content.decode()


def test_an_override_without_any_condition_is_refused(client, admin, catalogue):
    client.force_login(admin)
    target = factories.target("5.1")
    data = {"overrides-2-threshold": "90", "overrides-2-comparator": ">="}

    response = _refused(client, target, **data)

    row = response.context["formset"].forms[2]
    assert row.errors["category"] == [
        "Ngưỡng riêng cần ít nhất một điều kiện: phân loại, loại đơn vị hoặc lĩnh vực đơn vị."
    ]
    assert 'name="overrides-2-threshold" value="90"' in response.content.decode()


def test_rules_of_the_indicator_kind_are_checked(client, admin, catalogue):
    client.force_login(admin)
    ratio = factories.target("4.1")
    growth = factories.target("4.2")
    tracked = factories.target("8.1")

    assert "threshold" in _refused(client, ratio, threshold="101").context["form"].errors
    assert _refused(client, growth, baseline_year="").context["form"].errors["baseline_year"] == [
        "Chỉ tiêu tăng trưởng cần năm gốc hoặc giá trị năm gốc."
    ]
    assert _refused(client, growth, baseline_year="2021").context["form"].errors[
        "baseline_year"
    ] == ["Năm gốc phải trước năm của mục tiêu."]
    assert "threshold" in (
        _refused(client, tracked, threshold="90", comparator=">=").context["form"].errors
    )


def test_errors_read_in_english_for_an_english_user(client, admin, catalogue, settings):
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    target = factories.target("4.1")

    response = _refused(client, target, threshold="abc")

    assert response.context["form"].errors["threshold"] == ["Enter a number, e.g. 96 or 96.5."]


# --- the preview -------------------------------------------------------------------------


def test_preview_judges_the_current_figures_without_saving(client, db):
    demo_load(as_of=AFTER_2021)
    client.login(username="demo-admin", password="demo")
    target = factories.sheet_target(Sheet.objects.get(year=2021, department__code="sonn"), "5.1")
    stored = list(Status.objects.filter(year=2021).values_list("pk", "status", "target"))
    land = Category.objects.get(code="land")
    data = _form_data(target, preview="1")
    row = next(n for n in range(2) if data[f"overrides-{n}-category"] == str(land.pk))
    data[f"overrides-{row}-threshold"] = "95"

    response = client.post(reverse("commitments:target_edit", args=[target.pk]), data)

    assert response.status_code == 200
    rows = {(r.quarter, r.category): r for r in response.context["preview"]}
    # Q2 land: 1,148 / 1,201 = 95.59%: short of 96, enough for 95; and then every field
    # meets its threshold, so the whole of Q2 is met.
    q2_land = rows[(2, "land")]
    assert (q2_land.before.status, q2_land.after.status) == ("not_met", "met")
    assert (q2_land.before.target, q2_land.after.target) == (Decimal(96), Decimal(95))
    assert (rows[(2, "")].before.status, rows[(2, "")].after.status) == ("not_met", "met")
    assert rows[(2, "crop")].changed is False
    assert rows[(1, "land")].changed and not rows[(1, "land")].status_changed  # 97.31%
    assert response.context["preview_changed"] == 2  # Q2: land and the whole
    assert rows[(0, "")].after.status == "met"
    html = response.content.decode()
    assert "Xem trước (chưa lưu)" in html
    assert "95,59%" in html and "≥ 95%" in html
    # The whole's target says what changed in its fields.
    fields = '<td class="num">từng lĩnh vực ≥ 98% <span class="target-fields">({})</span></td>'
    assert fields.format("Đất đai, Đầu tư ≥\u00a096%") in html
    assert fields.format("Đất đai ≥\u00a095%; Đầu tư ≥\u00a096%") in html
    # Nothing saved: the target, its overrides, the statuses, the history.
    assert overrides_of(target) == [
        ("investment", "", "", ">=", Decimal(96)),
        ("land", "", "", ">=", Decimal(96)),
    ]
    assert list(Status.objects.filter(year=2021).values_list("pk", "status", "target")) == stored
    assert not TargetChange.objects.filter(target=target).exists()
    # What was typed stays in the form for the save.
    assert f'name="overrides-{row}-threshold" value="95"' in html


def test_preview_reads_a_new_baseline_year(client, admin, catalogue):
    """A baseline year no target of the year used yet: its figures are read too."""
    department = factories.department()
    desk = factories.unit("vp", parent=department, receives_dossiers=True)
    for year, online in ((2019, 300), (2020, 500), (2021, 560)):
        factories.figure(desk, "dossiers_received", 1000, year=year, category="land")
        factories.figure(desk, "dossiers_online", online, year=year, category="land")
    client.force_login(admin)
    target = factories.target("4.2")

    response = client.post(
        reverse("commitments:target_edit", args=[target.pk]),
        _form_data(target, baseline_year="2019", preview="1"),
    )

    year = next(r for r in response.context["preview"] if r.quarter == 0)
    # 56% in 2021: +6 points on 2020, +26 on 2019.
    assert (year.before.value, year.after.value) == (Decimal(6), Decimal(26))


def test_preview_shows_the_units_whose_status_changes(client, admin, catalogue, settings):
    """4.1 is judged unit by unit too: the desk at 90% meets "89% or more", not 91."""
    department = factories.department()
    for code, satisfied in (("vp", 90), ("cc", 95)):
        desk = factories.unit(code, parent=department, receives_dossiers=True)
        factories.figure(desk, "survey_responses", 100)
        factories.figure(desk, "survey_satisfied", satisfied)
    client.force_login(admin)
    target = factories.target("4.1")

    response = client.post(
        reverse("commitments:target_edit", args=[target.pk]),
        _form_data(target, threshold="89", preview="1"),
    )

    changed = response.context["unit_changes"]
    assert {(r.unit.code, r.quarter) for r in changed} == {("vp", 1), ("vp", 0)}
    assert all((r.before.status, r.after.status) == ("not_met", "met") for r in changed)
    # The department (92.5%) meets either: its rows are the preview's first table.
    assert not any(r.status_changed for r in response.context["preview"])
    assert response.context["unit_rows"] == 2 * 5  # two desks, four quarters and the year
    html = response.content.decode()
    assert "Số dòng của các đơn vị đổi trạng thái: 2 trên 10 dòng được đánh giá." in html
    assert "Đơn vị vp" in html.split('id="preview-units"')[1]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.post(
        reverse("commitments:target_edit", args=[target.pk]),
        _form_data(target, threshold="89", preview="1"),
    ).content.decode()
    assert "Rows of the units whose status changes: 2 of 10 judged." in html


def test_preview_with_an_error_shows_the_error_and_no_preview(client, admin, catalogue):
    client.force_login(admin)
    target = factories.target("4.1")

    response = client.post(
        reverse("commitments:target_edit", args=[target.pk]),
        _form_data(target, threshold="x", preview="1"),
    )

    assert response.context["preview"] is None
    assert response.context["form"].errors["threshold"]


def test_add_row_adds_an_empty_override_row_without_saving(client, admin, catalogue):
    client.force_login(admin)
    target = factories.target("5.1")

    response = client.post(
        reverse("commitments:target_edit", args=[target.pk]),
        _form_data(target, add_row="1", threshold="97"),
    )

    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 4
    assert 'name="threshold" value="97"' in response.content.decode()
    target.refresh_from_db()
    assert target.threshold == 98

"""Every label in the reader's language: a unit's sector on its page, in the targets'
overrides and their form, the inspected unit offered on a report's evidence form, and
the admin's titles and sections (none of "education", "Trang quản trị cho Django" or
"Axes" left)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from commitments import services
from tests import factories


def _in(client, language):
    if language == "en":
        client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize(("language", "name"), [("vi", "Giáo dục"), ("en", "Education")])
def test_a_units_sector_reads_in_the_readers_language(client, catalogue, admin, language, name):
    school = factories.unit("tr", parent=factories.department(), sector="education")
    services.recompute.statuses_recompute(year=2021)
    _in(client, language).force_login(admin)
    html = client.get(reverse("commitments:unit", args=[school.code])).content.decode()
    assert f" · {name}" in html
    assert "· education" not in html


@pytest.mark.parametrize(("language", "name"), [("vi", "Y tế"), ("en", "Health")])
def test_an_override_by_sector_reads_in_the_readers_language(
    client, catalogue, admin, language, name
):
    factories.unit("bv", parent=factories.department(), sector="health")
    target = factories.target("4.1")
    factories.target_override(target, unit_sector="health", threshold=85, comparator=">=")
    _in(client, language).force_login(admin)
    listing = client.get(reverse("commitments:targets"), {"year": 2021}).content.decode()
    assert f"{name}: ≥ 85%" in listing
    edit = client.get(reverse("commitments:target_edit", args=[target.pk])).content.decode()
    assert f'<option value="health" selected>{name}</option>' in edit


def test_the_inspected_unit_is_offered_in_english_on_an_english_page(client, staff, units):
    units["other"].name_en = "Personnel Division"
    units["other"].save()
    _in(client, "en").force_login(staff)
    html = client.get(
        reverse("commitments:quarterly_report", args=["vp", 2021, 2])
    ).content.decode()
    assert '<option value="ptt">ptt · Personnel Division</option>' in html


@pytest.mark.parametrize(
    ("language", "words", "never"),
    [
        (
            "vi",
            ["Quản trị · Chỉ tiêu cải cách hành chính", "Dữ liệu và cấu hình",
             "Đăng nhập sai và tạm khóa", "Lượt đăng nhập sai", "Ngày nghỉ, ngày làm bù"],
            ["Trang quản trị cho Django", "Site quản trị", ">Axes<", "Access attempts"],
        ),
        (
            "en",
            ["Administration · Administrative reform commitments", "Data and configuration",
             "Failed log-ins and lockouts", "Days off and make-up working days"],
            ["Django administration", ">Axes<", "Cam kết cải cách"],
        ),
    ],
)  # fmt: skip
def test_the_admin_speaks_the_readers_language(admin_client, db, language, words, never):
    html = _in(admin_client, language).get(reverse("admin:index")).content.decode()
    for word in words:
        assert word in html, word
    for word in never:
        assert word not in html, word

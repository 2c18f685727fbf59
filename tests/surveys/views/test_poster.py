"""The printable poster of a desk (A4 or A5) with the QR code of its survey drawn as
SVG on the server, and the QR code alone as an SVG file."""

from __future__ import annotations

import re

import pytest
import segno
from django.urls import reverse

from tests import factories
from tests.surveys.views.conftest import assert_csp_safe

pytestmark = pytest.mark.django_db


def modules_of(url: str) -> str:
    """The drawing of the QR code of ``url`` (its path), to tell which address an SVG
    encodes."""
    return re.search(r' d="([^"]+)"', segno.make(url, error="m").svg_inline())[1]


def poster_url(unit, size=None):
    url = reverse("surveys:poster", args=[unit.code])
    return f"{url}?size={size}" if size else url


@pytest.fixture
def staff_client(client, desks):
    client.force_login(factories.staff("chuyen-vien", desks["desk"]))
    return client


def test_the_poster_names_the_desk_asks_in_both_languages_and_holds_the_qr(staff_client, desks):
    response = staff_client.get(poster_url(desks["desk"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bộ phận Một cửa" in html
    assert "Ông/Bà có hài lòng với việc giải quyết thủ tục hành chính tại đây?" in html
    assert "Are you satisfied with how your procedure was handled here?" in html
    survey = "http://testserver/s/mot-cua/"
    assert re.search(r'<svg viewBox="0 0 (\d+) \1" class="qr"><title>', html)
    assert f"<title>Mã QR của phiếu khảo sát: {survey}</title>" in html
    assert f'<path class="qr-line" stroke="#000" d="{modules_of(survey)}"/>' in html
    assert f'<figcaption class="url">{survey}</figcaption>' in html
    assert 'href="http://testserver/s/mot-cua/results/"' in html
    assert "poster-a5.css" not in html
    assert_csp_safe(html)


def test_the_a5_poster_prints_on_a5(staff_client, desks):
    html = staff_client.get(poster_url(desks["desk"], "a5")).content.decode()
    assert 'class="poster a5"' in html and "css/poster-a5.css" in html
    other = staff_client.get(poster_url(desks["desk"], "a3")).content.decode()
    assert 'class="poster a4"' in other  # an unknown size is A4


def test_the_poster_is_for_users_who_see_the_desk(client, desks):
    url = poster_url(desks["desk"])
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(factories.staff("nguoi-khac", desks["other"]))
    assert client.get(url).status_code == 403
    client.force_login(factories.director("giam-doc", desks["department"]))
    assert client.get(url).status_code == 200
    assert client.get(poster_url(desks["division"])).status_code == 404


def test_the_qr_code_alone_is_a_public_svg_file(client, desks):
    response = client.get(reverse("surveys:qr", args=["mot-cua"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "max-age=86400" in response["Cache-Control"]
    svg = response.content.decode()
    assert svg.startswith(
        '<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"'
    )
    assert f'd="{modules_of("http://testserver/s/mot-cua/")}"' in svg

"""The dossier pages: upload (admins), late dossiers with CSV, reconciliation (directors)."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commitments.models import Category, DataElement
from dossiers import demo, reading, views
from dossiers.models import Dossier
from tests import factories
from tests.dossiers.conftest import HEADER, WORKED


def test_admin_uploads_an_export(client, desk):
    client.force_login(factories.superuser())
    upload = SimpleUploadedFile("d.csv", (HEADER + WORKED).encode())
    response = client.post(reverse("dossiers:upload"), {"file": upload})
    assert response.status_code == 200
    assert "6 hồ sơ" in response.content.decode()
    assert Dossier.objects.count() == 6


def test_a_bad_upload_lists_every_bad_row_and_writes_nothing(client, desk):
    client.force_login(factories.superuser())
    bad = WORKED + "HS-9,nowhere,land,TT-01,online,2021-01-04,2021-01-15,,0,in_progress,\n"
    upload = SimpleUploadedFile("d.csv", (HEADER + bad).encode())
    html = client.post(reverse("dossiers:upload"), {"file": upload}).content.decode()
    assert "unknown unit &#x27;nowhere&#x27;" in html
    assert not Dossier.objects.exists()


def test_the_upload_page_lists_every_column_the_reader_takes(client, db):
    client.force_login(factories.superuser())
    html = client.get(reverse("dossiers:upload")).content.decode()
    for column, headers in reading.COLUMNS.items():
        assert f"<code>{column}</code>" in html
        for header in headers:
            assert header[:1].upper() + header[1:] in html
    for value in (*reading.CHANNELS, *reading.STATUSES):
        assert f"<code>{value}</code>" in html
    assert reverse("dossiers:example") in html
    assert set(views.COLUMN_HELP) == set(reading.COLUMNS)


def test_the_example_file_is_the_demos_export_and_reads_as_the_format(client, db):
    client.force_login(factories.superuser())
    response = client.get(reverse("dossiers:example"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    assert text == demo.EXPORT.read_text(encoding="utf-8")
    assert text.splitlines()[0].split(",") == list(reading.COLUMNS)


def test_only_admins_download_the_example(client, desk):
    client.force_login(factories.staff("chuyenvien", desk))
    assert client.get(reverse("dossiers:example")).status_code == 403


def test_only_admins_upload(client, desk):
    client.force_login(factories.staff("chuyenvien", desk))
    assert client.get(reverse("dossiers:upload")).status_code == 403


def test_late_dossiers_page_and_csv(client, imported, desk):
    client.force_login(factories.director("giamdoc", desk.parent))
    url = reverse("dossiers:late", args=[desk.code, 2021, 1])
    html = client.get(url, {"field": "land"}).content.decode()
    assert "HS-2" in html and "HS-6" in html and "HS-1" not in html
    csv_text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    lines = csv_text.splitlines()
    assert lines[0].startswith("kind,code,procedure")
    assert lines[1].startswith("resolved_late,HS-2,TT-01,land,")
    assert lines[1].endswith(",2")
    assert lines[2].startswith("open_overdue,HS-6,")


def test_late_dossiers_name_their_field_in_the_readers_language(client, imported, desk):
    land = Category.objects.get(code="land")
    client.force_login(factories.director("giamdoc", desk.parent))
    url = reverse("dossiers:late", args=[desk.code, 2021, 1])
    row = _row_of(client.get(url).content.decode(), "HS-2")
    assert f"<td>{land.name_vi}</td>" in row and "<td>land</td>" not in row
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    row = _row_of(client.get(url).content.decode(), "HS-2")
    assert f"<td>{land.name_en}</td>" in row
    assert land.name_en and land.name_en != land.name_vi


def _row_of(html: str, code: str) -> str:
    start = html.index(f"<code>{code}</code>")
    return html[start : html.index("</tr>", start)]


def test_late_dossiers_of_an_unseen_unit_are_404(client, imported, desk):
    other = factories.unit("khac")
    client.force_login(factories.staff("khac", other))
    assert client.get(reverse("dossiers:late", args=[desk.code, 2021, 1])).status_code == 404


def test_unit_and_indicator_pages_link_to_late_dossiers(client, imported, desk):
    client.force_login(factories.superuser())
    late = reverse("dossiers:late", args=[desk.code, 2021, 1])
    unit_page = client.get(reverse("commitments:unit", args=[desk.code]), {"year": 2021})
    assert late in unit_page.content.decode()


def test_director_sees_the_reconciliation(client, desk, write_file):
    from dossiers.services import dossiers_import

    factories.figure(desk, "dossiers_received", 9, category="land")
    dossiers_import(path=write_file("d.csv", HEADER + WORKED))
    client.force_login(factories.director("giamdoc", desk.parent))
    html = client.get(reverse("dossiers:reconciliation"), {"year": 2021}).content.decode()
    assert ">9<" in html and ">3<" in html
    # The element and the field by their names in the reader's language, not their codes.
    received = DataElement.objects.get(code="dossiers_received")
    land = Category.objects.get(code="land")
    assert f"<td>{received.name_vi}</td><td>{land.name_vi}</td>" in html
    client.force_login(factories.staff("chuyenvien", desk))
    assert client.get(reverse("dossiers:reconciliation")).status_code == 403


def test_a_desk_links_to_its_late_dossiers_of_the_quarter_or_of_each_quarter():
    from django.utils import translation

    from dossiers.templatetags.dossiers import late_links

    with translation.override("vi"):
        assert late_links("desk-1", 2021, 2) == (
            '<span class="late-links">Hồ sơ trễ hạn: '
            '<a href="/dossiers/late/desk-1/2021/2/">quý 2</a></span>\n'
        )
    with translation.override("en"):
        year = late_links("desk-1", 2021, 0)
    assert year.count("<a ") == 4 and year.count(" · ") == 3
    assert '<a href="/dossiers/late/desk-1/2021/4/">Q4</a></span>' in year


def test_the_late_links_written_once_a_period_are_each_units_own():
    """The links of a period are written once and the unit's code put in: each unit's
    links are still those reverse() gives it, in the active language, and a code that
    is not a plain slug is written the long way, escaped."""
    from django.utils import translation

    from dossiers.templatetags.dossiers import late_links

    for language, word in (("vi", "quý"), ("en", "Q")):
        with translation.override(language):
            for code in ("desk-1", "desk-2", "a_b-3"):
                for quarter in (0, 3):
                    links = late_links(code, 2022, quarter)
                    for q in (1, 2, 3, 4) if quarter == 0 else (quarter,):
                        href = reverse("dossiers:late", args=[code, 2022, q])
                        assert f'<a href="{href}">{word}' in links
                    assert "PLACEHOLDER" not in links
            odd = late_links('d<"&>', 2022, 1)
            assert "d%3C%22&amp;%3E" in odd and '<"' not in odd
    # Served under a prefix (SCRIPT_NAME), the links are the prefix's.
    from django.urls import get_script_prefix, set_script_prefix

    before = get_script_prefix()
    set_script_prefix("/cchc/")
    try:
        assert 'href="/cchc/dossiers/late/desk-1/2022/3/"' in late_links("desk-1", 2022, 3)
    finally:
        set_script_prefix(before)
    assert 'href="/dossiers/late/desk-1/2022/3/"' in late_links("desk-1", 2022, 3)

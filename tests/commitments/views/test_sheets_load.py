"""Loading a department's sheet from a file on the sheets page (``views.sheets``): an
admin uploads a CSV or XLSX file and lands on the new sheet, or reads every problem
of the file by its line next to the form, nothing loaded; nobody else may load one
(403); each sheet downloads as the file that loads it again."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from commitments import services
from commitments.models import Sheet, Target
from tests import factories

STNMT = Path(settings.BASE_DIR) / "commitments" / "data" / "stnmt-2021.csv"
LOAD = reverse("commitments:sheet_load")


@pytest.fixture
def stnmt(catalogue):
    return factories.unit("stnmt", kind="department", name="Sở Tài nguyên và Môi trường")


def upload(content: bytes, name: str = "stnmt-2021.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def post(client, content: bytes, name: str = "stnmt-2021.csv", *, follow=False, **fields):
    data = {"file": upload(content, name), "department": "stnmt", "year": "2021", **fields}
    return client.post(LOAD, data, follow=follow)


def test_the_admin_loads_a_sheet_and_lands_on_it(client, stnmt, admin):
    client.force_login(admin)
    page = client.get(reverse("commitments:sheets"))
    assert page.context["load_form"] is not None
    assert 'action="/sheets/load/"' in page.content.decode()

    response = post(client, STNMT.read_bytes(), follow=True)

    sheet = Sheet.objects.get(department=stnmt, year=2021)
    assert response.redirect_chain == [(reverse("commitments:sheet", args=[sheet.pk]), 302)]
    html = response.content.decode()
    assert (
        "Đã nạp bản đăng ký năm 2021 của Sở Tài nguyên và Môi trường từ tệp stnmt-2021.csv: "
        "4 cam kết, 5 chỉ tiêu."
    ) in html
    assert "Tỷ lệ hồ sơ tiếp nhận và xử lý trực tuyến" in html
    assert "97% hồ sơ trên từng lĩnh vực" in html


def test_a_bad_file_shows_every_problem_by_its_line_and_loads_nothing(client, stnmt, admin):
    client.force_login(admin)
    text = STNMT.read_text(encoding="utf-8")
    bad = text.replace(",90,>=,", ",90,<=,").replace("desks-surveyed", "desks-surveyd")

    response = post(client, bad.encode(), name="sai.csv")

    assert response.status_code == 400
    assert response.context["problems"] == [
        (
            5,
            "comparator",
            "'<=' không phải phép so sánh của bảng lời văn: dùng >= (từ … trở lên, ít nhất, "
            "tăng, X%) hoặc > (trên X%).",
        ),
        (
            10,
            "definition",
            "Không có định nghĩa 'desks-surveyd': không có trong danh mục, cũng không được mô "
            "tả trong tệp.",
        ),
    ]
    html = response.content.decode()
    assert "Tệp sai.csv: 2 lỗi, không có gì được nạp." in html
    assert '<td class="num">10</td><td><code>definition</code></td>' in html
    assert not Sheet.objects.filter(department=stnmt).exists()


def test_the_problems_read_in_english_for_an_english_reader(client, stnmt, admin):
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = post(client, STNMT.read_bytes().replace(b"quarter+year", b"month", 1))

    assert response.context["problems"] == [
        (5, "periods", "'month' is not one of year, quarter, quarter+year")
    ]
    assert "stnmt-2021.csv: 1 problem, nothing was loaded." in response.content.decode()


def test_an_xlsx_file_loads_and_a_sheet_of_the_year_is_replaced_only_when_asked(
    client, stnmt, admin
):
    client.force_login(admin)
    workbook = Workbook()
    with STNMT.open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            workbook.active.append(row)
    content = io.BytesIO()
    workbook.save(content)
    xlsx = content.getvalue()

    assert post(client, xlsx, name="stnmt.xlsx").status_code == 302
    again = post(client, xlsx, name="stnmt.xlsx")
    assert again.status_code == 400
    assert again.context["problems"] == [
        (
            0,
            "year",
            "stnmt đã có bản đăng ký năm 2021: hãy chọn thay thế (--replace) để nạp tệp này "
            "thay cho bản đang lưu.",
        )
    ]
    raised = STNMT.read_text(encoding="utf-8").replace(",90,>=,", ",92,>=,")
    replaced = post(client, raised.encode(), replace="on", follow=True)
    assert "Đã thay bản đăng ký năm 2021" in replaced.content.decode()
    assert (
        Target.objects.get(indicator__sheet__department=stnmt, indicator__code="4.1").threshold
        == 92
    )
    # The words still say 90%: the page warns of it, as the sheet page does.
    assert "nêu khác mục tiêu đã đặt" in replaced.content.decode()


def test_a_file_that_is_not_csv_or_xlsx_is_refused_by_the_form(client, stnmt, admin):
    client.force_login(admin)

    response = post(client, b"%PDF-1.4", name="sheet.pdf")

    assert response.status_code == 400
    assert response.context["load_form"].errors == {"file": ["Chỉ nhận tệp CSV hoặc XLSX."]}


def test_nobody_but_an_admin_of_targets_loads_a_sheet(client, stnmt):
    director = factories.director("giamdoc-tnmt", stnmt)
    staff = factories.staff("chuyenvien-tnmt", factories.unit("stnmt-vp", parent=stnmt))
    content = STNMT.read_bytes()

    assert post(client, content).status_code == 302  # to the log-in page
    assert "/accounts/login/" in post(client, content).url
    for user in (director, staff):
        client.force_login(user)
        assert post(client, content).status_code == 403
        page = client.get(reverse("commitments:sheets"))
        assert page.context["load_form"] is None
        assert "/sheets/load/" not in page.content.decode()
    assert not Sheet.objects.filter(department=stnmt).exists()
    # An admin of targets who is no superuser may.
    editor = factories.user("bientap", permissions=["change_target"])
    client.force_login(editor)
    assert post(client, content).status_code == 302


def test_a_sheet_downloads_as_the_file_that_loads_it(client, stnmt, admin):
    sheet = services.sheet_files.sheet_load(path=STNMT, department="stnmt", year=2021).sheet
    client.force_login(factories.director("giamdoc-tnmt", stnmt))

    response = client.get(reverse("commitments:sheet_download", args=[sheet.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="stnmt-2021.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufefftype,code,commitment,")
    written = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    given = [row for row in csv.DictReader(io.StringIO(STNMT.read_text(encoding="utf-8")))]
    assert written == [
        {column: row[column] for column in written[0]}
        for row in given
        if row["type"] != "definition"
    ]
    # Another department's director: as if it did not exist.
    other = factories.unit("sonn", kind="department")
    client.force_login(factories.director("giamdoc", other))
    assert client.get(reverse("commitments:sheet_download", args=[sheet.pk])).status_code == 404

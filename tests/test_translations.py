"""The English catalogue: complete, compiled, and used once a user picks English.

The source strings are Vietnamese; locale/en gives the English interface."""

from __future__ import annotations

import ast
import gettext
import re
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from commitments import engine
from commitments.models import Indicator, Status
from commitments.templatetags.statuses import status_value

LOCALE = Path(settings.BASE_DIR) / "locale"
EN_PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"

# One entry: its comment lines (#, flags, #: references), an optional msgctxt, then
# msgid and msgstr, each a quoted string possibly continued on the following lines.
_ENTRY = re.compile(
    r'(?P<comments>(?:^#.*\n)*)(?:^msgctxt (?P<msgctxt>"(?:.*)"\n))?'
    r'^msgid (?P<msgid>"(?:.*)"\n(?:"(?:.*)"\n)*)'
    r'^msgstr (?P<msgstr>"(?:.*)"\n(?:"(?:.*)"\n)*)',
    re.MULTILINE,
)
_PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]|%%")


def _unquote(block: str) -> str:
    return "".join(ast.literal_eval(line) for line in block.splitlines())


def _entries(path: Path) -> list[tuple[str, str, str]]:
    """(msgid, msgstr, comments) of every entry but the header; an entry with a context
    is keyed as gettext keys it, ``context\x04msgid``."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    entries = []
    for m in _ENTRY.finditer(text):
        msgid = _unquote(m["msgid"])
        if m["msgctxt"]:
            msgid = f"{_unquote(m['msgctxt'])}\x04{msgid}"
        entries.append((msgid, _unquote(m["msgstr"]), m["comments"]))
    return [entry for entry in entries if entry[0]]


def test_every_english_string_is_translated_and_not_fuzzy():
    entries = _entries(EN_PO)
    assert len(entries) > 100, "the catalogue looks truncated"
    untranslated = [msgid for msgid, msgstr, _ in entries if not msgstr.strip()]
    fuzzy = [
        msgid for msgid, _, comments in entries if re.search(r"^#,.*\bfuzzy\b", comments, re.M)
    ]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    assert "#, fuzzy" not in EN_PO.read_text(encoding="utf-8")


def _named_placeholders(text: str) -> list[str]:
    return sorted(p for p in _PLACEHOLDER.findall(text) if p != "%%")


def test_english_translations_keep_their_named_placeholders():
    for msgid, msgstr, _ in _entries(EN_PO):
        assert _named_placeholders(msgid) == _named_placeholders(msgstr), msgid


def test_english_plural_forms_header():
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in EN_PO.read_text(encoding="utf-8")


@pytest.mark.parametrize("language", ["en", "vi"])
def test_compiled_catalogues_are_committed_and_current(language):
    """The .mo files ship with the code, so a machine without gettext has them; the
    English one holds every translation of the .po."""
    mo = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert mo.is_file()
    if language == "en":
        with mo.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for msgid, msgstr, _ in _entries(EN_PO):
            assert compiled.gettext(msgid) == msgstr, f"django.mo is stale: {msgid}"


def test_labels_translate_to_english():
    with translation.override("en"):
        assert str(Status.Value.MET.label) == "Met"
        assert str(Status.Value.NOT_MET.label) == "Not met"
        assert str(Status.Value.AT_RISK.label) == "At risk"
        assert str(Status.Value.NO_DATA.label) == "No data"
        assert str(Indicator._meta.verbose_name) == "indicator"
        assert str(Indicator._meta.verbose_name_plural) == "indicators"
        assert str(Indicator.Source.EVIDENCE.label) == "Evidence"
    with translation.override("vi"):
        assert str(Status.Value.MET.label) == "Đạt"


def test_percentage_points_read_as_pp_in_english():
    status = SimpleNamespace(
        value=Decimal("6.2222"), indicator=SimpleNamespace(kind=engine.GROWTH_POINTS)
    )
    with translation.override("en"):
        assert status_value(status) == "+6.22 pp"
    with translation.override("vi"):
        assert status_value(status) == "+6,22 điểm %"


def test_login_page_in_english_with_the_language_cookie(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("login")).content.decode()
    assert "Log in" in html
    assert "Username" in html and "Password" in html
    assert "Đăng nhập" not in html


def test_login_page_in_vietnamese_without_the_cookie(client, db):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Đăng nhập" in html
    assert "Log in" not in html


def test_login_page_is_vietnamese_first(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()

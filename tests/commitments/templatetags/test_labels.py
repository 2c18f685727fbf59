"""Codes in the reader's language (``templatetags.labels``, ``models.sector_name``): a
unit's sector reads "Giáo dục" or "Education", never "education"."""

from __future__ import annotations

import pytest
from django.utils import translation

from commitments.models import SECTOR_NAMES, Unit, sector_name
from commitments.templatetags import labels


@pytest.mark.parametrize(
    ("code", "vi", "en"),
    [
        ("agriculture", "Nông nghiệp", "Agriculture"),
        ("education", "Giáo dục", "Education"),
        ("health", "Y tế", "Health"),
        ("fisheries", "Thủy sản", "Fisheries"),
    ],
)
def test_a_known_sector_reads_in_each_language(code, vi, en):
    with translation.override("vi"):
        assert sector_name(code) == vi
        assert Unit(sector=code).sector_label == vi
    with translation.override("en"):
        assert labels.sector_name(code) == en


def test_every_sector_has_an_english_name():
    with translation.override("vi"):
        vietnamese = {code: sector_name(code) for code in SECTOR_NAMES}
    with translation.override("en"):
        english = {code: sector_name(code) for code in SECTOR_NAMES}
    assert [code for code in SECTOR_NAMES if english[code] == vietnamese[code]] == []


def test_an_unknown_sector_reads_as_its_code_and_none_as_nothing():
    assert sector_name("aquaculture-hcm") == "aquaculture-hcm"
    assert labels.sector_name("") == ""

"""The signed words of a target (lời văn đã ký): the comparator and number they state,
whether the target says the same, and the years they name moved to another year.

Pure: text in, plain values out. DOMAIN.md, "Wording decides the comparator":

=====================================================  ==========================
words                                                  read as
=====================================================  ==========================
"từ 91% trở lên", "ít nhất 30%", "ít nhất 05 đơn vị"   ``>=`` the number
"tăng 3%", "đạt 98%", "98% hồ sơ", "100%"              ``>=`` the number
"trên 95%", "hơn 95%", "vượt 95%"                      ``>`` the number
"định kỳ 03 tháng/lần"                                 ``>=`` 1 (once a period)
"dưới 5%" / "không quá 5%", "tối đa 5%"                ``<`` / ``<=`` (no target can
                                                       say it: always a mismatch)
=====================================================  ==========================

A number is read only where such words announce it: "Cổng thông tin 1022", "TCVN ISO
9001:2015" and the date "ngày 01 tháng 11 năm 2021" state no target. Words in
parentheses state an exception ("riêng đối với lĩnh vực đất đai và đầu tư đạt từ 96%
trở lên"), which a scoped threshold of the target must say. For a coverage indicator,
"ít nhất một sáng kiến" without a percent is what each unit must have: every unit
(``>= 100``) with at least that many.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from commitments.engine.types import COVERAGE, GE, GT

LT = "<"
LE = "<="

# Numbers as words, after "ít nhất" ("ít nhất một sáng kiến").
_NUMBER_WORDS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}
# A number word before a year is the year's ("năm 2021"), not a number.
_NUMBER = r"\d+(?:[.,]\d+)?|(?:" + "|".join(_NUMBER_WORDS) + r")(?!\s*\d)"

# Each pattern with the comparator it states ({n}: the number, {pct}: an optional "%").
# The earliest match in the text wins, and at one place the first pattern listed, so
# "từ 91% trở lên" is read whole before "91%" alone could be.
_PATTERNS = [
    (GE, r"\btừ\s+{n}{pct}\s*trở\s+lên"),
    (GE, r"\b(?:ít\s+nhất|tối\s+thiểu|không\s+(?:thấp|ít)\s+hơn|không\s+dưới)\s+{n}{pct}"),
    (LE, r"\b(?:không\s+quá|tối\s+đa|không\s+vượt\s+quá)\s+{n}{pct}"),
    (GT, r"\b(?:trên|hơn|vượt)\s+{n}{pct}"),
    (LT, r"\bdưới\s+{n}{pct}"),
    (GE, r"\btăng\s+{n}{pct}"),
    # "định kỳ 03 tháng/lần": once in every period of that length.
    (GE, r"(?<![\w/])(?P<n{i}>\d+)\s*tháng\s*/\s*lần"),
    # A percentage alone: "đạt 98%", "100% bộ phận".
    (GE, r"(?<![\w.,/:])(?P<n{i}>\d+(?:[.,]\d+)?)\s*(?P<pct{i}>%)"),
]
_SCANNER = re.compile(
    "|".join(
        f"(?P<p{i}>"
        + pattern.replace("{n}", f"(?P<n{i}>{_NUMBER})")
        .replace("{pct}", rf"\s*(?P<pct{i}>%)?")
        .replace("{i}", str(i))
        + ")"
        for i, (_, pattern) in enumerate(_PATTERNS)
    ),
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SignedTarget:
    """One comparator and number the signed words state, with the words themselves
    (``phrase``); ``aside`` when they stand in parentheses (an exception)."""

    comparator: str
    number: Decimal
    percent: bool
    phrase: str
    aside: bool = False


@dataclass(frozen=True)
class WordingMismatch:
    """What the signed words say that the target does not: ``what`` is ``"target"``
    (its threshold or comparator), ``"tracked"`` (the words state a number, the target
    judges nothing), ``"override"`` (an exception no scoped threshold says) or
    ``"condition"`` (what each unit must have, for a coverage indicator)."""

    what: str
    phrase: str
    comparator: str
    number: Decimal


def read_signed_targets(words: str) -> list[SignedTarget]:
    """Every comparator and number the words state, in their order."""
    found = []
    for match in _SCANNER.finditer(words or ""):
        i = next(n for n in range(len(_PATTERNS)) if match.group(f"p{n}") is not None)
        phrase = match.group(0).strip()
        number = _number(match.group(f"n{i}"))
        if "tháng" in phrase.lower():
            number = Decimal(1)  # once in each period of so many months
        percent = f"pct{i}" in _SCANNER.groupindex and match.group(f"pct{i}") == "%"
        aside = _inside_parentheses(words, match.start())
        found.append(SignedTarget(_PATTERNS[i][0], number, percent, phrase, aside))
    return found


def wording_mismatches(
    words: str,
    *,
    kind: str,
    threshold: Decimal | None,
    comparator: str | None,
    overrides: Iterable[tuple[Decimal, str]] = (),
    condition_min: int = 1,
) -> list[WordingMismatch]:
    """Where the target (``threshold``, ``comparator``, its scoped thresholds as
    ``(threshold, comparator)`` pairs, and for a coverage indicator each unit's
    ``condition_min``) says otherwise than its signed words. Empty when they agree,
    or when the words state no number (nothing to check)."""
    signed = read_signed_targets(words)
    main = next((s for s in signed if not s.aside), None)
    mismatches = []
    if main is not None:
        expected = (main.comparator, main.number)
        if kind == COVERAGE and not main.percent:
            # "ít nhất một sáng kiến": what each unit must have; every unit must.
            if Decimal(condition_min) != main.number:
                mismatches.append(WordingMismatch("condition", main.phrase, *expected))
            expected = (GE, Decimal(100))
        if threshold is None:
            mismatches.append(WordingMismatch("tracked", main.phrase, *expected))
        elif (comparator, Decimal(threshold)) != expected:
            mismatches.append(WordingMismatch("target", main.phrase, *expected))
    scoped = {(c, Decimal(t)) for t, c in overrides}
    for aside in (s for s in signed if s.aside):
        if (aside.comparator, aside.number) not in scoped:
            mismatches.append(
                WordingMismatch("override", aside.phrase, aside.comparator, aside.number)
            )
    return mismatches


def _number(text: str) -> Decimal:
    word = text.lower()
    if word in _NUMBER_WORDS:
        return Decimal(_NUMBER_WORDS[word])
    return Decimal(text.replace(",", "."))


def _inside_parentheses(text: str, position: int) -> bool:
    before = text[:position]
    return before.count("(") > before.count(")")


# A year the words name (2021), alone or as the year of a date (01/11/2021); never part
# of a number, a document's number (42/2022/NĐ-CP), a standard (9001:2015) or a span
# of years (2021-2025).
_YEAR = re.compile(
    r"(?<![\d/:.,\-\u2013])(?P<date>\d{1,2}/\d{1,2}/)?(?P<year>\d{4})(?![\d/:\-\u2013]|[.,]\d)"
)


def shift_years(text: str, *, year: int, by: int) -> str:
    """The words of a sheet of ``year`` told of the year ``by`` years later: each year
    they name around it (the year before, the year itself and the year after: "so với
    năm 2020", "trước ngày 01/11/2021", "đến ngày 31/01/2022") moves by ``by``; any
    other year is left as written."""

    def moved(match: re.Match) -> str:
        named = int(match.group("year"))
        if not year - 1 <= named <= year + 1:
            return match.group(0)
        return f"{match.group('date') or ''}{named + by}"

    return _YEAR.sub(moved, text or "")

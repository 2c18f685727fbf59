"""One cell of a sheet file read as a value, its problem added to the row's errors as
``line N: column: reason`` (in the active language)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext

from commitments.models import DataElement
from commitments.sheet_file.columns import COMPARATORS, INDICATOR_CODE, SLUG
from commitments.tabular import Row


def code_cell(row: Row, column: str, pattern: re.Pattern, model, errors: list[str]) -> str | None:
    value = row.values[column]
    limit = model._meta.get_field("code").max_length
    if not value:
        errors.append(row.error(column, gettext("Trống.")))
    elif not pattern.match(value):
        errors.append(row.error(column, not_a_code(value, dots=pattern is INDICATOR_CODE)))
    elif len(value) > limit:
        errors.append(row.error(column, too_long(limit)))
    else:
        return value
    return None


def names_cells(row: Row, model, errors: list[str]) -> tuple[str, str]:
    if not row.values["name_vi"]:
        errors.append(row.error("name_vi", gettext("Trống.")))
    return text_cell(row, "name_vi", model, errors), text_cell(row, "name_en", model, errors)


def text_cell(row: Row, column: str, model, errors: list[str]) -> str:
    value = row.values[column]
    limit = model._meta.get_field(column).max_length
    if len(value) > limit:
        errors.append(row.error(column, too_long(limit)))
    return value


def decimal_cell(row: Row, column: str, model, errors: list[str]) -> Decimal | None:
    """A number that fits the model's field (e.g. 96, 96.5), or None when empty."""
    text = row.values[column]
    if not text:
        return None
    model_field = model._meta.get_field(column)
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        reason = gettext("%(value)r không phải một số như 96 hoặc 96.5.") % {"value": text}
        errors.append(row.error(column, reason))
        return None
    places = max(0, -number.as_tuple().exponent)
    digits = len(str(abs(int(number)))) if int(number) else 0
    if (
        places > model_field.decimal_places
        or digits > model_field.max_digits - model_field.decimal_places
    ):
        reason = gettext(
            "%(value)r quá dài: tối đa %(digits)s chữ số, %(places)s chữ số thập phân."
        )
        values = {
            "value": text,
            "digits": model_field.max_digits - model_field.decimal_places,
            "places": model_field.decimal_places,
        }
        errors.append(row.error(column, reason % values))
        return None
    return number


def comparator_cell(row: Row, errors: list[str]) -> str | None:
    """The comparator given ("" for none), or None when it is not one of the table's."""
    text = row.values["comparator"]
    if text and text not in COMPARATORS:
        reason = gettext(
            "%(value)r không phải phép so sánh của bảng lời văn: dùng >= (từ … trở lên, ít "
            "nhất, tăng, X%%) hoặc > (trên X%%)."
        )
        errors.append(row.error("comparator", reason % {"value": text}))
        return None
    return COMPARATORS.get(text, "")


def flag_cell(row: Row, column: str, problems: list[str], *, empty: bool | None = False):
    value = row.values[column]
    if not value:
        return empty
    if value not in ("0", "1"):
        reason = gettext("%(value)r phải là 0 hoặc 1.") % {"value": value}
        problems.append(row.error(column, reason))
    return value == "1"


def whole_cell(row: Row, column: str, problems: list[str], *, default: int | None = None):
    value = row.values[column]
    if not value:
        return default
    if not value.isdigit() or len(value) > 9:
        reason = gettext("%(value)r không phải số nguyên không âm.") % {"value": value}
        problems.append(row.error(column, reason))
        return default
    return int(value)


def words_cell(row: Row, column: str, problems: list[str], *, choices=None) -> list[str]:
    """Codes separated by spaces or commas ("division affiliated_unit")."""
    words = [w for w in re.split(r"[\s,;]+", row.values[column]) if w]
    for word in words:
        if choices is not None and word not in choices:
            problems.append(row.error(column, not_one_of(word, choices)))
        elif not SLUG.match(word):
            problems.append(row.error(column, not_a_code(word)))
    return words


def elements_of(measure: Mapping[str, object]) -> list[DataElement]:
    return [measure[k] for k in ("numerator", "denominator", "element") if measure.get(k)]


def shown(value: object) -> str:
    if isinstance(value, list):
        return " ".join(value) or "—"
    if value is None or value == "":
        return "—"
    return str(value)


def not_one_of(value: str, choices: Iterable[str]) -> str:
    return gettext("%(value)r không phải một trong: %(choices)s.") % {
        "value": value,
        "choices": ", ".join(c for c in choices if c),
    }


def not_a_code(value: str, *, dots: bool = False) -> str:
    if dots:
        reason = gettext("%(value)r không phải một mã: chỉ gồm chữ, số, dấu chấm, - và _.")
    else:
        reason = gettext("%(value)r không phải một mã: chỉ gồm chữ, số, - và _.")
    return reason % {"value": value}


def too_long(limit: int) -> str:
    return gettext("Dài quá %(max)s ký tự.") % {"max": limit}


def no_version(code: str, year: int) -> str:
    return gettext("Định nghĩa %(code)s chưa có phiên bản áp dụng năm %(year)s.") % {
        "code": code,
        "year": year,
    }

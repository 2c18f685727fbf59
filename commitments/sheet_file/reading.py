"""A sheet file's rows read into a checked plan of the sheet: each row on its own,
then the sheet as a whole (what the indicators and overrides name, the comparator the
signed words state), and the warnings where the words state another target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext

from commitments import engine
from commitments.models import (
    Category,
    Commitment,
    DefinitionVersion,
    EvidenceKind,
    Indicator,
    IndicatorDefinition,
    Target,
    TargetOverride,
    Unit,
)
from commitments.models.catalogue import MEASURE_FIELDS, Measure
from commitments.sheet_file.cells import (
    code_cell,
    comparator_cell,
    decimal_cell,
    elements_of,
    flag_cell,
    names_cells,
    no_version,
    not_a_code,
    not_one_of,
    shown,
    text_cell,
    whole_cell,
    words_cell,
)
from commitments.sheet_file.columns import (
    COMMITMENT,
    DEFINITION,
    GROWTH,
    INDICATOR,
    INDICATOR_CODE,
    PERIODS,
    SLUG,
    TYPES,
    USES,
    CommitmentLine,
    DefinitionLine,
    IndicatorLine,
    Known,
    OverrideLine,
    SheetPlan,
)
from commitments.tabular import Row
from commitments.templatetags.sheets import wording_warning


def sheet_plan(rows: Iterable[Row], known: Known, errors: list[str]) -> SheetPlan:
    """The sheet the rows describe, checked row by row and then as a whole against
    ``known``; every problem is added to ``errors`` as ``line N: column: reason``."""
    plan = SheetPlan()
    overrides: list[OverrideLine] = []
    for row in rows:
        kind = row.values["type"]
        if kind not in TYPES:
            errors.append(row.error("type", not_one_of(kind, TYPES)))
            continue
        errors.extend(
            row.error(column, gettext("Dòng %(type)s không dùng cột này.") % {"type": kind})
            for column, value in row.values.items()
            if value and column not in USES[kind]
        )
        if kind == COMMITMENT:
            _commitment_read(row, plan, errors)
        elif kind == DEFINITION:
            _definition_read(row, plan, known, errors)
        elif kind == INDICATOR:
            _indicator_read(row, plan, known, errors)
        else:
            overrides.append(_override_read(row, known, errors))
    _references_check(plan, known, errors)
    _overrides_attach(plan, overrides, known, errors)
    for line in plan.indicators.values():
        _comparator_settle(line, errors)
        plan.warnings.extend(_wording_warnings(line))
    if not plan.commitments and not errors:
        errors.append(Row(1, {}).error("type", gettext("Tệp không có cam kết nào.")))
    return plan


# ---------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------


def _commitment_read(row: Row, plan: SheetPlan, errors: list[str]) -> None:
    code = code_cell(row, "code", SLUG, Commitment, errors)
    names = names_cells(row, Commitment, errors)
    if code is None:
        return
    if code in plan.commitments:
        previous = plan.commitments[code].line
        errors.append(
            row.error(
                "code",
                gettext("Cam kết %(code)s đã có ở dòng %(line)s.")
                % {"code": code, "line": previous},
            )
        )
        return
    plan.commitments[code] = CommitmentLine(row.line, code, *names)


def _definition_read(row: Row, plan: SheetPlan, known: Known, errors: list[str]) -> None:
    code = code_cell(row, "code", SLUG, IndicatorDefinition, errors)
    names = names_cells(row, IndicatorDefinition, errors)
    measure = _measure_read(row, known, errors)
    if code is None or measure is None:
        return
    if code in plan.definitions:
        previous = plan.definitions[code].line
        errors.append(
            row.error(
                "code",
                gettext("Định nghĩa %(code)s đã có ở dòng %(line)s.")
                % {"code": code, "line": previous},
            )
        )
        return
    line = DefinitionLine(row.line, code, *names, measure)
    if code in known.definitions:
        line.stored = _stored_same(row, code, measure, known, errors)
    plan.definitions[code] = line


def _measure_read(row: Row, known: Known, errors: list[str]) -> dict[str, object] | None:
    """A definition row's measure, field by field (elements as stored instances);
    None when some part of it is wrong (its problems added to ``errors``)."""
    v, problems = row.values, []

    def choice(column: str, choices: Iterable[str], default: str = "") -> str:
        value = v[column] or default
        if not value and "" not in choices:
            problems.append(row.error(column, gettext("Trống.")))
        elif value not in choices:
            problems.append(row.error(column, not_one_of(value, choices)))
        return value

    kind = choice("kind", Measure.Kind.values)
    default_source = engine.MILESTONES if kind == engine.MILESTONE else engine.FIGURES
    measure: dict[str, object] = {
        "kind": kind,
        "source": choice("source", Measure.Source.values, default_source),
        "level": choice("level", Measure.Level.values, engine.LEVEL_DEPARTMENT),
        "coverage_rule": choice("coverage_rule", ["", *Measure.CoverageRule.values]),
        "evidence_kind": choice("evidence_kind", ["", *EvidenceKind.values]),
        "per_category": flag_cell(row, "per_category", problems),
        "distinct_subjects": flag_cell(row, "distinct_subjects", problems),
        "scope_public_service": flag_cell(row, "scope_public_service", problems, empty=None),
        "scope_receives_dossiers": flag_cell(row, "scope_receives_dossiers", problems, empty=None),
        "scope_kinds": words_cell(row, "scope_kinds", problems, choices=Unit.Kind.values),
        "scope_sectors": words_cell(row, "scope_sectors", problems),
        "condition_min": whole_cell(row, "condition_min", problems, default=1),
    }
    for column in ("numerator", "denominator", "element"):
        measure[column] = known.elements.get(v[column]) if v[column] else None
        if v[column] and measure[column] is None:
            reason = gettext("Không có yếu tố dữ liệu %(code)r.") % {"code": v[column]}
            problems.append(row.error(column, reason))
    if not problems:
        problems += _measure_problems(row, measure)
    errors.extend(problems)
    return None if problems else measure


def _measure_problems(row: Row, measure: dict[str, object]) -> list[str]:
    """What the measure lacks for its kind (the models' own check), and a judgement
    per category that the elements cannot give."""
    version = DefinitionVersion(**measure)
    problems = [
        row.error(column, str(reason)) for column, reason in version.measure_errors().items()
    ]
    if measure["per_category"]:
        split = {e.category_kind for e in elements_of(measure)}
        if split in (set(), {""}):
            reason = gettext(
                "Các yếu tố dữ liệu của định nghĩa không chia theo phân loại nào: không thể "
                "đánh giá từng phân loại."
            )
            problems.append(row.error("per_category", reason))
        elif len(split) > 1:
            reason = gettext("Các yếu tố dữ liệu của định nghĩa chia theo các phân loại khác nhau.")
            problems.append(row.error("per_category", reason))
    return problems


def _stored_same(
    row: Row, code: str, measure: dict[str, object], known: Known, errors: list[str]
) -> DefinitionVersion | None:
    """The stored definition of that code, when it measures as the row says in the
    sheet's year: the file describes it again (a sheet written out, loaded twice)."""
    _definition, version = known.definitions[code]
    if version is None:
        errors.append(row.error("code", no_version(code, known.year)))
        return None
    for name in MEASURE_FIELDS:
        stored, given = getattr(version, name), measure[name]
        if isinstance(stored, list):
            stored, given = sorted(stored), sorted(given)
        if stored != given:
            reason = gettext(
                "Định nghĩa %(code)s đã có trong danh mục với cách đo khác (%(field)s: "
                "%(stored)s, không phải %(given)s): hãy dùng định nghĩa đó mà không mô tả "
                "lại, hoặc đặt mã khác cho định nghĩa mới."
            )
            values = {"code": code, "field": name, "stored": shown(stored), "given": shown(given)}
            errors.append(row.error(name, reason % values))
            return None
    return version


def _indicator_read(row: Row, plan: SheetPlan, known: Known, errors: list[str]) -> None:
    v = row.values
    code = code_cell(row, "code", INDICATOR_CODE, Indicator, errors)
    name_vi, name_en = names_cells(row, Indicator, errors)
    fields: dict[str, object] = {"name_vi": name_vi, "name_en": name_en}
    for column in ("short_name_vi", "short_name_en"):
        fields[column] = text_cell(row, column, Indicator, errors)
    periods = v["periods"] or "year"
    if periods not in PERIODS:
        errors.append(row.error("periods", not_one_of(periods, PERIODS)))
    fields["quarterly"], fields["yearly"] = PERIODS.get(periods, (False, True))
    for column in ("commitment", "definition"):
        if not v[column]:
            errors.append(row.error(column, gettext("Trống.")))
    target = _target_read(row, known, errors)
    if code is None:
        return
    if code in plan.indicators:
        previous = plan.indicators[code].line
        reason = gettext("Chỉ tiêu %(code)s đã có ở dòng %(line)s.")
        errors.append(row.error("code", reason % {"code": code, "line": previous}))
        return
    line = IndicatorLine(row.line, code, v["commitment"], v["definition"], fields, target)
    line.threshold_given = bool(v["threshold"])
    plan.indicators[code] = line


def _target_read(row: Row, known: Known, errors: list[str]) -> dict[str, object]:
    """The target's fields as the row gives them (its comparator checked later, with
    its indicator's overrides and words)."""
    v = row.values
    target: dict[str, object] = {
        "threshold": decimal_cell(row, "threshold", Target, errors),
        "comparator": comparator_cell(row, errors),
        "wording": text_cell(row, "wording", Target, errors),
        "baseline_value": decimal_cell(row, "baseline_value", Target, errors),
        "deadline": None,
        "baseline_year": None,
    }
    if v["deadline"]:
        try:
            target["deadline"] = dt.date.fromisoformat(v["deadline"])
        except ValueError:
            reason = gettext("%(value)r không phải ngày dạng 2021-11-30.")
            errors.append(row.error("deadline", reason % {"value": v["deadline"]}))
    if v["baseline_year"]:
        year = whole_cell(row, "baseline_year", errors)
        if year is not None and not 2000 <= year < known.year:
            reason = gettext("%(value)r không phải một năm trước năm %(year)s.")
            errors.append(row.error("baseline_year", reason % {"value": year, "year": known.year}))
        target["baseline_year"] = year
    return target


def _override_read(row: Row, known: Known, errors: list[str]) -> OverrideLine:
    v, problems = row.values, []
    if not v["indicator"]:
        problems.append(row.error("indicator", gettext("Trống.")))
    category = known.categories.get(v["category"]) if v["category"] else None
    if v["category"] and category is None:
        reason = gettext("Không có phân loại %(code)r.") % {"code": v["category"]}
        problems.append(row.error("category", reason))
    if v["unit_kind"] and v["unit_kind"] not in Unit.Kind.values:
        problems.append(row.error("unit_kind", not_one_of(v["unit_kind"], Unit.Kind.values)))
    if v["unit_sector"] and not SLUG.match(v["unit_sector"]):
        problems.append(row.error("unit_sector", not_a_code(v["unit_sector"])))
    if not (v["category"] or v["unit_kind"] or v["unit_sector"]):
        reason = gettext(
            "Ngưỡng riêng cần một phân loại, một loại đơn vị hoặc một lĩnh vực đơn vị."
        )
        problems.append(row.error("category", reason))
    threshold = decimal_cell(row, "threshold", TargetOverride, problems)
    if not v["threshold"]:
        problems.append(row.error("threshold", gettext("Trống.")))
    comparator = comparator_cell(row, problems)
    errors.extend(problems)
    return OverrideLine(
        row.line,
        v["indicator"],
        category,
        v["unit_kind"],
        v["unit_sector"],
        threshold,
        comparator or "",
        valid=not problems,
    )


# ---------------------------------------------------------------------------
# The sheet as a whole
# ---------------------------------------------------------------------------


def _references_check(plan: SheetPlan, known: Known, errors: list[str]) -> None:
    """Each indicator's commitment is in the file and its definition stored (with a
    version in force that year) or described in the file; its measure is read, and
    its target checked against it."""
    for line in plan.indicators.values():
        row = Row(line.line, {})
        if line.commitment and line.commitment not in plan.commitments:
            reason = gettext("Không có cam kết %(code)r trong tệp.") % {"code": line.commitment}
            errors.append(row.error("commitment", reason))
        measure = _measure_of(line.definition, plan, known)
        if measure is None:
            if line.definition in known.definitions:
                errors.append(row.error("definition", no_version(line.definition, known.year)))
            elif line.definition:
                reason = gettext(
                    "Không có định nghĩa %(code)r: không có trong danh mục, cũng không được "
                    "mô tả trong tệp."
                )
                errors.append(row.error("definition", reason % {"code": line.definition}))
            continue
        line.measure = measure
        if line.target["baseline_year"] is None and line.target["baseline_value"] is None:
            if measure["kind"] in GROWTH:
                line.target["baseline_year"] = known.year - 1  # năm gốc: the year before
        elif measure["kind"] not in GROWTH:
            reason = gettext("Chỉ chỉ tiêu tăng trưởng mới có năm gốc.")
            column = (
                "baseline_year" if line.target["baseline_year"] is not None else "baseline_value"
            )
            errors.append(row.error(column, reason))


def _measure_of(code: str, plan: SheetPlan, known: Known) -> dict[str, object] | None:
    """The measure of a definition: the file's, else its stored version in force."""
    if code in plan.definitions:
        return plan.definitions[code].measure
    _definition, version = known.definitions.get(code, (None, None))
    if version is None:
        return None
    return {name: getattr(version, name) for name in MEASURE_FIELDS}


def _overrides_attach(
    plan: SheetPlan, overrides: list[OverrideLine], known: Known, errors: list[str]
) -> None:
    """Each override to its indicator, which must be in the file, judge something
    (a threshold) and, for a category, be judged per category on elements split by
    that kind of category."""
    seen: dict[tuple, int] = {}
    for override in overrides:
        row = Row(override.line, {})
        indicator = plan.indicators.get(override.indicator)
        if indicator is None and override.indicator:
            reason = gettext("Không có chỉ tiêu %(code)r trong tệp.") % {"code": override.indicator}
            errors.append(row.error("indicator", reason))
        if indicator is None or not override.valid:
            continue
        key = (override.indicator, override.conditions)
        if key in seen:
            reason = gettext("Ngưỡng riêng này của chỉ tiêu %(code)s đã có ở dòng %(line)s.")
            errors.append(
                row.error("category", reason % {"code": indicator.code, "line": seen[key]})
            )
            continue
        seen[key] = override.line
        if indicator.target["threshold"] is None:
            reason = gettext(
                "Chỉ tiêu %(code)s chỉ theo dõi (không có ngưỡng): không có ngưỡng riêng."
            )
            errors.append(row.error("indicator", reason % {"code": indicator.code}))
            continue
        if override.category is not None and indicator.measure:
            problem = _category_problem(override.category, indicator)
            if problem:
                errors.append(row.error("category", problem))
                continue
        indicator.overrides.append(override)


def _category_problem(category: Category, indicator: IndicatorLine) -> str:
    """Why an override for ``category`` would never apply to the indicator ("" when
    it would): the indicator is not judged per category, or its definition's
    elements are not split by that kind of category."""
    measure = indicator.measure
    if not measure["per_category"]:
        return gettext(
            "Chỉ tiêu %(code)s không được đánh giá theo từng phân loại: ngưỡng riêng theo "
            "phân loại sẽ không bao giờ được áp dụng."
        ) % {"code": indicator.code}
    split = {e.category_kind for e in elements_of(measure)}
    if category.kind not in split:
        return gettext(
            "Định nghĩa %(definition)s không biết phân loại %(category)s: số liệu của nó chia "
            "theo %(split)s."
        ) % {
            "definition": indicator.definition,
            "category": category.code,
            "split": ", ".join(str(Category.Kind(kind).label) for kind in sorted(split) if kind),
        }
    return ""


def _comparator_settle(line: IndicatorLine, errors: list[str]) -> None:
    """The target's comparator: the one given, else the one its signed words state
    (DOMAIN.md's table); an override without one takes the target's. A comparator
    needs a threshold: without one the indicator is tracked."""
    target, row = line.target, Row(line.line, {})
    if target["comparator"] is None:
        return  # not one of the table's: already said
    if target["threshold"] is None:
        if target["comparator"] and not line.threshold_given:
            reason = gettext(
                "Có phép so sánh nhưng không có ngưỡng: chỉ tiêu không có ngưỡng chỉ được theo dõi."
            )
            errors.append(row.error("comparator", reason))
        target["comparator"] = ""
        return
    if not target["comparator"]:
        signed = next(
            (s for s in engine.read_signed_targets(target["wording"]) if not s.aside), None
        )
        if signed is None:
            reason = gettext(
                "Trống, và lời văn đã ký không nêu phép so sánh nào: hãy ghi >= hoặc >."
            )
            errors.append(row.error("comparator", reason))
            return
        if signed.comparator not in (engine.GE, engine.GT):
            reason = gettext(
                "Lời văn đã ký «%(phrase)s» nêu %(sign)s, điều mà không mục tiêu nào nói được "
                "(chỉ >= hoặc >)."
            )
            errors.append(
                row.error(
                    "comparator", reason % {"phrase": signed.phrase, "sign": signed.comparator}
                )
            )
            return
        target["comparator"] = signed.comparator
    for override in line.overrides:
        override.comparator = override.comparator or target["comparator"]


def _wording_warnings(line: IndicatorLine) -> list[str]:
    """Where the target says otherwise than its signed words, as the targets page
    warns of it; nothing to check until the indicator's measure and comparator are
    known."""
    target = line.target
    unsettled = target["threshold"] is not None and not target["comparator"]
    if not line.measure or not target["wording"] or unsettled:
        return []
    indicator = Indicator(kind=line.measure["kind"], condition_min=line.measure["condition_min"])
    stored = Target(threshold=target["threshold"], comparator=target["comparator"])
    mismatches = engine.wording_mismatches(
        target["wording"],
        kind=indicator.kind,
        threshold=target["threshold"],
        comparator=target["comparator"] or None,
        overrides=[(o.threshold, o.comparator) for o in line.overrides],
        condition_min=indicator.condition_min,
    )
    prefix = gettext("cảnh báo")
    return [
        Row(line.line, {}).error("wording", f"{prefix}: {wording_warning(m, stored, indicator)}")
        for m in mismatches
    ]

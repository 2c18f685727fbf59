"""How a signed sheet reads: where a target says otherwise than its signed words, why a
commitment waits for review, and the version of its definition an indicator uses, in
the reader's language."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from commitments import engine
from commitments.models import DefinitionVersion, Indicator, Target
from commitments.templatetags.statuses import comparator_sign, value_text

register = template.Library()

SIGNS = {"<=": "≤", "<": "<"}


def _signed(comparator: str, number: Decimal, kind: str) -> str:
    """What the words say, e.g. "≥ 91%", "> 95%", "≥ 5", "≤ 5%"."""
    return f"{SIGNS.get(comparator) or comparator_sign(comparator)} {value_text(number, kind)}"


@register.simple_tag
def wording_warning(mismatch: engine.WordingMismatch, target: Target, indicator: Indicator) -> str:
    """One place where a target says otherwise than its signed words, as a sentence:
    «từ 91% trở lên» nghĩa là ≥ 91%, nhưng mục tiêu đặt ≥ 93%."""
    kind = indicator.kind
    signed = _signed(mismatch.comparator, mismatch.number, kind)
    values = {"phrase": mismatch.phrase, "signed": signed}
    if mismatch.what == "condition":
        values["signed"] = value_text(mismatch.number, engine.COUNT)
        values["set"] = value_text(Decimal(indicator.condition_min), engine.COUNT)
        return (
            _(
                "Lời văn đã ký «%(phrase)s»: mỗi đơn vị cần ít nhất %(signed)s, nhưng điều "
                "kiện của chỉ tiêu là ít nhất %(set)s."
            )
            % values
        )
    if mismatch.what == "tracked":
        return (
            _("Lời văn đã ký «%(phrase)s» nghĩa là %(signed)s, nhưng mục tiêu chỉ theo dõi.")
            % values
        )
    if mismatch.what == "override":
        return (
            _(
                "Lời văn đã ký «%(phrase)s» nghĩa là %(signed)s, nhưng không có ngưỡng riêng "
                "nào như vậy."
            )
            % values
        )
    values["set"] = _signed(target.comparator, target.threshold, kind)
    return _("Lời văn đã ký «%(phrase)s» nghĩa là %(signed)s, nhưng mục tiêu đặt %(set)s.") % (
        values
    )


@register.filter
def review_reasons(commitment) -> list[str]:
    """Why a commitment waits for review, each reason a sentence."""
    reasons = []
    for reason, details in commitment.review_reasons:
        if reason == "copied":
            reasons.append(
                _(
                    "Sao chép từ bản đăng ký năm %(source)s: các năm trong lời văn đã được "
                    "dời sang năm %(year)s. Hãy rà soát lời văn và mục tiêu."
                )
                % details
            )
        elif reason == "version":
            reasons.append(
                _(
                    "Chỉ tiêu %(indicator)s: định nghĩa của chỉ tiêu có phiên bản mới áp dụng "
                    "từ năm %(year)s."
                )
                % details
            )
    return reasons


@register.simple_tag
def version_text(version: DefinitionVersion) -> str:
    """The version of its definition an indicator uses, in the version's own words,
    e.g. "Số thủ tục … toàn trình, một phần … — phiên bản áp dụng từ năm 2022 (Nghị
    định 42/2022/NĐ-CP …)"."""
    values = {"name": version.name, "year": version.valid_from}
    if version.note:
        return _("%(name)s — phiên bản áp dụng từ năm %(year)s (%(note)s)") % {
            **values,
            "note": version.note,
        }
    return _("%(name)s — phiên bản áp dụng từ năm %(year)s") % values

"""Indicator definitions shared by the sheets (định nghĩa chỉ tiêu) and their versions:
an indicator adopting the version in force in its sheet's year, and a new version from
a year on, which the indicators of that year and later adopt."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from commitments.models import DefinitionVersion, Indicator, IndicatorDefinition
from commitments.models.catalogue import MEASURE_FIELDS
from commitments.services import recompute


def measure_of(version: DefinitionVersion) -> dict[str, object]:
    """The measure a version holds, field by field (elements as instances)."""
    return {name: getattr(version, name) for name in MEASURE_FIELDS}


def indicator_adopt(*, indicator: Indicator, version: DefinitionVersion) -> None:
    """The indicator uses ``version``: it takes the version's measure (not saved; the
    caller saves)."""
    indicator.version = version
    for name, value in measure_of(version).items():
        setattr(indicator, name, value)


def version_in_force(*, definition: IndicatorDefinition, year: int) -> DefinitionVersion | None:
    """The version of a definition that applies in ``year``: the latest valid from
    that year or before; None when the definition begins later."""
    return definition.versions.filter(valid_from__lte=year).order_by("-valid_from").first()


def version_in_use(version: DefinitionVersion) -> bool:
    """Whether some indicator uses the version: its statuses were computed with it, and
    it is no longer changed (a change is a new version)."""
    return version.pk is not None and version.indicators.exists()


def definition_version_add(
    *,
    definition: IndicatorDefinition,
    valid_from: int,
    measure: Mapping[str, object],
    name_vi: str,
    name_en: str = "",
    note: str = "",
) -> tuple[DefinitionVersion, int]:
    """A new version of a definition from ``valid_from`` on (e.g. from 2022, Decree
    42/2022/NĐ-CP's "full or partial online" for "level 3, 4"); returns it and how many
    indicators adopted it.

    The indicators of the sheets of ``valid_from`` and later that used an earlier
    version adopt the new one, and their commitments are marked to review (their
    signed words may need to follow); those of earlier years keep theirs, and so do
    their statuses. The years concerned are recomputed once the transaction commits.
    Refused (``ValidationError``) when the definition already has a version from that
    year or the measure cannot be computed.
    """
    with transaction.atomic():
        version = DefinitionVersion(
            definition=definition,
            valid_from=valid_from,
            name_vi=name_vi,
            name_en=name_en,
            note=note,
            **measure,
        )
        version.full_clean()
        version.save()
        moved = list(
            Indicator.objects.select_for_update()
            .filter(version__definition=definition, sheet__year__gte=valid_from)
            .filter(version__valid_from__lt=valid_from)
            .select_related("commitment", "sheet")
        )
        for indicator in moved:
            indicator_adopt(indicator=indicator, version=version)
            indicator.save(update_fields=["version", *MEASURE_FIELDS])
        _commitments_to_review(moved, version)
        recompute.recompute_request(years={i.sheet.year for i in moved} if moved else ())
    return version, len(moved)


def _commitments_to_review(indicators: list[Indicator], version: DefinitionVersion) -> None:
    """Each commitment of the indicators marked to review, saying which indicator's
    definition changed from which year."""
    for indicator in indicators:
        commitment = indicator.commitment
        reason = [
            "version",
            {
                "indicator": indicator.code,
                "definition": version.definition.code,
                "year": version.valid_from,
            },
        ]
        commitment.to_review = True
        if reason not in commitment.review_reasons:
            commitment.review_reasons = [*commitment.review_reasons, reason]
        commitment.save(update_fields=["to_review", "review_reasons"])


def definition_version_refusal(version: DefinitionVersion) -> str:
    """Why a version may not be changed, or "" when it may (no indicator uses it)."""
    if version_in_use(version):
        return gettext(
            "Phiên bản này đã được dùng để tính trạng thái: hãy tạo một phiên bản mới "
            "áp dụng từ năm thay đổi."
        )
    return ""


def check_version_editable(version: DefinitionVersion) -> None:
    """Refuse (``ValidationError``) a change to a version in use."""
    refusal = definition_version_refusal(version)
    if refusal:
        raise ValidationError(refusal)

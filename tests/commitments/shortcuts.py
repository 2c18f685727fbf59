"""What tests of several files do with the worlds of ``conftest.py``: open and post the
desk's quarterly report and read it back, log in as a role, publish results, read the
mail sent and a target's scoped thresholds."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from commitments import selectors, services
from commitments.models import Figure, QuarterlyReport, Target

# --- the quarterly report of the desk (conftest's ``units``) -----------------------------


def report_url(unit_code="vp", year=2021, quarter=2):
    return reverse("commitments:quarterly_report", args=[unit_code, year, quarter])


def report_post(client, action, version=0, quarter=2, **values):
    data = {"action": action, "version": str(version), **values}
    return client.post(report_url(quarter=quarter), data)


def desk_report(units, quarter=2) -> QuarterlyReport:
    """The desk's report of a 2021 quarter as the report page finds it: the stored one,
    or a new draft not yet stored."""
    return selectors.reports.report_for(unit=units["desk"], year=2021, quarter=quarter)


def desk_figures(units, quarter=2):
    return dict(
        Figure.objects.filter(unit=units["desk"], year=2021, quarter=quarter).values_list(
            "element__code", "value"
        )
    )


# --- the roles and the results of a world (conftest's ``world``) ---------------------------

DEPARTMENT, A, B = "so-nnptnt", "cc-thuyloi", "cc-kiemlam"
LAND_5_1 = "Tỷ lệ hồ sơ giải quyết đúng hạn trên từng lĩnh vực"
LAND_5_1_EN = "Dossiers resolved on time, in each field"


def as_role(client, world, role):
    """The client, logged in as the world's user of that role (out for ``anonymous``)."""
    client.logout()
    if world["users"][role] is not None:
        client.force_login(world["users"][role])
    return client


def publish(world, *, year=2021, quarter=1, role="director_department", note=""):
    return services.publishing.results_publish(
        department=world["department"],
        year=year,
        quarter=quarter,
        user=world["users"][role],
        note=note,
    )


# --- mail and targets ----------------------------------------------------------------------


def mail_recipients() -> list[str]:
    return sorted(address for email in mail.outbox for address in email.to)


def overrides_of(target: Target) -> list[tuple]:
    return sorted(
        (o.category.code if o.category else "", o.unit_kind, o.unit_sector, o.comparator,
         o.threshold)
        for o in target.overrides.select_related("category")
    )  # fmt: skip

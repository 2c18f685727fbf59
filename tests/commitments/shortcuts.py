"""What tests of several files do with the worlds of ``conftest.py``: open and post the
desk's quarterly report and read it back, log in as a role, publish results, read the
mail sent and a target's scoped thresholds; and the two departments of the city view's
tests (``two_departments``, which its browser test builds too)."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.urls import reverse

from commitments import selectors, services
from commitments.models import Figure, QuarterlyReport, Target
from tests import factories

# A day when every period of 2021 has closed (its statuses judged as final).
AFTER_2021 = dt.date(2022, 3, 31)

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


# --- two departments that signed different sheets (the city view) -----------------------

HEALTH = "Sở Y tế"


def two_departments() -> dict:
    """Two departments that signed different sheets of 2021 (the catalogue loaded).

    DARD (``sonn``) has the catalogue's sheet, nine commitments. In Q1 its desk resolved
    955 of 1,000 land dossiers on time (95.50%, under 96%), 80 of the 100 people it
    surveyed were satisfied (80%, under 91%), and it held a dialogue (5.2 met).

    Health (``soyt``) signed a sheet of its own: eight commitments (no 9) and a
    satisfaction target of 60%. Its desk resolved its 100 land dossiers on time, and 70
    of 100 were satisfied (70%: met, against its own 60%); it held no dialogue."""
    dard = factories.department()
    dard.name_en = "Department of Agriculture and Rural Development"
    dard.save()
    dard_desk = factories.unit("vp", parent=dard, receives_dossiers=True, name="Văn phòng Sở")
    factories.figure(dard_desk, "dossiers_resolved", 1000, category="land")
    factories.figure(dard_desk, "dossiers_on_time", 955, category="land")
    factories.figure(dard_desk, "survey_responses", 100)
    factories.figure(dard_desk, "survey_satisfied", 80)
    factories.evidence(dard, "dialogue", dt.date(2021, 3, 5))
    health, sheet = factories.department_with_sheet(
        "soyt", without=["9.1", "9.2"], name=HEALTH, sector="health"
    )
    health.name_en = "Department of Health"
    health.save()
    sheet.commitments.filter(code="9").delete()
    target = factories.sheet_target(sheet, "4.1")
    target.threshold = 60
    target.save()
    health_desk = factories.unit(
        "soyt-vp", parent=health, receives_dossiers=True, name="Bộ phận một cửa Sở Y tế"
    )
    factories.figure(health_desk, "dossiers_resolved", 100, category="land")
    factories.figure(health_desk, "dossiers_on_time", 100, category="land")
    factories.figure(health_desk, "survey_responses", 100)
    factories.figure(health_desk, "survey_satisfied", 70)
    services.recompute.statuses_recompute(year=2021)
    return {"dard": dard, "health": health, "health_sheet": sheet}

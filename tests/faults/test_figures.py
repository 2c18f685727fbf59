"""Figures far too large, and a report page left open while an import or an admin
writes its figures, on PostgreSQL with the real worker: what is refused stays out,
what is written is what the worker recomputes, and the year never freezes."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from commitments.models import DataElement, Figure, RecomputeState, Status
from tests import factories
from tests.commitments.services.importing import FIGURES_HEADER, run_failing, write_xlsx
from tests.commitments.shortcuts import desk_figures, report_post
from tests.faults.outages import land_on_time, nothing_waits, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

# The procedures eligible online (a ``last`` element behind growth indicator 4.3), as
# staff typed them: ten zeros too many, past 2^64, 5,000 digits.
OVERSIZE = ["130000000000000", str(2**64 + 1), "9" * 5000]
ELIGIBLE = "procedures_online_eligible"


@pytest.fixture
def running(world, worker):
    worker.start()
    assert wait_for(nothing_waits), worker.text()[-3000:]
    return worker


def test_values_over_the_bound_are_refused_everywhere_and_the_largest_allowed_computes(
    client, world, running, write_file, tmp_path
):
    client.force_login(world["staff"])
    for typed in OVERSIZE:
        response = report_post(client, "save", **{ELIGIBLE: typed})
        assert response.status_code == 200
        assert "Số quá lớn: không được lớn hơn 1.000.000.000." in response.content.decode()
    for typed in OVERSIZE:
        text = FIGURES_HEADER + f"2021,2,vp,{ELIGIBLE},,{typed}\n"
        (line,) = run_failing("import_figures", write_file("so-lieu.csv", text))
        assert line.startswith("line 2: value: ")
        rows = [FIGURES_HEADER.strip().split(","), [2021, 2, "vp", ELIGIBLE, None, typed]]
        (line,) = run_failing("import_figures", write_xlsx(tmp_path, "so-lieu.xlsx", rows))
        assert line.startswith("line 2: value: ")
    text = FIGURES_HEADER + f"2021,2,vp,{ELIGIBLE},,{'1' * 200_000}\n"
    errors = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_figures", write_file("so-lieu.csv", text), stderr=errors)
    assert errors.getvalue().startswith("line 2: file: not a readable CSV row")
    assert not Figure.objects.filter(element__code=ELIGIBLE).exists()

    # The largest figure an admin may allow, against a baseline of 1: the worker's
    # recompute stores what the engine makes of it (a growth of 10^17 %).
    DataElement.objects.filter(code=ELIGIBLE).update(max_value=10**15)
    factories.figure(world["desk"], ELIGIBLE, 1, year=2020, quarter=4)
    text = FIGURES_HEADER + f"2021,2,vp,{ELIGIBLE},,{10**15}\n"
    call_command("import_figures", write_file("so-lieu.csv", text), stdout=io.StringIO())
    assert wait_for(nothing_waits, timeout=30), running.text()[-3000:]
    state = RecomputeState.objects.get(year=2021)
    assert not state.failed, state.last_error
    growth = Status.objects.filter(indicator__code="4.3", unit=world["department"], year=2021)
    # Judged on the year: 100 · (10^15 / 1 - 1), beyond the former 14 digits.
    assert [(s.quarter, s.value) for s in growth] == [(0, 100 * (10**15 - 1))]


def test_a_page_left_open_undoes_neither_an_admins_edit_nor_an_import(
    client, admin_client, world, running, write_file
):
    client.force_login(world["staff"])
    form = reverse("commitments:quarterly_report", args=["vp", 2021, 2])
    saved = report_post(client, "save", dossiers_resolved__land="100", dossiers_on_time__land="50")
    assert saved.status_code == 302
    opened = client.get(form).context["report"].version  # the page staff leave open

    # An admin corrects the figure: the open page cannot save over it.
    figure = Figure.objects.get(unit=world["desk"], quarter=2, element__code="dossiers_on_time")
    change = reverse("admin:commitments_figure_change", args=[figure.pk])
    data = {
        k: ("" if v is None else v)
        for k, v in admin_client.get(change).context["adminform"].form.initial.items()
    }
    data["value"] = "60"
    assert admin_client.post(change, data).status_code == 302
    stale = report_post(
        client, "save", version=opened, dossiers_resolved__land="100", dossiers_on_time__land="50"
    )
    assert "Người khác đã lưu báo cáo này" in stale.content.decode()
    assert desk_figures(world)["dossiers_on_time"] == 60
    assert wait_for(lambda: land_on_time(world) == 60 and nothing_waits())

    # An import writes the quarter (and approves its report): the open page cannot either.
    opened = client.get(form).context["report"].version
    text = FIGURES_HEADER + "2021,2,vp,dossiers_on_time,land,70\n"
    call_command("import_figures", write_file("so-lieu.csv", text), stdout=io.StringIO())
    stale = report_post(
        client, "save", version=opened, dossiers_resolved__land="100", dossiers_on_time__land="50"
    )
    assert stale.status_code == 200
    assert "không thể sửa số liệu" in stale.content.decode()  # approved, so read-only
    assert desk_figures(world)["dossiers_on_time"] == 70
    assert wait_for(lambda: land_on_time(world, official=True) == 70 and nothing_waits())

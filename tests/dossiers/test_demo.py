"""The demo ships its one-stop desk's dossier export; its records give the figures the
desk typed, and the late dossiers show."""

from __future__ import annotations

import csv
import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from commitments import demo
from commitments.models import Unit
from dossiers import demo as dossier_demo
from dossiers import selectors
from dossiers.models import Dossier, DossierCount


def test_the_shipped_export_is_the_one_the_demo_writes():
    with dossier_demo.EXPORT.open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == dossier_demo.export_rows()


def test_the_hand_figures_of_the_demo_are_the_records_figures():
    assert demo.DOSSIERS_2021[("sonn-vp", "investment")] == dossier_demo.QUARTERS


@pytest.mark.django_db
def test_the_demo_loads_the_records_and_shows_late_dossiers(client):
    demo.demo_load(as_of=dt.date(2022, 2, 1))
    assert Dossier.objects.count() == 341
    desk = Unit.objects.get(code="sonn-vp")
    counts = DossierCount.objects.filter(unit=desk, year=2021, element__code="dossiers_on_time")
    assert sorted(counts.values_list("quarter", "value", "typed")) == [
        (1, 80, 80), (2, 93, 93), (3, 56, 56), (4, 99, 99)
    ]  # fmt: skip
    late = selectors.late_dossiers(unit=desk, year=2021, quarter=2, category="investment")
    assert len(late) == 2 and all(d.days_late >= 1 for d in late)
    overdue = selectors.overdue_open(unit=desk, year=2021, quarter=3)
    assert [d.code for d in overdue] == ["000.00.12.H29-2130184"]
    assert overdue[0].days_late > 60
    client.force_login(get_user_model().objects.get(username="demo-director"))
    late_url = reverse("dossiers:late", args=["sonn-vp", 2021, 2])
    page = client.get(reverse("commitments:indicator", args=["5.1"]), {"year": 2021, "quarter": 2})
    assert late_url in page.content.decode()
    html = client.get(late_url, {"field": "investment"}).content.decode()
    assert all(d.code in html for d in late)

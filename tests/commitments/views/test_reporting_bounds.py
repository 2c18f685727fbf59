"""A figure typed far too large on the report form is refused next to its field, and
nothing is stored (a typo of ten zeros must never freeze the year's statuses)."""

from __future__ import annotations

import pytest

from tests.commitments.shortcuts import desk_figures, report_post


@pytest.mark.parametrize(
    "typed",
    ["130000000000000", str(2**63), str(2**64 + 1), "9" * 5000],
)
def test_a_value_over_the_bound_is_refused_next_to_its_field(client, staff, units, typed):
    client.force_login(staff)
    field = "dossiers_received__land"
    response = report_post(client, "save", **{"dossiers_resolved__land": "50", field: typed})
    assert response.status_code == 200
    after_input = response.content.decode().split(f'name="{field}"', 1)[1].split("</td>", 1)[0]
    assert "Số quá lớn: không được lớn hơn 1.000.000.000." in after_input
    assert f'id="err_{field}"' in after_input
    assert desk_figures(units) == {}


def test_the_bound_reads_in_english_on_an_english_page(client, staff, units):
    client.force_login(staff)
    client.cookies["django_language"] = "en"
    response = report_post(client, "save", docs_issued="1" + "0" * 12)
    assert "Too large: at most 1,000,000,000." in response.content.decode()

"""The floors of the benchmark do the same work as what they are set against: the
import's floor writes into a table with everything the figures' table has."""

from __future__ import annotations

import pytest
from django.db import connection

from bench import floors
from tests.databases import database_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the benchmark runs on PostgreSQL"
    ),
]

DEFINITIONS = """
SELECT pg_get_constraintdef(oid) FROM pg_constraint
WHERE conrelid = %s::regclass AND contype = %s ORDER BY 1
"""


def _definitions(table: str, kind: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(DEFINITIONS, [table, kind])
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize("foreign_keys", [True, False])
def test_the_import_floors_table_has_the_figures_keys_and_foreign_keys(foreign_keys):
    table = "bench_floor_test"
    floors.floor_table(database_url(), table=table, foreign_keys=foreign_keys)
    try:
        figures = floors.FIGURE_TABLE
        assert _definitions(table, "u") == _definitions(figures, "u")
        assert _definitions(table, "p") == _definitions(figures, "p")
        expected = _definitions(figures, "f") if foreign_keys else []
        assert len(_definitions(figures, "f")) == 3  # the unit, the element, the category
        assert _definitions(table, "f") == expected
    finally:
        floors.drop_table(database_url(), table)

"""The catalogue written again from what its first load wrote is the catalogue loaded."""

from __future__ import annotations

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from commitments import services
from tests import recorded


def _load_and_read(request, load) -> tuple[dict, int]:
    """The rows of every table once ``load_once`` has run, and its queries; undone."""
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        recorded.load_once(request, "catalogue under test", load)
        rows = recorded._rows()
        transaction.set_rollback(True)
    return rows, len(queries) - len(rows)


def test_the_rows_written_again_are_the_rows_the_load_wrote(
    db, request, django_capture_on_commit_callbacks
):
    def load():
        with django_capture_on_commit_callbacks(execute=True):
            services.catalogue.catalogue_load(name="hcmc-dard-2021")

    loaded, loading = _load_and_read(request, load)
    written, writing = _load_and_read(request, load)
    assert written == loaded
    assert loading > 500 and writing < 40


def test_a_database_in_another_state_is_loaded_for_real(db, request):
    calls = []
    _load_and_read(request, lambda: calls.append(1))
    services.catalogue.catalogue_load(name="hcmc-dard-2021")  # another state
    _load_and_read(request, lambda: calls.append(1))
    assert calls == [1, 1]

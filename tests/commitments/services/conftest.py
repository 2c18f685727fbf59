"""Fixtures of the service tests."""

import pytest

from tests import factories


@pytest.fixture
def stored_units(catalogue):
    """The units the files name, stored before the import (the catalogue too)."""
    sonn = factories.department()
    return {
        "sonn": sonn,
        "vp": factories.unit("vp", parent=sonn, receives_dossiers=True),
        "cc": factories.unit(
            "ccttbvtv", parent=sonn, kind="affiliated_unit", receives_dossiers=True
        ),
    }

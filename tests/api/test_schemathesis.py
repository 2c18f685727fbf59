"""schemathesis over the whole OpenAPI schema, with bounded examples: no answer is a
server error, and every answer (its status, content type and body) matches the schema.
Run as the admin, who reaches every operation; examples write (batches, report
actions) inside the test's transaction."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core import signals
from django.core.serializers.json import DjangoJSONEncoder
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _schema() -> dict:
    """The schema /api/v1/schema/ serves, as JSON."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(generated, cls=DjangoJSONEncoder))


schema = schemathesis.openapi.from_dict(_schema())
APP = get_wsgi_application()


@pytest.fixture(autouse=True)
def _connection_kept():
    """The WSGI application closes the database connection after each request, unless
    told otherwise as Django's test client tells it: the test's transaction must live
    on (PostgreSQL)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, tokens):
    case.call_and_validate(
        app=APP, headers={"Authorization": f"Token {tokens['superuser']}"}, checks=CHECKS
    )

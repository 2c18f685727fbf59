"""The health check answered to load balancers and monitors."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from reform import heartbeat


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The state of the database, the broker and the worker. 200 while the database
    answers (the web can serve); 503 when it does not. The workers are those whose
    heartbeat is recent (``reform.heartbeat``): nothing waits for a worker to answer,
    so a probe every few seconds costs a few milliseconds."""
    state = {"database": "ok", "broker": "in-process", "worker": "in-process"}
    code = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any failure is the answer here
        state["database"] = f"error: {exc.__class__.__name__}"
        code = 503
    if settings.REDIS_URL:
        from reform.celery import app

        try:
            with app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            state["broker"] = "ok"
        except Exception as exc:
            state["broker"] = f"error: {exc.__class__.__name__}"
        try:
            alive = heartbeat.workers_alive() if state["broker"] == "ok" else 0
            state["worker"] = f"ok ({alive})" if alive else "no worker replied"
        except Exception as exc:
            state["worker"] = f"error: {exc.__class__.__name__}"
    return JsonResponse(state, status=code)

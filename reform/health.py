"""The health check answered to load balancers and monitors."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The state of the database, the broker and the worker. 200 while the database
    answers (the web can serve); 503 when it does not."""
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
            replies = app.control.ping(timeout=1.0) if state["broker"] == "ok" else []
            state["worker"] = f"ok ({len(replies)})" if replies else "no worker replied"
        except Exception as exc:
            state["worker"] = f"error: {exc.__class__.__name__}"
    return JsonResponse(state, status=code)

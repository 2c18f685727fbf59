"""Errors as RFC 9457 problems (``application/problem+json``): ``type``, ``title``,
``status``, ``detail`` and, for a refused body, ``errors``: each with a JSON pointer
into the request (``/rows/17/value``) and the reason in the caller's language."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM = "application/problem+json"

TITLES = {
    400: _("Yêu cầu không hợp lệ"),
    401: _("Chưa xác thực"),
    403: _("Không có quyền"),
    404: _("Không tìm thấy"),
    405: _("Phương thức không được phép"),
    406: _("Không trả được định dạng này"),
    409: _("Xung đột"),
    412: _("Phiên bản đã thay đổi"),
    415: _("Định dạng không được hỗ trợ"),
    422: _("Dữ liệu không hợp lệ"),
    429: _("Quá nhiều yêu cầu"),
}


class Refused(exceptions.APIException):
    """A request refused with its reasons: ``errors`` is a list of
    ``{"pointer": "/rows/17/value", "detail": "…"}``."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY

    def __init__(self, detail, *, errors=None, status_code: int | None = None):
        super().__init__(detail)
        self.errors = errors or []
        if status_code is not None:
            self.status_code = status_code


def problem(status_code: int, detail, *, errors=None, headers=None) -> Response:
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(status_code, _("Lỗi"))),
        "status": status_code,
        "detail": str(detail),
    }
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM)


def problem_handler(exc, context) -> Response | None:
    """DRF's handler (its status and headers: ``WWW-Authenticate``, ``Retry-After``),
    its body rewritten as a problem."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    errors = getattr(exc, "errors", None)
    detail = exc.detail if isinstance(exc, exceptions.APIException) else response.data
    if isinstance(exc, exceptions.ValidationError):
        errors = list(_pointers(exc.detail, ""))
        detail = _("Dữ liệu gửi lên không hợp lệ.")
    headers = {k: v for k, v in response.items() if k.lower() != "content-type"}
    return problem(response.status_code, _flat(detail), errors=errors, headers=headers)


def _flat(detail) -> str:
    if isinstance(detail, list | tuple) and detail:
        return _flat(detail[0])
    if isinstance(detail, dict) and detail:
        return _flat(next(iter(detail.values())))
    return str(detail)


def _pointers(detail, prefix: str):
    """The messages of a serializer's errors, each with the JSON pointer of its field."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            where = prefix if key == "non_field_errors" else f"{prefix}/{key}"
            yield from _pointers(value, where)
    elif isinstance(detail, list) and detail and not isinstance(detail[0], str):
        for index, value in enumerate(detail):
            if value:
                yield from _pointers(value, f"{prefix}/{index}")
    elif isinstance(detail, list):
        for message in detail:
            yield {"pointer": prefix or "/", "detail": str(message)}
    else:
        yield {"pointer": prefix or "/", "detail": str(detail)}


# --- the schema: every operation may answer with a problem ---

PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"pointer": {"type": "string"}, "detail": {"type": "string"}},
                "required": ["pointer", "detail"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}
PROBLEM_STATUSES = {
    "400": "Bad request",
    "401": "Not authenticated",
    "403": "Forbidden",
    "404": "Not found",
    "405": "Method not allowed",
    "406": "Not acceptable",
    "415": "Unsupported media type",
    "429": "Too many requests (see Retry-After)",
}


def problem_responses_hook(result, generator, request, public):
    """drf-spectacular: the Problem schema, and the problems every operation may give."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    content = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in PROBLEM_STATUSES.items():
                responses.setdefault(code, {"description": description, "content": content})
            for code, response in responses.items():
                if code.isdigit() and int(code) >= 400 and not response.get("content"):
                    response["content"] = content  # an error an operation names: a problem
    return result

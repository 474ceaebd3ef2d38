"""Domain exceptions and the one JSON shape every error response has.

Every error body is `{"status": <int>, "code": <machine code>, "message": <human text>}` plus, for invalid
input, `"errors": {<location>: {<field>: [<problem>, ...]}}`. Services raise `AppError` subclasses; views never
build error responses themselves.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from elastic_transport import ApiError, ConnectionTimeout, TransportError
from elastic_transport import ConnectionError as TransportConnectionError
from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException, MethodNotAllowed

log = logging.getLogger(__name__)

HTTP_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    422: "validation_error",
    428: "precondition_required",
    500: "internal_error",
    503: "unavailable",
}


class AppError(Exception):
    """An error a service raises on purpose; rendered with its status, code and message."""

    status = 500
    code = "internal_error"

    def __init__(self, message: str, *, errors: dict[str, Any] | None = None, code: str | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.extra = extra or {}  # more for the caller to act on, e.g. the candidates to choose from
        if code:
            self.code = code


class BadRequest(AppError):
    status, code = 400, "bad_request"


class Unauthorized(AppError):
    status, code = 401, "unauthorized"


class Forbidden(AppError):
    status, code = 403, "forbidden"


class NotFound(AppError):
    status, code = 404, "not_found"


class Conflict(AppError):
    status, code = 409, "conflict"


class PreconditionFailed(AppError):
    status, code = 412, "precondition_failed"


class UriTooLong(AppError):
    status, code = 414, "uri_too_long"


class UnsupportedMediaType(AppError):
    status, code = 415, "unsupported_media_type"


class PreconditionRequired(AppError):
    status, code = 428, "precondition_required"


class ValidationFailed(AppError):
    status, code = 422, "validation_error"

    @classmethod
    def on_field(cls, field: str, problem: str, *, location: str = "json",
                 message: str = "the request has invalid fields") -> ValidationFailed:
        """Return the error for one field's problem, in the shape marshmallow's errors have."""
        return cls(message, errors={location: {field: [problem]}})


class Unavailable(AppError):
    status, code = 503, "unavailable"


class StartupError(RuntimeError):
    """The app must not start: the message tells the operator what to do."""


def error_body(status: int, message: str, *, code: str | None = None,
               errors: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the JSON error document."""
    body: dict[str, Any] = {"status": status, "code": code or HTTP_CODES.get(status, "error"), "message": message}
    if errors:
        body["errors"] = errors
    return body


def _respond(body: dict[str, Any], headers: dict[str, str] | None = None) -> tuple[Response, int]:
    response = jsonify(body)
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response, body["status"]


def http_exception_response(error: HTTPException) -> tuple[Response, int]:
    """Render a werkzeug/webargs HTTP exception in the house error shape."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = data.get("messages")
    message = data.get("message") or error.description or "error"
    if status == 422 and errors:
        message = "the request has invalid fields"
    elif status == 400 and errors:
        message = "the request body could not be read (is it valid JSON?)"
    if status == 500:
        message = "internal error"
    headers = dict(data.get("headers") or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", "Bearer")
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        # RFC 9110 §15.5.6: a 405 names the methods the resource does support.
        headers.setdefault("Allow", ", ".join(error.valid_methods))
    return _respond(error_body(status, message, errors=errors), headers)


def app_error_response(error: AppError) -> tuple[Response, int]:
    """Render a domain error."""
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return _respond({**error_body(error.status, error.message, code=error.code, errors=error.errors), **error.extra},
                    headers)


RETRY_AFTER_SECONDS = 30  # what a client should wait before retrying while storage is unavailable
_LOG_EVERY_SECONDS = 60.0  # one log line per kind of storage failure per minute, not a traceback per request
_last_logged: dict[str, float] = {}


def storage_failure_kind(error: Exception) -> str | None:
    """Return what kind of storage failure an exception is (unreachable, timeout, write block, overloaded), or
    None when it is not one: such failures are the service being unavailable, not a bug."""
    if isinstance(error, ConnectionTimeout):
        return "timeout"
    if isinstance(error, TransportConnectionError):
        return "unreachable"
    if isinstance(error, ApiError):
        text = str(error)
        # Before the 429 test: the disk flood-stage block answers 429 too, but it is no overload.
        if "cluster_block_exception" in text or "index_create_block_exception" in text:
            return "write_block"
        if error.meta.status == 429:
            return "overloaded"
        if error.meta.status == 503:
            return "unavailable"
    return None


def storage_error_response(error: Exception) -> tuple[Response, int]:
    """Render an Elasticsearch failure: 503 with Retry-After for outages, else an unexpected error (500)."""
    kind = storage_failure_kind(error)
    if kind is None:
        return unexpected_error_response(error)
    now = time.monotonic()
    if now - _last_logged.get(kind, -_LOG_EVERY_SECONDS) >= _LOG_EVERY_SECONDS:
        _last_logged[kind] = now
        # A block's text names only indices and the block (no record content): it tells the operator what to lift.
        detail = str(error)[:400] if kind == "write_block" else type(error).__name__
        log.warning("storage %s: %s (answering 503; logged once a minute)", kind, detail)
    return _respond(error_body(503, f"storage is unavailable ({kind.replace('_', ' ')}); retry later"),
                    {"Retry-After": str(RETRY_AFTER_SECONDS)})


def unexpected_error_response(error: Exception) -> tuple[Response, int]:
    """Render an unexpected exception as a 500 without leaking its text (it may hold personal data)."""
    log.exception("unhandled %s", type(error).__name__)
    return _respond(error_body(500, "internal error"))


def register_error_handlers(app: Flask) -> None:
    """Install the handlers that render every error as JSON."""
    app.register_error_handler(AppError, app_error_response)
    app.register_error_handler(TransportError, storage_error_response)
    app.register_error_handler(ApiError, storage_error_response)
    app.register_error_handler(HTTPException, http_exception_response)
    app.register_error_handler(Exception, unexpected_error_response)

"""HTTP conventions shared by every /api/v1 route."""

from __future__ import annotations

from flask import Flask, request

from jobmatch.errors import UnsupportedMediaType

API_PREFIX = "/api/v1/"
BODY_METHODS = {"POST", "PUT", "PATCH"}


def _require_json_body() -> None:
    # A form or text body would otherwise read as "all fields missing", which misleads the caller.
    if (request.path.startswith(API_PREFIX) and request.method in BODY_METHODS
            and request.content_length and not request.is_json):
        raise UnsupportedMediaType("request bodies must be JSON (Content-Type: application/json)")


def init_app(app: Flask) -> None:
    """Install the request checks."""
    app.before_request(_require_json_body)

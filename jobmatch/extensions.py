"""Objects shared across the app, created unbound here and bound in `create_app` (nothing connects at import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from elasticsearch import Elasticsearch
from flask import Flask, current_app
from flask_smorest import Api
from marshmallow import Schema, fields

from jobmatch.embeddings import Embedder
from jobmatch.errors import http_exception_response


class ErrorBody(Schema):
    """The one error shape (jobmatch.errors), as the OpenAPI document describes it."""

    status = fields.Integer(metadata={"description": "HTTP status, e.g. 422"})
    code = fields.String(metadata={"description": "Machine code, e.g. validation_error, unavailable"})
    message = fields.String(metadata={"description": "What went wrong, for people"})
    errors = fields.Dict(metadata={"description": "Invalid input: {location: {field: [problem, ...]}}"})
    candidates = fields.Dict(metadata={"description": "Choices the caller can make instead (occupation_code)"})


class JsonApi(Api):
    """flask-smorest's Api rendering HTTP errors in the house JSON shape."""

    ERROR_SCHEMA = ErrorBody

    def handle_http_exception(self, error: Any) -> Any:
        """Render every HTTPException (webargs 422s included) with `jobmatch.errors`."""
        return http_exception_response(error)


api = JsonApi()

EXT_KEY = "jobmatch"


@dataclass
class AppState:
    """What views hand to services: settings, the Elasticsearch client and the embedder."""

    settings: dict[str, Any]
    es: Elasticsearch
    embedder: Embedder
    matching: dict[str, dict[str, float]] = field(default_factory=dict)  # weights and boosts (config/matching.py)
    labour_force: dict[str, Any] = field(default_factory=dict)  # denominators (config/labour_market.py)

    @property
    def tz(self) -> ZoneInfo:
        """Return the local time zone (TIMEZONE)."""
        return ZoneInfo(str(self.settings["TIMEZONE"]))

    @property
    def prefix(self) -> str:
        """Return the index prefix."""
        return str(self.settings["INDEX_PREFIX"])


def state(app: Flask | None = None) -> AppState:
    """Return the app's jobmatch state."""
    return (app or current_app).extensions[EXT_KEY]

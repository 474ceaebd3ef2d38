"""HTTP conventions shared by every /api/v1 route."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Flask, Response, request

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


def csv_download(rows: Iterable[dict[str, Any]], columns: Sequence[str], filename: str) -> Response:
    """Return rows as a CSV attachment, UTF-8 with a BOM so that Excel reads Vietnamese correctly."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows(rows)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})

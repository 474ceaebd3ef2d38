"""HTTP conventions shared by every /api/v1 route."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Flask, Response, request

from jobmatch.errors import BadRequest, UnsupportedMediaType, ValidationFailed

API_PREFIX = "/api/v1/"
BODY_METHODS = {"POST", "PUT", "PATCH"}


MAX_JSON_DEPTH = 32  # our bodies nest 4 levels; Python's parser recurses and fails far deeper than this


def json_depth(raw: bytes) -> int:
    """Return how deeply arrays and objects nest in a JSON text (strings skipped), without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _require_json_body() -> None:
    if not (request.path.startswith(API_PREFIX) and request.method in BODY_METHODS and request.content_length):
        return
    # A form or text body would otherwise read as "all fields missing", which misleads the caller.
    if not request.is_json:
        raise UnsupportedMediaType("request bodies must be JSON (Content-Type: application/json)")
    if json_depth(request.get_data(cache=True)) > MAX_JSON_DEPTH:
        raise BadRequest(f"the JSON body nests deeper than {MAX_JSON_DEPTH} levels")
    body = request.get_json(silent=True)
    if body is not None and not isinstance(body, dict):  # unreadable JSON is answered by the view's parser (400)
        raise ValidationFailed("the request body must be a JSON object",
                               errors={"json": {"_schema": ["must be a JSON object"]}})
    if body is None and request.get_data(cache=True).strip() == b"null":
        raise ValidationFailed("the request body must be a JSON object",
                               errors={"json": {"_schema": ["must be a JSON object, not null"]}})


def _security_headers(response: Response) -> Response:
    # Responses carry personal data (names, phones in invitation lists): no caching, no sniffing, no framing.
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.path.startswith(API_PREFIX) or response.mimetype in ("text/csv", "text/html"):
        response.headers.setdefault("Cache-Control", "no-store")
    if response.mimetype == "text/html" and not request.path.startswith("/docs"):
        # Our pages use inline styles and SVG only; the Swagger UI page keeps its own needs.
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                                    "frame-ancestors 'none'")
    return response


def init_app(app: Flask) -> None:
    """Install the request checks and the response headers."""
    app.before_request(_require_json_body)
    app.after_request(_security_headers)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Return a cell value a spreadsheet will not run as a formula (OWASP CSV injection: a leading quote makes
    "=HYPERLINK(...)" text); numbers pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_download(rows: Iterable[dict[str, Any]], columns: Sequence[str], filename: str) -> Response:
    """Return rows as a CSV attachment, UTF-8 with a BOM so that Excel reads Vietnamese correctly; cells that
    would start a formula are quoted as text (employers write vacancy titles)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns))
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})

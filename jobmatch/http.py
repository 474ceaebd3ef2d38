"""HTTP conventions shared by every /api/v1 route."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Flask, Response, request
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from jobmatch.errors import BadRequest, UnsupportedMediaType, UriTooLong, ValidationFailed

API_PREFIX = "/api/v1/"
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}  # DELETE closes a record with a JSON reason


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


def has_body() -> bool:
    """Tell whether the request carries a body: a length, or a chunked one (which has no Content-Length)."""
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def target_length(environ: dict[str, Any]) -> int:
    """Return the length in bytes of the request target (path and query) as the client sent it."""
    # Gunicorn keeps the target as sent in RAW_URI; werkzeug's test client leaves a separately given query out.
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "")
    query = environ.get("QUERY_STRING", "")
    return len(raw) + (len(query) + 1 if query and "?" not in raw else 0)


def _require_json_body() -> None:
    if not (request.path.startswith(API_PREFIX) and request.method in BODY_METHODS and has_body()):
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


# The web app's pages (jobmatch.web): stylesheets and scripts from this site only, nothing inline (so injected
# markup cannot run or restyle anything), forms post only here, and no other site may frame them.
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# Same-origin: a form post carries its Referer (Flask-WTF checks it over HTTPS), other sites still get nothing.
PAGE_REFERRER_POLICY = "same-origin"


def _security_headers(response: Response) -> Response:
    # Responses carry personal data (names, phones in invitation lists): no caching, no sniffing, no framing.
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.path.startswith(API_PREFIX) or response.mimetype in ("text/csv", "text/html", XLSX_MIMETYPE):
        response.headers.setdefault("Cache-Control", "no-store")
    if response.mimetype == "text/html" and not request.path.startswith("/docs"):
        # Our pages use inline styles and SVG only; the Swagger UI page keeps its own needs.
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
                                    "frame-ancestors 'none'")
    return response


def init_app(app: Flask) -> None:
    """Install the request checks and the response headers."""
    limit = int(app.config["MAX_URL_LENGTH"])

    def limit_url_length() -> None:
        length = target_length(request.environ)
        if length > limit:
            raise UriTooLong(f"the request URL is {length} bytes long; at most {limit} are accepted")

    # First of all checks: a too-long URL is refused the same way whoever sends it and whatever route it names.
    app.before_request_funcs.setdefault(None, []).insert(0, limit_url_length)
    app.before_request(_require_json_body)
    app.after_request(_security_headers)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_WIDTH = (8, 60)  # narrowest and widest column, in characters


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


def _xlsx_text(value: Any) -> str:
    # Control characters are not allowed in XLSX; dropping them first means none can hide a leading "=".
    return spreadsheet_safe(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def xlsx_bytes(rows: Iterable[dict[str, Any]], columns: Sequence[str], *, text_columns: Iterable[str] = (),
               sheet: str = "data") -> bytes:
    """Return rows as an XLSX workbook: a bold, frozen header row, then one row each, columns sized to fit.

    Strings are written as string cells (never formulas) after the same escaping as the CSV; `text_columns`
    (phones, ids, codes) are always text with the "@" format, so that Excel keeps leading zeros and never turns
    "0912345678" into a number; numbers elsewhere stay numbers.
    """
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet[:31]  # Excel's limit on sheet names
    text = set(text_columns)
    widths = [len(name) for name in columns]
    for index, name in enumerate(columns, start=1):
        header = worksheet.cell(row=1, column=index, value=_xlsx_text(name))
        header.font = Font(bold=True)
    for line, row in enumerate(rows, start=2):
        for index, name in enumerate(columns, start=1):
            value = row.get(name)
            cell = worksheet.cell(row=line, column=index)
            if name in text:
                cell.number_format = "@"
            if value is None:
                continue
            if name in text or not isinstance(value, int | float) or isinstance(value, bool):
                cell.value = _xlsx_text(value)
                cell.data_type = "s"  # openpyxl reads a string starting with "=" as a formula unless told
            else:
                cell.value = value
            widths[index - 1] = max(widths[index - 1], len(str(cell.value)))
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = min(max(width, XLSX_WIDTH[0]), XLSX_WIDTH[1]) + 2
    worksheet.freeze_panes = "A2"
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{worksheet.max_row}"
    workbook.properties.creator = "jobmatch"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_download(rows: Iterable[dict[str, Any]], columns: Sequence[str], filename: str, *,
                  text_columns: Iterable[str] = (), sheet: str = "data") -> Response:
    """Return rows as an XLSX attachment (see `xlsx_bytes`): the same data as `csv_download`, for Excel."""
    return Response(xlsx_bytes(rows, columns, text_columns=text_columns, sheet=sheet), mimetype=XLSX_MIMETYPE,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})

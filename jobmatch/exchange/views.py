"""HTTP endpoints for job exchange sessions (phiên giao dịch việc làm)."""

from __future__ import annotations

from typing import Any

from flask import Response, render_template
from flask_smorest import Blueprint

from jobmatch.audit.http import note
from jobmatch.auth.guard import current_principal, roles
from jobmatch.exchange.schemas import (
    AttendanceIn,
    InvitationArgs,
    InvitationList,
    SessionIn,
    SessionListArgs,
    SessionOut,
    SessionPage,
)
from jobmatch.exchange.service import ExchangeService, attendance_view, invitation_rows
from jobmatch.extensions import state
from jobmatch.http import XLSX_MIMETYPE, csv_download, xlsx_download
from jobmatch.matching.views import matcher
from jobmatch.records.access import public_view
from jobmatch.records.http import PATCH_DOC, if_match, patch_body, patch_doc, with_etag
from jobmatch.records.repository import Stored

blp = Blueprint("exchange", __name__, url_prefix="/api/v1/exchange-sessions",
                description="Job exchange sessions: participants, invitations from the matcher, attendance, outcomes")
CSV_COLUMNS = ("session_id", "session_date", "worker_id", "full_name", "phone", "commune", "job_id", "job_title",
               "employer_id", "score", "reason")
# Everything but the score is text in Excel: phones keep their leading 0, ids and dates are never converted.
XLSX_TEXT_COLUMNS = tuple(c for c in CSV_COLUMNS if c != "score")
INVITATION_FORMATS = "By `format`: JSON (default), CSV (UTF-8 with a BOM), XLSX or a printable HTML page."


def _service() -> ExchangeService:
    app_state = state()
    return ExchangeService(es=app_state.es, prefix=app_state.prefix, principal=current_principal())


def _body(service: ExchangeService, stored: Stored) -> dict[str, Any]:
    body = {**public_view(stored.source), "outcomes": service.outcomes(stored.id)}
    if "attendance" in body:
        body["attendance"] = attendance_view(body["attendance"], current_principal().role)
    return body


@blp.route("", methods=["POST"])
@roles("admin", "counsellor")
@blp.arguments(SessionIn)
@blp.response(201, SessionOut)
@blp.alt_response(200, schema=SessionOut, success=True,
                  description="The session already planned with the same external_id and content")
def create_session(data: dict[str, Any]) -> Any:
    """Plan a session: date, venue, on site or online, the employers and vacancies taking part."""
    service = _service()
    stored, created = service.create(data)
    return with_etag(stored, _body(service, stored), 201 if created else 200)


@blp.route("", methods=["GET"])
@roles("admin", "counsellor", "analyst")
@blp.arguments(SessionListArgs, location="query")
@blp.response(200, SessionPage)
def list_sessions(args: dict[str, Any]) -> Any:
    """List sessions, newest first."""
    service = _service()
    page = service.list(args)
    return {"items": [_body(service, item) for item in page.items], "total": page.total,
            "next_cursor": page.next_cursor}


@blp.route("/<session_id>", methods=["GET"])
@roles("admin", "counsellor", "analyst")
@blp.response(200, SessionOut)
def get_session(session_id: str) -> Any:
    """Return a session with its attendance and outcomes (placements made there, by stage reached)."""
    service = _service()
    stored = service.get(session_id)
    return with_etag(stored, _body(service, stored))


@blp.route("/<session_id>", methods=["PATCH"])
@roles("admin", "counsellor")
@blp.doc(**patch_doc(SessionIn))
@blp.response(200, SessionOut)
def patch_session(session_id: str) -> Any:
    """Change a session (e.g. `status: held` or `cancelled`, more vacancies), guarded by If-Match."""
    service = _service()
    stored = service.patch(session_id, patch_body(), if_match())
    return with_etag(stored, _body(service, stored))


@blp.route("/<session_id>/attendance", methods=["PUT"])
@roles("admin", "counsellor")
@blp.arguments(AttendanceIn)
@blp.doc(**PATCH_DOC)
@blp.response(200, SessionOut)
def put_attendance(data: dict[str, Any], session_id: str) -> Any:
    """Record who came (replaces the previous record). Interviews and hires come from placements that name
    the session (`session_id` on POST /api/v1/placements)."""
    service = _service()
    stored = service.record_attendance(session_id, data, if_match())
    return with_etag(stored, _body(service, stored))


@blp.route("/<session_id>/invitations", methods=["GET"])
@roles("admin", "counsellor")
@blp.arguments(InvitationArgs, location="query")
@blp.alt_response(200, schema=InvitationList, success=True, description=INVITATION_FORMATS)
@blp.alt_response(200, schema={"type": "string"}, content_type="text/csv", success=True,
                  description=INVITATION_FORMATS)
@blp.alt_response(200, schema={"type": "string", "format": "binary"}, content_type=XLSX_MIMETYPE, success=True,
                  description=INVITATION_FORMATS)
@blp.alt_response(200, schema={"type": "string"}, content_type="text/html", success=True,
                  description=INVITATION_FORMATS)
def invitations(args: dict[str, Any], session_id: str) -> Any:
    """The invitation list: each open vacancy's best candidates, each person invited at most N times.

    `format=json` (default), `csv` (one row per person and vacancy, for a spreadsheet or mail merge), `xlsx`
    (the same rows for Excel, phones and ids as text) or `html` (a printable page with an attendance column).
    Only name, phone and commune of each person are included.
    """
    settings = state().settings
    session, found = _service().invitations(
        session_id, matcher(hide_sensitive=True),
        per_vacancy=args["per_vacancy"] or settings["INVITES_PER_VACANCY"],
        max_per_person=args["max_per_person"] or settings["INVITES_MAX_PER_PERSON"])
    rows = list(invitation_rows(session, found))
    note("list" if args["format"] == "json" else "export", "workers", [i.worker["worker_id"] for i in found],
         fields=["personal.full_name", "personal.phone", "residence"] if found else [])
    if args["format"] == "csv":
        return csv_download(rows, CSV_COLUMNS, f"invitations-{session_id}.csv")
    if args["format"] == "xlsx":
        return xlsx_download(rows, CSV_COLUMNS, f"invitations-{session_id}.xlsx", text_columns=XLSX_TEXT_COLUMNS,
                             sheet="invitations")
    if args["format"] == "html":
        return Response(render_template("invitations.html", session=session, rows=rows, people=len(found)),
                        mimetype="text/html")
    return {"session_id": session_id, "people": len(found), "invitations": [
        {"worker_id": i.worker["worker_id"], "full_name": (i.worker.get("personal") or {}).get("full_name"),
         "phone": (i.worker.get("personal") or {}).get("phone"),
         "commune": (i.worker.get("residence") or {}).get("commune"), "vacancies": i.vacancies} for i in found]}

"""Recording accesses to personal data from the HTTP layer.

A view calls `note(...)` with what it returned or changed; after the response is built, one entry per note is
appended for successful requests (a refused request showed nothing). Notes live on `flask.g`, so a request's
notes never leak into another's.
"""

from __future__ import annotations

import logging
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError
from flask import Flask, Response, g, request

from jobmatch.audit.log import Access, AuditLog, entry, personal_fields
from jobmatch.extensions import state

log = logging.getLogger(__name__)


def note(action: str, record_kind: str, record_ids: list[str], *, views: list[dict[str, Any]] | None = None,
         fields: list[str] | None = None, reason: str | None = None) -> None:
    """Note an access of this request: the personal fields are read from `views` (what was returned) or given."""
    named = list(fields or []) + (personal_fields(views) if views else [])
    g.setdefault("audit_notes", []).append(Access(action, record_kind, record_ids, named, reason))


def _write(response: Response) -> Response:
    notes: list[Access] = g.pop("audit_notes", [])
    principal = g.get("principal")
    if not notes or principal is None or response.status_code >= 400:
        return response
    audit = AuditLog(state().es, state().prefix)
    for access in notes:
        doc = entry(access, actor=principal.token_id, role=principal.role, employer_id=principal.employer_id,
                    route=request.url_rule.rule if request.url_rule else request.path, method=request.method,
                    status=response.status_code, request_id=request.headers.get("X-Request-Id"))
        try:
            audit.append(doc)
        except (ApiError, TransportError) as exc:
            # The data has been read already; say so once per failure (no values in the line).
            log.error("audit entry not stored (%s %s, %s): %s", access.action, access.record_kind,
                      request.url_rule.rule if request.url_rule else "-", type(exc).__name__)
    return response


def init_app(app: Flask) -> None:
    """Install the hook that stores the request's notes."""
    app.after_request(_write)

"""HTTP endpoint for reading the audit log (admins only)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from jobmatch.audit.log import AuditLog
from jobmatch.audit.schemas import AuditListArgs, AuditPage
from jobmatch.auth.guard import roles
from jobmatch.extensions import state
from jobmatch.records.http import page_body

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit",
                description="Who read or changed personal data: names of records and fields, never their values")


@blp.route("", methods=["GET"])
@roles("admin")
@blp.arguments(AuditListArgs, location="query")
@blp.response(200, AuditPage)
def list_audit(args: dict[str, Any]) -> Any:
    """List audit entries, newest first, by caller, action, record or time span."""
    return page_body(AuditLog(state().es, state().prefix).search(args))

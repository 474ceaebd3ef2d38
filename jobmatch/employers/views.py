"""HTTP endpoints for employers."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from jobmatch.auth.guard import current_principal, roles
from jobmatch.employers.schemas import EmployerIn, EmployerListArgs, EmployerOut, EmployerPage
from jobmatch.employers.service import EmployerService
from jobmatch.extensions import state
from jobmatch.records.http import if_match, page_body, patch_body, patch_doc, with_etag
from jobmatch.records.schemas import CloseSchema

blp = Blueprint("employers", __name__, url_prefix="/api/v1/employers", description="Employers")


def _service() -> EmployerService:
    app_state = state()
    return EmployerService(es=app_state.es, prefix=app_state.prefix, principal=current_principal())


@blp.route("", methods=["POST"])
@roles("admin", "counsellor")
@blp.arguments(EmployerIn)
@blp.response(201, EmployerOut)
@blp.alt_response(200, schema=EmployerOut, success=True,
                  description="The employer already registered with the same external_id and content")
def create_employer(data: dict[str, Any]) -> Any:
    """Register an employer; repeating the same external_id and content returns the record with 200."""
    stored, created = _service().create(data)
    return with_etag(stored, stored.source, 201 if created else 200)


@blp.route("", methods=["GET"])
@roles("admin", "counsellor", "analyst", "employer")
@blp.arguments(EmployerListArgs, location="query")
@blp.response(200, EmployerPage)
def list_employers(args: dict[str, Any]) -> Any:
    """List employers (an employer token sees only itself), newest first or by relevance with `q`."""
    return page_body(_service().list(args))


@blp.route("/<employer_id>", methods=["GET"])
@roles("admin", "counsellor", "analyst", "employer")
@blp.response(200, EmployerOut)
def get_employer(employer_id: str) -> Any:
    """Return one employer with its ETag."""
    stored = _service().get(employer_id)
    return with_etag(stored, stored.source)


@blp.route("/<employer_id>", methods=["PATCH"])
@roles("admin", "counsellor", "employer")
@blp.doc(**patch_doc(EmployerIn))
@blp.response(200, EmployerOut)
def patch_employer(employer_id: str) -> Any:
    """Change an employer's fields, guarded by If-Match."""
    stored = _service().patch(employer_id, patch_body(), if_match())
    return with_etag(stored, stored.source)


@blp.route("/<employer_id>", methods=["DELETE"])
@roles("admin", "counsellor")
@blp.arguments(CloseSchema)
@blp.response(200, EmployerOut)
def close_employer(data: dict[str, Any], employer_id: str) -> Any:
    """Close an employer with a reason (kept for history and statistics)."""
    stored = _service().close(employer_id, data["reason"])
    return with_etag(stored, stored.source)

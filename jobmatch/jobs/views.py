"""HTTP endpoints for vacancies."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from jobmatch.auth.guard import current_principal, roles
from jobmatch.extensions import state
from jobmatch.jobs.schemas import JobCloseSchema, JobIn, JobListArgs, JobOut, JobPage, JobReopenSchema
from jobmatch.jobs.service import JobService
from jobmatch.records.http import PATCH_DOC, if_match, page_body, patch_body, patch_doc, with_etag

blp = Blueprint("jobs", __name__, url_prefix="/api/v1/jobs", description="Vacancies")


def _service() -> JobService:
    app_state = state()
    return JobService(es=app_state.es, prefix=app_state.prefix, embedder=app_state.embedder,
                      principal=current_principal(), tz=app_state.tz)


@blp.route("", methods=["POST"])
@roles("admin", "counsellor", "employer")
@blp.arguments(JobIn)
@blp.response(201, JobOut)
@blp.alt_response(200, schema=JobOut, success=True,
                  description="The vacancy already posted with the same external_id and content")
def create_job(data: dict[str, Any]) -> Any:
    """Post a vacancy (employers only for themselves); the same external_id and content again gives 200."""
    stored, created = _service().create(data)
    return with_etag(stored, stored.source, 201 if created else 200)


@blp.route("", methods=["GET"])
@roles("admin", "counsellor", "analyst", "employer")
@blp.arguments(JobListArgs, location="query")
@blp.response(200, JobPage)
def list_jobs(args: dict[str, Any]) -> Any:
    """List or search vacancies; employers see only their own."""
    return page_body(_service().list(args))


@blp.route("/<job_id>", methods=["GET"])
@roles("admin", "counsellor", "analyst", "employer")
@blp.response(200, JobOut)
def get_job(job_id: str) -> Any:
    """Return one vacancy with its ETag."""
    stored = _service().get(job_id)
    return with_etag(stored, stored.source)


@blp.route("/<job_id>", methods=["PATCH"])
@roles("admin", "counsellor", "employer")
@blp.doc(**patch_doc(JobIn))
@blp.response(200, JobOut)
def patch_job(job_id: str) -> Any:
    """Change a vacancy's fields, guarded by If-Match; re-embedded only when its text changes."""
    stored = _service().patch(job_id, patch_body(), if_match())
    return with_etag(stored, stored.source)


@blp.route("/<job_id>", methods=["DELETE"])
@roles("admin", "counsellor", "employer")
@blp.arguments(JobCloseSchema)
@blp.response(200, JobOut)
def close_job(data: dict[str, Any], job_id: str) -> Any:
    """Close a vacancy as filled, closed or expired, with a reason; it is kept for history and statistics.

    Closing twice changes nothing.
    """
    stored = _service().close(job_id, reason=data["reason"], status=data["status"])
    return with_etag(stored, stored.source)


@blp.route("/<job_id>/reopen", methods=["POST"])
@roles("admin", "counsellor", "employer")
@blp.arguments(JobReopenSchema)
@blp.doc(**PATCH_DOC)
@blp.response(200, JobOut)
def reopen_job(data: dict[str, Any], job_id: str) -> Any:
    """Open a filled, closed or expired vacancy again with more openings (409 if it is open or a draft); an
    expired one needs a new `expires_at`."""
    stored = _service().reopen(job_id, openings=data["openings"], reason=data["reason"], at=data["at"],
                              expires_at=data["expires_at"], etag=if_match())
    return with_etag(stored, stored.source)

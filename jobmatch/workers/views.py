"""HTTP endpoints for jobseekers."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from jobmatch.auth.guard import current_principal, roles
from jobmatch.extensions import state
from jobmatch.records.access import worker_view
from jobmatch.records.http import PATCH_DOC, if_match, page_body, patch_body, with_etag
from jobmatch.records.schemas import CloseSchema
from jobmatch.workers.schemas import WorkerIn, WorkerListArgs, WorkerOut, WorkerPage
from jobmatch.workers.service import WorkerService

blp = Blueprint("workers", __name__, url_prefix="/api/v1/workers", description="Jobseekers")


def _service() -> WorkerService:
    app_state = state()
    return WorkerService(es=app_state.es, prefix=app_state.prefix, embedder=app_state.embedder,
                         principal=current_principal())


def _view(source: dict[str, Any]) -> dict[str, Any]:
    return worker_view(source, current_principal())


@blp.route("", methods=["POST"])
@roles("admin", "counsellor")
@blp.arguments(WorkerIn)
@blp.response(201, WorkerOut)
def create_worker(data: dict[str, Any]) -> Any:
    """Register a jobseeker; disability details need consent.store_disability."""
    stored, created = _service().create(data)
    return with_etag(stored, _view(stored.source), 201 if created else 200)


@blp.route("", methods=["GET"])
@roles("admin", "counsellor", "employer")
@blp.arguments(WorkerListArgs, location="query")
@blp.response(200, WorkerPage)
def list_workers(args: dict[str, Any]) -> Any:
    """List or search jobseekers; employers see only people who consented, without contact, ID or disability."""
    return page_body(_service().list(args), _view)


@blp.route("/<worker_id>", methods=["GET"])
@roles("admin", "counsellor", "employer")
@blp.response(200, WorkerOut)
def get_worker(worker_id: str) -> Any:
    """Return one jobseeker as the caller may see them, with its ETag."""
    stored = _service().get(worker_id)
    return with_etag(stored, _view(stored.source))


@blp.route("/<worker_id>", methods=["PATCH"])
@roles("admin", "counsellor")
@blp.doc(**PATCH_DOC)
@blp.response(200, WorkerOut)
def patch_worker(worker_id: str) -> Any:
    """Change a jobseeker's fields, guarded by If-Match."""
    stored = _service().patch(worker_id, patch_body(), if_match())
    return with_etag(stored, _view(stored.source))


@blp.route("/<worker_id>", methods=["DELETE"])
@roles("admin", "counsellor")
@blp.arguments(CloseSchema)
@blp.response(200, WorkerOut)
def close_worker(data: dict[str, Any], worker_id: str) -> Any:
    """Close a registration with a reason, erasing contact, ID and disability data."""
    stored = _service().close(worker_id, data["reason"])
    return with_etag(stored, _view(stored.source))

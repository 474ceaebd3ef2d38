"""HTTP endpoints for jobseekers."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from jobmatch.audit.http import note
from jobmatch.auth.guard import current_principal, roles
from jobmatch.extensions import state
from jobmatch.records.access import worker_view
from jobmatch.records.http import PATCH_DOC, if_match, page_body, patch_body, patch_doc, with_etag
from jobmatch.records.schemas import CloseSchema
from jobmatch.workers.schemas import ErasureIn, ReactivateIn, WorkerIn, WorkerListArgs, WorkerOut, WorkerPage
from jobmatch.workers.service import WorkerService

blp = Blueprint("workers", __name__, url_prefix="/api/v1/workers", description="Jobseekers")


def _service() -> WorkerService:
    app_state = state()
    return WorkerService(es=app_state.es, prefix=app_state.prefix, embedder=app_state.embedder,
                         principal=current_principal(), tz=app_state.tz)


def _view(source: dict[str, Any]) -> dict[str, Any]:
    return worker_view(source, current_principal())


@blp.route("", methods=["POST"])
@roles("admin", "counsellor")
@blp.arguments(WorkerIn)
@blp.response(201, WorkerOut)
@blp.alt_response(200, schema=WorkerOut, success=True,
                  description="The jobseeker already registered with the same external_id and content")
def create_worker(data: dict[str, Any]) -> Any:
    """Register a jobseeker; disability details need consent.store_disability."""
    stored, created = _service().create(data)
    view = _view(stored.source)
    note("create", "workers", [stored.id], views=[view])
    return with_etag(stored, view, 201 if created else 200)


@blp.route("", methods=["GET"])
@roles("admin", "counsellor", "employer")
@blp.arguments(WorkerListArgs, location="query")
@blp.response(200, WorkerPage)
def list_workers(args: dict[str, Any]) -> Any:
    """List or search jobseekers; employers see only people who consented, without contact, ID or disability."""
    body = page_body(_service().list(args), _view)
    note("list", "workers", [item["worker_id"] for item in body["items"]], views=body["items"])
    return body


@blp.route("/<worker_id>", methods=["GET"])
@roles("admin", "counsellor", "employer")
@blp.response(200, WorkerOut)
def get_worker(worker_id: str) -> Any:
    """Return one jobseeker as the caller may see them, with its ETag."""
    stored = _service().get(worker_id)
    view = _view(stored.source)
    note("read", "workers", [stored.id], views=[view])
    return with_etag(stored, view)


@blp.route("/<worker_id>", methods=["PATCH"])
@roles("admin", "counsellor")
@blp.doc(**patch_doc(WorkerIn))
@blp.response(200, WorkerOut)
def patch_worker(worker_id: str) -> Any:
    """Change a jobseeker's fields, guarded by If-Match."""
    changes = patch_body()
    stored = _service().patch(worker_id, changes, if_match())
    view = _view(stored.source)
    note("update", "workers", [stored.id], fields=[f"changed:{name}" for name in sorted(changes)], views=[view])
    return with_etag(stored, view)


@blp.route("/<worker_id>", methods=["DELETE"])
@roles("admin", "counsellor")
@blp.arguments(CloseSchema)
@blp.response(200, WorkerOut)
def close_worker(data: dict[str, Any], worker_id: str) -> Any:
    """Close a registration with a reason, erasing contact, ID and disability data."""
    stored, erased = _service().close(worker_id, data["reason"])
    note("close", "workers", [stored.id], fields=erased, reason=data["reason"])
    return with_etag(stored, _view(stored.source))


@blp.route("/<worker_id>/reactivate", methods=["POST"])
@roles("admin", "counsellor")
@blp.arguments(ReactivateIn)
@blp.doc(**PATCH_DOC)
@blp.response(200, WorkerOut)
def reactivate_worker(data: dict[str, Any], worker_id: str) -> Any:
    """Make a lapsed (inactive) registration active again, guarded by If-Match; the lapse stays in its history."""
    stored = _service().reactivate(worker_id, data["reason"], if_match())
    note("update", "workers", [stored.id], fields=["reactivated"], reason=data["reason"])
    return with_etag(stored, _view(stored.source))


@blp.route("/<worker_id>/erasure", methods=["POST"])
@roles("admin", "counsellor")
@blp.arguments(ErasureIn)
@blp.response(200, WorkerOut)
def erase_worker(data: dict[str, Any], worker_id: str) -> Any:
    """Erase a person's data on request (Decree 13/2023 Art. 16): the record keeps only de-identified facts
    for statistics, placements lose every sensitive attribute, sessions keep a count instead of the id.

    Repeating it changes nothing. What is removed from where is listed in docs/privacy.md.
    """
    stored, removed = _service().erase(worker_id, data["reason"])
    note("erase", "workers", [stored.id], fields=removed, reason=data["reason"])
    return with_etag(stored, _view(stored.source))

"""HTTP endpoints for referrals and placements."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from jobmatch.auth.guard import current_principal, roles
from jobmatch.extensions import state
from jobmatch.placements.schemas import (
    FollowUpIn,
    PlacementIn,
    PlacementListArgs,
    PlacementOut,
    PlacementPage,
    TransitionIn,
)
from jobmatch.placements.service import PlacementService
from jobmatch.records.http import IF_MATCH_PARAMETER, if_match, with_etag
from jobmatch.records.repository import Stored

blp = Blueprint("placements", __name__, url_prefix="/api/v1/placements",
                description="Referrals of jobseekers to vacancies and their outcomes")
IF_MATCH = {"parameters": [IF_MATCH_PARAMETER],
            "description": "Send `If-Match: <ETag from GET>`: 412 if someone changed the placement meanwhile, "
                           "428 without it, 409 for a transition the life cycle does not allow."}


def _service() -> PlacementService:
    app_state = state()
    return PlacementService(es=app_state.es, prefix=app_state.prefix, principal=current_principal(),
                            tz=app_state.tz)


def _body(service: PlacementService, stored: Stored) -> dict[str, Any]:
    """Return a placement with its history; employers do not get the person's snapshot."""
    body = {k: v for k, v in stored.source.items() if k not in ("worker", "job")}
    body["history"] = [{k: v for k, v in e.items() if k != "pair"} for e in service.history(stored.id, fresh=False)]
    return body


@blp.route("", methods=["POST"])
@roles("admin", "counsellor")
@blp.arguments(PlacementIn)
@blp.response(201, PlacementOut)
@blp.alt_response(200, schema=PlacementOut, success=True, description="The open referral of the same pair, unchanged")
def create_placement(data: dict[str, Any]) -> Any:
    """Refer a jobseeker to a vacancy (201); repeating an open referral returns it (200)."""
    service = _service()
    stored, created = service.create(data)
    return with_etag(stored, _body(service, stored), 201 if created else 200)


@blp.route("", methods=["GET"])
@roles("admin", "counsellor", "employer")
@blp.arguments(PlacementListArgs, location="query")
@blp.response(200, PlacementPage)
def list_placements(args: dict[str, Any]) -> Any:
    """List placements (employers: for their own vacancies), e.g. the follow-ups due by a date."""
    page = _service().list(args)
    items = [{k: v for k, v in item.source.items() if k not in ("worker", "job")} for item in page.items]
    return {"items": items, "total": page.total, "next_cursor": page.next_cursor}


@blp.route("/<placement_id>", methods=["GET"])
@roles("admin", "counsellor", "employer")
@blp.response(200, PlacementOut)
def get_placement(placement_id: str) -> Any:
    """Return a placement, its full history and its ETag."""
    service = _service()
    stored = service.get(placement_id)
    return with_etag(stored, _body(service, stored))


@blp.route("/<placement_id>/transitions", methods=["POST"])
@roles("admin", "counsellor", "employer")
@blp.arguments(TransitionIn)
@blp.doc(**IF_MATCH)
@blp.response(200, PlacementOut)
def transition(data: dict[str, Any], placement_id: str) -> Any:
    """Move a placement on: proposed → referred → interviewed → offered → hired, or to rejected / withdrawn.

    A hire marks the person placed and fills one of the vacancy's openings, closing it when all are filled.
    """
    service = _service()
    stored = service.transition(placement_id, to=data["to"], at=data["at"], reason=data["reason"],
                                etag=if_match())
    return with_etag(stored, _body(service, stored))


@blp.route("/<placement_id>/follow-ups", methods=["POST"])
@roles("admin", "counsellor")
@blp.arguments(FollowUpIn)
@blp.doc(**IF_MATCH)
@blp.response(200, PlacementOut)
def follow_up(data: dict[str, Any], placement_id: str) -> Any:
    """Record whether the person is still employed 3 or 6 months after the hire."""
    service = _service()
    stored = service.follow_up(placement_id, which=data["follow_up"], still_employed=data["still_employed"],
                               at=data["at"], note=data["note"], etag=if_match())
    return with_etag(stored, _body(service, stored))

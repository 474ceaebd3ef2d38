"""HTTP endpoints for type-ahead and coding: occupations, communes, skills."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from jobmatch.auth.guard import roles
from jobmatch.extensions import state
from jobmatch.lookups.occupations import autocoder
from jobmatch.lookups.places import suggest_communes
from jobmatch.lookups.schemas import (
    CommuneSuggestions,
    OccupationSuggestions,
    SkillSuggestions,
    SuggestArgs,
)
from jobmatch.lookups.skills import SUGGESTER

blp = Blueprint("lookups", __name__, url_prefix="/api/v1", description="Type-ahead and occupation coding")
EVERYONE = ("admin", "counsellor", "employer", "analyst")


@blp.route("/occupations/suggest", methods=["GET"])
@roles(*EVERYONE)
@blp.arguments(SuggestArgs, location="query")
@blp.response(200, OccupationSuggestions)
def suggest_occupations(args: dict[str, Any]) -> Any:
    """ISCO-08 unit groups for a job title, best first, with a confidence (the autocoder)."""
    return {"items": [s.as_dict() for s in autocoder().suggest(args["q"], size=args["size"])]}


@blp.route("/communes/suggest", methods=["GET"])
@roles(*EVERYONE)
@blp.arguments(SuggestArgs, location="query")
@blp.response(200, CommuneSuggestions)
def suggest_places(args: dict[str, Any]) -> Any:
    """Current communes for a place name of either generation ("phường 5", "Vĩnh Châu", "vinh chau")."""
    return {"items": suggest_communes(args["q"], size=args["size"])}


@blp.route("/skills/suggest", methods=["GET"])
@roles(*EVERYONE)
@blp.arguments(SuggestArgs, location="query")
@blp.response(200, SkillSuggestions)
def suggest_skills(args: dict[str, Any]) -> Any:
    """Skills used in the registers and ESCO skills matching what was typed."""
    app_state = state()
    return {"items": SUGGESTER.suggest(args["q"], es=app_state.es, prefix=app_state.prefix, size=args["size"])}

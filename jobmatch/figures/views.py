"""HTTP endpoints for official figures (survey and administrative), entered by analysts."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from config.labour_market import FIGURES
from jobmatch.auth.guard import current_principal, roles
from jobmatch.extensions import state
from jobmatch.figures.schemas import FigureIn, FigureList, FigureListArgs, FigureOut
from jobmatch.figures.service import FigureStore, check_figure

blp = Blueprint("figures", __name__, url_prefix="/api/v1/figures",
                description="Official figures (labour force survey, social insurance) the 2030 targets are judged on")


def _store() -> FigureStore:
    return FigureStore(state().es, state().prefix)


@blp.route("", methods=["GET"])
@roles("admin", "analyst", "counsellor")
@blp.arguments(FigureListArgs, location="query")
@blp.response(200, FigureList)
def list_figures(args: dict[str, Any]) -> Any:
    """List entered figures, and every figure that can be entered."""
    return {"items": _store().list(args.get("key")), "known": FIGURES}


@blp.route("/<key>/<int(min=2000, max=2100):year>", methods=["PUT"], parameters=[
    {"in": "path", "name": "key", "required": True, "description": "Which official figure",
     "schema": {"type": "string", "enum": sorted(FIGURES)}}])
@roles("admin", "analyst")
@blp.arguments(FigureIn)
@blp.response(200, FigureOut)
def put_figure(data: dict[str, Any], key: str, year: int) -> Any:
    """Enter (or replace) a figure for a year, with its source: e.g. PUT /api/v1/figures/unemployment_rate/2025."""
    check_figure(key, data["value"])
    return _store().set(key=key, year=year, value=data["value"], source=data["source"], as_of=data["as_of"],
                        note=data["note"], actor=current_principal().token_id)

"""HTTP endpoints for matching."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from jobmatch.audit.http import note
from jobmatch.auth.guard import current_principal, roles
from jobmatch.clock import local_today
from jobmatch.extensions import state
from jobmatch.lookups.occupations import suggest_occupations
from jobmatch.matching.schemas import MatchArgs, MatchList, MatchSearchIn
from jobmatch.matching.service import Matcher, MatchParams

blp = Blueprint("matches", __name__, url_prefix="/api/v1", description="Matching vacancies and jobseekers")


def matcher(**options: Any) -> Matcher:
    """Return a matcher for the caller of the current request, with the configured weights and boosts."""
    app_state = state()
    return Matcher(es=app_state.es, prefix=app_state.prefix, embedder=app_state.embedder,
                   weights=app_state.matching["weights"], boosts=app_state.matching["boosts"],
                   principal=current_principal(), suggest_occupations=suggest_occupations,
                   **{"today": local_today(app_state.tz), **options})


@blp.route("/jobs/<job_id>/matches", methods=["GET"])
@roles("admin", "counsellor", "employer")
@blp.arguments(MatchArgs, location="query")
@blp.response(200, MatchList)
def job_matches(args: dict[str, Any], job_id: str) -> Any:
    """Jobseekers who fit a vacancy, best first, with reasons (employers: consenting people, no private data)."""
    result = matcher().workers_for_job(job_id, MatchParams(**args))
    _note_people(result)
    return result


@blp.route("/workers/<worker_id>/matches", methods=["GET"])
@roles("admin", "counsellor")
@blp.arguments(MatchArgs, location="query")
@blp.response(200, MatchList)
def worker_matches(args: dict[str, Any], worker_id: str) -> Any:
    """Vacancies a jobseeker is eligible for, best first, with reasons."""
    return matcher().jobs_for_worker(worker_id, MatchParams(**args))


@blp.route("/matches/search", methods=["POST"])
@roles("admin", "counsellor")
@blp.arguments(MatchSearchIn)
@blp.arguments(MatchArgs, location="query")
@blp.response(200, MatchList)
def search_matches(payload: dict[str, Any], args: dict[str, Any]) -> Any:
    """Match free text and an optional profile against vacancies or jobseekers."""
    result = matcher().search(payload, MatchParams(**args))
    _note_people(result)
    return result


def _note_people(result: dict[str, Any]) -> None:
    """Audit the jobseekers a match list showed (vacancy lists show no one)."""
    people = [item for item in result["items"] if "worker" in item]
    if people:
        note("list", "workers", [item["worker_id"] for item in people], views=[item["worker"] for item in people])

"""The services a page calls, built for the signed-in user exactly as the API builds them for a token.

The user becomes the request's `Principal` (`g.principal`), so every service applies its own access rules and the
audit hook (jobmatch.audit.http) records what a page showed under the user's id, as it does for the API.
"""

from __future__ import annotations

from flask import g

from jobmatch.auth.tokens import Principal
from jobmatch.clock import local_today
from jobmatch.extensions import state
from jobmatch.jobs.service import JobService
from jobmatch.lookups.occupations import suggest_occupations
from jobmatch.matching.service import Matcher
from jobmatch.placements.service import PlacementService
from jobmatch.web.auth import current_user, principal_for
from jobmatch.workers.service import WorkerService


def acting() -> Principal:
    """Return the signed-in user as the services' caller and make it the request's principal."""
    user = current_user()
    assert user is not None  # only called from views behind login_required
    g.principal = principal_for(user)
    return g.principal


def workers() -> WorkerService:
    """Return the jobseeker register for the signed-in user."""
    app_state = state()
    return WorkerService(es=app_state.es, prefix=app_state.prefix, embedder=app_state.embedder, principal=acting(),
                         tz=app_state.tz)


def jobs() -> JobService:
    """Return the vacancy service for the signed-in user."""
    app_state = state()
    return JobService(es=app_state.es, prefix=app_state.prefix, embedder=app_state.embedder, principal=acting(),
                      tz=app_state.tz)


def placements() -> PlacementService:
    """Return the placement service for the signed-in user."""
    app_state = state()
    return PlacementService(es=app_state.es, prefix=app_state.prefix, principal=acting(), tz=app_state.tz)


def matcher() -> Matcher:
    """Return the matcher for the signed-in user, configured as the API's."""
    app_state = state()
    return Matcher(es=app_state.es, prefix=app_state.prefix, embedder=app_state.embedder,
                   weights=app_state.matching["weights"], boosts=app_state.matching["boosts"], principal=acting(),
                   suggest_occupations=suggest_occupations, today=local_today(app_state.tz))

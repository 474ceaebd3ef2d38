"""The guard in front of every /api/v1 route: a bearer token is required, and the view names the roles it admits.

Authentication runs for every request under /api/v1 (even to paths that do not exist), so no route can be
added without it. A view that names no roles admits nobody: least privilege by default.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, g, request

from jobmatch.auth.tokens import ROLES, Principal, TokenStore
from jobmatch.errors import Forbidden, Unauthorized
from jobmatch.extensions import state
from jobmatch.http import API_PREFIX

F = TypeVar("F", bound=Callable[..., Any])


def roles(*allowed: str) -> Callable[[F], F]:
    """Declare which roles may call a view; put it directly under the route decorator."""
    unknown = set(allowed) - set(ROLES)
    if unknown or not allowed:
        raise ValueError(f"roles() needs names from {ROLES}, got {allowed}")

    def mark(view: F) -> F:
        view.allowed_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return view

    return mark


def bearer_token(header: str | None) -> str:
    """Extract the token from an Authorization header, or raise Unauthorized."""
    if not header:
        raise Unauthorized("missing Authorization: Bearer <token> header")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization header must be 'Bearer <token>'")
    return token.strip()


def current_principal() -> Principal:
    """Return the authenticated caller of the current request."""
    return g.principal


def _authenticate() -> None:
    if not request.path.startswith(API_PREFIX):
        return
    token = bearer_token(request.headers.get("Authorization"))
    app_state = state()
    principal = TokenStore(app_state.es, app_state.prefix).authenticate(token)
    if principal is None:
        raise Unauthorized("invalid or revoked token")
    g.principal = principal
    view = _routed_view()
    if view is None:  # unknown path: authenticated callers get the normal 404/405
        return
    allowed = getattr(view, "allowed_roles", frozenset())
    if principal.role not in allowed:
        raise Forbidden(f"role {principal.role!r} may not do this")


def _routed_view() -> Callable[..., Any] | None:
    """Return the view function the current request is routed to, if any."""
    return current_app.view_functions.get(request.endpoint) if request.endpoint else None


def init_app(app: Flask) -> None:
    """Install the guard."""
    app.before_request(_authenticate)

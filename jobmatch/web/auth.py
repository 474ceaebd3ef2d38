"""Who is signed in to the web app, and the decorator that guards its pages.

The session holds only the user's id; the user is read again on every request, so a deactivated user (or one
whose role changed) is refused, or sees the new role, on the very next request, not at the end of the session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _

from jobmatch.accounts.service import AccountService, LoginLimits, User
from jobmatch.auth.tokens import ROLES, Principal
from jobmatch.extensions import state

F = TypeVar("F", bound=Callable[..., Any])

# Where each role lands after signing in (and when it opens "/").
HOME_ENDPOINTS = {"admin": "web.admin_users", "counsellor": "web.counsellor_home", "employer": "web.employer_home",
                  "analyst": "web.analyst_home"}


def accounts() -> AccountService:
    """Return the account service bound to the app's client, prefix, zone and sign-in limits."""
    app_state = state()
    return AccountService(app_state.es, app_state.prefix, app_state.tz,
                          limits=LoginLimits.from_settings(app_state.settings))


def current_user() -> User | None:
    """Return the signed-in user of this request, or None."""
    return g.get("web_user")


def principal_for(user: User) -> Principal:
    """Return the caller the services see for a web user: the same role and employer, named by the user id
    (`usr-...`, never the person), so that the services apply the API's rules and record who acted."""
    return Principal(token_id=user.user_id, role=user.role, employer_id=user.employer_id)


def load_user() -> None:
    """Read the session's user; end the session of a user who no longer exists or has been deactivated."""
    g.web_user = None
    user_id = session.get("user_id")
    if not user_id:
        return
    user = accounts().get(str(user_id))
    if user is None or not user.active:
        session.clear()  # deleted server-side when the response is saved
        return
    g.web_user = user


def home_url(user: User) -> str:
    """Return the URL of the user's role's home page."""
    return url_for(HOME_ENDPOINTS[user.role])


def safe_next(target: str | None) -> str | None:
    """Return `target` when it is a path on this site, else None: `next=` must never send people elsewhere.

    Refused: absolute URLs, scheme-relative ones (`//evil.example`), backslashes (browsers read `/\\evil` as
    `//evil`), control characters, and anything not starting with one slash.
    """
    if not target or len(target) > 500:
        return None
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def login_required(roles: Iterable[str] | None = None) -> Callable[[F], F]:
    """Guard a web view: anonymous visitors are sent to the sign-in page (coming back here afterwards), signed-in
    users of another role get the 403 page. `roles=None` admits every signed-in user."""
    allowed = frozenset(roles) if roles is not None else frozenset(ROLES)
    unknown = allowed - set(ROLES)
    if unknown or not allowed:
        raise ValueError(f"login_required(roles=...) needs names from {ROLES}, got {sorted(allowed)}")

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                if getattr(session, "ended", False):  # the cookie named a session that timed out or was ended
                    flash(_("Your session has ended. Please sign in again."), "info")
                here = request.full_path if request.query_string else request.path
                return redirect(url_for("web.login", next=here))
            if user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        guarded.web_roles = allowed  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate

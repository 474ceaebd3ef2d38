"""The web app's pages (blueprint `web`): sign-in and sign-out, the language switch, each role's home, and the
admins' user management. Views are thin: a form in, one service call, a page or a redirect out.
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from jobmatch.accounts.service import LoginRefused, User
from jobmatch.accounts.sessions import SessionStore
from jobmatch.errors import AppError, NotFound
from jobmatch.extensions import state
from jobmatch.web.auth import accounts, current_user, home_url, login_required, safe_next
from jobmatch.web.forms import (
    ROLE_TITLES,
    ActiveForm,
    CreateUserForm,
    LanguageForm,
    LoginForm,
    PasswordForm,
    add_service_errors,
)
from jobmatch.web.i18n import LANGUAGES
from jobmatch.web.render import page
from jobmatch.web.sessions import regenerate

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static", static_url_path="/static")


def _session_store() -> SessionStore:
    return SessionStore(state().es, state().prefix)


@bp.route("/")
def index() -> Any:
    """Send visitors to the sign-in page and signed-in users to their role's home."""
    user = current_user()
    return redirect(home_url(user) if user else url_for("web.login"))


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """Sign in: the same message for an unknown user, a wrong password and a deactivated account."""
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
        user = current_user()
        if user is not None and not form.next.data:
            return redirect(home_url(user))
        return page("web/login.html", form=form)
    if not form.validate_on_submit():
        return page("web/login.html", status=422, form=form)
    try:
        user = accounts().authenticate(form.username.data or "", form.password.data or "",
                                       client_ip=request.remote_addr or "")
    except LoginRefused as refused:
        if refused.reason == "throttled":
            minutes = max(1, math.ceil(refused.retry_after / 60))
            message = ngettext("You have entered a wrong password too many times. Please try again in "
                               "%(num)d minute.",
                               "You have entered a wrong password too many times. Please try again in "
                               "%(num)d minutes.", minutes)
            return page("web/login.html", status=429, headers={"Retry-After": str(refused.retry_after)},
                        form=form, error=message)
        return page("web/login.html", status=401, form=form, error=_("Wrong username or password."))
    _start_session(user)
    return redirect(safe_next(form.next.data) or home_url(user))


def _start_session(user: User) -> None:
    """Begin a signed-in session under a new id (the old one is deleted): an id planted before sign-in is
    worthless after it. Only the language choice carries over."""
    language = session.get("lang")
    session.clear()
    regenerate(session)
    session["user_id"] = user.user_id
    if language:
        session["lang"] = language


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    """Sign out: the session is deleted server-side and its cookie cleared."""
    language = session.get("lang")
    session.clear()
    response = redirect(url_for("web.login"))
    if language:
        # A fresh anonymous session keeps the language; the signed-in one is gone for good.
        session["lang"] = language
        regenerate(session)
    return response


@bp.route("/lang", methods=["POST"])
def set_language() -> Any:
    """Switch the interface language and come back to the page the switch was on."""
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in LANGUAGES:
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data) or url_for("web.index"))


@bp.route("/analyst")
@login_required(roles=("analyst", "admin"))
def analyst_home() -> Any:
    """The analysts' home: links to the monthly labour-market reports."""
    return page("web/analyst.html", title=ROLE_TITLES["analyst"])


@bp.route("/admin/users", methods=["GET", "POST"])
@login_required(roles=("admin",))
def admin_users() -> Any:
    """List users and create one."""
    form = CreateUserForm()
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                created = accounts().create(form.username.data or "", form.password.data or "",
                                            form.role.data or "", employer_id=(form.employer_id.data or "").strip()
                                            or None, display_name=form.display_name.data, actor=_actor())
            except AppError as error:
                problems = add_service_errors(form, error.errors) or ([] if error.errors else [error.message])
                status = error.status
            else:
                flash(_("User %(name)s created.", name=created.username), "success")
                return redirect(url_for("web.admin_users"))
        else:
            status = 422
    return page("web/admin_users.html", status=status, form=form, users=accounts().list_users(),
                problems=problems, roles=ROLE_TITLES)


def _actor() -> str:
    """Return who acts, as the account service records it: the signed-in user's id."""
    user = current_user()
    assert user is not None  # only called from guarded views
    return user.user_id


def _user_or_404(user_id: str) -> User:
    user = accounts().get(user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    return user


@bp.route("/admin/users/<user_id>", methods=["GET"])
@login_required(roles=("admin",))
def admin_user(user_id: str) -> Any:
    """One user: reset the password, activate or deactivate."""
    user = _user_or_404(user_id)
    return page("web/admin_user.html", user=user, password_form=PasswordForm(), active_form=ActiveForm(),
                roles=ROLE_TITLES)


@bp.route("/admin/users/<user_id>/password", methods=["POST"])
@login_required(roles=("admin",))
def admin_user_password(user_id: str) -> Any:
    """Set a user's password; the user's other sessions end (whoever had it is signed out)."""
    user = _user_or_404(user_id)
    form = PasswordForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            accounts().set_password(user.user_id, form.password.data or "", actor=_actor())
        except AppError as error:
            problems = add_service_errors(form, error.errors) or ([] if error.errors else [error.message])
        else:
            if user.user_id != _actor():
                _session_store().delete_for_user(user.user_id)
            flash(_("The password of %(name)s has been changed.", name=user.username), "success")
            return redirect(url_for("web.admin_user", user_id=user.user_id))
    return page("web/admin_user.html", status=422, user=user, password_form=form, active_form=ActiveForm(),
                roles=ROLE_TITLES, problems=problems)


@bp.route("/admin/users/<user_id>/active", methods=["POST"])
@login_required(roles=("admin",))
def admin_user_active(user_id: str) -> Any:
    """Activate or deactivate a user; a deactivated user's sessions end at once."""
    user = _user_or_404(user_id)
    form = ActiveForm()
    if not form.validate_on_submit() or form.active.data not in ("0", "1"):
        return redirect(url_for("web.admin_user", user_id=user.user_id))
    active = form.active.data == "1"
    if not active and user.user_id == _actor():
        # Deactivating oneself would lock the last admin out as easily as any other.
        flash(_("You cannot deactivate your own account."), "error")
        return redirect(url_for("web.admin_user", user_id=user.user_id))
    accounts().set_active(user.user_id, active, actor=_actor())
    if not active:
        _session_store().delete_for_user(user.user_id)
    flash(_("%(name)s has been activated.", name=user.username) if active
          else _("%(name)s has been deactivated.", name=user.username), "success")
    return redirect(url_for("web.admin_user", user_id=user.user_id))


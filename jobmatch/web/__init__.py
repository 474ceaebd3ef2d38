"""The web application: server-rendered pages (Flask + Jinja2) for counsellors, employers, analysts and admins.

It is a second HTTP layer over the same services as the JSON API (never an HTTP client of it). `init_app` reads
like its table of contents: sessions in Elasticsearch, CSRF on every form outside the API, languages, the
pages, their headers and their error pages. The API under /api/v1 keeps its bearer tokens: it opens no session,
needs no CSRF token and keeps its JSON errors.
"""

from __future__ import annotations

import logging
import secrets

from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask_babel import Babel, get_locale
from flask_wtf.csrf import CSRFProtect

from jobmatch.accounts.sessions import SessionStore, lifetime_from
from jobmatch.errors import Unavailable
from jobmatch.extensions import state
from jobmatch.http import PAGE_CSP, PAGE_REFERRER_POLICY
from jobmatch.web import counsellor as _counsellor  # noqa: F401  (its pages join the `web` blueprint)
from jobmatch.web import employer as _employer  # noqa: F401  (its pages join the `web` blueprint)
from jobmatch.web import errors as web_errors
from jobmatch.web.auth import current_user, load_user
from jobmatch.web.forms import ROLE_TITLES
from jobmatch.web.i18n import LANGUAGE_NAMES, LANGUAGES, choose_language, compile_catalogues
from jobmatch.web.sessions import COOKIE_NAME, NO_SESSION_PATHS, EsSessionInterface
from jobmatch.web.views import bp

log = logging.getLogger(__name__)

SERVICE_NAME = "Trung tâm Dịch vụ việc làm Sóc Trăng — jobmatch"  # a proper name: the same in every language

csrf = CSRFProtect()  # unbound here, bound in init_app
babel = Babel()


def _select_locale() -> str:
    """Return the language of this request: the one chosen with the switch, else Vietnamese (not the browser's:
    the centre's computers may well run an English system)."""
    if not has_request_context():
        return LANGUAGES[0]
    return choose_language(session.get("lang"))


def _store_for(app: Flask) -> SessionStore:
    app_state = state(app)
    return SessionStore(app_state.es, app_state.prefix)


def _before_page() -> None:
    """Before every non-API request: refuse when sessions cannot be read, check the CSRF token of a form post,
    then read the signed-in user."""
    if request.path.startswith(NO_SESSION_PATHS):
        return
    if getattr(session, "unavailable", False):
        raise Unavailable("web sessions cannot be read")
    # A request no route answers (an unknown path, a method a route does not take) gets its 404 or 405, not a
    # CSRF refusal: there is no form behind it to protect.
    if request.method in csrf_methods() and request.routing_exception is None:
        csrf.protect()
    load_user()


def csrf_methods() -> set[str]:
    """Return the methods whose requests need a CSRF token (Flask-WTF's WTF_CSRF_METHODS)."""
    return set(current_app.config["WTF_CSRF_METHODS"])


def _page_headers(response: Response) -> Response:
    """Give the web app's pages their stricter CSP and a same-origin referrer (jobmatch.http adds the rest)."""
    if g.get("web_page"):
        response.headers["Content-Security-Policy"] = PAGE_CSP
        response.headers["Referrer-Policy"] = PAGE_REFERRER_POLICY
    return response


def _template_context() -> dict[str, object]:
    """Return what every template may use: the user, the language, the service name, role titles."""
    locale = get_locale()
    return {"current_user": current_user(), "lang": locale.language if locale else LANGUAGES[0],
            "languages": LANGUAGE_NAMES, "service_name": SERVICE_NAME, "role_titles": ROLE_TITLES}


def init_app(app: Flask) -> None:
    """Install the web app: sessions, CSRF, languages, pages, headers and error pages."""
    settings = state(app).settings
    secret = settings["WEB_SECRET_KEY"]
    if not secret:
        # Enough for one process (tests, `flask run`); several workers or hosts must share WEB_SECRET_KEY.
        log.warning("WEB_SECRET_KEY is not set: CSRF tokens are signed with a key of this process only")
        secret = secrets.token_urlsafe(32)
    app.secret_key = secret
    app.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SECURE=bool(settings["WEB_COOKIE_SECURE"]),
        SESSION_COOKIE_SAMESITE="Lax",
        # Checked by _before_page for every non-API path, not by Flask-WTF's own hook for every path: the API
        # (bearer tokens, no cookies) needs no token, and a new blueprint outside it cannot forget to ask.
        WTF_CSRF_CHECK_DEFAULT=False,
        # The token lives in the server-side session, which ends by itself: a form left open for a while
        # still posts while the session lives.
        WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE=LANGUAGES[0],
        BABEL_TRANSLATION_DIRECTORIES=str(compile_catalogues()),
    )
    app.session_interface = EsSessionInterface(_store_for, lifetime_from(settings))
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    app.before_request(_before_page)
    app.after_request(_page_headers)
    app.context_processor(_template_context)
    app.register_blueprint(bp)
    web_errors.init_app(app)

"""Server-side web sessions in Elasticsearch (`web_sessions`), behind Flask's `SessionInterface`.

The cookie `jm_session` carries only an opaque random id (`secrets.token_urlsafe(32)`, 256 bits); the document
id is its SHA-256, so whoever can read the index cannot turn a document into a working cookie. A session ends
after WEB_SESSION_IDLE_MINUTES without a request or WEB_SESSION_MAX_HOURS after it began, whichever comes first.

Fixation: `regenerate(session)` (called at sign-in) makes the response carry a new id and deletes the old document;
an emptied session (sign-out) is deleted server-side and its cookie cleared. A write to an existing session is
guarded by the version read, so it fails on a deleted document: a request still in flight cannot bring back a
session that an admin or a sign-out has just deleted.

API requests (bearer tokens) never open a session, so the JSON API does not touch this index at all.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError
from flask import Flask, Request, Response, request
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from jobmatch.accounts.sessions import Lifetime, Stored, is_live, new_session_id
from jobmatch.http import API_PREFIX

log = logging.getLogger(__name__)

COOKIE_NAME = "jm_session"
# last_seen_at is rewritten at most this often for a session nothing else changed: the idle timeout is counted in
# minutes, so a write per request would only load Elasticsearch.
TOUCH_SECONDS = 60
NO_SESSION_PATHS = (API_PREFIX, "/static/")  # bearer-token API and static files never need one


class WebSession(CallbackDict, SessionMixin):
    """The session of one request: its contents plus what the interface needs to store it."""

    def __init__(self, initial: dict[str, Any] | None = None, *, sid: str | None = None,
                 stored: Stored | None = None) -> None:
        def on_update(session: WebSession) -> None:
            session.modified = True
            session.accessed = True

        super().__init__(initial or {}, on_update)
        self.sid = sid  # None until stored
        self.stored = stored  # the document as read: its bookkeeping times and version
        self.modified = False
        self.accessed = False
        self.rotate = False  # set by regenerate(): store under a new id, delete the old one
        self.ended = False  # the cookie named a session that had expired or been deleted
        self.unavailable = False  # the store could not be read: the web layer answers 503

    @property
    def new(self) -> bool:  # type: ignore[override]
        """Tell whether the session has never been stored."""
        return self.sid is None


def regenerate(session: SessionMixin) -> None:
    """Give the session a new id when the response is sent, deleting the old one (call at sign-in)."""
    if isinstance(session, WebSession):
        session.rotate = True
        session.modified = True


class EsSessionInterface(SessionInterface):
    """Open and save `WebSession`s in a `SessionStore`."""

    def __init__(self, store_for: Any, lifetime: Lifetime) -> None:
        # store_for(app) -> SessionStore: the store is bound to the app's client and prefix at request time.
        self.store_for = store_for
        self.lifetime = lifetime

    def open_session(self, app: Flask, request: Request) -> WebSession:
        """Return the request's session: the stored one named by the cookie when still live, else a new one."""
        if request.path.startswith(NO_SESSION_PATHS):
            return WebSession()
        sid = request.cookies.get(self.get_cookie_name(app))
        if not sid:
            return WebSession()
        store = self.store_for(app)
        try:
            stored = store.load(sid)
        except (ApiError, TransportError) as exc:
            # Raised here it would escape every error handler (sessions open before dispatch): flag it instead.
            log.warning("web session not read: %s", type(exc).__name__)
            session = WebSession()
            session.unavailable = True
            return session
        now = datetime.now(UTC)
        if stored is None or not is_live(stored.doc, self.lifetime, now):
            if stored is not None:
                self._quietly(store.delete, sid)
            session = WebSession()
            session.ended = True
            return session
        return WebSession(dict(stored.doc.get("data") or {}), sid=sid, stored=stored)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """Store the session (or delete it when emptied) and set or clear the cookie."""
        if not isinstance(session, WebSession) or session.unavailable:
            return
        if request.path.startswith(NO_SESSION_PATHS):
            return
        name = self.get_cookie_name(app)
        cookie = {"domain": self.get_cookie_domain(app), "path": self.get_cookie_path(app),
                  "secure": self.get_cookie_secure(app), "httponly": True,
                  "samesite": self.get_cookie_samesite(app) or "Lax"}
        store = self.store_for(app)
        if not session:  # emptied (sign-out) or never used
            if session.sid is not None:
                store.delete(session.sid)
            if session.sid is not None or session.ended:
                response.delete_cookie(name, **cookie)
            return
        now = datetime.now(UTC)
        if session.rotate or session.sid is None:
            if session.sid is not None:
                store.delete(session.sid)
            session.sid = new_session_id()
            store.create(session.sid, self._document(session, now, user_changed=True))
            response.set_cookie(name, session.sid, **cookie)
            response.vary.add("Cookie")
            return
        if not session.modified and not self._stale(session, now):
            return
        assert session.stored is not None  # a session with an id was read from the store
        doc = {**session.stored.doc, **self._document(session, now, user_changed=False)}
        if not store.replace(session.sid, doc, session.stored):
            response.delete_cookie(name, **cookie)  # deleted meanwhile (sign-out elsewhere, admin): stays ended

    def _document(self, session: WebSession, now: datetime, *, user_changed: bool) -> dict[str, Any]:
        doc: dict[str, Any] = {"user_id": session.get("user_id"), "last_seen_at": now.isoformat(),
                               "data": dict(session)}
        if user_changed:  # a new id starts a new life: fixation is answered by a fresh session, not a renamed one
            doc["created_at"] = now.isoformat()
            doc["expires_at"] = (now + self.lifetime.absolute).isoformat()
        return doc

    def _stale(self, session: WebSession, now: datetime) -> bool:
        try:
            last_seen = datetime.fromisoformat(session.stored.doc["last_seen_at"])  # type: ignore[union-attr]
        except (AttributeError, KeyError, TypeError, ValueError):
            return True
        return (now - last_seen).total_seconds() >= TOUCH_SECONDS

    @staticmethod
    def _quietly(action: Any, *args: Any) -> None:
        try:
            action(*args)
        except (ApiError, TransportError) as exc:
            log.warning("web session not deleted: %s", type(exc).__name__)


"""Web sessions as stored in Elasticsearch (`web_sessions`): lookup, guarded writes, expiry and pruning.

Storage only, no Flask: the web layer's `SessionInterface` (jobmatch.web.sessions) sits on top, and the daily
housekeeping job prunes ended sessions through `SessionStore.prune`. The document id is the SHA-256 of the
cookie's session id, so whoever can read the index cannot turn a document into a working cookie.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import ConflictError, Elasticsearch, NotFoundError

from indexer.naming import alias_name
from jobmatch.search.purge import delete_matching

log = logging.getLogger(__name__)

INDEX = "web_sessions"


def hash_session_id(sid: str) -> str:
    """Return the hex SHA-256 of a session id, the only form in which it is stored."""
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def new_session_id() -> str:
    """Return a new random session id for the cookie."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Stored:
    """A session document as read, with the version a write must match."""

    doc: dict[str, Any]
    seq_no: int
    primary_term: int


@dataclass(frozen=True)
class Lifetime:
    """How long sessions live: without a request (idle) and at most (absolute)."""

    idle: timedelta
    absolute: timedelta


def lifetime_from(settings: Mapping[str, Any]) -> Lifetime:
    """Return the session lifetime the settings ask for (WEB_SESSION_IDLE_MINUTES, WEB_SESSION_MAX_HOURS)."""
    return Lifetime(idle=timedelta(minutes=int(settings["WEB_SESSION_IDLE_MINUTES"])),
                    absolute=timedelta(hours=int(settings["WEB_SESSION_MAX_HOURS"])))


class SessionStore:
    """Session documents in Elasticsearch, keyed by the hash of the session id. No Flask here."""

    def __init__(self, es: Elasticsearch, prefix: str) -> None:
        self.es = es
        self.alias = alias_name(prefix, INDEX)

    def load(self, sid: str) -> Stored | None:
        """Return the stored session of a cookie's id, or None when there is none."""
        if not sid or len(sid) > 100:  # a real id is 43 characters; anything long is not worth a lookup
            return None
        try:
            hit = self.es.get(index=self.alias, id=hash_session_id(sid))
        except NotFoundError:
            return None
        return Stored(hit["_source"], hit["_seq_no"], hit["_primary_term"])

    def create(self, sid: str, doc: dict[str, Any]) -> None:
        """Store a new session (op_type=create: a colliding id fails rather than taking over a session)."""
        # require_alias: when the index has not been created (`indices upgrade`), fail instead of letting
        # Elasticsearch create a concrete index with a guessed mapping under the alias's name.
        self.es.index(index=self.alias, id=hash_session_id(sid), document=doc, op_type="create", require_alias=True)

    def replace(self, sid: str, doc: dict[str, Any], seen: Stored) -> bool:
        """Overwrite an existing session as read in `seen`; return False when it has been deleted meanwhile.

        A whole-document write (a partial update would merge `data` and keep keys the session dropped), guarded
        by the version read, so that it cannot recreate a deleted session; a concurrent request's write is
        simply overwritten (the last request's contents win, as with any session store).
        """
        try:
            self.es.index(index=self.alias, id=hash_session_id(sid), document=doc, if_seq_no=seen.seq_no,
                          if_primary_term=seen.primary_term, require_alias=True)
        except ConflictError:
            current = self.load(sid)
            if current is None:
                return False
            return self.replace(sid, doc, current)
        return True

    def delete(self, sid: str) -> None:
        """Delete a session (idempotent)."""
        with contextlib.suppress(NotFoundError):
            self.es.delete(index=self.alias, id=hash_session_id(sid))

    def delete_for_user(self, user_id: str) -> int:
        """Delete every session of a user (deactivated, password reset); return how many were deleted."""
        return self._delete_matching({"term": {"user_id": user_id}})

    def prune(self, lifetime: Lifetime, now: datetime | None = None) -> int:
        """Delete sessions past their absolute end or idle for longer than allowed; return how many."""
        now = now or datetime.now(UTC)
        return self._delete_matching({"bool": {"should": [
            {"range": {"expires_at": {"lte": now.isoformat()}}},
            {"range": {"last_seen_at": {"lte": (now - lifetime.idle).isoformat()}}},
        ], "minimum_should_match": 1}})

    def _delete_matching(self, query: dict[str, Any]) -> int:
        """Delete the sessions a query finds; return how many."""
        return delete_matching(self.es, self.alias, query)

def is_live(doc: dict[str, Any], lifetime: Lifetime, now: datetime) -> bool:
    """Tell whether a stored session is still valid at `now` (neither idle too long nor past its end)."""
    try:
        expires_at = datetime.fromisoformat(doc["expires_at"])
        last_seen_at = datetime.fromisoformat(doc["last_seen_at"])
    except (KeyError, TypeError, ValueError):
        return False
    return now < expires_at and now - last_seen_at < lifetime.idle

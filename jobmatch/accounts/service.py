"""User accounts in Elasticsearch and signing in with a password, throttled. No Flask here.

Storage. One document per user in the `users` index, its `_id` the normalised username: creating with
`op_type=create` is what makes usernames unique (Elasticsearch has no other unique constraint). The public
`user_id` is random, so logs and other records can name a user without naming the person. Every update is an
index guarded by the `if_seq_no`/`if_primary_term` of a realtime GET, retried on conflict.

Passwords are hashed with Argon2id (argon2-cffi's defaults, RFC 9106's second recommended profile) after Unicode
NFC normalisation; a hash made with older parameters is replaced at the next successful sign-in.

Throttling. Each attempt is counted *before* the password is checked, in the `login_attempts` index, once under
the username and once under the client address (shared by all workers and hosts); a successful sign-in takes
its count back (and clears the username's). So concurrent guesses cannot slip past the limit while their hashes
are being verified. An attempt is refused as "throttled" while `limit` counted attempts lie within the window,
until the oldest of them leaves it. Unknown usernames are counted the same way and get the same answers and
about the same time (a dummy verify), so neither the message, the timing nor the throttling tells which
usernames exist.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import secrets
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import lru_cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from elasticsearch import ConflictError, Elasticsearch, NotFoundError

from config.settings import (
    LOGIN_MAX_FAILURES_PER_IP_DEFAULT,
    LOGIN_MAX_FAILURES_PER_USER_DEFAULT,
    LOGIN_WINDOW_SECONDS_DEFAULT,
)
from indexer.naming import alias_name
from jobmatch.accounts.passwords import (
    normalise_password,
    normalise_username,
    password_problems,
    username_problems,
)
from jobmatch.auth.tokens import grant_problems
from jobmatch.employers.lookup import require_active_employer
from jobmatch.errors import AppError, Conflict, NotFound, ValidationFailed
from jobmatch.search.purge import delete_matching

log = logging.getLogger(__name__)

INDEX = "users"
ATTEMPTS_INDEX = "login_attempts"
DISPLAY_NAME_MAX_LENGTH = 200
MAX_USERS = 10_000  # Elasticsearch's default result window; the centre has a few hundred users at most
_WRITE_TRIES = 8  # guarded writes retried on conflict; more than this many concurrent writers to one doc is a bug
Document = dict[str, Any]


@dataclass(frozen=True)
class User:
    """A person who can sign in: never carries the password hash."""

    user_id: str
    username: str
    role: str
    employer_id: str | None
    display_name: str | None
    active: bool


@dataclass(frozen=True)
class LoginLimits:
    """How many failed sign-ins (per username, per client address) a window of seconds allows."""

    max_failures_per_user: int = LOGIN_MAX_FAILURES_PER_USER_DEFAULT
    max_failures_per_ip: int = LOGIN_MAX_FAILURES_PER_IP_DEFAULT
    window_seconds: int = LOGIN_WINDOW_SECONDS_DEFAULT

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> LoginLimits:
        """Return the limits configured by LOGIN_MAX_FAILURES_PER_USER, LOGIN_MAX_FAILURES_PER_IP and
        LOGIN_WINDOW_SECONDS."""
        return cls(int(settings["LOGIN_MAX_FAILURES_PER_USER"]), int(settings["LOGIN_MAX_FAILURES_PER_IP"]),
                   int(settings["LOGIN_WINDOW_SECONDS"]))


class LoginRefused(AppError):
    """A sign-in was refused: `reason` is "invalid" (unknown user, wrong password or deactivated: one answer
    for all three) or "throttled" (too many failures; `retry_after` seconds until the next try can succeed)."""

    def __init__(self, reason: str, retry_after: int = 0) -> None:
        if reason == "throttled":
            super().__init__(f"too many failed sign-ins; try again in {retry_after} seconds", code="throttled",
                             extra={"retry_after": retry_after})
            self.status = 429
        else:
            super().__init__("wrong username or password", code="login_refused")
            self.status = 401
        self.reason = reason
        self.retry_after = retry_after


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def client_key(client_ip: str) -> str:
    """Return the throttling key of a client address: the address itself, an IPv4-mapped IPv6 as its IPv4,
    any other IPv6 as its /64 (one host usually holds a whole /64, so single addresses are free to vary)."""
    try:
        address = ipaddress.ip_address(client_ip.strip())
    except ValueError:
        return f"unparsed:{client_ip.strip()[:100]}"  # not expected from a WSGI server; still counted
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


@lru_cache(maxsize=8)
def _dummy_hash(params: tuple[Any, ...]) -> str:
    """Return a hash of a random secret made with these hasher parameters (computed once per process)."""
    time_cost, memory_cost, parallelism, hash_len, salt_len, kind = params
    hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism,
                            hash_len=hash_len, salt_len=salt_len, type=kind)
    return hasher.hash(secrets.token_urlsafe(32))


def _to_user(doc: Document) -> User:
    return User(user_id=doc["user_id"], username=doc["username"], role=doc["role"],
                employer_id=doc.get("employer_id"), display_name=doc.get("display_name"), active=bool(doc["active"]))


class AccountService:
    """Users under the `users` alias and their sign-in throttling under `login_attempts`.

    `clock` (returning an aware datetime) and `hasher` can be injected: tests move time instead of sleeping
    through a window, and use cheap hashing parameters.
    """

    def __init__(self, es: Elasticsearch, prefix: str, tz: tzinfo, *, limits: LoginLimits | None = None,
                 clock: Callable[[], datetime] = _utc_now, hasher: PasswordHasher | None = None) -> None:
        self.es = es
        self.prefix = prefix
        self.tz = tz  # local zone, for times shown to people; stored bookkeeping times are UTC (jobmatch.clock)
        self.alias = alias_name(prefix, INDEX)
        self.attempts_alias = alias_name(prefix, ATTEMPTS_INDEX)
        self.limits = limits or LoginLimits()
        self.clock = clock
        self.hasher = hasher or PasswordHasher()

    # --- accounts ---------------------------------------------------------------------------------

    def create(self, username: str, password: str, role: str, *, employer_id: str | None = None,
               display_name: str | None = None, actor: str) -> User:
        """Create an active user; 422 naming the field for bad input, 409 when the username is taken."""
        name = normalise_username(username)
        errors: dict[str, list[str]] = grant_problems(role, employer_id)
        if problems := username_problems(name):
            errors["username"] = problems
        shown = (display_name or "").strip() or None
        if shown and len(shown) > DISPLAY_NAME_MAX_LENGTH:
            errors["display_name"] = [f"must be at most {DISPLAY_NAME_MAX_LENGTH} characters long"]
        if problems := password_problems(password, name):
            errors["password"] = problems
        if errors:
            raise ValidationFailed("invalid user", errors={"json": errors})
        if employer_id is not None:
            self._check_employer(employer_id)
        now = self.clock().isoformat(timespec="milliseconds")
        doc: Document = {
            "user_id": f"usr-{uuid.uuid4().hex[:20]}", "username": name, "display_name": shown, "role": role,
            "employer_id": employer_id, "password_hash": self.hasher.hash(normalise_password(password)),
            "active": True, "created_at": now, "updated_at": now, "password_changed_at": now,
            "created_by": actor, "updated_by": actor,
        }
        try:
            # op_type=create on the username as _id: of two concurrent creations of one name, exactly one wins.
            self.es.index(index=self.alias, id=name, document=doc, op_type="create", refresh="wait_for")
        except ConflictError as exc:
            raise Conflict(f"the username {name} is taken", errors={"json": {"username": ["is taken"]}}) from exc
        log.info("user %s created (role %s) by %s", doc["user_id"], role, actor)
        return _to_user(doc)

    def get(self, user_id: str) -> User | None:
        """Return a user by id, or None."""
        loaded = self._load(user_id)
        return _to_user(loaded[1]) if loaded else None

    def find(self, username: str) -> User | None:
        """Return a user by username (any spelling that normalises to it), or None."""
        name = normalise_username(username)
        loaded = None if username_problems(name) else self._get_by_name(name)
        return _to_user(loaded[0]) if loaded else None

    def list_users(self) -> list[User]:
        """Return every user, by username."""
        response = self.es.search(index=self.alias, query={"match_all": {}}, size=MAX_USERS,
                                  sort=[{"username": "asc"}], source_excludes=["password_hash"])
        return [_to_user(hit["_source"]) for hit in response["hits"]["hits"]]

    def set_password(self, user_id: str, password: str, *, actor: str) -> None:
        """Replace a user's password (422 naming `password` when it breaks the rules) and lift the throttling
        of the username, so that a person locked out by failed attempts can sign in with the new one."""
        loaded = self._load(user_id)
        if loaded is None:
            raise NotFound(f"no user with id {user_id}")
        name = loaded[1]["username"]
        if problems := password_problems(password, name):
            raise ValidationFailed("invalid password", errors={"json": {"password": problems}})
        new_hash = self.hasher.hash(normalise_password(password))

        def change(doc: Document) -> bool:
            doc["password_hash"] = new_hash
            doc["password_changed_at"] = self.clock().isoformat(timespec="milliseconds")
            return True

        self._update(user_id, change, actor=actor)
        self._clear(self._attempts_id("user", name))
        log.info("password of user %s set by %s", user_id, actor)

    def set_active(self, user_id: str, active: bool, *, actor: str) -> User:
        """Activate or deactivate a user (a deactivated one cannot sign in); setting the current value again
        writes nothing."""

        def change(doc: Document) -> bool:
            if bool(doc["active"]) == active:
                return False
            doc["active"] = active
            return True

        doc = self._update(user_id, change, actor=actor)
        log.info("user %s %s by %s", user_id, "activated" if active else "deactivated", actor)
        return _to_user(doc)

    # --- signing in -----------------------------------------------------------------------------------

    def authenticate(self, username: str, password: str, *, client_ip: str) -> User:
        """Return the user whose username and password these are; raise LoginRefused ("invalid" or
        "throttled", with retry_after) otherwise. Deactivated users are refused as "invalid"."""
        name = normalise_username(username)
        now = _millis(self.clock())
        keys = [(self._attempts_id("ip", client_key(client_ip)), "ip", self.limits.max_failures_per_ip),
                (self._attempts_id("user", name), "user", self.limits.max_failures_per_user)]
        counted: list[str] = []
        for doc_id, kind, limit in keys:
            wait = self._count_attempt(doc_id, kind, limit, now)
            if wait:
                for done in counted:  # a refused attempt is not an attempt: take back what was counted
                    self._uncount_attempt(done, now)
                log.info("sign-in throttled for %s s (%s limit)", wait, kind)
                raise LoginRefused("throttled", wait)
            counted.append(doc_id)
        loaded = None if username_problems(name) else self._get_by_name(name)
        text = normalise_password(password)
        if loaded is None:
            self._verify(_dummy_hash(self._hasher_params()), text)  # as slow as a real check: existence stays hidden
            log.info("sign-in refused: no such user")
            raise LoginRefused("invalid")
        doc, seq_no, primary_term = loaded
        if not self._verify(doc["password_hash"], text) or not doc["active"]:
            log.info("sign-in refused for user %s%s", doc["user_id"], "" if doc["active"] else " (deactivated)")
            raise LoginRefused("invalid")
        self._clear(keys[1][0])  # success resets the username's count ...
        self._uncount_attempt(keys[0][0], now)  # ... and takes this attempt back from the address's
        if self.hasher.check_needs_rehash(doc["password_hash"]):
            self._rehash(name, doc, seq_no, primary_term, text)
        log.info("user %s signed in", doc["user_id"])
        return _to_user(doc)

    def purge_attempts(self) -> int:
        """Delete throttling records whose last attempt is older than the window (they no longer count and
        hold client addresses); return how many were deleted."""
        cutoff = datetime.fromtimestamp(_millis(self.clock()) / 1000 - self.limits.window_seconds, UTC)
        return delete_matching(self.es, self.attempts_alias, {"range": {"updated_at": {"lt": cutoff.isoformat()}}})

    # --- internals ------------------------------------------------------------------------------------

    def _hasher_params(self) -> tuple[Any, ...]:
        h = self.hasher
        return h.time_cost, h.memory_cost, h.parallelism, h.hash_len, h.salt_len, h.type

    def _verify(self, stored_hash: str, password: str) -> bool:
        try:
            return self.hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def _check_employer(self, employer_id: str) -> None:
        """Refuse a user bound to an employer that does not exist or is closed (as API tokens do)."""
        require_active_employer(self.es, self.prefix, employer_id, message="invalid user")

    def _get_by_name(self, name: str) -> tuple[Document, int, int] | None:
        """Return (document, seq_no, primary_term) of a normalised username by a realtime GET, or None."""
        try:
            found = self.es.get(index=self.alias, id=name)
        except NotFoundError:
            return None
        return found["_source"], found["_seq_no"], found["_primary_term"]

    def _load(self, user_id: str) -> tuple[str, Document, int, int] | None:
        """Return (_id, document, seq_no, primary_term) of a user id, or None."""
        hits = self.es.search(index=self.alias, query={"term": {"user_id": user_id}}, size=1,
                              source=False)["hits"]["hits"]
        if not hits:
            return None
        # The search only finds the _id; the document and its version come from a realtime GET, so a write
        # made since the last refresh is not missed.
        loaded = self._get_by_name(hits[0]["_id"])
        if loaded is None:
            return None
        return hits[0]["_id"], *loaded

    def _update(self, user_id: str, change: Callable[[Document], bool], *, actor: str) -> Document:
        """Apply `change` to a user's document with a guarded write, re-reading on conflict; `change` returns
        False when there is nothing to write. Return the document as it now is."""
        for _ in range(_WRITE_TRIES):
            loaded = self._load(user_id)
            if loaded is None:
                raise NotFound(f"no user with id {user_id}")
            doc_id, doc, seq_no, primary_term = loaded
            if not change(doc):
                return doc
            doc["updated_at"] = self.clock().isoformat(timespec="milliseconds")
            doc["updated_by"] = actor
            try:
                self.es.index(index=self.alias, id=doc_id, document=doc, if_seq_no=seq_no,
                              if_primary_term=primary_term, refresh="wait_for")
                return doc
            except ConflictError:
                continue
        raise Conflict(f"user {user_id} kept changing while being updated; try again")

    def _rehash(self, doc_id: str, doc: Document, seq_no: int, primary_term: int, password: str) -> None:
        """Store the password hashed with the current parameters; skipped when the user changed meanwhile
        (e.g. the password was reset: the new one must not be overwritten by the old)."""
        updated = {**doc, "password_hash": self.hasher.hash(password),
                   "updated_at": self.clock().isoformat(timespec="milliseconds")}
        try:
            # No refresh: nothing searches for a hash, and sign-ins read users by realtime GET.
            self.es.index(index=self.alias, id=doc_id, document=updated, if_seq_no=seq_no,
                          if_primary_term=primary_term)
        except ConflictError:
            return
        log.info("password hash of user %s upgraded", doc["user_id"])

    def _attempts_id(self, kind: str, key: str) -> str:
        return f"{kind}:{hashlib.sha256(key.encode('utf-8')).hexdigest()}"

    def _read_attempts(self, doc_id: str) -> tuple[list[int], int, int] | None:
        try:
            found = self.es.get(index=self.attempts_alias, id=doc_id)
        except NotFoundError:
            return None
        return list(found["_source"].get("failures") or []), found["_seq_no"], found["_primary_term"]

    def _write_attempts(self, doc_id: str, kind: str, failures: list[int], seen: tuple[int, int] | None,
                        now: int) -> bool:
        """Write a key's attempts guarded by the version read (create when there was none); False on conflict."""
        doc = {"kind": kind, "failures": failures,
               "updated_at": datetime.fromtimestamp(now / 1000, UTC).isoformat(timespec="milliseconds")}
        guard: dict[str, Any] = ({"op_type": "create"} if seen is None
                                 else {"if_seq_no": seen[0], "if_primary_term": seen[1]})
        try:
            # No refresh: throttling reads by realtime GET, never by search.
            self.es.index(index=self.attempts_alias, id=doc_id, document=doc, **guard)
        except ConflictError:
            return False
        return True

    def _count_attempt(self, doc_id: str, kind: str, limit: int, now: int) -> int:
        """Count an attempt under a key unless the key is throttled; return 0 when counted, else the seconds
        until it can be (nothing is written then)."""
        window = self.limits.window_seconds * 1000
        for _ in range(_WRITE_TRIES):
            read = self._read_attempts(doc_id)
            recent = sorted(t for t in (read[0] if read else []) if t > now - window)
            if len(recent) >= limit:
                # Throttled until the oldest of the last `limit` attempts leaves the window.
                return max(1, math.ceil((recent[-limit] + window - now) / 1000))
            # Only the last `limit` attempts can decide anything: the document stays small.
            kept = [*recent, now][-limit:]
            if self._write_attempts(doc_id, kind, kept, read[1:] if read else None, now):
                return 0
        raise Conflict("too many sign-ins at once; try again")

    def _uncount_attempt(self, doc_id: str, now: int) -> None:
        """Take one attempt made at `now` back from a key (it succeeded, or was refused before being tried)."""
        for _ in range(_WRITE_TRIES):
            read = self._read_attempts(doc_id)
            if read is None or now not in read[0]:
                return
            failures = list(read[0])
            failures.remove(now)
            kind = doc_id.split(":", 1)[0]
            if self._write_attempts(doc_id, kind, failures, read[1:], now):
                return
        log.warning("a sign-in attempt could not be taken back from its throttling count (kept contention)")

    def _clear(self, doc_id: str) -> None:
        """Forget every attempt counted under a key."""
        try:
            self.es.delete(index=self.attempts_alias, id=doc_id)
        except NotFoundError:
            return

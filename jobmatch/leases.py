"""Leases in Elasticsearch: at most one holder of a named lease at a time, across processes and hosts.

A lease is one document (id = its name) in the `leases` index. Every write to it is guarded: the first take
is an `op_type=create`, every later one (renewal, take-over) an index with the `if_seq_no`/`if_primary_term`
the writer last saw, so of two contenders writing at once exactly one succeeds and the other gets 409.

Time. No two hosts' clocks are compared, so the scheme does not depend on NTP for safety:
- the holder counts its lease from the moment it *sent* its last successful write, on its own monotonic clock,
  and believes it holds the lease only until that moment + TTL - margin (margin = TTL/6);
- a contender counts from the moment it first *saw* the current version of the document, on its own
  monotonic clock, and may take the lease over only when that version has stayed unchanged for a whole TTL.
The write happens after the holder sent it and before the contender saw it, so the holder stops believing
at least `margin` before anyone can take over. This holds as long as clocks *run* at about the same rate (drift
far below margin/TTL, true of any working clock) and a holder is not frozen (GC, SIGSTOP) for longer than the
margin between checking `held()` and acting on it. `renewed_at`/`expires_at` in the document are the holder's
wall-clock time (NTP-synchronised hosts assumed) and are for people reading the index; the protocol ignores
them. The price: a contender that has just started waits a full TTL before taking a lease whose holder died
without releasing it, since it cannot know how old the last renewal is.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import ConflictError, Elasticsearch, NotFoundError

from indexer.naming import alias_name

log = logging.getLogger(__name__)

DEFAULT_TTL_SECONDS = 30.0
INDEX = "leases"


class LeaseIndexMissing(RuntimeError):
    """The `leases` index does not exist: `flask --app wsgi jobmatch indices upgrade` creates it."""


def renew_interval(ttl: float) -> float:
    """Return how often a holder renews: three chances before the lease runs out."""
    return ttl / 3


def safety_margin(ttl: float) -> float:
    """Return how long before a contender may take over the holder stops believing it holds the lease."""
    return ttl / 6


def new_holder_id(host: str | None = None, pid: int | None = None) -> str:
    """Return a holder id unique to this process's life: host, pid and a random part (pids are reused)."""
    return f"{host or socket.gethostname()}:{pid or os.getpid()}:{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Seen:
    """The lease document as this process last saw it."""

    holder: str
    host: str
    seq_no: int
    primary_term: int

    @property
    def version(self) -> tuple[int, int]:
        return self.seq_no, self.primary_term


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


class Lease:
    """One named lease as seen by one contender (one holder id).

    `acquire`, `renew` and `release` return whether they did what they are named for; a lost race is False,
    never an exception. Storage failures (unreachable, timeout, 5xx) raise the client's errors: the caller
    decides how to log and when to try again. Not safe for concurrent use by several threads, except `held()`.
    """

    def __init__(self, es: Elasticsearch, prefix: str, name: str, *, ttl: float = DEFAULT_TTL_SECONDS,
                 holder: str | None = None, clock: Callable[[], float] = time.monotonic,
                 request_timeout: float | None = None) -> None:
        if ttl <= 0:
            raise ValueError("a lease needs a positive TTL")
        self.name = name
        self.ttl = ttl
        self.margin = safety_margin(ttl)
        self.renew_every = renew_interval(ttl)
        self.holder = holder or new_holder_id()
        self.host = socket.gethostname()
        self.index = alias_name(prefix, INDEX)
        self._clock = clock
        # A lease call must give up well inside the margin, and must not be retried by the client behind our back
        # (a retried write that had in fact been applied comes back as a 409 we would misread).
        timeout = request_timeout if request_timeout is not None else max(1.0, self.margin)
        self.es = es.options(request_timeout=timeout, max_retries=0, retry_on_timeout=False)
        self._seen: Seen | None = None
        self._seen_at = 0.0  # monotonic moment `_seen` (that version) was first seen
        self._valid_until: float | None = None  # monotonic; None when this contender does not hold the lease
        self._last_write_at = 0.0  # monotonic moment the last successful write was sent
        self._acquired_at: str | None = None

    # -- what this process believes ---------------------------------------------------------------------

    def held(self) -> bool:
        """Return whether this contender holds the lease now (safe to call from any thread)."""
        valid_until = self._valid_until
        return valid_until is not None and self._clock() < valid_until

    def seconds_left(self) -> float:
        """Return how long this contender still holds the lease (0 when it does not)."""
        valid_until = self._valid_until
        return 0.0 if valid_until is None else max(0.0, valid_until - self._clock())

    def renew_due_in(self) -> float:
        """Return the seconds until the next renewal is due (0 when due now or not held)."""
        if self._valid_until is None:
            return 0.0
        return max(0.0, self._last_write_at + self.renew_every - self._clock())

    def expires_in(self) -> float:
        """Return the seconds until a lease held by another would count as expired for this contender."""
        if self._seen is None or not self._seen.holder:
            return 0.0
        return max(0.0, self._seen_at + self.ttl - self._clock())

    @property
    def seen(self) -> Seen | None:
        """Return the lease document as last seen or written (None before the first look or when absent)."""
        return self._seen

    # -- storage -----------------------------------------------------------------------------------------

    def _read(self) -> Seen | None:
        try:
            hit = self.es.get(index=self.index, id=self.name)
        except NotFoundError as exc:
            if isinstance(exc.body, dict) and exc.body.get("found") is False:
                self._observe(None)
                return None
            raise LeaseIndexMissing(f"no index {self.index}; run `flask --app wsgi jobmatch indices upgrade`") from exc
        source = hit["_source"]
        seen = Seen(source.get("holder") or "", source.get("host") or "", hit["_seq_no"], hit["_primary_term"])
        self._observe(seen)
        return seen

    def _observe(self, seen: Seen | None) -> None:
        # The clock starts when a *new* version is first seen, after the answer came back: the write it shows
        # happened before that moment, so a take-over timed from here can never come early.
        if seen is None or self._seen is None or seen.version != self._seen.version:
            self._seen_at = self._clock()
        self._seen = seen

    def _document(self, now: datetime) -> dict[str, Any]:
        return {"name": self.name, "holder": self.holder, "host": self.host,
                "acquired_at": self._acquired_at or _iso(now), "renewed_at": _iso(now),
                "expires_at": _iso(now + timedelta(seconds=self.ttl))}

    def _write(self, expected: Seen | None) -> bool:
        """Write the lease as ours, guarded by the version `expected` (None: create); False when refused."""
        sent_at = self._clock()
        now = datetime.now(UTC)
        guard: dict[str, Any] = ({"op_type": "create"} if expected is None else
                                 {"if_seq_no": expected.seq_no, "if_primary_term": expected.primary_term})
        try:
            # require_alias: a missing alias must not auto-create a concrete index under its name.
            response = self.es.index(index=self.index, id=self.name, document=self._document(now),
                                     require_alias=True, refresh=False, **guard)
        except ConflictError:
            return False
        except NotFoundError as exc:
            raise LeaseIndexMissing(f"no alias {self.index}; run `flask --app wsgi jobmatch indices upgrade`") from exc
        if self._acquired_at is None:
            self._acquired_at = _iso(now)
        self._observe(Seen(self.holder, self.host, response["_seq_no"], response["_primary_term"]))
        self._last_write_at = sent_at
        self._valid_until = sent_at + self.ttl - self.margin
        return True

    def _lost(self) -> None:
        self._valid_until = None
        self._acquired_at = None

    # -- the protocol ------------------------------------------------------------------------------------

    def acquire(self) -> bool:
        """Take the lease if it is free, released, or expired; renew it if it is ours. Return whether we hold it.

        Expired means: the same version of the document, held by another, for a whole TTL as this contender saw
        it. Call it every few seconds; the first call only starts watching a lease another holds.
        """
        current = self._read()
        if current is None:
            return self._write(None) or self._settle()
        if current.holder == self.holder:
            # Ours: a write whose answer we missed, or a holder calling acquire again.
            return self._write(current) or self._settle()
        self._lost()
        if current.holder and self.expires_in() > 0:  # a version seen just now has the whole TTL ahead of it
            return False
        return self._write(current) or self._settle()

    def renew(self) -> bool:
        """Extend the lease we hold by a TTL; False (and no longer held) when another has taken it over."""
        if self._seen is None or self._seen.holder != self.holder:
            self._lost()
            return False
        if self._write(self._seen):
            return True
        return self._settle()

    def _settle(self) -> bool:
        """After a refused write: look again. Still ours means our own earlier write had been applied."""
        current = self._read()
        if current is not None and current.holder == self.holder:
            # Ours, but we cannot tell when that write was sent, so its validity is unknown: write once more.
            return self._write(current)
        self._lost()
        return False

    def release(self) -> bool:
        """Give the lease up at once so another contender can take it; return whether there was one to give up.

        Stop the work the lease guards *before* calling this.
        """
        self._lost()
        seen = self._seen
        if seen is None or seen.holder != self.holder:
            return False
        for _ in range(2):
            try:
                self.es.delete(index=self.index, id=self.name, if_seq_no=seen.seq_no,
                               if_primary_term=seen.primary_term, refresh=False)
            except NotFoundError:
                return False
            except ConflictError:
                current = self._read()
                if current is None or current.holder != self.holder:
                    return False
                seen = current
                continue
            self._observe(None)
            return True
        return False

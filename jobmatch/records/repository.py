"""Storage of records in Elasticsearch behind an alias: get with ETag, guarded create and update, paged search.

ETags come from the document's `_primary_term` and `_seq_no`: an update must present the ETag it read and
Elasticsearch refuses it if anyone wrote in between, so a stale write is a 412, never a silent overwrite.
Writes wait out the write block a reindex holds for the moment it swaps indices; any other block (disk flood
stage, read-only) fails at once and the API answers 503 (jobmatch.search.blocks).
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from elasticsearch import ApiError, ConflictError, Elasticsearch, NotFoundError

from jobmatch.errors import BadRequest, Conflict, NotFound, PreconditionFailed, PreconditionRequired
from jobmatch.search.blocks import parse_block, reindex_holds

T = TypeVar("T")
BLOCK_RETRY_SECONDS = 30.0


@dataclass(frozen=True)
class Stored:
    """A document as stored, with the ETag that guards its next update."""

    id: str
    source: dict[str, Any]
    etag: str


@dataclass(frozen=True)
class Page:
    """One page of a listing and the cursor of the next (None on the last page)."""

    items: list[Stored]
    total: int
    next_cursor: str | None


# What make_etag issues (weak or not), and the OpenAPI document's pattern for If-Match: primary terms start at 1,
# and both numbers fit Elasticsearch's long (a term of 0 or a longer number made it answer 400, and us 500).
ETAG_PATTERN = r'^(W/)?"[1-9][0-9]{0,17}-[0-9]{1,18}"$'
_ETAG = re.compile(r'(?:W/)?"([1-9][0-9]{0,17})-([0-9]{1,18})"')


def make_etag(primary_term: int, seq_no: int) -> str:
    """Return the ETag for a document version."""
    return f'"{primary_term}-{seq_no}"'


def parse_etag(etag: str) -> tuple[int, int]:
    """Return (primary_term, seq_no) from an ETag, or raise BadRequest."""
    found = _ETAG.fullmatch(etag.strip())
    if found is None:
        raise BadRequest(f"If-Match {etag!r} is not an ETag this API issued")
    return int(found.group(1)), int(found.group(2))


def require_etag(etag: str | None, what: str = "record") -> str:
    """Return the If-Match ETag of a guarded write, or raise PreconditionRequired (428) naming what to GET."""
    if not etag:
        raise PreconditionRequired(f"send If-Match with the ETag from your last GET of this {what}")
    return etag


def encode_cursor(sort_values: list[Any]) -> str:
    """Turn a hit's sort values into an opaque cursor."""
    return base64.urlsafe_b64encode(json.dumps(sort_values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> list[Any]:
    """Turn a cursor back into sort values, or raise BadRequest."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError) as exc:
        raise BadRequest("the cursor is not one this API issued") from exc
    if not isinstance(values, list):
        raise BadRequest("the cursor is not one this API issued")
    return values


class Repository:
    """Documents of one kind under one alias."""

    def __init__(self, es: Elasticsearch, alias: str, *, refresh: str | bool = "wait_for") -> None:
        self.es = es
        self.alias = alias
        self.refresh = refresh

    def _write(self, call: Callable[[], T]) -> T:
        # A reindex blocks writes for the few seconds it needs to catch up and swap: wait it out. Other blocks
        # last until someone acts, and waiting on them held every writer for 30 s before the same 503.
        deadline = time.monotonic() + BLOCK_RETRY_SECONDS
        delay = 0.05
        while True:
            try:
                return call()
            except ApiError as exc:
                block = parse_block(exc)
                if (block is None or not block.is_reindex_kind or time.monotonic() > deadline
                        or not reindex_holds(self.es, self.alias, str(block.index))):
                    raise
                time.sleep(delay)
                delay = min(delay * 2, 1.0)

    def get(self, doc_id: str, *, with_vectors: bool = False) -> Stored:
        """Return a document or raise NotFound."""
        try:
            hit = self.es.get(index=self.alias, id=doc_id, source_exclude_vectors=not with_vectors)
        except NotFoundError as exc:
            raise NotFound(f"no record with id {doc_id}") from exc
        return Stored(hit["_id"], hit["_source"], make_etag(hit["_primary_term"], hit["_seq_no"]))

    def find(self, doc_id: str) -> Stored | None:
        """Return a document or None."""
        try:
            return self.get(doc_id)
        except NotFound:
            return None

    def create(self, doc_id: str, document: dict[str, Any]) -> Stored:
        """Store a new document; raise Conflict when the id is taken."""
        try:
            result = self._write(lambda: self.es.index(index=self.alias, id=doc_id, document=document,
                                                       op_type="create", refresh=self.refresh))
        except ConflictError as exc:
            raise Conflict(f"a record with id {doc_id} already exists") from exc
        return Stored(doc_id, document, make_etag(result["_primary_term"], result["_seq_no"]))

    def replace(self, doc_id: str, document: dict[str, Any], *, etag: str) -> Stored:
        """Replace a document only if it is still at the version `etag` names; else PreconditionFailed."""
        term, seq = parse_etag(etag)
        try:
            result = self._write(lambda: self.es.index(index=self.alias, id=doc_id, document=document,
                                                       if_primary_term=term, if_seq_no=seq, refresh=self.refresh))
        except ConflictError as exc:
            raise PreconditionFailed("the record changed since you read it: GET it again and retry") from exc
        return Stored(doc_id, document, make_etag(result["_primary_term"], result["_seq_no"]))

    def search(self, *, query: dict[str, Any], sort: list[Any], size: int, cursor: str | None = None,
               source_excludes: list[str] | None = None) -> Page:
        """Return one page of matches, paged with search_after on `sort` (which must end in a unique field)."""
        kwargs: dict[str, Any] = {}
        if cursor:
            kwargs["search_after"] = decode_cursor(cursor)
        if source_excludes:
            kwargs["source_excludes"] = source_excludes
        try:
            response = self.es.search(index=self.alias, query=query, sort=sort, size=size + 1,
                                      seq_no_primary_term=True, track_total_hits=True, **kwargs)
        except ApiError as exc:
            if exc.status_code == 400 and cursor:
                raise BadRequest("the cursor does not fit this listing") from exc
            raise
        hits = response["hits"]["hits"]
        more = len(hits) > size
        hits = hits[:size]
        items = [Stored(h["_id"], h["_source"], make_etag(h["_primary_term"], h["_seq_no"])) for h in hits]
        next_cursor = encode_cursor(hits[-1]["sort"]) if more and hits else None
        return Page(items, int(response["hits"]["total"]["value"]), next_cursor)

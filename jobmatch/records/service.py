"""The record life cycle shared by employers, vacancies and jobseekers: create, read, patch, close, list.

A resource describes itself with a `ResourceSpec` (its input schema, how stored fields are derived, how its
embedding text is composed); `RecordService` does the rest the same way for all three. Access rules that
depend on who asks (an employer's own vacancies, what a role may see of a jobseeker) live in the resource
services on top of this one. No Flask here.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError

from config.settings import TIMEZONE_DEFAULT
from indexer.naming import alias_name
from jobmatch.clock import local_now_iso, local_today
from jobmatch.embeddings import Embedder
from jobmatch.errors import Conflict, ValidationFailed
from jobmatch.records.fields import expand_location
from jobmatch.records.repository import Page, Repository, Stored, require_etag
from jobmatch.segmentation import segment
from jobmatch.text import fold, has_diacritics

Document = dict[str, Any]
FOLDED_FALLBACK_BOOST = 0.07  # share of folded matches when the query has diacritics (3 × 0.07 ≈ 0.2 as before)
UNACCENTED_EXACT_SHARE = 0.2  # share of the accented-field clauses when the query has no diacritics
ALL_LANGUAGES = frozenset({"vi", "en"})  # without a model (documents built for tests or benches): full text
WORDS_BOOST = 4.0  # a whole-word match outranks the same syllables matched one by one
DEFAULT_TZ = ZoneInfo(TIMEZONE_DEFAULT)  # services built without the app (scripts, benches) still count local days


@dataclass(frozen=True)
class ResourceSpec:
    """How one kind of record is validated, stored and embedded."""

    name: str  # index name, e.g. "jobs"
    id_field: str  # e.g. "job_id"
    id_prefix: str  # e.g. "job"
    schema: type[Schema]  # input schema (create and, merged, patch)
    # (validated input, today's local date) -> stored fields computed from it
    derive: Callable[[Document, date], Document]
    search_text: Callable[[Document], str]  # what full-text search reads (folded copy stored too)
    # (document, languages the model serves) -> the text to embed
    embedding_text: Callable[[Document, frozenset[str]], str] | None = None
    # (document, languages) -> "text", or UNSERVED when that text is in a language the model does not read
    embedding_basis: Callable[[Document, frozenset[str]], str] | None = None
    location_fields: tuple[str, ...] = ()
    private_fields: tuple[str, ...] = field(default=())  # never copied into search text
    system_fields: tuple[str, ...] = field(default=())  # kept by other services (placements); edits keep them
    # Fills what the input may leave out (e.g. an auto-coded occupation), given the stored record if any;
    # raises ValidationFailed when it cannot. Runs after validation on every write path, API and import.
    complete: Callable[[Document, Document | None], None] | None = None


def now_iso() -> str:
    """Return the current UTC time in ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def record_id(prefix: str, external_id: str | None, source: str | None) -> str:
    """Return a stable id for an external id (so re-imports hit the same record), else a random one."""
    if external_id:
        digest = hashlib.sha256(f"{source or ''}\x1f{external_id}".encode()).hexdigest()[:20]
        return f"{prefix}-{digest}"
    return f"{prefix}-{uuid.uuid4().hex[:20]}"


def collapse_location(stored: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Turn a stored location back into the input form the schema accepts."""
    if not stored:
        return None
    legacy = stored.get("legacy") or {}
    # A point derived from the commune is not input: re-deriving keeps it in step with the commune.
    point = stored.get("location") if stored.get("location_source") in (None, "given") else None
    point = point or {}
    return {"commune_code": stored.get("commune_code"), "legacy_ward_code": legacy.get("ward_code"),
            "address": stored.get("address"), "lat": point.get("lat"), "lon": point.get("lon")}


def input_hash(data: Mapping[str, Any]) -> str:
    """Return a fingerprint of validated input, to tell a repeated import from a changed one."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


def _not_an_object() -> ValidationFailed:
    return ValidationFailed("the request body must be a JSON object", errors={"json": {"_schema": ["not an object"]}})


def validate(schema: type[Schema], payload: Any) -> Document:
    """Load a payload through a schema or raise ValidationFailed with one message list per field."""
    if not isinstance(payload, Mapping):
        raise _not_an_object()
    try:
        return schema().load(payload)
    except ValidationError as exc:
        raise ValidationFailed("the request has invalid fields", errors={"json": exc.normalized_messages()}) from exc


class RecordService:
    """Create, read, patch, close and list one kind of record."""

    def __init__(self, spec: ResourceSpec, *, es: Any, prefix: str, embedder: Embedder | None,
                 tz: tzinfo = DEFAULT_TZ) -> None:
        self.spec = spec
        self.tz = tz
        self.repo = Repository(es, alias_name(prefix, spec.name))
        self.embedder = embedder

    # --- building documents ---------------------------------------------------------------------------
    def input_view(self, stored: Mapping[str, Any]) -> Document:
        """Return the input fields of a stored document, in the form the schema loads."""
        names = self.spec.schema().fields.keys()
        view = {name: stored.get(name) for name in names if name in stored}
        for name in self.spec.location_fields:
            if name in view:
                view[name] = collapse_location(view[name])
        return {k: v for k, v in view.items() if v is not None}

    def build(self, data: Document, *, doc_id: str, current: Stored | None, actor: str | None) -> Document:
        """Return the document to store: validated input, derived fields, search texts, embedding."""
        doc: Document = dict(data)
        for name in self.spec.location_fields:
            if doc.get(name):
                doc[name] = expand_location(doc[name])
        doc.update(self.spec.derive(doc, local_today(self.tz)))
        doc[self.spec.id_field] = doc_id
        doc["input_hash"] = input_hash(data)
        text = self.spec.search_text(doc)
        doc["search_text"] = text
        doc["search_text_folded"] = fold(text)
        doc["search_words"] = segment(text)
        stamp = now_iso()
        previous = current.source if current else {}
        doc["created_at"] = previous.get("created_at", stamp)
        doc["created_by"] = previous.get("created_by", actor)
        doc["updated_at"] = stamp
        for name in self.spec.system_fields:
            if name in previous:
                doc[name] = previous[name]
        if previous.get("closed_at"):  # editing a closed record does not reopen it
            for keep in ("closed_at", "close_reason", "closed_by", "status"):
                if keep in previous:
                    doc[keep] = previous[keep]
        if self.spec.embedding_text is not None:
            languages = self.embedder.languages if self.embedder is not None else ALL_LANGUAGES
            embedding_text = self.spec.embedding_text(doc, languages)
            doc["embedding_text"] = embedding_text
            # A vector of text the model cannot read is kept (the field is uniform) but marked, so the matcher
            # leaves its similarity out instead of ranking by noise.
            doc["embedding_basis"] = self.spec.embedding_basis(doc, languages) if self.spec.embedding_basis else "text"
            if previous.get("embedding_text") == embedding_text and previous.get("embedding"):
                doc["embedding"] = previous["embedding"]  # unchanged text: no need to pay for the model
        return doc

    def embed_missing(self, docs: list[Document]) -> int:
        """Embed, in one batch, the documents whose text changed; return how many were embedded."""
        todo = [doc for doc in docs if "embedding_text" in doc and "embedding" not in doc]
        if todo:
            assert self.embedder is not None, "an embedded resource needs an embedder"
            for doc, vector in zip(todo, self.embedder.embed_documents([d["embedding_text"] for d in todo]),
                                   strict=True):
                doc["embedding"] = vector
        return len(todo)

    def build_embedded(self, data: Document, *, doc_id: str, current: Stored | None, actor: str | None) -> Document:
        """Build a document and embed it if needed (the single-record path of the API)."""
        doc = self.build(data, doc_id=doc_id, current=current, actor=actor)
        self.embed_missing([doc])
        return doc

    def complete(self, data: Document, previous: Document | None) -> None:
        """Fill what validated input may leave out (the resource's `complete` hook), in place."""
        if self.spec.complete is not None:
            self.spec.complete(data, previous)

    # --- operations -----------------------------------------------------------------------------------
    def create(self, data: Document, *, actor: str | None) -> tuple[Stored, bool]:
        """Store a new record; return (record, created). Re-sending the same external record is a no-op."""
        doc_id = record_id(self.spec.id_prefix, data.get("external_id"), data.get("source"))
        existing = self.repo.find(doc_id) if data.get("external_id") else None
        self.complete(data, existing.source if existing else None)
        if existing is not None:
            if existing.source.get("input_hash") == input_hash(data):
                return existing, False
            raise Conflict(f"record {doc_id} already exists with other content; PATCH it instead")
        doc = self.build_embedded(data, doc_id=doc_id, current=None, actor=actor)
        return self.repo.create(doc_id, doc), True

    def get(self, doc_id: str, *, with_vectors: bool = False) -> Stored:
        """Return one record."""
        return self.repo.get(doc_id, with_vectors=with_vectors)

    def patch(self, doc_id: str, changes: Mapping[str, Any], *, etag: str | None, actor: str | None,
              allowed: Callable[[Stored], None] | None = None,
              amend: Callable[[Document, Document], None] | None = None) -> Stored:
        """Apply top-level field changes guarded by the ETag the caller read; the merged record is re-validated.

        `amend(current, new)` may add system fields to the new version (a dated event of the change)."""
        etag = require_etag(etag)
        current = self.repo.get(doc_id, with_vectors=True)
        if allowed:
            allowed(current)
        if not isinstance(changes, Mapping):
            raise _not_an_object()
        for locked in ("external_id", "source"):
            if locked in changes and changes[locked] != current.source.get(locked):
                raise ValidationFailed.on_field(locked, "cannot be changed", message="invalid change")
        merged = {**self.input_view(current.source), **changes}
        merged = {k: v for k, v in merged.items() if v is not None}
        data = validate(self.spec.schema, merged)
        self.complete(data, current.source)
        doc = self.build_embedded(data, doc_id=doc_id, current=current, actor=actor)
        if amend:
            amend(current.source, doc)
        return self.repo.replace(doc_id, doc, etag=etag)

    def close(self, doc_id: str, *, reason: str, actor: str | None,
              updates: Document | Callable[[Document, str], Document] | None = None,
              allowed: Callable[[Stored], None] | None = None) -> Stored:
        """Mark a record closed with a reason; closing a closed record changes nothing.

        `updates` are more fields to set, or a function of the record and the closing time returning them."""
        current = self.repo.get(doc_id, with_vectors=True)
        if allowed:
            allowed(current)
        if current.source.get("closed_at"):
            return current
        # closed_at is a business time (local with offset); updated_at stays UTC bookkeeping (jobmatch.clock)
        closed_at = local_now_iso(self.tz)
        extra = updates(current.source, closed_at) if callable(updates) else updates or {}
        doc = {**current.source, **extra, "closed_at": closed_at, "close_reason": reason,
               "closed_by": actor, "updated_at": now_iso()}
        return self.repo.replace(doc_id, doc, etag=current.etag)

    def list(self, *, filters: list[Document], text: str | None, text_fields: list[str], size: int,
             cursor: str | None, include_closed: bool = False, excludes: list[str] | None = None) -> Page:
        """Return a page of records matching filters and, when given, a full-text query."""
        must_not = [] if include_closed else [{"exists": {"field": "closed_at"}}]
        query: Document = {"bool": {"filter": filters, "must_not": must_not}}
        if text:
            query["bool"]["must"] = [text_query(text, text_fields)]
            sort: list[Any] = ["_score", {self.spec.id_field: "asc"}]
        else:
            sort = [{"created_at": "desc"}, {self.spec.id_field: "asc"}]
        return self.repo.search(query=query, sort=sort, size=size, cursor=cursor,
                                source_excludes=["embedding", "embedding_text", *(excludes or [])])


def term_filters(args: Mapping[str, Any], fields: Mapping[str, str]) -> list[Document]:
    """Return a term filter for every listing argument given, on the field it names."""
    return [{"term": {field: args[arg]}} for arg, field in fields.items() if args.get(arg)]


def text_query(text: str, fields: list[str], *, folded: bool = True) -> Document:
    """Build the Vietnamese-aware full-text query: whole words, exact syllables, bigrams, then folded forms.

    `fields` are the accented text fields; each has a `.bigram` sub-field, `search_text_folded` holds the
    folded copy and `search_words` the word-segmented one. Typed with diacritics, exact forms lead and the
    folded copy is only a fallback ("may mặc", sewing, must not rank "máy", machine, alike). Typed without,
    the folded copy leads: against accented text an unaccented query matches only syllables that happen to
    carry no accent, which is noise. `folded=False` leaves the folded clauses out for accented text taken
    from stored records (they doubled the terms for no new hits).
    """
    accented = has_diacritics(text)
    exact = 1.0 if accented else UNACCENTED_EXACT_SHARE
    should: list[Document] = [
        {"multi_match": {"query": text, "fields": fields, "type": "best_fields", "boost": 3.0 * exact}},
        {"multi_match": {"query": text, "fields": [f"{f}.bigram" for f in fields], "boost": 2.0 * exact}},
    ]
    if "search_text" in fields and accented:  # whole words first: "lập_trình_viên", not "viên"
        should.insert(0, {"match": {"search_words": {"query": segment(text), "boost": WORDS_BOOST}}})
    if folded or not accented:
        plain, boost = fold(text), (FOLDED_FALLBACK_BOOST if accented else 1.0)
        should += [{"match": {"search_text_folded": {"query": plain, "boost": 3.0 * boost}}},
                   {"match": {"search_text_folded.bigram": {"query": plain, "boost": 2.0 * boost}}}]
    return {"bool": {"should": should, "minimum_should_match": 1}}

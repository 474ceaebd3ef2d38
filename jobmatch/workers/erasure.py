"""Erasing a person's data everywhere it was copied (Decree 13/2023/NĐ-CP, Art. 16: the right to erasure).

Two depths:

* **close** (the registration ends): the record loses contact, ID and disability details; the copies made for
  statistics lose the sensitive and identifying attributes (gender, birth year, ethnicity, disability, priority
  groups, registration date) from every placement and its first event.
* **erase** (a data-subject request, or consent withdrawn): additionally the record keeps only an allow-list of
  de-identified facts statistics need (commune, training, wanted occupations, registration and placement
  dates and status), and the person's id is removed from session attendance lists, which keep a count instead.

Places a person's data is copied to, and what happens to each, are listed in docs/privacy.md. The audit log
keeps record ids (never values) so that an erasure itself stays accountable. No Flask here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from elasticsearch import Elasticsearch, helpers

from indexer.naming import alias_name
from jobmatch.errors import Conflict, PreconditionFailed
from jobmatch.records.access import INTERNAL_FIELDS
from jobmatch.records.repository import Repository, Stored, make_etag
from jobmatch.records.service import now_iso

Document = dict[str, Any]
# A closed record no longer needs these; they are removed on close.
CLOSE_REMOVES = ("personal", "disability")
# What an erased record keeps: de-identified facts that the indicators count (docs/metrics.md). Anything not
# listed (name, contact, ID, birth year, gender, ethnicity, languages, priority groups, skills, certificates,
# past jobs and employers, free text, search text and the embedding) is dropped.
ERASE_KEEPS = ("worker_id", "source", "training_level", "training_rank", "general_education",
               "desired_occupations", "desired_occupation_groups", "experience_years", "registered_at",
               "employment_status", "placed_at", "placement_id", "status_before_placement", "consent",
               "created_at", "created_by", "updated_at", "closed_at", "closed_by")
RESIDENCE_KEEPS = ("province", "province_code", "commune", "commune_code", "urban", "legacy")
# The referral snapshot (jobmatch.placements.service.snapshot) keeps only the place and the training level.
SNAPSHOT_REMOVES = ("gender", "birth_year", "ethnicity", "has_disability", "priority_groups", "registered_at")


def closed_record(source: Document) -> tuple[Document, list[str]]:
    """Return the record as a closed registration keeps it and the names of the fields cleared."""
    cleared = [name for name in CLOSE_REMOVES if source.get(name)]
    if source.get("has_disability"):
        cleared.append("has_disability")
    return {**source, "personal": None, "disability": None, "has_disability": False}, cleared


def erased_record(source: Document, reason: str, at: str) -> tuple[Document, list[str]]:
    """Return the record as an erasure leaves it and the names of the fields removed (pure)."""
    kept = {name: source[name] for name in ERASE_KEEPS if name in source}
    residence = source.get("residence") or {}
    legacy = residence.get("legacy") or {}
    kept["residence"] = {k: residence[k] for k in RESIDENCE_KEEPS if k in residence and k != "legacy"}
    if legacy:
        # The former district is what pre-reform statistics group by; nothing finer is kept.
        kept["residence"]["legacy"] = {k: v for k, v in legacy.items() if k.startswith(("district", "province"))}
    removed = sorted(name for name, value in source.items()  # derived search fields go too, unnamed
                     if name not in kept and name not in INTERNAL_FIELDS and name != "work_history_codes"
                     and value not in (None, "", [], {}, False))
    kept.update(has_disability=False, erased_at=at, erasure_reason=reason, closed_at=source.get("closed_at") or at,
                close_reason=f"erased: {reason}", updated_at=at)
    return kept, removed


def stripped_snapshot(worker: Document | None) -> Document | None:
    """Return a referral snapshot of a person without the sensitive and identifying attributes."""
    if worker is None:
        return None
    return {k: v for k, v in worker.items() if k not in SNAPSHOT_REMOVES}


def attendance_without(attendance: Document | None, worker_id: str) -> Document | None:
    """Return a session's attendance with the person's id replaced by a count (None when they are not in it)."""
    if not attendance or worker_id not in (attendance.get("jobseekers") or []):
        return None
    return {**attendance, "jobseekers": [w for w in attendance["jobseekers"] if w != worker_id],
            "erased_jobseekers": int(attendance.get("erased_jobseekers") or 0) + 1}


class Copies:
    """The copies of a person's data outside their record: placements, placement events, session attendance."""

    def __init__(self, es: Elasticsearch, prefix: str) -> None:
        self.es = es
        self.placements = Repository(es, alias_name(prefix, "placements"))
        self.events = Repository(es, alias_name(prefix, "placement_events"))
        self.sessions = Repository(es, alias_name(prefix, "exchange_sessions"))

    def _scan(self, repo: Repository, query: Document) -> list[Stored]:
        hits = helpers.scan(self.es, index=repo.alias, query={"query": query}, seq_no_primary_term=True)
        return [Stored(h["_id"], h["_source"], make_etag(h["_primary_term"], h["_seq_no"])) for h in hits]

    def strip_placements(self, worker_id: str) -> int:
        """Remove sensitive attributes from the person's placements and their first events; return how many
        documents changed. Guarded writes: a placement changed meanwhile is read again and stripped again."""
        self.es.indices.refresh(index=[self.placements.alias, self.events.alias])
        changed = 0
        placements = self._scan(self.placements, {"term": {"worker_id": worker_id}})
        for stored in placements:
            changed += self._rewrite(self.placements, stored, lambda d: {**d, "worker": stripped_snapshot(
                d.get("worker"))} if _has_sensitive(d.get("worker")) else None)
        ids = [p.id for p in placements]
        if ids:
            for stored in self._scan(self.events, {"bool": {"filter": [{"terms": {"placement_id": ids}},
                                                                       {"exists": {"field": "seq"}}]}}):
                changed += self._rewrite(self.events, stored, _strip_event)
        return changed

    def remove_from_sessions(self, worker_id: str) -> int:
        """Replace the person's id in session attendance lists by a count; return how many sessions changed."""
        self.es.indices.refresh(index=self.sessions.alias)
        changed = 0
        for stored in self._scan(self.sessions, {"term": {"attendance.jobseekers": worker_id}}):
            changed += self._rewrite(self.sessions, stored, lambda d: (
                {**d, "attendance": att, "updated_at": now_iso()}
                if (att := attendance_without(d.get("attendance"), worker_id)) is not None else None))
        return changed

    def _rewrite(self, repo: Repository, stored: Stored, change: Callable[[Document], Document | None]) -> int:
        for _ in range(5):
            updated = change(dict(stored.source))
            if updated is None:
                return 0
            try:
                repo.replace(stored.id, updated, etag=stored.etag)
                return 1
            except PreconditionFailed:  # changed meanwhile (a transition): strip the new version
                stored = repo.get(stored.id)
        raise Conflict(f"record {stored.id} kept changing during the erasure; send the request again")


def _has_sensitive(worker: Document | None) -> bool:
    return bool(worker) and any(k in worker for k in SNAPSHOT_REMOVES)


def _strip_event(event: Document) -> Document | None:
    pair = event.get("pair")
    if not pair or not _has_sensitive(pair.get("worker")):
        return None
    return {**event, "pair": {**pair, "worker": stripped_snapshot(pair.get("worker"))}}

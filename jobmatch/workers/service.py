"""Jobseekers: derived fields, search and embedding text (never personal data), roles, listing filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from typing import Any

from jobmatch import language
from jobmatch.auth.tokens import Principal
from jobmatch.clock import local_today
from jobmatch.embeddings import UNSERVED, Embedder
from jobmatch.errors import Conflict, Forbidden, NotFound, ValidationFailed
from jobmatch.lookups.occupations import autocoder
from jobmatch.matching.constraints import available_worker_filters
from jobmatch.records import lifecycle
from jobmatch.records.access import sees_all_workers
from jobmatch.records.repository import Page, Stored, require_etag
from jobmatch.records.service import Document, RecordService, ResourceSpec, now_iso, term_filters
from jobmatch.records.vocab import ERASURE_REASONS, TRAINING_LABELS_VI, TRAINING_RANK
from jobmatch.reference import occupations
from jobmatch.workers import erasure
from jobmatch.workers.schemas import WorkerIn


def experience_years(history: list[Document], this_year: int) -> float:
    """Return the years of work history, counting an open-ended job up to this year."""
    total = 0
    for item in history:
        end = item.get("to_year") or this_year
        total += max(0, end - item["from_year"])
    return float(total)


def history_codes(history: list[Document]) -> list[str]:
    """Return each past job's occupation: as coded, else auto-coded from its title when confident, else ""."""
    codes = []
    for item in history:
        best = None if item.get("occupation_code") else autocoder().code(item.get("title") or "")[0]
        codes.append(item.get("occupation_code") or (best.code if best else ""))
    return codes


def occupation_groups(codes: list[str]) -> list[str]:
    """Return every ISCO-08 group (1 to 4 digits) the codes belong to, for proximity filters."""
    return sorted({code[:n] for code in codes for n in (1, 2, 3, 4)})


def _derive(doc: Document, today: date) -> Document:
    history = doc.get("work_history", [])
    past = history_codes(history)
    codes = list(doc.get("desired_occupations", [])) + [code for code in past if code]
    disability = doc.get("disability") or {}
    consent = dict(doc.get("consent") or {})
    if (consent.get("store_disability") or consent.get("show_to_employers")) and not consent.get("recorded_at"):
        consent["recorded_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    elif isinstance(consent.get("recorded_at"), datetime):
        consent["recorded_at"] = consent["recorded_at"].isoformat()
    derived: Document = {
        "work_history_codes": past,
        "training_rank": TRAINING_RANK[doc["training_level"]],
        "experience_years": experience_years(history, today.year),
        "desired_occupation_groups": occupation_groups(codes),
        "has_disability": bool(disability.get("functional_limitations") or disability.get("accommodations_needed")),
        "consent": consent,
    }
    for name in ("available_from", "registered_at", "last_contact_at"):
        if isinstance(doc.get(name), date):
            derived[name] = doc[name].isoformat()
    if not doc.get("registered_at"):
        derived["registered_at"] = today.isoformat()
    derived["registration_status"] = "active"  # a lapse, kept as a system field, overrides it (lifecycle)
    return derived


def _titles(doc: Document) -> list[str]:
    table = occupations()
    return [f"{table[c].label_vi} / {table[c].title_en}" for c in doc.get("desired_occupations", [])]


def _search_text(doc: Document) -> str:
    parts = [*_titles(doc), *doc.get("skills", []), *(c["name"] for c in doc.get("certificates", [])),
             *(h["title"] for h in doc.get("work_history", [])), TRAINING_LABELS_VI[doc["training_level"]]]
    return " \n".join(p for p in parts if p)


def embedding_text(doc: Document, languages: frozenset[str]) -> str:
    """Compose what a jobseeker is embedded from: wanted occupations (vi + en), skills, certificates, history.

    An English-only model reading a Vietnamese profile gets the English titles and ESCO skills of the wanted
    and past occupations (auto-coded history included) instead. Name, contact, ID, disability, gender and
    ethnicity never enter it.
    """
    parts = ["; ".join(_titles(doc)), "Skills: " + ", ".join(doc.get("skills", [])) if doc.get("skills") else "",
             ", ".join(c["name"] for c in doc.get("certificates", [])),
             ", ".join(h["title"] for h in doc.get("work_history", []))]
    text = ". ".join(p for p in parts if p)
    if _codes(doc) and not _own_text_served(doc, languages):
        return language.taxonomy_text(_codes(doc))
    return text


def _codes(doc: Document) -> list[str]:
    return [*doc.get("desired_occupations", []), *(c for c in doc.get("work_history_codes", []) if c)]


def _own_text_served(doc: Document, languages: frozenset[str]) -> bool:
    """Tell whether the model reads what the person said (skills, certificates, past jobs): not the Vietnamese
    titles composed from their codes."""
    own = " ".join([*doc.get("skills", []), *(c["name"] for c in doc.get("certificates", [])),
                    *(h["title"] for h in doc.get("work_history", []))])
    return not own.strip() or language.served(own, languages)


def embedding_basis(doc: Document, languages: frozenset[str]) -> str:
    """Return UNSERVED when the vector had to be made from text the model cannot read (no code to stand in)."""
    return "text" if _codes(doc) or _own_text_served(doc, languages) else UNSERVED


SPEC = ResourceSpec(name="workers", id_field="worker_id", id_prefix="ws", schema=WorkerIn, derive=_derive,
                    search_text=_search_text, embedding_text=embedding_text, embedding_basis=embedding_basis,
                    location_fields=("residence",),
                    system_fields=("placed_at", "placement_id", "status_before_placement", "registration_status",
                                   "lapsed_at", "lapse_reason", "inactive_periods", "status_history"))


class WorkerService:
    """Jobseekers as seen by one caller: employers only see consenting people, analysts none."""

    def __init__(self, *, es: Any, prefix: str, embedder: Embedder, principal: Principal, tz: tzinfo) -> None:
        self.records = RecordService(SPEC, es=es, prefix=prefix, embedder=embedder, tz=tz)
        self.copies = erasure.Copies(es, prefix)
        self.principal = principal

    def _visible(self, stored: Stored) -> None:
        if sees_all_workers(self.principal):
            return
        if self.principal.role == "employer" and (stored.source.get("consent") or {}).get("show_to_employers") \
                and not stored.source.get("closed_at"):
            return
        raise NotFound(f"no record with id {stored.id}")

    def _counsellors_only(self) -> None:
        if not sees_all_workers(self.principal):
            raise Forbidden(f"role {self.principal.role!r} may not change jobseeker records")

    def create(self, data: Document) -> tuple[Stored, bool]:
        """Register a jobseeker."""
        self._counsellors_only()
        return self.records.create(data, actor=self.principal.token_id)

    def get(self, worker_id: str) -> Stored:
        """Return a jobseeker if the caller may see them."""
        stored = self.records.get(worker_id)
        self._visible(stored)
        return stored

    def patch(self, worker_id: str, changes: dict[str, Any], etag: str | None) -> Stored:
        """Change fields, guarded by the ETag."""
        self._counsellors_only()
        if isinstance(changes, dict) and "last_contact_at" not in changes:
            # A counsellor's edit is a contact: it restarts the JOBSEEKER_LAPSE_DAYS clock.
            changes = {**changes, "last_contact_at": local_today(self.records.tz).isoformat()}
        return self.records.patch(worker_id, changes, etag=etag, actor=self.principal.token_id)

    def reactivate(self, worker_id: str, reason: str, etag: str | None) -> Stored:
        """Make a lapsed registration active again from today, guarded by the ETag; the lapse stays in the
        record's history (status_history, inactive_periods) so past months keep counting it inactive."""
        self._counsellors_only()
        etag = require_etag(etag)
        current = self.records.get(worker_id, with_vectors=True)
        if current.source.get("closed_at"):
            raise Conflict("a closed registration cannot be reactivated; register the person again")
        if current.source.get("registration_status") != "inactive":
            raise Conflict("only an inactive (lapsed) registration can be reactivated")
        today = local_today(self.records.tz)
        doc = {**current.source, **lifecycle.reactivated_fields(current.source, today, reason,
                                                                self.principal.token_id), "updated_at": now_iso()}
        return self.records.repo.replace(worker_id, doc, etag=etag)

    def close(self, worker_id: str, reason: str) -> tuple[Stored, list[str]]:
        """Close a registration: erase contact, ID and disability data from the record and the sensitive
        attributes from its copies (placements); return the record and the names of the fields cleared.

        The copies go first: if anything fails half-way, closing again finishes the job (it is idempotent).
        """
        self._counsellors_only()
        current = self.records.get(worker_id)
        stripped = self.copies.strip_placements(worker_id)
        if current.source.get("closed_at"):
            return current, []
        closed, cleared = erasure.closed_record(current.source)
        stored = self.records.close(worker_id, reason=reason, actor=self.principal.token_id,
                                    updates={k: closed[k] for k in ("personal", "disability", "has_disability")})
        return stored, cleared + (["placements.worker"] if stripped else [])

    def erase(self, worker_id: str, reason: str) -> tuple[Stored, list[str]]:
        """Erase a person on request: the record keeps only de-identified facts, copies lose every sensitive
        attribute, session attendance keeps a count instead of the id. Repeating it changes nothing."""
        self._counsellors_only()
        current = self.records.get(worker_id)
        if reason not in ERASURE_REASONS:
            raise ValidationFailed.on_field("reason", "must be one of " + ", ".join(ERASURE_REASONS))
        stripped = self.copies.strip_placements(worker_id)
        sessions = self.copies.remove_from_sessions(worker_id)
        if current.source.get("erased_at"):
            return current, []
        doc, removed = erasure.erased_record(current.source, reason, now_iso())
        doc["closed_by"] = current.source.get("closed_by") or self.principal.token_id
        stored = self.records.repo.replace(worker_id, doc, etag=current.etag)
        return stored, removed + (["placements.worker"] if stripped else []) + (
            ["exchange_sessions.attendance"] if sessions else [])

    def list(self, args: dict[str, Any]) -> Page:
        """Return a page of jobseekers matching the listing arguments and the caller's rights."""
        filters: list[Document] = []
        text_fields = ["search_text"]
        if self.principal.role == "employer":
            filters.append({"term": {"consent.show_to_employers": True}})
            if args.get("priority_group"):
                # A filter on a hidden attribute reveals it through who is listed (ethnicity, poverty).
                raise ValidationFailed.on_field("priority_group", "employers cannot filter by priority group",
                                                location="query", message="invalid filter")
        else:
            text_fields.append("personal.full_name")
        filters += term_filters(args, {"employment_status": "employment_status",
                                       "commune_code": "residence.commune_code",
                                       "district_code": "residence.legacy.district_code",
                                       "training_level": "training_level", "priority_group": "priority_groups",
                                       "occupation_code": "desired_occupation_groups"})
        return self.records.list(filters=filters, text=args.get("q"), text_fields=text_fields,
                                 size=args["size"], cursor=args.get("cursor"),
                                 include_closed=args.get("include_closed", False) and sees_all_workers(self.principal))

    def waiting_longest(self, size: int, cursor: str | None = None) -> Page:
        """Return the people waiting longest for a job: active registrations of people available now and not
        placed, oldest registration first (counsellors and admins)."""
        if not sees_all_workers(self.principal):
            raise Forbidden(f"role {self.principal.role!r} may not list jobseekers by waiting time")
        filters, must_not = available_worker_filters(local_today(self.records.tz).isoformat())
        query = {"bool": {"filter": [*filters, {"term": {"registration_status": "active"}}], "must_not": must_not}}
        return self.records.repo.search(query=query, sort=[{"registered_at": "asc"}, {"worker_id": "asc"}],
                                        size=size, cursor=cursor, source_excludes=["embedding", "embedding_text"])

"""Vacancies: derived fields, the text they are searched and embedded by, access rules, listing filters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from indexer.naming import alias_name
from jobmatch import language
from jobmatch.auth.tokens import Principal
from jobmatch.clock import local_date, local_now_iso, local_today
from jobmatch.embeddings import Embedder
from jobmatch.employers.service import SPEC as EMPLOYERS
from jobmatch.errors import Conflict, Forbidden, NotFound, ValidationFailed
from jobmatch.jobs.schemas import JobIn
from jobmatch.lookups.occupations import CONFIDENT, autocoder
from jobmatch.matching.constraints import open_job_filters
from jobmatch.records import lifecycle
from jobmatch.records.repository import Page, Repository, Stored, require_etag
from jobmatch.records.service import Document, RecordService, ResourceSpec, now_iso, term_filters
from jobmatch.records.vocab import TRAINING_RANK
from jobmatch.reference import occupations

REOPEN_CLOCK_SKEW = timedelta(minutes=5)  # a reopening `at` this far ahead of the server clock is still "now"


def _local_day(stamp: str, tz: tzinfo) -> date:
    """Return the local calendar day of an ISO date or date-time (a date-time without offset is UTC)."""
    if "T" not in stamp:
        return date.fromisoformat(stamp)
    return local_date(datetime.fromisoformat(stamp.replace("Z", "+00:00")), tz)


def occupation_info(code: str) -> Document:
    """Return the stored occupation: code, its ISCO-08 parents and titles in both languages."""
    unit = occupations()[code]
    return {"code": code, "minor": code[:3], "sub_major": code[:2], "major": code[:1],
            "title_vi": unit.label_vi, "title_en": unit.title_en}


def _derive(doc: Document, today: date) -> Document:
    derived: Document = {"occupation": occupation_info(doc["occupation_code"]),
                         "min_training_rank": TRAINING_RANK[doc["min_training_level"]]}
    if doc.get("status") == "open" and not doc.get("posted_at"):
        derived["posted_at"] = today.isoformat()
    for name in ("posted_at", "expires_at"):
        value = doc.get(name)
        if isinstance(value, date):
            derived[name] = value.isoformat()
    return derived


def _search_text(doc: Document) -> str:
    occ = doc["occupation"]
    parts = [doc["title"], occ["title_vi"], occ["title_en"], *doc.get("essential_skills", []),
             *doc.get("optional_skills", []), *doc.get("certificates", []), doc.get("description") or ""]
    return " \n".join(p for p in parts if p)


def embedding_text(doc: Document, languages: frozenset[str]) -> str:
    """Compose the text a vacancy is embedded from.

    A model that serves the posting's language reads occupation titles (vi + en), title, skills and
    description; an English-only model reading a Vietnamese posting gets the English title and ESCO skills
    of its occupation instead (Vietnamese text is noise to it: docs/benchmarks.md, Vietnamese harness).
    """
    occ = doc["occupation"]
    skills = ", ".join([*doc.get("essential_skills", []), *doc.get("optional_skills", [])])
    if not language.served(f"{doc['title']} {doc.get('description') or ''}", languages):
        return language.taxonomy_text([doc["occupation_code"]])
    parts = [f"{occ['title_vi']} / {occ['title_en']}", doc["title"], f"Skills: {skills}" if skills else "",
             (doc.get("description") or "")[:600]]
    return ". ".join(p for p in parts if p)


def bind_employer(data: Document, employer: Document | None) -> None:
    """Check that a vacancy's employer exists and is active, and take its industry when the vacancy names none.

    Raises ValidationFailed naming `employer_id`; shared by the API and the importer.
    """
    if employer is None or employer.get("closed_at"):
        raise ValidationFailed.on_field("employer_id", f"no active employer with id {data['employer_id']}",
                                        message="invalid employer")
    if not data.get("industry"):
        data["industry"] = employer.get("industry")


def complete_occupation(data: Document, previous: Document | None) -> None:
    """Code a vacancy that came without `occupation_code` from its title, or refuse it with candidates.

    A code the caller gives is `manual`; one the autocoder finds with enough confidence is stored with its
    confidence, the name it matched and the runners-up, so a counsellor can review and re-code it. An
    unchanged code keeps how it was coded.
    """
    code = data.get("occupation_code")
    if code:
        kept = previous and previous.get("occupation_code") == code and previous.get("occupation_coding")
        data["occupation_coding"] = previous["occupation_coding"] if kept else {"method": "manual"}
        return
    best, candidates = autocoder().code(data["title"])
    skills = data.get("essential_skills") or []
    if best is None and skills:
        best, candidates = max((best, candidates), autocoder().code(f"{data['title']} {' '.join(skills[:3])}"),
                               key=lambda pair: pair[1][0].confidence if pair[1] else 0.0)
    if best is None:
        found = ", ".join(f"{c.code} {c.title_vi} ({c.confidence:.2f})" for c in candidates) or "none"
        raise ValidationFailed(
            "occupation_code is missing and the title could not be coded with confidence",
            errors={"json": {"occupation_code": [
                f"missing, and the title could not be coded with confidence (needs {CONFIDENT}); "
                f"choose one of: {found}"]}},
            extra={"candidates": {"occupation_code": [c.as_dict() for c in candidates]}})
    data["occupation_code"] = best.code
    data["occupation_coding"] = {"method": "auto", "confidence": round(best.confidence, 3), "matched": best.matched,
                                 "candidates": [c.as_dict() for c in candidates]}


SPEC = ResourceSpec(name="jobs", id_field="job_id", id_prefix="job", schema=JobIn, derive=_derive,
                    search_text=_search_text, embedding_text=embedding_text, location_fields=("workplace",),
                    system_fields=("filled", "filled_by", "filled_at", "reopened_at", "reopen_reason", "hires",
                                   "posted_openings", "reopenings", "status_history", "closed_periods"),
                    complete=complete_occupation)


class JobService:
    """Vacancies as seen by one caller: employers see and change only their own."""

    def __init__(self, *, es: Any, prefix: str, embedder: Embedder, principal: Principal, tz: tzinfo) -> None:
        self.records = RecordService(SPEC, es=es, prefix=prefix, embedder=embedder, tz=tz)
        self.tz = tz
        self.employers = Repository(es, alias_name(prefix, EMPLOYERS.name))
        self.principal = principal

    def _own_only(self, stored: Stored) -> None:
        if self.principal.role == "employer" and stored.source.get("employer_id") != self.principal.employer_id:
            raise NotFound(f"no record with id {stored.id}")

    def _check_employer(self, data: Document) -> None:
        if self.principal.role == "employer" and data["employer_id"] != self.principal.employer_id:
            raise Forbidden("an employer token can only post vacancies for its own employer")
        found = self.employers.find(data["employer_id"])
        bind_employer(data, found.source if found else None)

    def create(self, data: Document) -> tuple[Stored, bool]:
        """Post a vacancy for an existing, active employer."""
        self._check_employer(data)
        return self.records.create(data, actor=self.principal.token_id)

    def get(self, job_id: str) -> Stored:
        """Return a vacancy (an employer's own only, for employer tokens)."""
        stored = self.records.get(job_id)
        self._own_only(stored)
        # On read, a vacancy past its expiry is expired even before the daily sweep records it (lifecycle).
        return Stored(stored.id, lifecycle.as_read(stored.source, local_today(self.tz)), stored.etag)

    def patch(self, job_id: str, changes: dict[str, Any], etag: str | None) -> Stored:
        """Change fields, guarded by the ETag; an employer cannot move a vacancy to another employer."""
        # Only an id can be looked up; anything else (empty, not a string) is named by the validation that follows.
        if isinstance(changes.get("employer_id"), str) and changes["employer_id"].strip():
            self._check_employer({"employer_id": changes["employer_id"]})  # a scratch dict: only checked
        return self.records.patch(job_id, changes, etag=etag, actor=self.principal.token_id,
                                  allowed=self._own_only, amend=self._date_openings_change)

    def _date_openings_change(self, current: Document, doc: Document) -> None:
        """Keep a change of openings after the posting day as a dated event, like a reopening, so that the
        posting month's new openings and past months' open openings stay as they were."""
        before, after = current.get("openings") or 1, doc.get("openings") or 1
        posted = lifecycle.calendar_day(current.get("posted_at"))
        if before == after or posted is None or posted >= local_today(self.tz):
            return
        doc["reopenings"] = [*(current.get("reopenings") or []),
                             {"at": local_now_iso(self.tz), "openings": after, "added": after - before, "kind": "edit"}]
        doc["posted_openings"] = current.get("posted_openings") or before

    def close(self, job_id: str, *, reason: str, status: str) -> Stored:
        """Close a vacancy as filled, closed or expired, with a reason."""
        actor = self.principal.token_id

        def closing(doc: Document, at: str) -> Document:
            return {"status": status, "status_history": lifecycle.status_event(doc, at, status, reason, actor)}
        return self.records.close(job_id, reason=reason, actor=actor, updates=closing, allowed=self._own_only)

    def reopen(self, job_id: str, *, openings: int, reason: str, etag: str | None,
               at: datetime | None = None, expires_at: date | None = None) -> Stored:
        """Open a filled, closed or expired vacancy again, guarded by the ETag.

        The hires that filled it stay counted (`filled_by`); `openings` must exceed them. The change is kept as a
        dated event (`reopenings`), and the openings at posting as `posted_openings`, so that the added openings
        count as new in the month of the reopening and the posting month never changes after the fact. The days
        it was closed become a `closed_periods` gap, so the months in between stay without it. An expired
        vacancy needs a new `expires_at` after the reopening.
        """
        etag = require_etag(etag, "vacancy")
        current = self.records.get(job_id, with_vectors=True)
        self._own_only(current)
        doc = lifecycle.as_read(current.source, local_today(self.tz))  # past its expiry: expired, swept or not
        if doc.get("status") not in ("filled", "closed", "expired"):
            raise Conflict(f"only a filled, closed or expired vacancy can be reopened (this one is "
                           f"{doc.get('status')})")
        filled = doc.get("filled") or 0
        if openings <= filled:
            raise ValidationFailed.on_field("openings", f"must be more than the {filled} openings already filled")
        moment = self._reopen_time(doc, at)
        day = date.fromisoformat(moment[:10])
        expiry = expires_at or lifecycle.calendar_day(doc.get("expires_at"))
        if expiry is not None and expiry < day:
            raise ValidationFailed.on_field("expires_at", f"the vacancy expired on {expiry.isoformat()}: give a new "
                                                          f"expires_at on or after {day.isoformat()}")
        before = doc.get("openings") or 1
        history = lifecycle.status_event(doc, moment, "open", reason, self.principal.token_id)
        gaps = lifecycle.closed_gap(doc, day)
        for name in ("closed_at", "close_reason", "closed_by"):
            doc.pop(name, None)
        reopenings = [*(doc.get("reopenings") or []),
                      {"at": moment, "openings": openings, "added": openings - before, "kind": "reopen"}]
        doc.update(status="open", openings=openings, reopened_at=moment, updated_at=now_iso(), reopen_reason=reason,
                   posted_openings=doc.get("posted_openings") or before, reopenings=reopenings,
                   status_history=history, closed_periods=gaps,
                   **({"expires_at": expiry.isoformat()} if expiry is not None else {}))
        return self.records.repo.replace(job_id, doc, etag=etag)

    def _reopen_time(self, doc: Document, at: datetime | None) -> str:
        """Return when a reopening happened (local time with offset): now, or a past moment not before the
        vacancy was filled or closed (its new openings must not land in a month that already ended filled)."""
        if at is None:
            return local_now_iso(self.tz)
        moment = at if at.tzinfo else at.replace(tzinfo=self.tz)
        if moment > datetime.now(UTC) + REOPEN_CLOCK_SKEW:
            raise ValidationFailed.on_field("at", "must not be in the future")
        stamp = moment.astimezone(self.tz).isoformat(timespec="milliseconds")
        ended = doc.get("closed_at") or doc.get("filled_at")
        if ended and datetime.fromisoformat(stamp).date() < _local_day(ended, self.tz):
            raise ValidationFailed.on_field("at", f"must not be before the vacancy was filled or closed ({ended[:10]})")
        return stamp

    def list(self, args: dict[str, Any]) -> Page:
        """Return a page of vacancies matching the listing arguments."""
        filters: list[Document] = []
        if self.principal.role == "employer":
            filters.append({"term": {"employer_id": self.principal.employer_id}})
        filters += term_filters(args, {"status": "status", "employer_id": "employer_id",
                                       "commune_code": "workplace.commune_code",
                                       "district_code": "workplace.legacy.district_code", "industry": "industry",
                                       "work_mode": "work_mode", "accommodation": "accommodations"})
        if args.get("occupation_code"):
            code = args["occupation_code"]
            level = {1: "major", 2: "sub_major", 3: "minor", 4: "code"}[len(code)]
            filters.append({"term": {f"occupation.{level}": code}})
        today = local_today(self.tz)
        if not args.get("include_closed", False):  # expired but not yet swept: already closed for the reader
            filters.append({"bool": {"must_not": [{"range": {"expires_at": {"lt": today.isoformat(),
                                                                             "format": "yyyy-MM-dd"}}}]}})
        page = self.records.list(filters=filters, text=args.get("q"), text_fields=["title", "search_text"],
                                 size=args["size"], cursor=args.get("cursor"),
                                 include_closed=args.get("include_closed", False))
        return Page([Stored(s.id, lifecycle.as_read(s.source, today), s.etag) for s in page.items], page.total,
                    page.next_cursor)

    def posted_since(self, day: date, size: int) -> Page:
        """Return open, unexpired vacancies posted on or after `day`, newest first (employers: their own)."""
        today = local_today(self.tz)
        filters, must_not = open_job_filters(today.isoformat())
        filters = [*filters, {"range": {"posted_at": {"gte": day.isoformat(), "format": "yyyy-MM-dd"}}}]
        if self.principal.role == "employer":
            filters.append({"term": {"employer_id": self.principal.employer_id}})
        page = self.records.repo.search(query={"bool": {"filter": filters, "must_not": must_not}},
                                        sort=[{"posted_at": "desc"}, {"job_id": "asc"}], size=size,
                                        source_excludes=["embedding", "embedding_text"])
        return Page([Stored(s.id, lifecycle.as_read(s.source, today), s.etag) for s in page.items], page.total,
                    page.next_cursor)

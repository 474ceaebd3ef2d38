"""Job exchange sessions: who takes part, whom to invite (from the matcher), who came and what came of it.

No Flask here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from indexer.naming import alias_name
from jobmatch.auth.tokens import Principal
from jobmatch.errors import Conflict, ValidationFailed
from jobmatch.exchange.schemas import SessionIn
from jobmatch.matching.service import Matcher, MatchParams
from jobmatch.records.repository import Page, Repository, Stored, require_etag
from jobmatch.records.service import Document, RecordService, ResourceSpec, now_iso

OUTCOME_STAGES = ("referred", "interviewed", "offered", "hired")


def _derive(doc: Document, today: date) -> Document:
    return {"date": doc["date"].isoformat() if isinstance(doc["date"], date) else doc["date"]}


def _search_text(doc: Document) -> str:
    venue = (doc.get("venue") or {}).get("commune", "")
    return " ".join(p for p in (doc["title"], doc.get("venue_name") or "", venue) if p)


SPEC = ResourceSpec(name="exchange_sessions", id_field="session_id", id_prefix="ses", schema=SessionIn,
                    derive=_derive, search_text=_search_text, location_fields=("venue",),
                    system_fields=("attendance",))


@dataclass(frozen=True)
class Invitation:
    """One person invited to a session, with the vacancies they are invited for (best first)."""

    worker: Document
    vacancies: list[Document]


def allocate(ranked: dict[str, list[Document]], *, per_vacancy: int, max_per_person: int) -> dict[str, list[str]]:
    """Pick invitees: each vacancy's best candidates, no person invited more than `max_per_person` times.

    Goes round by rank (every vacancy's 1st choice, then every 2nd, ...) so that a strong candidate for many
    vacancies does not take all their places in the first ones listed. Returns person id -> job ids.
    Pure, so that the fairness of the allocation is easy to test.
    """
    invited: dict[str, list[str]] = {}
    taken = dict.fromkeys(ranked, 0)
    depth = max((len(c) for c in ranked.values()), default=0)
    for rank in range(depth):
        for job_id, candidates in ranked.items():
            if rank >= len(candidates) or taken[job_id] >= per_vacancy:
                continue
            person = candidates[rank]["worker_id"]
            if len(invited.get(person, [])) >= max_per_person:
                continue
            invited.setdefault(person, []).append(job_id)
            taken[job_id] += 1
    return invited


def attendance_view(attendance: Document | None, role: str) -> Document | None:
    """Return a session's attendance as `role` may see it: analysts get counts, not whose ids came."""
    if not attendance or role in ("admin", "counsellor"):
        return attendance
    people = attendance.get("jobseekers") or []
    return {"jobseekers_count": len(people) + int(attendance.get("erased_jobseekers") or 0),
            "employers": attendance.get("employers") or [], "walk_ins": attendance.get("walk_ins") or 0,
            "recorded_at": attendance.get("recorded_at")}


class ExchangeService:
    """Sessions as counsellors and analysts see them."""

    def __init__(self, *, es: Any, prefix: str, principal: Principal) -> None:
        self.records = RecordService(SPEC, es=es, prefix=prefix, embedder=None)
        self.employers = Repository(es, alias_name(prefix, "employers"))
        self.jobs = Repository(es, alias_name(prefix, "jobs"))
        self.placements_alias = alias_name(prefix, "placements")
        self.es = es
        self.principal = principal

    def _check_parties(self, data: Document) -> None:
        problems: dict[str, list[str]] = {}
        found = self.es.mget(index=self.employers.alias, ids=data["employer_ids"], _source=["closed_at"])["docs"]
        missing = [d["_id"] for d in found if not d.get("found") or d["_source"].get("closed_at")]
        if missing:
            problems["employer_ids"] = [f"no active employer with id {', '.join(missing)}"]
        jobs = self.es.mget(index=self.jobs.alias, ids=data["job_ids"], _source=["employer_id"])["docs"]
        unknown = [d["_id"] for d in jobs if not d.get("found")]
        foreign = [d["_id"] for d in jobs if d.get("found") and d["_source"]["employer_id"] not in data["employer_ids"]]
        if unknown:
            problems.setdefault("job_ids", []).append(f"no vacancy with id {', '.join(unknown)}")
        if foreign:
            problems.setdefault("job_ids", []).append(
                f"vacancies of employers not taking part: {', '.join(foreign)}")
        if problems:
            raise ValidationFailed("the session names records that cannot take part", errors={"json": problems})

    def create(self, data: Document) -> tuple[Stored, bool]:
        """Plan a session (idempotent for a repeated external id)."""
        self._check_parties(data)
        return self.records.create(data, actor=self.principal.token_id)

    def get(self, session_id: str) -> Stored:
        """Return a session."""
        return self.records.get(session_id)

    def patch(self, session_id: str, changes: Document, etag: str | None) -> Stored:
        """Change a session, guarded by the ETag; the participants are checked again."""
        def check(stored: Stored) -> None:
            merged = {**self.records.input_view(stored.source), **changes}
            # Only non-empty lists of ids can be looked up: the validation that follows names any other value.
            lists = [merged.get("employer_ids", []), merged.get("job_ids", [])]
            well_formed = all(isinstance(ids, list) and ids and all(isinstance(i, str) and i.strip() for i in ids)
                              for ids in lists)
            if ("employer_ids" in changes or "job_ids" in changes) and well_formed:
                self._check_parties({"employer_ids": merged.get("employer_ids", []),
                                     "job_ids": merged.get("job_ids", [])})
        return self.records.patch(session_id, changes, etag=etag, actor=self.principal.token_id, allowed=check)

    def list(self, args: Document) -> Page:
        """Return sessions, newest first, optionally within dates or of a status."""
        filters: list[Document] = []
        if args.get("status"):
            filters.append({"term": {"status": args["status"]}})
        if args.get("date_from") or args.get("date_to"):
            span = {k: v.isoformat() for k, v in (("gte", args.get("date_from")), ("lte", args.get("date_to"))) if v}
            filters.append({"range": {"date": span}})
        return self.records.repo.search(query={"bool": {"filter": filters}}, size=args["size"],
                                        sort=[{"date": "desc"}, {"session_id": "asc"}], cursor=args.get("cursor"))

    def record_attendance(self, session_id: str, data: Document, etag: str | None) -> Stored:
        """Replace the session's attendance (who came), guarded by the ETag."""
        etag = require_etag(etag, "session")
        current = self.records.get(session_id)
        if current.source.get("status") == "cancelled":
            raise Conflict("a cancelled session has no attendance")
        unknown = sorted(set(data["employers"]) - set(current.source["employer_ids"]))
        if unknown:
            raise ValidationFailed.on_field("employers", f"not taking part in this session: {', '.join(unknown)}")
        doc = {**current.source, "attendance": {**data, "recorded_at": now_iso()}, "updated_at": now_iso()}
        return self.records.repo.replace(session_id, doc, etag=etag)

    def outcomes(self, session_id: str) -> Document:
        """Count what came of the session: placements made there, by the furthest stage they reached."""
        aggs = {stage: {"filter": {"exists": {"field": f"{stage}_at"}}} for stage in OUTCOME_STAGES}
        response = self.es.search(index=self.placements_alias, size=0, query={"term": {"session_id": session_id}},
                                  aggs={**aggs, "people": {"cardinality": {"field": "worker_id"}}})
        result = {stage: response["aggregations"][stage]["doc_count"] for stage in OUTCOME_STAGES}
        result["people"] = response["aggregations"]["people"]["value"]
        return result

    def invitations(self, session_id: str, matcher: Matcher, *, per_vacancy: int,
                    max_per_person: int) -> tuple[Document, list[Invitation]]:
        """Build the invitation list: each open vacancy's best candidates, each person at most N times."""
        session = self.records.get(session_id).source
        if session.get("status") == "cancelled":
            raise Conflict("the session is cancelled")
        ranked: dict[str, list[Document]] = {}
        titles: dict[str, Document] = {}
        for job in self._open_jobs(session["job_ids"]):
            # Fetch spares: people taken by earlier vacancies leave room for the next on the list.
            ranked[job["job_id"]] = matcher.workers_for_job(job["job_id"], MatchParams(
                size=min(100, per_vacancy * (max_per_person + 2))))["items"]
            titles[job["job_id"]] = job
        chosen = allocate(ranked, per_vacancy=per_vacancy, max_per_person=max_per_person)
        people = {m["worker_id"]: m for matches in ranked.values() for m in matches}
        invitations = []
        for person, job_ids in sorted(chosen.items(), key=lambda kv: people[kv[0]]["worker"].get(
                "personal", {}).get("full_name", kv[0])):
            entries = []
            for job_id in job_ids:
                match = next(m for m in ranked[job_id] if m["worker_id"] == person)
                entries.append({"job_id": job_id, "title": titles[job_id]["title"],
                                "employer_id": titles[job_id]["employer_id"], "score": match["score"],
                                "reasons": match["reasons"]})
            invitations.append(Invitation(worker=people[person]["worker"], vacancies=entries))
        return session, invitations

    def _open_jobs(self, job_ids: list[str]) -> Iterator[Document]:
        internal = ["embedding", "search_text", "search_text_folded", "search_words"]
        docs = self.es.mget(index=self.jobs.alias, ids=job_ids, _source_excludes=internal)["docs"]
        for doc in docs:
            if doc.get("found") and doc["_source"].get("status") == "open" and not doc["_source"].get("closed_at"):
                yield doc["_source"]


def invitation_rows(session: Document, invitations: list[Invitation]) -> Iterator[dict[str, Any]]:
    """Yield one flat row per (person, vacancy): what the CSV download and the printable page show.

    Only what an invitation needs: name, phone, commune; never national ID, disability or priority groups.
    """
    for invitation in invitations:
        personal = invitation.worker.get("personal") or {}
        residence = invitation.worker.get("residence") or {}
        for vacancy in invitation.vacancies:
            yield {"session_id": session["session_id"], "session_date": session["date"],
                   "worker_id": invitation.worker["worker_id"], "full_name": personal.get("full_name", ""),
                   "phone": personal.get("phone", ""), "commune": residence.get("commune", ""),
                   "job_id": vacancy["job_id"], "job_title": vacancy["title"], "employer_id": vacancy["employer_id"],
                   "score": vacancy["score"], "reason": "; ".join(r["vi"] for r in vacancy["reasons"][:3])}

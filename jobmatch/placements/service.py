"""Referrals and placements: create, move through the life cycle, follow up, and apply a hire to its records.

Every change is first appended to `placement_events` under the id `<placement_id>-<seq>` with op_type create:
of two writers that read the same version, only one can create the next event, and the other gets 412. The
placement document is then rewritten as the fold of its events. A hire also marks the person placed and fills
one of the vacancy's openings (closing it when all are filled); those writes are idempotent (the placement id
is recorded on both records) and a placement keeps `effects_applied: false` until they are done, so a crash
in between is repaired by reading the placement again or by `flask --app wsgi jobmatch placements repair`.
No Flask here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from elasticsearch import helpers

from indexer.naming import alias_name
from jobmatch.auth.tokens import Principal
from jobmatch.errors import Conflict, Forbidden, NotFound, PreconditionFailed, ValidationFailed
from jobmatch.matching import constraints
from jobmatch.metrics.definitions import is_trained
from jobmatch.placements import lifecycle
from jobmatch.records.lifecycle import status_event
from jobmatch.records.repository import Page, Repository, Stored, parse_etag, require_etag
from jobmatch.records.service import now_iso

Document = dict[str, Any]
EMPLOYER_MAY_SET = ("interviewed", "offered", "hired", "rejected")
CLOCK_SKEW = timedelta(minutes=5)  # an `at` this far ahead of the server clock is still "now"
REPAIR_PAGE = 1000  # placements compared per round trip when repair scans the event log
RETRIES = 5  # read-modify-write attempts on a record someone else is changing at the same time
# Constraints a counsellor cannot override by referring anyway; a long commute is the person's choice.
FILLED_REASON = "all openings filled by placements"
BLOCKING = ("vacancy_not_open", "person_not_available", "certificate", "accommodation", "task_demand")


def placement_id(job_id: str, worker_id: str) -> str:
    """Return the one id a (vacancy, person) pair's placement has, so repeating a referral is harmless."""
    return "pl-" + hashlib.sha256(f"{job_id}\x1f{worker_id}".encode()).hexdigest()[:20]


def event_time(at: datetime | None, tz: tzinfo, *, field: str = "at") -> str:
    """Return when an event happened as ISO 8601 in local time; naive input is local time.

    Stored with the local offset so that the calendar day (and month) of a hire is the one the counsellor
    means: 00:30 on 1 November in Sóc Trăng is still 31 October in UTC.
    """
    now = datetime.now(UTC)
    if at is None:
        return now.astimezone(tz).isoformat(timespec="milliseconds")
    moment = at if at.tzinfo else at.replace(tzinfo=tz)
    if moment > now + CLOCK_SKEW:
        raise ValidationFailed.on_field(field, "must not be in the future")
    return moment.astimezone(tz).isoformat(timespec="milliseconds")


def snapshot(job: Document, worker: Document) -> Document:
    """Return the attributes statistics group placements by, as they are at referral."""
    residence = worker.get("residence") or {}
    workplace = job.get("workplace") or {}
    return {
        "worker": {"commune_code": residence.get("commune_code"),
                   "district_code": (residence.get("legacy") or {}).get("district_code"),
                   "urban": residence.get("urban"), "gender": worker.get("gender"),
                   "birth_year": worker.get("birth_year"), "ethnicity": worker.get("ethnicity"),
                   "training_level": worker.get("training_level"),
                   "trained": is_trained(worker),
                   "has_disability": bool(worker.get("has_disability")),
                   "priority_groups": worker.get("priority_groups") or [],
                   "registered_at": worker.get("registered_at")},
        "job": {"occupation_code": job.get("occupation_code"),
                "occupation_major": (job.get("occupation") or {}).get("major"), "industry": job.get("industry"),
                "commune_code": workplace.get("commune_code"),
                "district_code": (workplace.get("legacy") or {}).get("district_code"),
                "urban": workplace.get("urban"), "training_level": job.get("min_training_level"),
                "social_insurance": job.get("social_insurance"), "posted_at": job.get("posted_at")},
    }


def retry_update(repo: Repository, doc_id: str, change: Callable[[Document], Document | None]) -> Document:
    """Read a record, let `change` return its new version (None = nothing to do), write it guarded by its ETag.

    Retries when someone else wrote in between; returns the stored document.
    """
    for _ in range(RETRIES):
        current = repo.get(doc_id, with_vectors=True)
        updated = change(dict(current.source))
        if updated is None:
            return current.source
        try:
            return repo.replace(doc_id, updated, etag=current.etag).source
        except PreconditionFailed:
            continue
    raise Conflict(f"record {doc_id} kept changing; try again")


def _fillers(job: Document) -> list[str]:
    """Return the placements that filled a vacancy, by the hires and openings stored on it."""
    return lifecycle.fills(job.get("hires") or [], *lifecycle.openings_history(job))["fillers"]


class PlacementService:
    """Referrals as seen by one caller: employers see and move only those for their own vacancies."""

    def __init__(self, *, es: Any, prefix: str, principal: Principal, tz: tzinfo) -> None:
        self.es = es
        self.tz = tz
        self.placements = Repository(es, alias_name(prefix, "placements"))
        self.events = Repository(es, alias_name(prefix, "placement_events"))
        self.jobs = Repository(es, alias_name(prefix, "jobs"))
        self.workers = Repository(es, alias_name(prefix, "workers"))
        self.sessions = Repository(es, alias_name(prefix, "exchange_sessions"))
        self.principal = principal
        self._events: dict[str, list[Document]] = {}

    # --- reading ------------------------------------------------------------------------------------------
    def history(self, pid: str, *, fresh: bool = True) -> list[Document]:
        """Return a placement's events in order.

        `fresh=False` reuses the events this service read when it last loaded the placement (each request has
        its own service), so a response does not read the log twice.
        """
        if fresh or pid not in self._events:
            hits = helpers.scan(self.es, index=self.events.alias, preserve_order=True, sort=[{"seq": "asc"}],
                                query={"query": {"term": {"placement_id": pid}}})
            self._events[pid] = [h["_source"] for h in hits]
        return self._events[pid]

    def get(self, pid: str) -> Stored:
        """Return a placement, repaired first if it lags behind its events or its hire is not yet applied."""
        stored = self._reconciled(pid)
        self._own_only(stored.source)
        return stored

    def _reconciled(self, pid: str, known: list[Document] | None = None) -> Stored:
        stored = self.placements.find(pid)
        events = self.history(pid) or (known or [])
        if stored is None and not events:
            raise NotFound(f"no placement with id {pid}")
        if stored is None or events[-1]["seq"] > stored.source.get("seq", 0):
            stored = self._project(pid, events, stored)
        if stored.source.get("status") == "hired" and not stored.source.get("effects_applied"):
            stored = self._apply_hire(stored)
        return stored

    def _project(self, pid: str, events: list[Document], stored: Stored | None) -> Stored:
        """Rewrite the placement document as the fold of its events (the first event carries the pair)."""
        first = events[0]
        base = dict(stored.source) if stored else {
            "placement_id": pid, **first["pair"], "created_at": first["recorded_at"], "created_by": first["actor"],
            "effects_applied": False}
        base.update(lifecycle.fold(events), updated_at=now_iso())
        try:
            if stored is None:
                return self.placements.create(pid, base)
            return self.placements.replace(pid, base, etag=stored.etag)
        except (Conflict, PreconditionFailed):  # another reader repaired it at the same moment
            return self.placements.get(pid)

    def _own_only(self, placement: Document) -> None:
        if self.principal.role == "employer" and placement.get("employer_id") != self.principal.employer_id:
            raise NotFound(f"no placement with id {placement.get('placement_id')}")

    def list(self, args: dict[str, Any]) -> Page:
        """Return a page of placements filtered by vacancy, person, status, session or follow-up due by a date."""
        filters: list[Document] = [{"term": {name: args[name]}} for name in
                                   ("job_id", "worker_id", "status", "session_id", "employer_id") if args.get(name)]
        if self.principal.role == "employer":
            filters.append({"term": {"employer_id": self.principal.employer_id}})
        if args.get("follow_up_due"):
            due = args["follow_up_due"].isoformat()
            filters.append({"bool": {"should": [
                {"bool": {"filter": {"range": {f"follow_ups.{key}.due": {"lte": due}}},
                          "must_not": {"exists": {"field": f"follow_ups.{key}.recorded_at"}}}}
                for key in lifecycle.FOLLOW_UP_MONTHS]}})
        return self.placements.search(query={"bool": {"filter": filters}}, size=args["size"],
                                      sort=[{"created_at": "desc"}, {"placement_id": "asc"}], cursor=args.get("cursor"))

    # --- writing ------------------------------------------------------------------------------------------
    def _append(self, pid: str, seq: int, event: Document) -> None:
        try:
            self.events.create(f"{pid}-{seq:04d}", {"placement_id": pid, "seq": seq, "recorded_at": now_iso(),
                                                    "actor": self.principal.token_id, **event})
        except Conflict as exc:
            raise PreconditionFailed("the placement changed since you read it: GET it again and retry") from exc

    def create(self, data: Document) -> tuple[Stored, bool]:
        """Refer a person to a vacancy; return (placement, created). Repeating an open referral returns it."""
        job = self.jobs.find(data["job_id"])
        if job is None:
            raise ValidationFailed.on_field("job_id", f"no vacancy with id {data['job_id']}")
        worker = self.workers.find(data["worker_id"])
        if worker is None:
            raise ValidationFailed.on_field("worker_id", f"no jobseeker with id {data['worker_id']}")
        if data.get("session_id"):
            found = self.sessions.find(data["session_id"])
            if found is None or data["job_id"] not in found.source.get("job_ids", []):
                raise ValidationFailed.on_field("session_id",
                                                "no job exchange session with this id offers this vacancy")
        pid = placement_id(data["job_id"], data["worker_id"])
        existing = self.placements.find(pid)
        if existing is not None or self.history(pid):
            current = self._reconciled(pid)
            if current.source["status"] in lifecycle.FINAL:
                raise Conflict(f"this person's referral to this vacancy already ended ({current.source['status']})")
            return current, False
        blocking = [v for v in constraints.violations(job.source, worker.source) if v in BLOCKING]
        if blocking:
            raise Conflict("the pair breaks hard constraints: " + ", ".join(blocking), code="constraint_violated")
        at = event_time(data.get("at"), self.tz)
        pair = {"job_id": data["job_id"], "worker_id": data["worker_id"],
                "employer_id": job.source.get("employer_id"), **snapshot(job.source, worker.source)}
        if data.get("session_id"):
            pair["session_id"] = data["session_id"]
        try:
            self._append(pid, 1, {"kind": "transition", "from_status": None, "to_status": data["status"], "at": at,
                                  "reason": data.get("reason"), "pair": pair})
        except PreconditionFailed:  # the same referral is being made right now: return that one
            # Its first event exists but search may not see it yet: a real-time GET by id does.
            first = self.events.find(f"{pid}-0001")
            return self._reconciled(pid, known=[first.source] if first else None), False
        return self._reconciled(pid), True

    def transition(self, pid: str, *, to: str, at: datetime | None, reason: str | None, etag: str | None) -> Stored:
        """Move a placement to its next status, guarded by the ETag the caller read."""
        current = self._guarded(pid, etag)
        status = current.source["status"]
        if self.principal.role == "employer" and to not in EMPLOYER_MAY_SET:
            raise Forbidden(f"employers may set only {', '.join(EMPLOYER_MAY_SET)}")
        if not lifecycle.allowed(status, to):
            nxt = ", ".join(lifecycle.NEXT.get(status, ())) or "nothing (final)"
            raise Conflict(f"a placement cannot go from {status} to {to}; from {status}: {nxt}",
                           code="invalid_transition")
        moment = self._not_before_last(current.source, event_time(at, self.tz))
        self._append(pid, current.source["seq"] + 1, {"kind": "transition", "from_status": status, "to_status": to,
                                                      "at": moment, "reason": reason})
        return self._reconciled(pid)

    def follow_up(self, pid: str, *, which: str, still_employed: bool, at: datetime | None, note: str | None,
                  etag: str | None) -> Stored:
        """Record whether a placed person is still employed 3 (`m3`) or 6 (`m6`) months after the hire."""
        current = self._guarded(pid, etag)
        if current.source["status"] != "hired":
            raise Conflict("follow-ups are for hired placements", code="invalid_transition")
        if (current.source.get("follow_ups") or {}).get(which, {}).get("recorded_at"):
            raise Conflict(f"follow-up {which} is already recorded", code="already_recorded")
        moment = self._not_before_last(current.source, event_time(at, self.tz))
        self._append(pid, current.source["seq"] + 1, {"kind": "follow_up", "follow_up": which, "at": moment,
                                                      "still_employed": still_employed, "reason": note})
        return self._reconciled(pid)

    def _guarded(self, pid: str, etag: str | None) -> Stored:
        etag = require_etag(etag, "placement")
        parse_etag(etag)  # one that this API never issues is a 400, as on the registers, not a 412
        current = self.get(pid)
        if etag.strip().removeprefix("W/") != current.etag:
            raise PreconditionFailed("the placement changed since you read it: GET it again and retry")
        return current

    def _not_before_last(self, placement: Document, moment: str) -> str:
        last = max((placement.get(f"{s}_at") or "" for s in lifecycle.STATUSES), default="")
        if last and lifecycle.day_of(moment) < lifecycle.day_of(last):
            raise ValidationFailed.on_field("at", f"must not be before the placement's last event ({last[:10]})")
        return moment

    # --- a hire's consequences ----------------------------------------------------------------------------
    def _apply_hire(self, stored: Stored) -> Stored:
        """Mark the person placed and fill one opening; idempotent, so it can run again after a crash."""
        placement = stored.source
        pid, hired_at = placement["placement_id"], placement["hired_at"]

        def place(worker: Document) -> Document | None:
            if worker.get("placement_id") == pid:
                return None
            before = worker.get("employment_status")
            return {**worker, "employment_status": "placed", "placed_at": hired_at[:10], "placement_id": pid,
                    "status_before_placement": before if before != "placed" else worker.get(
                        "status_before_placement"), "updated_at": now_iso()}

        def fill(job: Document) -> Document | None:
            hires = self._hires(job)
            known = any(h["placement_id"] == pid for h in hires)
            if not known:
                hires.append({"placement_id": pid, "hired_at": hired_at})
            initial, reopenings = lifecycle.openings_history({**job, "hires": hires})
            result = lifecycle.fills(hires, initial, reopenings)
            # This hire completed the set (rather than being one more after it was complete already).
            completes = not known and result["filled"] and not lifecycle.fills(
                [h for h in hires if h["placement_id"] != pid], initial, reopenings)["filled"]
            order = {p: i for i, p in enumerate(result["order"])}
            hires.sort(key=lambda h: order[h["placement_id"]])
            updated = {**job, "hires": hires, "filled_by": [h["placement_id"] for h in hires], "filled": len(hires)}
            status = job.get("status")
            # The hire that takes the last opening fills the vacancy even if it was closed meanwhile: a close
            # racing a hire then ends the same way whichever write lands first (filled, with days to fill). A
            # hire applied again (a repair) or one more after the set was complete does not turn a close into a fill.
            by_fill = job.get("close_reason") == FILLED_REASON  # not a close someone recorded by hand
            if result["filled_by"] and (status in ("open", "filled") or by_fill or completes):
                filler_at = result["filled_at"]
                updated.update(status="filled", filled_at=lifecycle.day_of(filler_at).isoformat())
                if status != "filled":
                    updated["status_history"] = status_event(job, filler_at, "filled", FILLED_REASON,
                                                             self.principal.token_id)
                if by_fill or not job.get("closed_at"):
                    # Closed by the fill: the close moves with it, so no hire is dated after the close.
                    updated.update(closed_at=filler_at, close_reason=FILLED_REASON,
                                   closed_by=job.get("closed_by") or self.principal.token_id)
            if updated == job:
                return None
            updated["updated_at"] = now_iso()
            return updated

        worker = retry_update(self.workers, placement["worker_id"], place)
        job = retry_update(self.jobs, placement["job_id"], fill)
        fillers = self._sync_fills(job, pid)
        filled = pid in fillers
        done = {**placement, "effects_applied": True, "filled_vacancy": filled,
                "days_to_placement": lifecycle.days_between(worker.get("registered_at"), hired_at),
                "days_to_fill": lifecycle.days_between(job.get("posted_at"), hired_at) if filled else None,
                "updated_at": now_iso()}
        try:
            written = self.placements.replace(pid, {k: v for k, v in done.items() if v is not None}, etag=stored.etag)
        except PreconditionFailed:
            return self.placements.get(pid)
        # Another hire of the same vacancy may have landed between our vacancy write and this one, and its sync
        # skipped us (not applied yet then): read the vacancy again and settle every hire, this one included.
        latest = self.jobs.get(placement["job_id"]).source
        if (pid in _fillers(latest)) != filled:
            self._sync_fills(latest, None)
            return self.placements.get(pid)
        return written

    def _hires(self, job: Document) -> list[Document]:
        """Return a vacancy's hires with their dates; those of a vacancy stored before hires had dates (only
        `filled_by`) are read from their placements."""
        hires = [dict(h) for h in job.get("hires") or []]
        missing = [p for p in job.get("filled_by") or [] if p not in {h["placement_id"] for h in hires}]
        if missing:
            docs = self.es.mget(index=self.placements.alias, ids=missing, _source=["hired_at"])["docs"]
            for doc in docs:
                # A hire whose placement is gone still took an opening: date it at the posting, the earliest.
                found = (doc.get("_source") or {}).get("hired_at") if doc.get("found") else None
                hires.append({"placement_id": doc["_id"],
                              "hired_at": found or job.get("posted_at") or "1970-01-01"})
        return hires

    def _sync_fills(self, job: Document, applying: str | None) -> list[str]:
        """Set `filled_vacancy` and `days_to_fill` on the vacancy's hires (but `applying`, which sets its own) to what
        its timeline says now; return the placements that filled it.

        A back-dated hire can take the fill from another hire, or give it to one that took an earlier opening.
        Guarded writes that only change what differs, so running again (repair) is harmless.
        """
        fillers = _fillers(job)
        for hire in job.get("hires") or []:
            other = hire["placement_id"]
            if other == applying:
                continue
            should = other in fillers

            def mark(doc: Document, should: bool = should) -> Document | None:
                if not doc.get("effects_applied") or bool(doc.get("filled_vacancy")) == should:
                    return None  # not applied yet: its own application sets it
                changed = {**doc, "filled_vacancy": should, "updated_at": now_iso()}
                days = lifecycle.days_between(job.get("posted_at"), doc.get("hired_at"))
                if should and days is not None:
                    changed["days_to_fill"] = days
                else:
                    changed.pop("days_to_fill", None)
                return changed

            if self.placements.find(other) is not None:
                retry_update(self.placements, other, mark)
        return fillers

    def repair(self) -> int:
        """Bring every placement in line with its events and apply every hire not yet applied; return how many
        placements were repaired.

        Two scans: placements marked hired but not applied, and the event log itself (the last sequence number
        of each placement against the placement's), which finds a hire whose event was saved but whose
        placement document was never rewritten, or never created.
        """
        self.es.indices.refresh(index=[self.placements.alias, self.events.alias])
        query = {"bool": {"filter": [{"term": {"status": "hired"}}], "must_not": [{"term": {"effects_applied": True}}]}}
        todo = {h["_id"] for h in helpers.scan(self.es, index=self.placements.alias, query={"query": query},
                                               _source=False)}
        todo.update(self._lagging())
        for pid in sorted(todo):
            self._reconciled(pid)
        return len(todo)

    def _lagging(self) -> set[str]:
        """Return placements whose event log is ahead of their document (or that have no document)."""
        lagging: set[str] = set()
        after: dict[str, Any] | None = None
        while True:
            composite: Document = {"size": REPAIR_PAGE, "sources": [{"pid": {"terms": {"field": "placement_id"}}}]}
            if after:
                composite["after"] = after
            response = self.es.search(index=self.events.alias, size=0, track_total_hits=False, aggs={"by": {
                "composite": composite, "aggs": {"last": {"max": {"field": "seq"}}}}})["aggregations"]["by"]
            last = {b["key"]["pid"]: int(b["last"]["value"]) for b in response["buckets"]}
            if last:
                docs = self.es.mget(index=self.placements.alias, ids=list(last), _source=["seq"])["docs"]
                lagging.update(d["_id"] for d in docs
                               if not d.get("found") or (d["_source"].get("seq") or 0) < last[d["_id"]])
            after = response.get("after_key")
            if not after or len(response["buckets"]) < REPAIR_PAGE:
                return lagging

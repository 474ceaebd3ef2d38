"""Past referrals and placements for the demo registers: planned deterministically, written in bulk.

Going through `PlacementService` would cost several refresh-waiting writes per event (~2,000 referrals take
tens of minutes); the demo instead plans the whole history in memory with the same rules — the life cycle of
`lifecycle`, the hard constraints of `matching.constraints`, the statistics snapshot of `service.snapshot` —
and writes the same documents the service would (events, placement projections, placed people, filled
vacancies) with `helpers.bulk`. It runs once per register: a second run finds the demo placements and writes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from elasticsearch import helpers

from indexer.naming import alias_name
from jobmatch.matching import constraints
from jobmatch.placements import lifecycle
from jobmatch.placements.service import BLOCKING, FILLED_REASON, placement_id, snapshot
from jobmatch.records.lifecycle import status_event

Document = dict[str, Any]
OUTCOMES = (("hired", 0.38), ("rejected", 0.30), ("withdrawn", 0.14), ("pending", 0.18))
REFERRALS_PER_VACANCY = (0, 1, 1, 2, 2, 2, 3, 4)


@dataclass
class Planned:
    """One referral and the steps it went through, with local dates."""

    job_id: str
    worker_id: str
    steps: list[tuple[str, date]] = field(default_factory=list)


def _at(day: date, rng: random.Random) -> str:
    return f"{day.isoformat()}T{rng.randint(7, 16):02d}:{rng.choice((0, 15, 30, 45)):02d}:00.000+07:00"


def plan(jobs: list[Document], workers: list[Document], *, today: date, seed: int = 2030) -> list[Planned]:
    """Return the demo's referral history: a few referrals per vacancy, of people wanting that occupation.

    People are referred only after registering, only while the vacancy is open and only if no hard constraint
    forbids the pair; a person hired once is not referred again; a vacancy takes no more hires than openings.
    """
    rng = random.Random(seed)
    by_code: dict[str, list[Document]] = {}
    for person in sorted(workers, key=lambda w: w["worker_id"]):
        if person.get("employment_status") != "placed" and not person.get("closed_at"):
            for code in person.get("desired_occupations") or []:
                by_code.setdefault(code, []).append(person)
    placed_on: dict[str, date] = {}
    planned: list[Planned] = []
    for job in sorted(jobs, key=lambda j: (j.get("posted_at") or "", j["job_id"])):
        if job.get("status") == "draft" or not job.get("posted_at"):
            continue
        posted = date.fromisoformat(job["posted_at"][:10])
        last = min(today, date.fromisoformat(job["expires_at"][:10]) if job.get("expires_at") else today)
        if last <= posted:
            continue
        openings = job.get("openings") or 1
        hires = 0
        pool = by_code.get(job["occupation_code"], [])
        wanted = rng.choice(REFERRALS_PER_VACANCY)
        for person in rng.sample(pool, min(len(pool), wanted * 3)):
            if wanted == 0:
                break
            day = posted + timedelta(days=rng.randint(1, max(1, (last - posted).days)))
            registered = date.fromisoformat(person["registered_at"][:10])
            if day < registered or day > today or (person["worker_id"] in placed_on and
                                                   placed_on[person["worker_id"]] <= day):
                continue
            if set(constraints.violations(job, person)) & (set(BLOCKING) - {"vacancy_not_open",
                                                                              "person_not_available"}):
                continue
            wanted -= 1
            outcome = rng.choices([o for o, _ in OUTCOMES], weights=[w for _, w in OUTCOMES])[0]
            if outcome == "hired" and (hires >= openings or person["worker_id"] in placed_on):
                outcome = "rejected"
            steps = [("referred", day)]
            chain = {"hired": ("interviewed", "offered", "hired"), "rejected": ("interviewed", "rejected"),
                     "withdrawn": ("withdrawn",), "pending": ("interviewed", "offered")}[outcome]
            for status in chain[: rng.randint(1, len(chain))] if outcome == "pending" else chain:
                day = day + timedelta(days=rng.randint(2, 9))
                if day > today:
                    break
                steps.append((status, day))
            if steps[-1][0] == "hired":
                hires += 1
                placed_on[person["worker_id"]] = steps[-1][1]
            planned.append(Planned(job["job_id"], person["worker_id"], steps))
    return planned


def documents(planned: list[Planned], jobs: dict[str, Document], workers: dict[str, Document], *,
              seed: int = 2030) -> Iterator[tuple[str, str, Document, str]]:
    """Yield (index kind, doc id, document, op) for events, placements and the changed people and vacancies."""
    rng = random.Random(seed + 1)
    hires: dict[str, list[Document]] = {}
    placements: list[Document] = []
    for item in planned:
        job, person = jobs[item.job_id], workers[item.worker_id]
        pid = placement_id(item.job_id, item.worker_id)
        events, previous = [], None
        for seq, (status, day) in enumerate(item.steps, start=1):
            at = _at(day, rng)
            event = {"placement_id": pid, "seq": seq, "kind": "transition", "from_status": previous,
                     "to_status": status, "at": at, "recorded_at": at, "actor": "demo", "reason": None}
            if seq == 1:
                event["pair"] = {"job_id": item.job_id, "worker_id": item.worker_id,
                                 "employer_id": job.get("employer_id"), **snapshot(job, person)}
            events.append(event)
            previous = status
            yield "placement_events", f"{pid}-{seq:04d}", event, "create"
        state = lifecycle.fold(events)
        doc: Document = {"placement_id": pid, **events[0]["pair"], **state, "created_at": events[0]["at"],
                         "updated_at": events[-1]["at"], "created_by": "demo", "effects_applied": True}
        if state["status"] == "hired":
            hired_at = state["hired_at"]
            doc["days_to_placement"] = lifecycle.days_between(person.get("registered_at"), hired_at)
            hires.setdefault(item.job_id, []).append({"placement_id": pid, "hired_at": hired_at})
            before = person.get("employment_status")
            yield "workers", item.worker_id, {"employment_status": "placed", "placed_at": hired_at[:10],
                                              "placement_id": pid, "status_before_placement": before}, "update"
        placements.append(doc)
    # The vacancy fills on the hire that took its last opening in time (lifecycle.fills, as the API does), not on
    # the one planned last.
    fills = {job_id: lifecycle.fills(hired, jobs[job_id].get("openings") or 1) for job_id, hired in hires.items()}
    for doc in placements:
        result = fills.get(doc["job_id"])
        if doc["status"] == "hired" and result is not None:
            doc["filled_vacancy"] = doc["placement_id"] in result["fillers"]
            if doc["filled_vacancy"]:
                doc["days_to_fill"] = lifecycle.days_between(jobs[doc["job_id"]].get("posted_at"), doc["hired_at"])
        yield "placements", doc["placement_id"], doc, "index"
    for job_id, result in fills.items():
        job = jobs[job_id]
        update: Document = {"filled_by": result["order"], "filled": len(result["order"]),
                            "hires": sorted(hires[job_id], key=lambda h: result["order"].index(h["placement_id"]))}
        if result["filled"]:
            filler_at = result["filled_at"]
            update.update(status="filled", filled_at=filler_at[:10], closed_at=filler_at, close_reason=FILLED_REASON,
                          closed_by="demo",
                          status_history=status_event(job, filler_at, "filled", FILLED_REASON, "demo"))
        yield "jobs", job_id, update, "update"


def write(es: Any, prefix: str, *, today: date, seed: int = 2030) -> dict[str, int]:
    """Plan the history over the stored demo registers and write it; return counts.

    Planning reads the registers as the history leaves them (people placed, vacancies filled), so it runs once:
    when demo placements exist already, it only counts them.
    """
    placements = alias_name(prefix, "placements")
    existing = es.count(index=placements, query={"term": {"created_by": "demo"}})["count"]
    if existing:
        hires = es.count(index=placements, query={"bool": {"filter": [{"term": {"created_by": "demo"}},
                                                                      {"term": {"status": "hired"}}]}})["count"]
        return {"referrals": existing, "hires": hires}
    fields = ["job_id", "employer_id", "status", "posted_at", "expires_at", "openings", "occupation_code",
              "occupation", "industry", "workplace", "certificates", "accommodations", "physical_demands",
              "closed_at", "min_training_level", "social_insurance"]
    jobs = {h["_id"]: h["_source"] for h in helpers.scan(es, index=alias_name(prefix, "jobs"), _source=fields,
                                                         query={"query": {"term": {"source": "demo"}}})}
    people = {h["_id"]: h["_source"] for h in helpers.scan(
        es, index=alias_name(prefix, "workers"), query={"query": {"term": {"source": "demo"}}},
        _source=["worker_id", "registered_at", "employment_status", "desired_occupations", "residence",
                 "gender", "birth_year", "ethnicity", "training_level", "has_disability", "priority_groups",
                 "certificates", "disability", "max_commute_km", "closed_at"])}
    planned = plan(list(jobs.values()), list(people.values()), today=today, seed=seed)
    counts = {"referrals": len(planned), "hires": 0}

    def actions() -> Iterator[Document]:
        for kind, doc_id, doc, op in documents(planned, jobs, people, seed=seed):
            if kind == "placements" and doc.get("status") == "hired":
                counts["hires"] += 1
            action: Document = {"_op_type": op, "_index": alias_name(prefix, kind), "_id": doc_id}
            action.update({"doc": doc} if op == "update" else {"_source": doc})
            yield action

    # Events are created, never overwritten (a 409 means the event is there already). A demo load interrupted
    # half-way is redone from scratch: `make clean` (drops the local node's data), then `make run`.
    _, errors = helpers.bulk(es, actions(), chunk_size=500, raise_on_error=False, refresh="wait_for")
    unexpected = [e for e in errors if next(iter(e.values())).get("status") != 409]
    if unexpected:
        raise RuntimeError(f"{len(unexpected)} demo history writes failed, first: {unexpected[0]}")
    return counts

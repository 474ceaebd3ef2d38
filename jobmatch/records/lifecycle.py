"""Register lifecycle: vacancies past their expiry close as `expired`, jobseekers out of contact lapse.

Pure rules first (a record and a date in, the decision out), used by the daily sweep, by reads and by the demo
generator alike, so every path closes and lapses the same way. Then the sweep, which applies them to the stored
registers. No Flask here.

Dates recorded are the dates the rule names, not the sweep's: an expired vacancy's `closed_at` is its
`expires_at`, a lapse is dated last contact + JOBSEEKER_LAPSE_DAYS. A sweep that ran late (or the demo loaded
today) thus leaves monthly statistics as they would have been had it run every day.

Jobseekers: the last contact is the latest of `last_contact_at` (set by a counsellor's edit, or given),
`registered_at` and `placed_at`. A lapse sets `registration_status` "inactive", `lapsed_at` and `lapse_reason`,
opens an `inactive_periods` range and appends to `status_history`; reactivation closes the range and appends
again, so a reactivated person still counts as inactive over the months of the gap (jobmatch.metrics.service).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from elasticsearch import helpers

from indexer.naming import alias_name
from jobmatch.records.service import now_iso

log = logging.getLogger(__name__)
Document = dict[str, Any]
SYSTEM_ACTOR = "system:lifecycle"
EXPIRED_REASON = "expired: past expires_at"
SWEEP_BATCH = 500


def calendar_day(value: Any) -> date | None:
    """Return the calendar date of a stored date or local date-time string (its first ten characters)."""
    if not value:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# --- vacancies ----------------------------------------------------------------------------------------------
def vacancy_expiry(job: Mapping[str, Any], today: date) -> date | None:
    """Return the expiry date if an open vacancy is past it on `today` (open through its `expires_at` day)."""
    if job.get("status") != "open" or job.get("closed_at"):
        return None
    expires = calendar_day(job.get("expires_at"))
    return expires if expires is not None and expires < today else None


def status_event(record: Mapping[str, Any], at: str, to: str, reason: str | None, by: str | None) -> list[Document]:
    """Return a vacancy's `status_history` extended by a change from its current status to `to` at `at`."""
    return [*(record.get("status_history") or []),
            {"at": at, "from": record.get("status"), "to": to, "reason": reason, "by": by}]


def expired_fields(job: Mapping[str, Any], expires: date) -> Document:
    """Return the fields that close a vacancy as expired on its expiry date, its history extended."""
    return {"status": "expired", "closed_at": expires.isoformat(), "close_reason": EXPIRED_REASON,
            "closed_by": SYSTEM_ACTOR,
            "status_history": status_event(job, expires.isoformat(), "expired", EXPIRED_REASON, SYSTEM_ACTOR)}


def as_read(job: Mapping[str, Any], today: date) -> Document:
    """Return the vacancy as it stands on `today`: expired if past its expiry though not yet swept."""
    expires = vacancy_expiry(job, today)
    return {**job, **expired_fields(job, expires)} if expires else dict(job)


def closed_gap(job: Mapping[str, Any], reopened: date) -> list[Document]:
    """Return a reopened vacancy's `closed_periods` extended by the days it was closed: from the day after its
    close (or expiry, or fill) — a vacancy counts as open on its closing day, as it does when never reopened —
    to the day before the reopening. Closed and reopened within a day or two: no gap."""
    periods = [dict(p) for p in job.get("closed_periods") or []]
    closed = calendar_day(job.get("closed_at")) or calendar_day(job.get("filled_at"))
    if closed is not None and closed + timedelta(days=1) < reopened:
        periods.append({"gte": (closed + timedelta(days=1)).isoformat(), "lt": reopened.isoformat()})
    return periods


# --- jobseekers ---------------------------------------------------------------------------------------------
def last_contact(worker: Mapping[str, Any]) -> date | None:
    """Return the latest of last_contact_at, registered_at and placed_at."""
    days = [d for d in (calendar_day(worker.get(f)) for f in ("last_contact_at", "registered_at", "placed_at")) if d]
    return max(days) if days else None


def lapse_date(worker: Mapping[str, Any], today: date, lapse_days: int) -> date | None:
    """Return the day an active, unplaced, open registration lapsed, if it has by `today`; else None."""
    if worker.get("closed_at") or worker.get("registration_status") == "inactive" \
            or worker.get("employment_status") == "placed":
        return None
    contact = last_contact(worker)
    if contact is None:
        return None
    lapsed = contact + timedelta(days=lapse_days)
    return lapsed if lapsed <= today else None


def lapse_reason(lapse_days: int) -> str:
    """Return the recorded reason of a lapse."""
    return f"lapsed: no contact for {lapse_days} days"


def _event(at: date, before: str, after: str, reason: str, by: str | None) -> Document:
    return {"at": at.isoformat(), "from": before, "to": after, "reason": reason, "by": by}


def lapsed_fields(worker: Mapping[str, Any], lapsed: date, lapse_days: int) -> Document:
    """Return the fields that lapse a registration on `lapsed`, its history extended."""
    reason = lapse_reason(lapse_days)
    return {"registration_status": "inactive", "lapsed_at": lapsed.isoformat(), "lapse_reason": reason,
            "inactive_periods": [*(worker.get("inactive_periods") or []), {"gte": lapsed.isoformat()}],
            "status_history": [*(worker.get("status_history") or []),
                               _event(lapsed, "active", "inactive", reason, SYSTEM_ACTOR)]}


def reactivated_fields(worker: Mapping[str, Any], today: date, reason: str, actor: str | None) -> Document:
    """Return the fields that reactivate a lapsed registration on `today`: the open inactive period ends the day
    before (active again from today), the contact is today, and both dates stay in the history."""
    periods = [dict(p) for p in worker.get("inactive_periods") or []]
    if periods and "lt" not in periods[-1]:
        start = calendar_day(periods[-1].get("gte"))
        if start is not None and start >= today:  # lapsed and reactivated the same day: an empty period
            periods.pop()
        else:
            periods[-1]["lt"] = today.isoformat()
    return {"registration_status": "active", "lapsed_at": None, "lapse_reason": None,
            "inactive_periods": periods, "last_contact_at": today.isoformat(),
            "status_history": [*(worker.get("status_history") or []),
                               _event(today, "inactive", "active", reason, actor)]}


# --- the sweep ----------------------------------------------------------------------------------------------
def _scan(es: Any, alias: str, query: Document) -> list[tuple[str, Document, int, int]]:
    hits = helpers.scan(es, index=alias, query={"query": query, "_source": {"excludes": ["embedding"]}},
                        size=SWEEP_BATCH, seq_no_primary_term=True)
    return [(h["_id"], h["_source"], h["_primary_term"], h["_seq_no"]) for h in hits]


def _save(es: Any, alias: str, updates: list[tuple[str, Document, int, int]]) -> int:
    # Partial updates (the stored vectors are not read back), guarded by the version read: a record edited
    # meanwhile is left for the next run (or its next read).
    actions = [{"_op_type": "update", "_index": alias, "_id": doc_id, "doc": changes, "if_primary_term": term,
                "if_seq_no": seq} for doc_id, changes, term, seq in updates]
    if not actions:
        return 0
    done, errors = helpers.bulk(es, actions, raise_on_error=False, refresh="wait_for")
    for error in errors if isinstance(errors, list) else []:
        item = next(iter(error.values()), {})
        if item.get("status") == 409:
            log.info("lifecycle: %s changed meanwhile, left for the next run", item.get("_id"))
        else:
            log.warning("lifecycle: %s not updated: %s", item.get("_id"), item.get("error"))
    return done


def expire_vacancies(es: Any, prefix: str, today: date) -> int:
    """Close every open vacancy past its expiry as `expired` on its expiry date; return how many."""
    alias = alias_name(prefix, "jobs")
    query = {"bool": {"filter": [{"term": {"status": "open"}},
                                 {"range": {"expires_at": {"lt": today.isoformat(), "format": "yyyy-MM-dd"}}}],
                      "must_not": [{"exists": {"field": "closed_at"}}]}}
    updates = []
    for doc_id, doc, term, seq in _scan(es, alias, query):
        expires = vacancy_expiry(doc, today)
        if expires:
            updates.append((doc_id, {**expired_fields(doc, expires), "updated_at": now_iso()}, term, seq))
    return _save(es, alias, updates)


def lapse_jobseekers(es: Any, prefix: str, today: date, lapse_days: int) -> int:
    """Lapse every open registration without contact for `lapse_days`; return how many."""
    alias = alias_name(prefix, "workers")
    cutoff = {"lte": (today - timedelta(days=lapse_days)).isoformat(), "format": "yyyy-MM-dd"}
    # Candidates by registration date (never later than the last contact); the pure rule decides.
    query = {"bool": {"filter": [{"range": {"registered_at": cutoff}}],
                      "must_not": [{"exists": {"field": "closed_at"}}, {"term": {"registration_status": "inactive"}},
                                   {"term": {"employment_status": "placed"}}]}}
    updates = []
    for doc_id, doc, term, seq in _scan(es, alias, query):
        lapsed = lapse_date(doc, today, lapse_days)
        if lapsed:
            updates.append((doc_id, {**lapsed_fields(doc, lapsed, lapse_days), "updated_at": now_iso()}, term, seq))
    return _save(es, alias, updates)


def sweep(es: Any, prefix: str, today: date, lapse_days: int) -> dict[str, int]:
    """Apply the lifecycle rules to both registers as of `today`; return counts of what changed."""
    return {"expired_vacancies": expire_vacancies(es, prefix, today),
            "lapsed_jobseekers": lapse_jobseekers(es, prefix, today, lapse_days)}


"""The life of a referral as pure functions: which transitions exist, and the state a list of events folds into.

proposed → referred → interviewed → offered → hired, and from any of the open states to rejected (by the
employer or the counsellor) or withdrawn (by the person). hired, rejected and withdrawn are final. A placement
document is always `fold(events)`, so a document that lags behind its event log (a crash between the two
writes) is repaired by folding again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

Document = dict[str, Any]

STATUSES = ("proposed", "referred", "interviewed", "offered", "hired", "rejected", "withdrawn")
INITIAL = ("proposed", "referred")
FINAL = ("hired", "rejected", "withdrawn")
NEXT: dict[str, tuple[str, ...]] = {
    "proposed": ("referred", "rejected", "withdrawn"),
    "referred": ("interviewed", "rejected", "withdrawn"),
    "interviewed": ("offered", "rejected", "withdrawn"),
    "offered": ("hired", "rejected", "withdrawn"),
}
FOLLOW_UP_MONTHS = {"m3": 3, "m6": 6}


def allowed(current: str, target: str) -> bool:
    """Tell whether a placement in `current` may move to `target`."""
    return target in NEXT.get(current, ())


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def day_of(stamp: str) -> date:
    """Return the date of an ISO date or date-time string."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).date() if "T" in stamp else date.fromisoformat(
        stamp)


def fold(events: list[Document]) -> Document:
    """Return the state fields of a placement from its events, in sequence order.

    Stage dates keep the first time a stage was reached; `ended_at` is when it became final; follow-ups are
    due 3 and 6 months after the hire.
    """
    state: Document = {"status": None, "seq": 0, "follow_ups": {}}
    for event in sorted(events, key=lambda e: e["seq"]):
        state["seq"] = event["seq"]
        if event["kind"] == "transition":
            status = event["to_status"]
            state["status"] = status
            state.setdefault(f"{status}_at", event["at"])
            if status in FINAL:
                state["ended_at"] = event["at"]
            if status == "hired":
                hired = day_of(event["at"])
                state["follow_ups"] = {key: {"due": add_months(hired, months).isoformat()}
                                       for key, months in FOLLOW_UP_MONTHS.items()}
        elif event["kind"] == "follow_up":
            state["follow_ups"].setdefault(event["follow_up"], {}).update(
                recorded_at=event["at"], still_employed=event["still_employed"])
    return state


def days_between(start: str | None, end: str | None) -> int | None:
    """Return whole days from one ISO date(-time) to another, or None when either is missing."""
    if not start or not end:
        return None
    return (day_of(end) - day_of(start)).days


def _instant(stamp: str) -> datetime:
    """Return an ISO date or date-time as an aware datetime (a bare date or naive time is taken as UTC)."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def fills(hires: list[Document], openings: int, reopenings: list[Document] | None = None) -> Document:
    """Return which hires filled a vacancy, replaying its hires and openings changes in the order they happened.

    `hires` are `{"placement_id", "hired_at"}`, `openings` the openings at posting, `reopenings` the openings
    changes `{"at", "openings"}` (the new total). The vacancy fills when a hire takes its last opening; a
    reopening with more openings than hires opens it again, and the hire taking the new last opening fills it
    again. The order is by date, not by when a hire was recorded, so a back-dated hire moves the fill. A reopening
    on the same instant as a hire comes first (the hire takes one of the new openings); equal hires go by id so
    that every writer computes the same answer.

    Returns {"fillers": [placement ids that filled it, in time order], "filled": bool now, "filled_by": the last
    filler while filled, else None, "filled_at": its hire time, else None, "order": placement ids by hire time}.
    """
    timeline = [(_instant(r["at"]), 0, "", int(r["openings"])) for r in reopenings or [] if r.get("at")]
    timeline += [(_instant(h["hired_at"]), 1, h["placement_id"], 0) for h in hires]
    timeline.sort(key=lambda item: item[:3])
    current, hired, filled = max(openings, 1), 0, False
    fillers: list[str] = []
    last: tuple[str, str] | None = None
    by_id = {h["placement_id"]: h["hired_at"] for h in hires}
    for _, kind, pid, total in timeline:
        if kind == 0:
            current = max(total, 1)
        else:
            hired += 1
        if hired >= current and not filled and kind == 1:
            fillers.append(pid)
            last = (pid, by_id[pid])
        filled = hired >= current
        if not filled:
            last = None
    return {"fillers": fillers, "filled": filled, "filled_by": last[0] if last else None,
            "filled_at": last[1] if last else None,
            "order": [pid for _, kind, pid, _ in timeline if kind == 1]}


def openings_history(job: Document) -> tuple[int, list[Document]]:
    """Return a vacancy's openings at posting and its dated openings changes, as `fills` takes them.

    A vacancy reopened before reopenings were dated has only `reopened_at` and its current openings: it is taken
    as filled by the hires dated up to the reopening (the usual case: reopened because it was filled), so its
    earlier fill stays where it was.
    """
    openings = job.get("openings") or 1
    if job.get("reopenings"):
        return job.get("posted_openings") or openings, list(job["reopenings"])
    if job.get("reopened_at"):
        reopened = _instant(job["reopened_at"])
        before = sum(1 for h in job.get("hires") or [] if _instant(h["hired_at"]) <= reopened)
        return max(min(before, openings - 1), 1), [{"at": job["reopened_at"], "openings": openings}]
    return openings, []

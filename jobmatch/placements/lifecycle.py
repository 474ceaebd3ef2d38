"""The life of a referral as pure functions: which transitions exist, and the state a list of events folds into.

proposed → referred → interviewed → offered → hired, and from any of the open states to rejected (by the
employer or the counsellor) or withdrawn (by the person). hired, rejected and withdrawn are final. A placement
document is always `fold(events)`, so a document that lags behind its event log (a crash between the two
writes) is repaired by folding again.
"""

from __future__ import annotations

from datetime import date, datetime
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

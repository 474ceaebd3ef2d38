"""The placement life cycle as pure functions: allowed moves, month arithmetic, folding events into state."""

from datetime import date

import pytest

from jobmatch.placements import lifecycle


def event(seq, to, at, kind="transition", **extra):
    return {"seq": seq, "kind": kind, "to_status": to, "at": at, **extra}


@pytest.mark.parametrize(("current", "target", "ok"), [
    ("proposed", "referred", True), ("referred", "interviewed", True), ("offered", "hired", True),
    ("referred", "hired", False), ("proposed", "interviewed", False), ("hired", "rejected", False),
    ("withdrawn", "referred", False), ("interviewed", "withdrawn", True), ("offered", "rejected", True),
])
def test_allowed_follows_the_chain(current, target, ok):
    assert lifecycle.allowed(current, target) is ok


def test_add_months_clamps_to_the_end_of_the_month():
    assert lifecycle.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert lifecycle.add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert lifecycle.add_months(date(2026, 10, 31), 3) == date(2027, 1, 31)
    assert lifecycle.add_months(date(2026, 8, 15), 6) == date(2027, 2, 15)


def test_fold_keeps_first_stage_dates_final_time_and_follow_ups():
    state = lifecycle.fold([
        event(3, "hired", "2026-10-31T23:30:00+07:00"), event(1, "referred", "2026-10-01"),
        event(2, "interviewed", "2026-10-05"),
        {"seq": 4, "kind": "follow_up", "follow_up": "m3", "at": "2027-02-01", "still_employed": False},
    ])
    assert state["status"] == "hired" and state["seq"] == 4
    assert state["referred_at"] == "2026-10-01" and state["ended_at"] == "2026-10-31T23:30:00+07:00"
    assert state["follow_ups"]["m3"] == {"due": "2027-01-31", "recorded_at": "2027-02-01", "still_employed": False}
    assert state["follow_ups"]["m6"] == {"due": "2027-04-30"}


def test_day_of_keeps_the_local_calendar_day():
    assert lifecycle.day_of("2026-11-01T00:30:00+07:00") == date(2026, 11, 1)
    assert lifecycle.days_between("2026-09-01", "2026-11-03T08:00:00+07:00") == 63
    assert lifecycle.days_between(None, "2026-11-03") is None

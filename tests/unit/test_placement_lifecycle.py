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


def _hire(pid: str, at: str) -> dict:
    return {"placement_id": pid, "hired_at": at}


def test_the_hire_that_took_the_last_opening_in_time_fills_the_vacancy_not_the_last_recorded():
    # recorded in this order: a hire dated 11 November, then one back-dated to 19 October
    result = lifecycle.fills([_hire("a", "2026-11-11T09:00:00+07:00"), _hire("b", "2026-10-19T09:00:00+07:00")], 2)
    assert result["fillers"] == ["a"] and result["filled_by"] == "a" and result["filled"] is True
    assert result["filled_at"] == "2026-11-11T09:00:00+07:00" and result["order"] == ["b", "a"]


def test_a_back_dated_hire_takes_the_fill_of_a_one_opening_vacancy():
    result = lifecycle.fills([_hire("a", "2026-11-11T09:00:00+07:00"), _hire("b", "2026-10-19T09:00:00+07:00")], 1)
    assert result["fillers"] == ["b"] and result["filled_at"].startswith("2026-10-19")


def test_hires_after_the_vacancy_was_filled_do_not_fill_it_again():
    result = lifecycle.fills([_hire("a", "2026-10-01T08:00:00+07:00"), _hire("b", "2026-10-05T08:00:00+07:00"),
                              _hire("c", "2026-12-01T08:00:00+07:00")], 1)
    assert result["fillers"] == ["a"] and result["filled_by"] == "a"


def test_a_reopening_with_more_openings_is_filled_again_by_the_hire_taking_the_new_last_opening():
    reopenings = [{"at": "2026-11-04T00:00:00+07:00", "openings": 3}]
    hires = [_hire("a", "2026-10-31T23:30:00+07:00"), _hire("c", "2026-11-20T08:00:00+07:00"),
             _hire("b", "2026-11-10T08:00:00+07:00")]
    result = lifecycle.fills(hires, 1, reopenings)
    assert result["fillers"] == ["a", "c"] and result["filled_by"] == "c" and result["filled"] is True
    # until the new openings are all taken it is open, and the first fill stays what it was
    open_again = lifecycle.fills(hires[:1] + hires[2:], 1, reopenings)
    assert open_again["fillers"] == ["a"] and open_again["filled"] is False and open_again["filled_by"] is None


def test_a_hire_dated_before_a_reopening_took_an_opening_of_before():
    # filled on 31 October, reopened for 2 more on 4 November: a hire back-dated to 2 November was one too many
    # then, and the reopening's openings are still all free
    reopenings = [{"at": "2026-11-04T00:00:00+07:00", "openings": 3}]
    result = lifecycle.fills([_hire("a", "2026-10-31T23:30:00+07:00"), _hire("b", "2026-11-02T08:00:00+07:00")],
                             1, reopenings)
    assert result["fillers"] == ["a"] and result["filled"] is False


def test_a_hire_on_the_instant_of_a_reopening_takes_a_new_opening_and_ties_go_by_id():
    reopenings = [{"at": "2026-11-04T00:00:00+07:00", "openings": 2}]
    result = lifecycle.fills([_hire("a", "2026-10-01T00:00:00+07:00"), _hire("b", "2026-11-04T00:00:00+07:00")],
                             1, reopenings)
    assert result["fillers"] == ["a", "b"]
    same = [_hire("z", "2026-10-01T00:00:00+07:00"), _hire("y", "2026-10-01T00:00:00+07:00")]
    assert lifecycle.fills(same, 2)["fillers"] == ["z"] and lifecycle.fills(same[::-1], 2)["fillers"] == ["z"]


def test_times_compare_as_instants_across_offsets():
    # 23:30 in Sóc Trăng is 16:30 UTC, before 17:00 UTC the same day
    result = lifecycle.fills([_hire("late", "2026-10-31T17:00:00+00:00"), _hire("early", "2026-10-31T23:30:00+07:00")],
                             2)
    assert result["order"] == ["early", "late"] and result["fillers"] == ["late"]


def test_openings_history_of_a_vacancy_reopened_before_reopenings_were_dated():
    hires = [_hire("a", "2026-10-31T23:30:00+07:00"), _hire("b", "2026-11-10T08:00:00+07:00")]
    legacy = {"openings": 2, "reopened_at": "2026-11-04T09:00:00+07:00", "hires": hires}
    initial, reopenings = lifecycle.openings_history(legacy)
    assert initial == 1 and reopenings == [{"at": "2026-11-04T09:00:00+07:00", "openings": 2}]
    assert lifecycle.fills(hires, initial, reopenings)["fillers"] == ["a", "b"]  # the October fill stays
    dated = {"openings": 4, "posted_openings": 1, "reopenings": [{"at": "2026-11-04", "openings": 4, "added": 3}]}
    assert lifecycle.openings_history(dated) == (1, dated["reopenings"])
    assert lifecycle.openings_history({"openings": 3}) == (3, [])

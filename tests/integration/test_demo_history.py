"""The demo's referral history: planned by the rules the API enforces, written once, visible in the metrics."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest
from elasticsearch import helpers

from jobmatch.matching import constraints
from jobmatch.metrics.service import MetricsService
from jobmatch.placements import history, lifecycle
from tests.integration.conftest import DEMO_SEED, DEMO_TODAY

TODAY = DEMO_TODAY


@pytest.fixture(scope="module")
def prefix(demo_prefix):
    return demo_prefix  # the session's shared demo load (tests/integration/conftest.py)


@pytest.fixture(scope="module")
def written(demo_written):
    return demo_written


def _all(es, prefix, kind):
    return {h["_id"]: h["_source"] for h in helpers.scan(es, index=f"{prefix}{kind}",
                                                         query={"query": {"match_all": {}}})}


def test_history_follows_the_rules(es, prefix, written):
    assert written["referrals"] > 50 and written["hires"] > 10
    placements, jobs, workers = (_all(es, prefix, kind) for kind in ("placements", "jobs", "workers"))
    events = _all(es, prefix, "placement_events")
    assert len(placements) == written["referrals"] and len(events) >= 2 * written["hires"]
    hired_people = [p["worker_id"] for p in placements.values() if p["status"] == "hired"]
    assert len(hired_people) == len(set(hired_people)) == written["hires"]  # nobody hired twice
    months = set()
    for pid, placement in placements.items():
        job, person = jobs[placement["job_id"]], workers[placement["worker_id"]]
        steps = sorted((e for e in events.values() if e["placement_id"] == pid), key=lambda e: e["seq"])
        assert lifecycle.fold(steps)["status"] == placement["status"]
        for before, after in pairwise(steps):
            assert lifecycle.allowed(before["to_status"], after["to_status"])
            assert lifecycle.day_of(before["at"]) <= lifecycle.day_of(after["at"])
        referred = lifecycle.day_of(placement["referred_at"])
        assert date.fromisoformat(person["registered_at"]) <= referred <= TODAY
        assert date.fromisoformat(job["posted_at"]) < referred
        assert not {"certificate", "accommodation", "task_demand"} & set(constraints.violations(job, person))
        months.add(referred.strftime("%Y-%m"))
        if placement["status"] == "hired":
            assert person["employment_status"] == "placed" and person["placement_id"] == pid
            assert pid in job["filled_by"] and len(job["filled_by"]) <= job["openings"]
    assert len(months) >= 12  # the history spreads over the demo's 18 months


def test_writing_again_changes_nothing(es, prefix, written):
    before = es.count(index=f"{prefix}placement_events")["count"]
    again = history.write(es, prefix, today=TODAY, seed=DEMO_SEED)
    assert again == written and es.count(index=f"{prefix}placement_events")["count"] == before


def test_metrics_see_the_history(es, prefix, written):
    service = MetricsService(es=es, prefix=prefix, tz="Asia/Ho_Chi_Minh", labour_force={"total": 614_100})
    total = service.compute(date(2025, 1, 1), TODAY)["total"]
    assert total["placements"] == written["hires"] and total["median_days_to_placement"] is not None

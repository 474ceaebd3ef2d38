"""Report arithmetic, classification, rendering helpers and the scheduler's set-up (no server needed)."""

from datetime import date

import pytest
from apscheduler.triggers.cron import CronTrigger

from jobmatch.metrics.compute import change, derive, median_from_counts, month_bounds, ratio, shift_month
from jobmatch.reports import render
from jobmatch.reports.build import classify_occupations
from jobmatch.reports.scheduler import MISFIRE_GRACE_SECONDS, build_scheduler, previous_month
from jobmatch.reports.targets import target_status


def test_medians_are_exact():
    assert median_from_counts({}) is None
    assert median_from_counts({56: 1}) == 56
    assert median_from_counts({42: 1, 26: 1}) == 34
    assert median_from_counts({10: 2, 30: 1}) == 10
    assert median_from_counts({1: 1, 2: 1, 3: 1, 100: 1}) == 2.5


def test_rates_and_changes():
    assert ratio(1, 0) is None and ratio(None, 3) is None and ratio(1, 4) == 0.25
    assert change(3, 2) == {"absolute": 1, "relative": 0.5}
    assert change(3, 0) == {"absolute": 3, "relative": None}
    assert change(None, 1) == {"absolute": None, "relative": None}
    values = derive({"placements": 2, "active_jobseekers": 8, "registered_unemployed": 5, "referrals": 6,
                     "registered_unemployed_urban": 2}, {"total": 1000, "urban": 200})
    assert values["placement_rate"] == 0.25 and values["registered_unemployment_rate"] == 0.005
    # hires per referral and hires per active jobseeker are two indicators with their own labels
    assert values["referral_success_rate"] == pytest.approx(1 / 3)
    assert values["registered_unemployment_rate_urban"] == 0.01


def test_months():
    assert month_bounds("2026-02") == (date(2026, 2, 1), date(2026, 2, 28))
    assert month_bounds("2026-12") == (date(2026, 12, 1), date(2026, 12, 31))
    assert shift_month("2026-01", -1) == "2025-12" and shift_month("2026-11", -12) == "2025-11"
    assert previous_month(date(2026, 1, 1)) == "2025-12" and previous_month(date(2026, 11, 22)) == "2026-10"


def test_shortage_and_surplus():
    rows = [{"occupation_code": "7212", "demand": 10, "supply": 2}, {"occupation_code": "9211", "demand": 1,
                                                                      "supply": 40},
            {"occupation_code": "5223", "demand": 5, "supply": 4}, {"occupation_code": "8153", "demand": 2,
                                                                     "supply": 0}]
    result = classify_occupations(rows)
    assert [r["occupation_code"] for r in result["shortage"]] == ["7212"]  # 8153 is below the minimum size
    assert [r["occupation_code"] for r in result["surplus"]] == ["9211"]


@pytest.mark.parametrize(("op", "bound", "actual", "status"), [
    ("<", 0.03, 0.02, "met"), ("<", 0.03, 0.03, "not_met"), (">=", 0.35, 0.38, "met"), (">=", 0.35, 0.55, "met"),
    (">=", 0.35, 0.26, "not_met"), (">=", 0.4, 0.4, "met"), (">=", 0.4, None, "no_data"),
])
def test_target_status(op, bound, actual, status):
    assert target_status(op, bound, actual) == status


def test_rendering_helpers():
    assert render.polyline([None, None]) == "" and render.polyline([5]) == ""
    points = render.polyline([0, 10, None, 5], width=100, height=50, pad=0).split()
    assert points == ["0.0,50.0", "33.3,0.0", "100.0,25.0"]
    assert render.formatted(0.2534, "share") == "25.3%" and render.formatted(12345, "count") == "12.345"
    assert render.delta({"absolute": 0.05, "relative": 0.5}, "share") == "+5.0 điểm %"
    assert render.delta({"absolute": 2, "relative": 0.5}, "count") == "+2 (+50%)"
    bars = render.bars([{"demand": 10, "supply": 5}], width=100)
    assert (bars[0]["demand_px"], bars[0]["supply_px"]) == (100, 50)


def test_scheduler_jobs_are_coalesced_with_grace_and_run_on_the_first():
    scheduler = build_scheduler(tz="Asia/Ho_Chi_Minh", monthly_report=lambda: None, repair=lambda: None)
    job = next(j for j in scheduler.get_jobs() if j.id == "monthly_report")
    assert job.coalesce is True and job.misfire_grace_time == MISFIRE_GRACE_SECONDS and job.max_instances == 1
    assert isinstance(job.trigger, CronTrigger)
    fields = {f.name: str(f) for f in job.trigger.fields}
    assert (fields["day"], fields["hour"], fields["minute"]) == ("1", "1", "0")

"""Local dates (TIMEZONE) rather than the server's UTC day, and month ranges for report backfills."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from jobmatch import demo
from jobmatch.clock import local_date, local_now_iso, local_today
from jobmatch.errors import ValidationFailed
from jobmatch.jobs.service import _derive as derive_job
from jobmatch.reports.store import month_range
from jobmatch.workers.service import _derive as derive_worker

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_an_evening_utc_instant_is_the_next_local_day():
    assert local_date(datetime(2026, 10, 31, 18, 30, tzinfo=UTC), VN) == date(2026, 11, 1)
    assert local_date(datetime(2026, 10, 31, 16, 59, tzinfo=UTC), VN) == date(2026, 10, 31)
    assert local_date(datetime(2026, 10, 31, 18, 30), VN) == date(2026, 11, 1)  # naive: taken as UTC


def test_today_and_now_are_local_with_the_offset():
    instant = datetime(2026, 12, 31, 17, 5, tzinfo=UTC)
    assert local_today(VN, instant) == date(2027, 1, 1)
    assert local_now_iso(VN, instant) == "2027-01-01T00:05:00.000+07:00"


def test_default_dates_are_the_given_local_day():
    worker = {"training_level": "none", "work_history": []}
    assert derive_worker(worker, date(2026, 11, 1))["registered_at"] == "2026-11-01"
    assert derive_worker({**worker, "registered_at": date(2026, 9, 5)}, date(2026, 11, 1))["registered_at"] == \
        "2026-09-05"
    job = {"occupation_code": "7212", "min_training_level": "none", "status": "open"}
    assert derive_job(job, date(2026, 11, 1))["posted_at"] == "2026-11-01"


def test_month_range_includes_both_ends_across_years():
    assert month_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert month_range("2026-10", "2026-10") == ["2026-10"]
    assert len(month_range("2025-06", "2026-10")) == 17
    with pytest.raises(ValidationFailed):
        month_range("2026-10", "2026-09")
    with pytest.raises(ValidationFailed):
        month_range("2026-13", "2027-01")


def test_demo_data_starts_eighteen_months_back():
    assert demo.first_month(date(2026, 11, 23)) == "2025-05"

"""The scheduler's retry of failed jobs and its lease loop when storage is down (no server needed).

Storage failures here are real ones: a client pointed at a port where nothing listens.
"""

import logging
import re
import threading
from datetime import datetime

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.date import DateTrigger
from elastic_transport import ConnectionError as TransportConnectionError
from elasticsearch import Elasticsearch

from config.settings import ConfigError, load_settings
from jobmatch.leases import Lease, new_holder_id, renew_interval, safety_margin
from jobmatch.reports.scheduler import RetryingJob, SingleScheduler, build_scheduler, retry_delay

TZ = "Asia/Ho_Chi_Minh"


@pytest.fixture()
def paused():
    """A running but paused scheduler: jobs are stored (and replaced) as in production, but never fire."""
    scheduler = BackgroundScheduler(timezone=TZ)
    scheduler.start(paused=True)
    yield scheduler
    scheduler.shutdown(wait=False)


@pytest.fixture()
def nowhere():
    """A client for a port where nothing listens: every call fails as an unreachable cluster does."""
    client = Elasticsearch("http://127.0.0.1:1", request_timeout=1, max_retries=0)
    yield client
    client.close()


def test_retry_delays_back_off_and_cap():
    assert [retry_delay(n) for n in range(1, 7)] == [60, 120, 300, 600, 600, 600]
    assert retry_delay(0) == 60


def test_a_failed_job_is_retried_soon_with_back_off_then_forgets_its_failures(paused, nowhere, caplog):
    scheduler = paused
    storage_up = [False, False, True]
    calls = []

    def work():
        calls.append(1)
        if not storage_up.pop(0):
            nowhere.count(index="jobmatch-placements")  # the repair's first search, with the node down

    job = RetryingJob("repair_placements", work)
    job.scheduler = scheduler
    caplog.set_level(logging.INFO, logger="jobmatch.reports.scheduler")

    job()
    retry = scheduler.get_job("repair_placements_retry")
    assert isinstance(retry.trigger, DateTrigger) and retry.func is job
    first_at = retry.trigger.run_date
    assert 55 <= (first_at - datetime.now(first_at.tzinfo)).total_seconds() <= 60

    job()
    retries = [j for j in scheduler.get_jobs() if j.id == "repair_placements_retry"]
    assert len(retries) == 1  # replaced, not piled up
    assert 115 <= (retries[0].trigger.run_date - datetime.now(first_at.tzinfo)).total_seconds() <= 120

    job()
    assert len(calls) == 3 and job.failures == 0
    assert scheduler.get_job("repair_placements_retry") is None  # success cancels the pending retry

    failures = [r for r in caplog.records if "failed (" in r.getMessage()]
    assert len(failures) == 2 and not any(r.exc_info for r in failures)  # one line each, no traceback
    assert re.search(r"storage unreachable.*try 2 in 60 s", failures[0].getMessage())
    assert any("succeeded after 2 failed tries" in r.getMessage() for r in caplog.records)


def test_an_unexpected_error_shows_its_traceback_once(paused, caplog):
    scheduler = paused

    def work():
        raise KeyError("boom")

    job = RetryingJob("monthly_report", work)
    job.scheduler = scheduler
    caplog.set_level(logging.INFO, logger="jobmatch.reports.scheduler")
    job()
    job()
    failures = [r for r in caplog.records if "failed (" in r.getMessage()]
    assert [bool(r.exc_info) for r in failures] == [True, False]
    assert scheduler.get_job("monthly_report_retry") is not None


def test_a_job_does_nothing_without_the_lease_or_while_it_already_runs():
    calls = []
    held = {"value": False}
    job = RetryingJob("repair_placements", lambda: calls.append(1), guard=lambda: held["value"])
    job()
    assert calls == []
    held["value"] = True
    job._running.acquire()  # as if the regular run were still going when the retry fires
    try:
        job()
    finally:
        job._running.release()
    assert calls == []
    job()
    assert calls == [1]


def test_built_jobs_retry_and_ask_the_guard():
    guard = threading.Event().is_set
    scheduler = build_scheduler(tz=TZ, monthly_report=lambda: None, repair=lambda: None, guard=guard)
    funcs = {j.id: j.func for j in scheduler.get_jobs()}
    assert set(funcs) == {"monthly_report", "repair_placements"}
    assert all(isinstance(f, RetryingJob) and f.guard is guard and f.scheduler is scheduler for f in funcs.values())


def test_lease_timings_and_holder_ids():
    assert renew_interval(30) == 10 and safety_margin(30) == 5
    first, second = new_holder_id("host-a", 42), new_holder_id("host-a", 42)
    assert first.startswith("host-a:42:") and first != second  # a reused pid is still a new holder


def test_lease_settings_are_checked():
    values = load_settings(env={})
    assert (values["SCHEDULER_LEASE_TTL_SECONDS"], values["SCHEDULER_LEASE_RETRY_SECONDS"]) == (30.0, 5.0)
    with pytest.raises(ConfigError, match="SCHEDULER_LEASE_RETRY_SECONDS"):
        load_settings(env={"SCHEDULER_LEASE_TTL_SECONDS": "5", "SCHEDULER_LEASE_RETRY_SECONDS": "5"})


def test_storage_down_leaves_the_worker_standing_by_and_logs_once(nowhere, caplog):
    lease = Lease(nowhere, "jmtest-nowhere-", "scheduler", ttl=3)
    with pytest.raises(TransportConnectionError):
        lease.acquire()
    assert not lease.held()

    single = SingleScheduler(lease, lambda guard: build_scheduler(tz=TZ, monthly_report=lambda: None,
                                                                  repair=lambda: None, guard=guard),
                             retry_seconds=1.0)
    caplog.set_level(logging.INFO, logger="jobmatch.reports.scheduler")
    assert single.step() == 1.0 and single.step() == 1.0
    assert not single.running
    warnings = [r for r in caplog.records if "scheduler lease: storage" in r.getMessage()]
    assert len(warnings) == 1 and "unreachable" in warnings[0].getMessage() and not warnings[0].exc_info
    single.start()
    single.stop()  # nothing to release, and no exception
    assert not single.running


def test_housekeeping_runs_daily_and_catch_up_once_at_start():
    scheduler = build_scheduler(tz=TZ, monthly_report=lambda: None, repair=lambda: None,
                                housekeeping=lambda: None, catch_up=lambda: None)
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert set(jobs) == {"monthly_report", "repair_placements", "housekeeping", "catch_up"}
    fields = {f.name: str(f) for f in jobs["housekeeping"].trigger.fields}
    assert (fields["hour"], fields["minute"]) == ("2", "30")
    assert type(jobs["catch_up"].trigger).__name__ == "DateTrigger"  # one run, when the scheduler starts

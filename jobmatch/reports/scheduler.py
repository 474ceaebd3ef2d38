"""The scheduled jobs: the monthly report on the 1st, and the repair of unapplied hires every hour.

Every gunicorn worker on every host contends for the `scheduler` lease in Elasticsearch (jobmatch.leases) and
only its holder runs APScheduler. The holder renews every TTL/3; when it has not renewed by the end of its lease
minus a margin it shuts its scheduler down, and every job checks the lease again as it starts. The others try
every SCHEDULER_LEASE_RETRY_SECONDS, so a holder that dies without a word (kill -9, a lost host) is replaced
within about TTL + retry (docs/benchmarks.md), and one that stops cleanly releases the lease at once.

A job that fails (typically: storage down) is tried again after 1, 2, 5 and then every 10 minutes until it
succeeds, rather than at its next regular run. The report job is coalesced (missed runs collapse into one) and
has a misfire grace time; building a month again replaces it, so a duplicate run would do no harm either.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from elasticsearch import ApiError, TransportError

from jobmatch.errors import storage_failure_kind
from jobmatch.leases import Lease, LeaseIndexMissing
from jobmatch.metrics.compute import shift_month

log = logging.getLogger(__name__)
MISFIRE_GRACE_SECONDS = 6 * 3600
RETRY_DELAYS_SECONDS: tuple[float, ...] = (60.0, 120.0, 300.0, 600.0)
LEASE_NAME = "scheduler"
_MIN_WAIT_SECONDS = 0.05  # floor of the lease loop's sleep, so a clock quirk cannot make it spin


def previous_month(today: date) -> str:
    """Return "YYYY-MM" of the month before `today`'s."""
    return shift_month(f"{today:%Y-%m}", -1)


def retry_delay(failures: int, delays: Sequence[float] = RETRY_DELAYS_SECONDS) -> float:
    """Return the wait before the next try after `failures` failures in a row (the last delay is the cap)."""
    return delays[min(max(failures, 1), len(delays)) - 1]


def _always() -> bool:
    return True


class RetryingJob:
    """A job that, when it fails, schedules a one-off retry with back-off instead of waiting for its next run.

    `guard` is asked before every run; the job does nothing when it says no (this process lost the lease).
    """

    def __init__(self, job_id: str, func: Callable[[], Any], *, guard: Callable[[], bool] = _always,
                 delays: Sequence[float] = RETRY_DELAYS_SECONDS) -> None:
        self.job_id = job_id
        self.func = func
        self.guard = guard
        self.delays = tuple(delays)
        self.failures = 0
        self.scheduler: BackgroundScheduler | None = None
        self._running = threading.Lock()

    @property
    def retry_id(self) -> str:
        """Return the id of the one-off retry job."""
        return f"{self.job_id}_retry"

    def __call__(self) -> None:
        """Run the job once; on failure log one line and schedule the retry."""
        if not self.guard():
            log.warning("%s skipped: this process no longer holds the scheduler lease", self.job_id)
            return
        # The regular run and a retry are two APScheduler jobs: never let them overlap.
        if not self._running.acquire(blocking=False):
            log.info("%s skipped: the previous run is still going", self.job_id)
            return
        try:
            self.func()
        except Exception as exc:  # every failure is retried; APScheduler would only log it and wait an hour
            self._failed(exc)
        else:
            self._succeeded()
        finally:
            self._running.release()

    def _failed(self, exc: Exception) -> None:
        self.failures += 1
        delay = retry_delay(self.failures, self.delays)
        kind = storage_failure_kind(exc)
        if kind is not None:  # an outage: expected, one line, no traceback
            log.warning("%s failed (storage %s, %s); try %d in %.0f s", self.job_id, kind, type(exc).__name__,
                        self.failures + 1, delay)
        else:  # a bug or an unexpected answer: the first traceback helps, repeating it every retry does not
            log.error("%s failed (%s); try %d in %.0f s", self.job_id, type(exc).__name__, self.failures + 1, delay,
                      exc_info=self.failures == 1)
        if self.scheduler is None:
            return
        run_at = datetime.now(self.scheduler.timezone) + timedelta(seconds=delay)
        self.scheduler.add_job(self, DateTrigger(run_date=run_at), id=self.retry_id, replace_existing=True,
                               coalesce=True, max_instances=1, misfire_grace_time=None)

    def _succeeded(self) -> None:
        if self.failures:
            log.info("%s succeeded after %d failed tries", self.job_id, self.failures)
        self.failures = 0
        if self.scheduler is not None:
            with contextlib.suppress(JobLookupError):  # none pending, or this run was it
                self.scheduler.remove_job(self.retry_id)


def build_scheduler(*, tz: str, monthly_report: Callable[[], Any], repair: Callable[[], Any],
                    guard: Callable[[], bool] = _always,
                    retry_delays: Sequence[float] = RETRY_DELAYS_SECONDS,
                    housekeeping: Callable[[], Any] | None = None,
                    catch_up: Callable[[], Any] | None = None,
                    lifecycle: Callable[[], Any] | None = None) -> BackgroundScheduler:
    """Return a (not yet started) scheduler with the jobs, each retried after a failure and run only while
    `guard()` says this process may: the monthly report, the hourly repair, and when given a daily
    housekeeping job (audit retention), a daily lifecycle sweep (expired vacancies, lapsed registrations) and a
    catch-up run once at start (a report missed while the scheduler was moving between processes)."""
    scheduler = BackgroundScheduler(timezone=ZoneInfo(tz))
    report_job = RetryingJob("monthly_report", monthly_report, guard=guard, delays=retry_delays)
    repair_job = RetryingJob("repair_placements", repair, guard=guard, delays=retry_delays)
    for job in (report_job, repair_job):
        job.scheduler = scheduler
    scheduler.add_job(report_job, CronTrigger(day=1, hour=1, minute=0, timezone=ZoneInfo(tz)),
                      id="monthly_report", coalesce=True, misfire_grace_time=MISFIRE_GRACE_SECONDS,
                      max_instances=1, replace_existing=True)
    scheduler.add_job(repair_job, CronTrigger(minute=17, timezone=ZoneInfo(tz)), id="repair_placements",
                      coalesce=True, misfire_grace_time=3600, max_instances=1, replace_existing=True)
    # Audit retention at 02:30; the lifecycle sweep just after local midnight, so that a vacancy expiring
    # yesterday is closed before anyone's working day.
    for job_id, func, hour, minute in (("housekeeping", housekeeping, 2, 30), ("lifecycle", lifecycle, 0, 20)):
        if func is None:
            continue
        daily = RetryingJob(job_id, func, guard=guard, delays=retry_delays)
        daily.scheduler = scheduler
        scheduler.add_job(daily, CronTrigger(hour=hour, minute=minute, timezone=ZoneInfo(tz)), id=job_id,
                          coalesce=True, misfire_grace_time=MISFIRE_GRACE_SECONDS, max_instances=1,
                          replace_existing=True)
    if catch_up is not None:
        once = RetryingJob("catch_up", catch_up, guard=guard, delays=retry_delays)
        once.scheduler = scheduler
        scheduler.add_job(once, id="catch_up", max_instances=1, replace_existing=True)  # no trigger: at start
    return scheduler


class SingleScheduler:
    """Runs the scheduler in whichever process holds the lease; the others keep trying to take it over.

    `factory(guard)` builds a (not started) scheduler whose jobs run only while `guard()` is true.
    """

    def __init__(self, lease: Lease, factory: Callable[[Callable[[], bool]], BackgroundScheduler], *,
                 retry_seconds: float = 5.0) -> None:
        self.lease = lease
        self.factory = factory
        self.retry_seconds = retry_seconds
        self.scheduler: BackgroundScheduler | None = None
        self._stop = threading.Event()
        self._mutex = threading.Lock()
        self._thread: threading.Thread | None = None
        self._failure: str | None = None  # kind of the storage failure last logged, to log each outage once
        self._holder_seen: str | None = None

    @property
    def running(self) -> bool:
        """Return whether the scheduler runs in this process."""
        return self.scheduler is not None

    def step(self) -> float:
        """Renew or try to take the lease once, start or stop the scheduler to match; return when to step next."""
        with self._mutex:
            if self._stop.is_set():
                return self.retry_seconds
            holding = self.scheduler is not None or self.lease.held()
            failed = False
            if not holding or self.lease.renew_due_in() <= 0:
                try:
                    if holding:
                        self.lease.renew()
                    else:
                        self.lease.acquire()
                except (ApiError, TransportError, LeaseIndexMissing) as exc:
                    self._storage_failed(exc)
                    failed = True
                else:
                    self._storage_back()
            self._match_lease()
            return self._next_wait(failed)

    def _match_lease(self) -> None:
        if self.lease.held() and self.scheduler is None:
            self.scheduler = self.factory(self.lease.held)
            self.scheduler.start()
            log.info("scheduler lease taken by %s; scheduler running here: %s", self.lease.holder,
                     sorted(job.id for job in self.scheduler.get_jobs()))
        elif not self.lease.held() and self.scheduler is not None:
            self._shutdown()
            log.warning("scheduler lease lost by %s (not renewed in time, or taken over); scheduler stopped here",
                        self.lease.holder)
        seen = self.lease.seen
        holder = seen.holder if seen is not None else None
        if holder and holder != self.lease.holder and holder != self._holder_seen:
            log.info("scheduler runs in %s (host %s); %s stands by", holder, seen.host if seen else "?",
                     self.lease.holder)
        self._holder_seen = holder

    def _next_wait(self, failed: bool) -> float:
        if self.lease.held():
            # Renew when due (sooner after a failed try), and wake at the lease's end to stop the scheduler.
            due = min(self.retry_seconds, self.lease.seconds_left()) if failed else self.lease.renew_due_in()
            return max(_MIN_WAIT_SECONDS, min(due, self.lease.seconds_left()))
        # Look again at the moment the lease seen would expire rather than up to a retry interval later.
        expires_in = self.lease.expires_in()
        wait = self.retry_seconds if expires_in <= 0 else min(self.retry_seconds, expires_in + _MIN_WAIT_SECONDS)
        return max(_MIN_WAIT_SECONDS, wait)

    def _storage_failed(self, exc: Exception) -> None:
        if isinstance(exc, LeaseIndexMissing):
            kind, detail = "index missing", str(exc)
        else:
            kind, detail = storage_failure_kind(exc) or "error", type(exc).__name__
        if kind != self._failure:  # once per outage, not every few seconds in every worker
            log.warning("scheduler lease: storage %s (%s); trying again every %.0f s", kind, detail,
                        self.retry_seconds)
            self._failure = kind

    def _storage_back(self) -> None:
        if self._failure is not None:
            log.info("scheduler lease: storage answers again")
            self._failure = None

    def _shutdown(self) -> None:
        if self.scheduler is not None:
            # A job already running finishes (a thread cannot be stopped); the jobs are safe to run twice.
            self.scheduler.shutdown(wait=False)
            self.scheduler = None

    def start(self) -> None:
        """Contend for the lease in a background thread for as long as the process lives (until `stop`)."""

        def loop() -> None:
            wait = 0.0
            while not self._stop.wait(wait):
                try:
                    wait = self.step()
                except Exception:  # the loop must outlive any surprise, or no worker would ever take over
                    log.exception("scheduler lease loop failed; trying again in %.0f s", self.retry_seconds)
                    wait = self.retry_seconds

        self._thread = threading.Thread(target=loop, name="scheduler-lease", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the scheduler (if it runs here), then release the lease so another process takes over at once."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.lease.margin + 1.0)
        with self._mutex:
            self._shutdown()
            try:
                self.lease.release()
            except (ApiError, TransportError, LeaseIndexMissing) as exc:
                log.warning("scheduler lease not released (%s); another process takes over when it expires",
                            type(exc).__name__)


def for_app(app: Any) -> SingleScheduler:
    """Return the lease-elected scheduler wired to a Flask app's registers and settings."""
    from jobmatch.audit.log import AuditLog
    from jobmatch.auth.tokens import Principal
    from jobmatch.clock import local_today
    from jobmatch.extensions import state
    from jobmatch.placements.service import PlacementService
    from jobmatch.reports.build import generate, is_current
    from jobmatch.reports.store import ReportStore

    app_state = state(app)
    settings = app_state.settings
    tz = str(settings["TIMEZONE"])
    system = Principal("scheduler", "admin")
    if os.environ.get("SCHEDULER_LOCK_FILE"):
        log.warning("SCHEDULER_LOCK_FILE is no longer used: the scheduler is elected by a lease in Elasticsearch")

    def last_month() -> str:
        return previous_month(local_today(ZoneInfo(tz)))

    def monthly_report() -> None:
        month = last_month()
        generate(es=app_state.es, prefix=app_state.prefix, tz=tz, labour_force=app_state.labour_force,
                 month=month, actor="scheduler", min_cell_size=int(settings["MIN_CELL_SIZE"]))
        log.info("monthly report for %s built", month)

    def repair() -> None:
        repaired = PlacementService(es=app_state.es, prefix=app_state.prefix, principal=system,
                                    tz=ZoneInfo(tz)).repair()
        if repaired:
            log.warning("applied %d hires whose consequences had not been recorded", repaired)

    def housekeeping() -> None:
        # Retention: audit entries past AUDIT_RETENTION_DAYS, web sessions past their life, and sign-in
        # throttling records past their window (they hold hashed client addresses).
        from jobmatch.accounts.service import AccountService, LoginLimits
        from jobmatch.accounts.sessions import SessionStore, lifetime_from

        deleted = AuditLog(app_state.es, app_state.prefix).purge(int(settings["AUDIT_RETENTION_DAYS"]))
        sessions = SessionStore(app_state.es, app_state.prefix).prune(lifetime_from(settings))
        attempts = AccountService(app_state.es, app_state.prefix, ZoneInfo(tz),
                                  limits=LoginLimits.from_settings(settings)).purge_attempts()
        log.info("housekeeping: %d audit entries, %d web sessions, %d sign-in records deleted", deleted, sessions,
                 attempts)

    def sweep_registers() -> None:
        from jobmatch.clock import local_today
        from jobmatch.records import lifecycle

        changed = lifecycle.sweep(app_state.es, app_state.prefix, local_today(ZoneInfo(tz)),
                                  int(settings["JOBSEEKER_LAPSE_DAYS"]))
        log.info("lifecycle: %s", changed)

    def report_if_missing() -> None:
        # The cron run fires only in the process holding the lease at 01:00 on the 1st; a new holder checks.
        # A report stored by an older version counts as missing: it would no longer be served.
        stored = ReportStore(app_state.es, app_state.prefix).built_with().get(last_month())
        if stored is None or not is_current(*stored, int(settings["MIN_CELL_SIZE"])):
            monthly_report()

    lease = Lease(app_state.es, app_state.prefix, LEASE_NAME, ttl=float(settings["SCHEDULER_LEASE_TTL_SECONDS"]))
    return SingleScheduler(
        lease, lambda guard: build_scheduler(tz=tz, monthly_report=monthly_report, repair=repair, guard=guard,
                                             housekeeping=housekeeping, catch_up=report_if_missing,
                                             lifecycle=sweep_registers),
        retry_seconds=float(settings["SCHEDULER_LEASE_RETRY_SECONDS"]))

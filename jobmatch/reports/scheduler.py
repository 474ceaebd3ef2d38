"""The scheduled jobs: the monthly report on the 1st, and the repair of unapplied hires every hour.

Gunicorn runs several worker processes; each tries to take an exclusive lock on a file (`SCHEDULER_LOCK_FILE`)
and only the holder runs the scheduler. The others retry every minute, so when the holder dies (the kernel
drops its lock) another worker takes over. The report job is coalesced (missed runs collapse into one) and
has a misfire grace time, so a restart around midnight on the 1st still produces the report; building a
month again replaces it, so a duplicate run would do no harm either.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from jobmatch.metrics.compute import shift_month

log = logging.getLogger(__name__)
MISFIRE_GRACE_SECONDS = 6 * 3600
RETRY_SECONDS = 60.0


def previous_month(today: date) -> str:
    """Return "YYYY-MM" of the month before `today`'s."""
    return shift_month(f"{today:%Y-%m}", -1)


def try_lock(path: Path) -> IO[str] | None:
    """Take an exclusive, non-blocking lock on `path`; return the open file (keep it open) or None."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def build_scheduler(*, tz: str, monthly_report: Callable[[], Any], repair: Callable[[], Any]) -> BackgroundScheduler:
    """Return a (not yet started) scheduler with the two jobs."""
    scheduler = BackgroundScheduler(timezone=ZoneInfo(tz))
    scheduler.add_job(monthly_report, CronTrigger(day=1, hour=1, minute=0, timezone=ZoneInfo(tz)),
                      id="monthly_report", coalesce=True, misfire_grace_time=MISFIRE_GRACE_SECONDS,
                      max_instances=1, replace_existing=True)
    scheduler.add_job(repair, CronTrigger(minute=17, timezone=ZoneInfo(tz)), id="repair_placements",
                      coalesce=True, misfire_grace_time=3600, max_instances=1, replace_existing=True)
    return scheduler


class SingleScheduler:
    """Runs the scheduler in whichever process holds the lock file; the others keep trying to take over."""

    def __init__(self, lock_path: Path, factory: Callable[[], BackgroundScheduler]) -> None:
        self.lock_path = lock_path
        self.factory = factory
        self.scheduler: BackgroundScheduler | None = None
        self._lock: IO[str] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def try_start(self) -> bool:
        """Start the scheduler if this process gets the lock; return whether it runs here."""
        if self.scheduler is not None:
            return True
        self._lock = try_lock(self.lock_path)
        if self._lock is None:
            return False
        self.scheduler = self.factory()
        self.scheduler.start()
        log.info("scheduler running in this process: %s", [job.id for job in self.scheduler.get_jobs()])
        return True

    def start(self) -> None:
        """Try now, then keep trying in the background until this process runs the scheduler."""
        try:
            if self.try_start():
                return
        except OSError as exc:  # an unusable lock path must not take the API worker down with it
            log.error("scheduler not started: cannot use lock file %s (%s); set SCHEDULER_LOCK_FILE",
                      self.lock_path, exc.strerror)
            return

        def retry() -> None:
            while not self._stop.wait(RETRY_SECONDS):
                if self.try_start():
                    return

        self._thread = threading.Thread(target=retry, name="scheduler-lock", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop the scheduler (if it runs here) and release the lock."""
        self._stop.set()
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        if self._lock is not None:
            self._lock.close()
            self._lock = None


def for_app(app: Any) -> SingleScheduler:
    """Return the single-process scheduler wired to a Flask app's registers and settings."""
    from jobmatch.auth.tokens import Principal
    from jobmatch.extensions import state
    from jobmatch.placements.service import PlacementService
    from jobmatch.reports.build import generate

    app_state = state(app)
    settings = app_state.settings
    tz = str(settings["TIMEZONE"])
    system = Principal("scheduler", "admin")

    def monthly_report() -> None:
        month = previous_month(datetime.now(ZoneInfo(tz)).date())
        generate(es=app_state.es, prefix=app_state.prefix, tz=tz, labour_force=app_state.labour_force,
                 month=month, actor="scheduler")
        log.info("monthly report for %s built", month)

    def repair() -> None:
        repaired = PlacementService(es=app_state.es, prefix=app_state.prefix, principal=system,
                                    tz=ZoneInfo(tz)).repair()
        if repaired:
            log.warning("applied %d hires whose consequences had not been recorded", repaired)

    return SingleScheduler(Path(settings["SCHEDULER_LOCK_FILE"]),
                           lambda: build_scheduler(tz=tz, monthly_report=monthly_report, repair=repair))

"""Gunicorn settings, read from config/settings.py so there is one source of configuration."""

from __future__ import annotations

from typing import Any

from config.settings import GUNICORN_REQUEST_LINE_LIMIT, load_settings

_settings = load_settings()

bind = f"{_settings['API_HOST']}:{_settings['API_PORT']}"
workers = _settings["API_WORKERS"]
threads = _settings["API_THREADS"]
worker_class = "gthread"
timeout = 60
graceful_timeout = 30
# Above MAX_URL_LENGTH, so that a too-long URL reaches the app and gets its JSON 414; only a line longer than this
# gets gunicorn's own HTML 414 (its default, 4094, gave that to every too-long URL).
limit_request_line = GUNICORN_REQUEST_LINE_LIMIT
# Access log without the query string: `?q=` may carry a person's name, and logs must hold no personal data.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'


def on_starting(server: Any) -> None:
    """Refuse to start when the indices hold vectors from another model (tells the operator to reindex)."""
    from jobmatch.startup import verify_indices

    verify_indices(_settings)


def post_worker_init(worker: Any) -> None:
    """Load the embedding model as the worker starts, and contend for the scheduler lease (one worker of all hosts
    runs the scheduled jobs)."""
    from jobmatch.extensions import state
    from jobmatch.reports.scheduler import for_app

    state(worker.wsgi).embedder.load()
    if _settings["SCHEDULER_ENABLED"]:
        worker.jobmatch_scheduler = for_app(worker.wsgi)
        worker.jobmatch_scheduler.start()


def worker_exit(server: Any, worker: Any) -> None:
    """Stop the scheduler and release its lease, so another worker takes over at once."""
    scheduler = getattr(worker, "jobmatch_scheduler", None)
    if scheduler is not None:
        scheduler.stop()

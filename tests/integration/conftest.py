"""Fixtures shared by the integration modules: one demo load (registers, referral history, lifecycle, a few
later edits) that test_demo_history.py and test_metrics_oracle.py both read, so the slow load happens once per
test session."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from elasticsearch import Elasticsearch, helpers
from flask import Flask

from jobmatch import demo
from jobmatch.imports import import_file
from jobmatch.placements import history
from jobmatch.records import lifecycle
from tests.conftest import auth, isolated_app, issue_tokens

DEMO_TODAY = date(2026, 11, 1)
DEMO_SEED = 11
DEMO_SIZE = {"employers_count": 40, "jobs_count": 300, "workers_count": 1200}
LAPSE_DAYS = 180  # the default JOBSEEKER_LAPSE_DAYS
EDIT_WINDOW = ("2025-07-01", "2026-05-31")  # closes and lapses edited later: gaps of whole months before October


@pytest.fixture(scope="session")
def demo_app(es, embedder) -> Iterator[tuple[Flask, str]]:
    """An app on an index prefix of its own for the shared demo load; its indices are deleted at the end."""
    with isolated_app(es, embedder, "history") as (app, own_prefix):
        yield app, own_prefix


@pytest.fixture(scope="session")
def demo_prefix(demo_app) -> str:
    """The index prefix of the shared demo load."""
    return demo_app[1]


@pytest.fixture(scope="session")
def demo_written(es, embedder, demo_app, tmp_path_factory) -> dict[str, int]:
    """Load the demo as `jobmatch demo` does on DEMO_TODAY: registers, referral history, then the register
    lifecycle (expired vacancies, lapsed jobseekers); then a few edits of later days (`edit_registers`) and the
    lifecycle once more. Return the history's counts (`history.write`)."""
    app, prefix = demo_app
    paths = demo.generate(tmp_path_factory.mktemp("demo"), **DEMO_SIZE, today=DEMO_TODAY, seed=DEMO_SEED)
    for kind in demo.iter_kinds():
        stats = import_file(paths[kind], kind, es=es, prefix=prefix, embedder=embedder, progress=False)
        assert stats.rejected == 0
    written = history.write(es, prefix, today=DEMO_TODAY, seed=DEMO_SEED)
    demo.settle(es, prefix, today=DEMO_TODAY, lapse_days=LAPSE_DAYS)
    edit_registers(es, app, prefix)
    demo.settle(es, prefix, today=DEMO_TODAY, lapse_days=LAPSE_DAYS)
    return written


def _sources(es: Elasticsearch, index: str, query: dict[str, Any], sort_by: str) -> list[dict[str, Any]]:
    hits = helpers.scan(es, index=index, query={"query": query, "_source": {"excludes": ["embedding"]}})
    return sorted((h["_source"] for h in hits), key=lambda doc: doc[sort_by])


def edit_registers(es: Elasticsearch, app: Flask, prefix: str) -> dict[str, list[str]]:
    """Make the register events the demo lacks, dated in the past, so that the indicators meet them:

    * two filled and two expired vacancies reopened (API, back-dated `at`) 75 days after they closed: added
      openings, a `closed_periods` gap holding at least one whole month, a new expiry (which the lifecycle
      passes again before DEMO_TODAY);
    * one open vacancy's openings raised (API PATCH, dated today: after every month compared);
    * three lapsed jobseekers reactivated 40 days after the lapse (the pure lifecycle rule the API applies,
      written directly, since the API dates a reactivation today); the lifecycle may lapse them again.

    Return the ids edited, by kind of edit.
    """
    client, headers = app.test_client(), auth(issue_tokens(es, prefix)["admin"])
    window = {"gte": EDIT_WINDOW[0], "lte": EDIT_WINDOW[1]}
    done: dict[str, list[str]] = {"reopened": [], "edited": [], "reactivated": []}
    for status, field in (("filled", "filled_at"), ("expired", "closed_at")):
        query = {"bool": {"filter": [{"term": {"status": status}}, {"range": {field: window}}]}}
        for job in _sources(es, f"{prefix}jobs", query, "job_id")[:2]:
            closed = lifecycle.calendar_day(job[field])
            reopened = closed + timedelta(days=75)
            current = client.get(f"/api/v1/jobs/{job['job_id']}", headers=headers)
            body = {"openings": max(job.get("filled") or 0, job.get("openings") or 1) + 2, "reason": "mở rộng",
                    "at": f"{reopened.isoformat()}T09:00:00+07:00",
                    "expires_at": (reopened + timedelta(days=60)).isoformat()}
            response = client.post(f"/api/v1/jobs/{job['job_id']}/reopen", json=body,
                                   headers={**headers, "If-Match": current.headers["ETag"]})
            assert response.status_code == 200, response.get_json()
            done["reopened"].append(job["job_id"])
    query = {"bool": {"filter": [{"term": {"status": "open"}}, {"range": {"posted_at": {"lt": "2026-10-01"}}}]}}
    for job in [j for j in _sources(es, f"{prefix}jobs", query, "job_id") if not j.get("reopenings")][:1]:
        current = client.get(f"/api/v1/jobs/{job['job_id']}", headers=headers)
        response = client.patch(f"/api/v1/jobs/{job['job_id']}", json={"openings": (job.get("openings") or 1) + 3},
                                headers={**headers, "If-Match": current.headers["ETag"]})
        assert response.status_code == 200, response.get_json()
        done["edited"].append(job["job_id"])
    query = {"bool": {"filter": [{"term": {"registration_status": "inactive"}}, {"range": {"lapsed_at": window}}]}}
    for person in _sources(es, f"{prefix}workers", query, "worker_id")[:3]:
        day = lifecycle.calendar_day(person["lapsed_at"]) + timedelta(days=40)
        es.update(index=f"{prefix}workers", id=person["worker_id"], refresh="wait_for",
                  doc=lifecycle.reactivated_fields(person, day, "quay lại trung tâm", "test"))
        done["reactivated"].append(person["worker_id"])
    return done

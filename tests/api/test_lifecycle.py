"""Register lifecycle on the real node: expired vacancies (on read and by the sweep), lapsed registrations,
reactivation, and monthly statistics that keep the dates. Own index prefix, dates relative to today."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jobmatch.clock import local_today
from jobmatch.extensions import state
from jobmatch.records import lifecycle
from tests import factories
from tests.conftest import auth, isolated_app, issue_tokens

LAPSE_DAYS = 180


def month(day: date) -> tuple[str, str]:
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first.isoformat(), last.isoformat()


@pytest.fixture(scope="module")
def world(es, embedder):
    with isolated_app(es, embedder, "lifecycle") as (app, prefix):
        state(app).settings["MIN_CELL_SIZE"] = 1
        headers = auth(issue_tokens(es, prefix)["counsellor"])
        client = app.test_client()
        today = local_today(state(app).tz)

        def post(url, body):
            response = client.post(url, json=body, headers=headers)
            assert response.status_code == 201, response.get_json()
            return response.get_json()

        employer = post("/api/v1/employers", factories.employer())["employer_id"]
        expired = post("/api/v1/jobs", factories.job(employer, status="open",
                                                     posted_at=(today - timedelta(days=100)).isoformat(),
                                                     expires_at=(today - timedelta(days=40)).isoformat()))
        current = post("/api/v1/jobs", factories.job(employer, status="open",
                                                     posted_at=(today - timedelta(days=10)).isoformat(),
                                                     expires_at=today.isoformat()))
        registered = today - timedelta(days=400)
        silent = post("/api/v1/workers", factories.worker(registered_at=registered.isoformat()))
        seen = post("/api/v1/workers", factories.worker(registered_at=registered.isoformat(),
                                                        last_contact_at=(today - timedelta(days=10)).isoformat()))
        yield {"app": app, "prefix": prefix, "client": client, "headers": headers, "today": today,
               "expired": expired, "current": current, "silent": silent, "seen": seen,
               "lapse": registered + timedelta(days=LAPSE_DAYS)}


def test_a_vacancy_past_expiry_reads_as_expired_before_and_after_the_sweep(world, es):
    client, headers, job = world["client"], world["headers"], world["expired"]
    body = client.get(f"/api/v1/jobs/{job['job_id']}", headers=headers).get_json()
    assert (body["status"], body["closed_at"]) == ("expired", job["expires_at"])
    listed = client.get("/api/v1/jobs", headers=headers).get_json()["items"]
    assert [j["job_id"] for j in listed] == [world["current"]["job_id"]]  # expired ones leave the open listing

    changed = lifecycle.sweep(es, world["prefix"], world["today"], LAPSE_DAYS)
    assert changed["expired_vacancies"] == 1
    stored = es.get(index=f"{world['prefix']}jobs", id=job["job_id"], source_exclude_vectors=False)["_source"]
    assert (stored["status"], stored["closed_at"], stored["closed_by"]) == ("expired", job["expires_at"],
                                                                            "system:lifecycle")
    assert stored["status_history"] == [{"at": job["expires_at"], "from": "open", "to": "expired",
                                         "reason": lifecycle.EXPIRED_REASON, "by": "system:lifecycle"}]
    assert stored.get("embedding")  # a partial update: the vector stays
    still = client.get(f"/api/v1/jobs/{world['current']['job_id']}", headers=headers).get_json()
    assert still["status"] == "open" and "closed_at" not in still  # open through its expiry day
    assert lifecycle.sweep(es, world["prefix"], world["today"], LAPSE_DAYS)["expired_vacancies"] == 0


def test_a_registration_without_contact_lapses_and_can_be_reactivated(world, es):
    client, headers, today, lapse = world["client"], world["headers"], world["today"], world["lapse"]
    lifecycle.sweep(es, world["prefix"], today, LAPSE_DAYS)
    silent = client.get(f"/api/v1/workers/{world['silent']['worker_id']}", headers=headers)
    body = silent.get_json()
    assert (body["registration_status"], body["lapsed_at"]) == ("inactive", lapse.isoformat())
    assert body["lapse_reason"] == f"lapsed: no contact for {LAPSE_DAYS} days"
    assert body["status_history"][-1]["to"] == "inactive"
    seen = client.get(f"/api/v1/workers/{world['seen']['worker_id']}", headers=headers).get_json()
    assert seen["registration_status"] == "active" and not seen.get("lapsed_at")

    def active(day: date) -> int:
        first, last = month(day)
        response = client.get("/api/v1/metrics", query_string={"from": first, "to": last}, headers=headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["total"]["active_jobseekers"]

    before, gap = lapse - timedelta(days=35), lapse + timedelta(days=40)
    assert (active(before), active(gap)) == (2, 1)  # active the month before the lapse, not in a month after

    missing = client.post(f"/api/v1/workers/{body['worker_id']}/reactivate", json={"reason": "x"}, headers=headers)
    assert missing.status_code == 428
    response = client.post(f"/api/v1/workers/{body['worker_id']}/reactivate", json={"reason": "gọi điện lại"},
                           headers={**headers, "If-Match": silent.headers["ETag"]})
    assert response.status_code == 200, response.get_json()
    back = response.get_json()
    assert (back["registration_status"], back["lapsed_at"], back["last_contact_at"]) == ("active", None,
                                                                                         today.isoformat())
    assert back["inactive_periods"] == [{"gte": lapse.isoformat(), "lt": today.isoformat()}]
    assert [e["to"] for e in back["status_history"]] == ["inactive", "active"]
    # The history stays true: the gap still counts the person out, the current month in again.
    assert (active(before), active(gap), active(today)) == (2, 1, 2)
    again = client.post(f"/api/v1/workers/{body['worker_id']}/reactivate", json={"reason": "x"},
                        headers={**headers, "If-Match": response.headers["ETag"]})
    assert again.status_code == 409


def _open(world, day: date) -> tuple[int, int, int]:
    """(open vacancies, open openings, new openings) of the month of `day`."""
    first, last = month(day)
    response = world["client"].get("/api/v1/metrics", query_string={"from": first, "to": last},
                                   headers=world["headers"])
    assert response.status_code == 200, response.get_json()
    total = response.get_json()["total"]
    return total["open_vacancies"], total["open_openings"], total["new_openings"]


def test_an_expired_vacancy_reopens_with_a_new_expiry_and_its_closed_months_stay_closed(world, es):
    client, headers, today = world["client"], world["headers"], world["today"]
    posted, expires = today - timedelta(days=200), today - timedelta(days=150)
    created = client.post("/api/v1/jobs", json=factories.job(
        world["expired"]["employer_id"], status="open", openings=2, posted_at=posted.isoformat(),
        expires_at=expires.isoformat()), headers=headers)
    assert created.status_code == 201, created.get_json()
    job_id = created.get_json()["job_id"]
    days = {"posted": posted, "gap": today - timedelta(days=90), "now": today}  # the gap month lies wholly inside
    before = {name: _open(world, day) for name, day in days.items()}
    current = client.get(f"/api/v1/jobs/{job_id}", headers=headers)
    assert current.get_json()["status"] == "expired"

    url, guarded = f"/api/v1/jobs/{job_id}/reopen", {**headers, "If-Match": current.headers["ETag"]}
    stale = client.post(url, json={"openings": 3, "reason": "tuyển thêm"}, headers=guarded)
    assert stale.status_code == 422 and "expires_at" in stale.get_json()["errors"]["json"]
    renewed = (today + timedelta(days=30)).isoformat()
    response = client.post(url, json={"openings": 3, "reason": "tuyển thêm", "expires_at": renewed}, headers=guarded)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["status"], body["expires_at"], body["openings"], body["posted_openings"]) == ("open", renewed, 3, 2)
    assert body["closed_periods"] == [{"gte": (expires + timedelta(days=1)).isoformat(), "lt": today.isoformat()}]
    history = body["status_history"]
    assert [(e["from"], e["to"]) for e in history] == [("open", "expired"), ("expired", "open")]
    assert history[0]["at"] == expires.isoformat() and history[1]["reason"] == "tuyển thêm"

    after = {name: _open(world, day) for name, day in days.items()}
    # The months before stay as they were: open with its 2 openings at posting, not open in the closed gap;
    # this month it is open again with 3 openings, 1 of them new.
    assert after["posted"] == before["posted"] and after["gap"] == before["gap"]
    assert after["now"] == (before["now"][0] + 1, before["now"][1] + 3, before["now"][2] + 1)
    closed = client.delete(f"/api/v1/jobs/{job_id}", json={"reason": "đủ người", "status": "closed"},
                           headers=headers).get_json()
    assert [e["to"] for e in closed["status_history"]] == ["expired", "open", "closed"]


def test_a_change_of_openings_after_the_posting_day_is_dated(world):
    client, headers, today = world["client"], world["headers"], world["today"]
    posted = today - timedelta(days=60)
    created = client.post("/api/v1/jobs", json=factories.job(
        world["expired"]["employer_id"], status="open", openings=2, posted_at=posted.isoformat(),
        expires_at=(today + timedelta(days=30)).isoformat()), headers=headers)
    assert created.status_code == 201, created.get_json()
    before = {day: _open(world, day) for day in (posted, today)}
    response = client.patch(f"/api/v1/jobs/{created.get_json()['job_id']}", json={"openings": 5},
                            headers={**headers, "If-Match": created.headers["ETag"]})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["posted_openings"] == 2 and body["reopenings"][-1]["kind"] == "edit"
    assert body["reopenings"][-1]["added"] == 3 and body["reopenings"][-1]["at"].startswith(today.isoformat())
    assert _open(world, posted) == before[posted]  # the posting month keeps its 2 openings
    assert _open(world, today) == (before[today][0], before[today][1] + 3, before[today][2] + 3)

"""Referrals and placements through the API against the real node: life cycle, concurrency, hires, repair."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from jobmatch.auth.tokens import Principal, TokenStore
from jobmatch.extensions import state
from jobmatch.placements.service import PlacementService
from tests import factories
from tests.conftest import RUN_PREFIX, auth

SEWING = {"occupation_code": "8153", "title": "Công nhân may", "certificates": [], "min_training_level": "none",
          "essential_skills": ["may công nghiệp"], "optional_skills": [], "physical_demands": {},
          "accommodations": []}


@pytest.fixture(scope="module")
def world(app, tokens, es):
    client = app.test_client()
    headers = auth(tokens["counsellor"])
    employer_id = client.post("/api/v1/employers", json=factories.employer(name="May mặc Mỹ Xuyên"),
                              headers=headers).get_json()["employer_id"]
    job = client.post("/api/v1/jobs", json=factories.job(employer_id, openings=2, posted_at="2026-09-01",
                                                         **SEWING), headers=headers).get_json()
    people = [client.post("/api/v1/workers", json=factories.worker(registered_at="2026-08-01"),
                          headers=headers).get_json()["worker_id"] for _ in range(5)]
    employer_token, _ = TokenStore(es, RUN_PREFIX).create(role="employer", employer_id=employer_id, label="t")
    return {"employer_id": employer_id, "job": job, "people": people, "headers": headers,
            "employer_headers": auth(employer_token)}


def refer(client, world, person: int, **extra):
    body = {"job_id": world["job"]["job_id"], "worker_id": world["people"][person], **extra}
    return client.post("/api/v1/placements", json=body, headers=world["headers"])


def move(client, headers, placement: dict, etag: str, to: str, **extra):
    return client.post(f"/api/v1/placements/{placement['placement_id']}/transitions", json={"to": to, **extra},
                       headers={**headers, "If-Match": etag})


def test_referral_is_created_once_and_repeating_it_returns_it(client, world):
    first = refer(client, world, 0, reason="phù hợp kỹ năng may")
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert body["status"] == "referred" and body["referred_at"]
    assert [e["to_status"] for e in body["history"]] == ["referred"]
    assert "worker" not in body  # the statistics snapshot is not part of the API body
    again = refer(client, world, 0)
    assert again.status_code == 200 and again.get_json()["placement_id"] == body["placement_id"]
    assert len(again.get_json()["history"]) == 1


def test_bad_referrals_name_the_field(client, world):
    missing = client.post("/api/v1/placements", json={"job_id": "job-nope", "worker_id": world["people"][1]},
                          headers=world["headers"])
    assert missing.status_code == 422 and "job_id" in missing.get_json()["errors"]["json"]
    bad = refer(client, world, 1, status="hired")
    assert bad.status_code == 422 and "status" in bad.get_json()["errors"]["json"]
    future = refer(client, world, 1, at=(date.today() + timedelta(days=3)).isoformat())
    assert future.status_code == 422 and "at" in future.get_json()["errors"]["json"]
    employer = client.post("/api/v1/placements", json={"job_id": world["job"]["job_id"],
                                                       "worker_id": world["people"][1]},
                           headers=world["employer_headers"])
    assert employer.status_code == 403


def test_full_path_to_hire_places_the_person_and_fills_the_vacancy(client, world):
    created = refer(client, world, 2, at="2026-10-01T09:00:00")
    placement, etag = created.get_json(), created.headers["ETag"]
    for to, day in (("interviewed", "2026-10-05"), ("offered", "2026-10-08"), ("hired", "2026-10-31T23:30:00")):
        response = move(client, world["headers"], placement, etag, to, at=day, reason=f"{to} ok")
        assert response.status_code == 200, response.get_json()
        placement, etag = response.get_json(), response.headers["ETag"]
    assert placement["status"] == "hired"
    assert placement["hired_at"].startswith("2026-10-31T23:30:00") and placement["hired_at"].endswith("+07:00")
    assert placement["effects_applied"] is True
    assert placement["days_to_placement"] == (date(2026, 10, 31) - date(2026, 8, 1)).days
    assert placement["follow_ups"] == {"m3": {"due": "2027-01-31"}, "m6": {"due": "2027-04-30"}}
    assert [e["to_status"] for e in placement["history"]] == ["referred", "interviewed", "offered", "hired"]
    person = client.get(f"/api/v1/workers/{world['people'][2]}", headers=world["headers"]).get_json()
    assert person["employment_status"] == "placed"
    job = client.get(f"/api/v1/jobs/{world['job']['job_id']}", headers=world["headers"]).get_json()
    assert job["status"] == "open" and job["filled"] == 1  # 1 of 2 openings
    assert placement["filled_vacancy"] is False and "days_to_fill" not in placement

    second = refer(client, world, 3, at="2026-10-02")
    p2, e2 = second.get_json(), second.headers["ETag"]
    for to in ("interviewed", "offered", "hired"):
        response = move(client, world["headers"], p2, e2, to, at="2026-11-03")
        p2, e2 = response.get_json(), response.headers["ETag"]
    assert p2["filled_vacancy"] is True and p2["days_to_fill"] == (date(2026, 11, 3) - date(2026, 9, 1)).days
    job = client.get(f"/api/v1/jobs/{world['job']['job_id']}", headers=world["headers"]).get_json()
    assert job["status"] == "filled" and job["filled"] == 2 and job["closed_at"]
    # the placed person cannot be referred again, and the filled vacancy takes no one
    again = client.post("/api/v1/placements", json={"job_id": world["job"]["job_id"],
                                                    "worker_id": world["people"][4]}, headers=world["headers"])
    assert again.status_code == 409 and "vacancy_not_open" in again.get_json()["message"]


def test_impossible_transitions_are_409_and_final_states_stay_final(client, world, app):
    job = client.post("/api/v1/jobs", json=factories.job(world["employer_id"], **SEWING),
                      headers=world["headers"]).get_json()
    created = client.post("/api/v1/placements", json={"job_id": job["job_id"], "worker_id": world["people"][4]},
                          headers=world["headers"])
    placement, etag = created.get_json(), created.headers["ETag"]
    skip = move(client, world["headers"], placement, etag, "hired")
    assert skip.status_code == 409 and skip.get_json()["code"] == "invalid_transition"
    assert "interviewed" in skip.get_json()["message"]
    no_etag = client.post(f"/api/v1/placements/{placement['placement_id']}/transitions", json={"to": "withdrawn"},
                          headers=world["headers"])
    assert no_etag.status_code == 428
    gone = move(client, world["headers"], placement, etag, "withdrawn", reason="đã tìm được việc khác")
    assert gone.status_code == 200 and gone.get_json()["ended_at"]
    after = move(client, world["headers"], gone.get_json(), gone.headers["ETag"], "referred")
    assert after.status_code == 409
    # a withdrawn referral is not reopened by referring again
    assert client.post("/api/v1/placements", json={"job_id": job["job_id"], "worker_id": world["people"][4]},
                       headers=world["headers"]).status_code == 409


def test_two_counsellors_with_the_same_etag_cannot_both_win(client, world, app):
    job = client.post("/api/v1/jobs", json=factories.job(world["employer_id"], **SEWING),
                      headers=world["headers"]).get_json()
    person = client.post("/api/v1/workers", json=factories.worker(), headers=world["headers"]).get_json()
    created = client.post("/api/v1/placements", json={"job_id": job["job_id"], "worker_id": person["worker_id"]},
                          headers=world["headers"])
    placement, etag = created.get_json(), created.headers["ETag"]
    statuses: list[int] = []
    barrier = threading.Barrier(2)

    def act(to: str) -> None:
        own = app.test_client()
        barrier.wait()
        statuses.append(move(own, world["headers"], placement, etag, to).status_code)

    threads = [threading.Thread(target=act, args=(to,)) for to in ("interviewed", "withdrawn")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 412]
    final = client.get(f"/api/v1/placements/{placement['placement_id']}", headers=world["headers"]).get_json()
    assert len(final["history"]) == 2 and final["seq"] == 2
    stale = move(client, world["headers"], placement, etag, "interviewed")
    assert stale.status_code == 412


def test_events_are_not_before_the_last_one(client, world):
    job = client.post("/api/v1/jobs", json=factories.job(world["employer_id"], **SEWING),
                      headers=world["headers"]).get_json()
    person = client.post("/api/v1/workers", json=factories.worker(), headers=world["headers"]).get_json()
    created = client.post("/api/v1/placements", json={"job_id": job["job_id"], "worker_id": person["worker_id"],
                                                      "at": "2026-10-10"}, headers=world["headers"])
    early = move(client, world["headers"], created.get_json(), created.headers["ETag"], "interviewed",
                 at="2026-10-01")
    assert early.status_code == 422 and "at" in early.get_json()["errors"]["json"]


def test_follow_ups_once_each_and_listed_when_due(client, world):
    listing = client.get("/api/v1/placements", query_string={"job_id": world["job"]["job_id"], "status": "hired"},
                         headers=world["headers"]).get_json()
    hired = next(p for p in listing["items"] if p["worker_id"] == world["people"][2])
    due = client.get("/api/v1/placements", query_string={"follow_up_due": "2027-02-01"},
                     headers=world["headers"]).get_json()
    assert hired["placement_id"] in {p["placement_id"] for p in due["items"]}
    current = client.get(f"/api/v1/placements/{hired['placement_id']}", headers=world["headers"])
    url = f"/api/v1/placements/{hired['placement_id']}/follow-ups"
    recorded = client.post(url, json={"follow_up": "m3", "still_employed": True, "at": "2026-11-15"},
                           headers={**world["headers"], "If-Match": current.headers["ETag"]})
    assert recorded.status_code == 200, recorded.get_json()
    assert recorded.get_json()["follow_ups"]["m3"]["still_employed"] is True
    twice = client.post(url, json={"follow_up": "m3", "still_employed": False},
                        headers={**world["headers"], "If-Match": recorded.headers["ETag"]})
    assert twice.status_code == 409
    not_due = client.get("/api/v1/placements", query_string={"follow_up_due": "2027-02-01"},
                         headers=world["headers"]).get_json()
    assert hired["placement_id"] not in {p["placement_id"] for p in not_due["items"]}


def test_employer_sees_and_moves_only_its_own_placements(client, world, tokens):
    listing = client.get("/api/v1/placements", headers=world["employer_headers"]).get_json()
    assert listing["total"] >= 2 and all(p["employer_id"] == world["employer_id"] for p in listing["items"])
    pid = listing["items"][0]["placement_id"]
    assert client.get(f"/api/v1/placements/{pid}", headers=auth(tokens["employer"])).status_code == 404
    assert client.get("/api/v1/placements", headers=auth(tokens["analyst"])).status_code == 403
    job = client.post("/api/v1/jobs", json=factories.job(world["employer_id"], **SEWING),
                      headers=world["headers"]).get_json()
    person = client.post("/api/v1/workers", json=factories.worker(), headers=world["headers"]).get_json()
    created = client.post("/api/v1/placements", json={"job_id": job["job_id"], "worker_id": person["worker_id"]},
                          headers=world["headers"])
    withdraw = move(client, world["employer_headers"], created.get_json(), created.headers["ETag"], "withdrawn")
    assert withdraw.status_code == 403
    interview = move(client, world["employer_headers"], created.get_json(), created.headers["ETag"], "interviewed")
    assert interview.status_code == 200


def test_a_lagging_placement_and_an_unapplied_hire_are_repaired_on_read(client, world, es):
    job = client.post("/api/v1/jobs", json=factories.job(world["employer_id"], **SEWING),
                      headers=world["headers"]).get_json()
    person = client.post("/api/v1/workers", json=factories.worker(), headers=world["headers"]).get_json()
    created = client.post("/api/v1/placements", json={"job_id": job["job_id"], "worker_id": person["worker_id"],
                                                      "at": "2026-11-01"}, headers=world["headers"])
    pid = created.get_json()["placement_id"]
    # As if the process died after appending events but before rewriting the placement document:
    for seq, (old, new) in enumerate((("referred", "interviewed"), ("interviewed", "offered"),
                                      ("offered", "hired")), start=2):
        es.index(index=f"{RUN_PREFIX}placement_events", id=f"{pid}-{seq:04d}", op_type="create", refresh=True,
                 document={"placement_id": pid, "seq": seq, "kind": "transition", "from_status": old,
                           "to_status": new, "at": "2026-11-02T10:00:00+07:00",
                           "recorded_at": "2026-11-02T03:00:00Z", "actor": "crashed"})
    repaired = client.get(f"/api/v1/placements/{pid}", headers=world["headers"]).get_json()
    assert repaired["status"] == "hired" and repaired["seq"] == 4 and repaired["effects_applied"] is True
    person = client.get(f"/api/v1/workers/{person['worker_id']}", headers=world["headers"]).get_json()
    assert person["employment_status"] == "placed"
    job = client.get(f"/api/v1/jobs/{job['job_id']}", headers=world["headers"]).get_json()
    assert job["filled"] == 1 and job["filled_by"] == [pid]
    # reading again changes nothing: the hire is applied once
    client.get(f"/api/v1/placements/{pid}", headers=world["headers"])
    job = client.get(f"/api/v1/jobs/{job['job_id']}", headers=world["headers"]).get_json()
    assert job["filled_by"] == [pid]


def test_simultaneous_identical_referrals_return_the_same_one(app, world):
    client = app.test_client()
    person = client.post("/api/v1/workers", json=factories.worker(registered_at="2026-08-01"),
                         headers=world["headers"]).get_json()["worker_id"]
    job = client.post("/api/v1/jobs", json=factories.job(world["employer_id"], posted_at="2026-09-01", **SEWING),
                      headers=world["headers"]).get_json()  # its own vacancy: the others' hires fill theirs
    body = {"job_id": job["job_id"], "worker_id": person, "status": "referred"}
    results: list = []
    barrier = threading.Barrier(5)

    def post() -> None:
        own = app.test_client()
        barrier.wait()
        response = own.post("/api/v1/placements", json=body, headers=world["headers"])
        results.append((response.status_code, (response.get_json() or {}).get("placement_id")))

    threads = [threading.Thread(target=post) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = sorted(code for code, _ in results)
    assert codes == [200, 200, 200, 200, 201], results
    assert len({pid for _, pid in results}) == 1


def test_repair_finds_a_hire_saved_only_in_the_event_log(client, world, es):
    """The issue's case: the hire event is saved, the placement document is not (nor person, nor vacancy)."""
    job = client.post("/api/v1/jobs", json=factories.job(world["employer_id"], openings=1, posted_at="2026-09-01",
                                                         **SEWING), headers=world["headers"]).get_json()
    person = client.post("/api/v1/workers", json=factories.worker(registered_at="2026-08-01"),
                         headers=world["headers"]).get_json()["worker_id"]
    created = client.post("/api/v1/placements", json={"job_id": job["job_id"], "worker_id": person,
                                                      "status": "proposed", "at": "2026-11-01"},
                          headers=world["headers"])
    pid = created.get_json()["placement_id"]
    for seq, (old, new) in enumerate((("proposed", "referred"), ("referred", "interviewed"),
                                      ("interviewed", "offered"), ("offered", "hired")), start=2):
        es.index(index=f"{RUN_PREFIX}placement_events", id=f"{pid}-{seq:04d}", op_type="create", refresh=True,
                 document={"placement_id": pid, "seq": seq, "kind": "transition", "from_status": old,
                           "to_status": new, "at": "2026-11-03T10:00:00+07:00",
                           "recorded_at": "2026-11-03T03:00:00Z", "actor": "crashed"})
    stale = es.get(index=f"{RUN_PREFIX}placements", id=pid)["_source"]
    assert stale["status"] == "proposed"  # the placement document knows nothing of the hire

    service = PlacementService(es=es, prefix=RUN_PREFIX, principal=Principal("test", "admin"),
                               tz=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert service.repair() >= 1
    repaired = es.get(index=f"{RUN_PREFIX}placements", id=pid)["_source"]
    assert repaired["status"] == "hired" and repaired["seq"] == 5 and repaired["effects_applied"] is True
    assert repaired["filled_vacancy"] is True and repaired["days_to_fill"] == 63
    assert es.get(index=f"{RUN_PREFIX}workers", id=person)["_source"]["employment_status"] == "placed"
    assert es.get(index=f"{RUN_PREFIX}jobs", id=job["job_id"])["_source"]["status"] == "filled"
    assert pid not in PlacementService(es=es, prefix=RUN_PREFIX, principal=Principal("test", "admin"),
                                       tz=ZoneInfo("Asia/Ho_Chi_Minh"))._lagging()


@pytest.mark.parametrize("attempt", ["close first", "race 1", "race 2", "race 3"])
def test_a_hire_and_a_close_at_the_same_moment_end_consistently(app, world, attempt):
    """Hire the one opening and close the vacancy at once: whichever lands first, the vacancy is filled by that
    hire and the placement says so."""
    client = app.test_client()
    job = client.post("/api/v1/jobs", json=factories.job(world["employer_id"], openings=1, posted_at="2026-09-01",
                                                         **SEWING), headers=world["headers"]).get_json()
    person = client.post("/api/v1/workers", json=factories.worker(registered_at="2026-08-01"),
                         headers=world["headers"]).get_json()["worker_id"]
    created = client.post("/api/v1/placements", json={"job_id": job["job_id"], "worker_id": person,
                                                      "at": "2026-11-01"}, headers=world["headers"])
    placement, etag = created.get_json(), created.headers["ETag"]
    for to in ("interviewed", "offered"):
        moved = move(client, world["headers"], placement, etag, to, at="2026-11-02")
        placement, etag = moved.get_json(), moved.headers["ETag"]
    barrier = threading.Barrier(1 if attempt == "close first" else 2)
    codes: dict[str, int] = {}

    def hire() -> None:
        own = app.test_client()
        barrier.wait()
        codes["hire"] = move(own, world["headers"], placement, etag, "hired", at="2026-11-03").status_code

    def close() -> None:
        own = app.test_client()
        barrier.wait()
        codes["close"] = own.delete(f"/api/v1/jobs/{job['job_id']}", json={"reason": "đủ người", "status": "closed"},
                                    headers=world["headers"]).status_code

    if attempt == "close first":  # the order the issue found broken, made certain
        close()
        hire()
    else:
        threads = [threading.Thread(target=hire), threading.Thread(target=close)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert codes == {"hire": 200, "close": 200}, codes
    final = client.get(f"/api/v1/placements/{placement['placement_id']}", headers=world["headers"]).get_json()
    vacancy = client.get(f"/api/v1/jobs/{job['job_id']}", headers=world["headers"]).get_json()
    assert vacancy["status"] == "filled" and vacancy["filled"] == 1 and vacancy["closed_at"], vacancy
    assert final["filled_vacancy"] is True and final["days_to_fill"] == 63, final


def _vacancy(client, world, **extra):
    return client.post("/api/v1/jobs", json=factories.job(world["employer_id"], **{**SEWING, **extra}),
                       headers=world["headers"]).get_json()


def _to(client, world, job_id: str, worker_id: str, steps: list[tuple[str, str]], referred: str) -> dict:
    """Refer a person on `referred` and move the placement through `steps` ((status, at) pairs)."""
    created = client.post("/api/v1/placements", json={"job_id": job_id, "worker_id": worker_id, "at": referred},
                          headers=world["headers"])
    assert created.status_code == 201, created.get_json()
    body, etag = created.get_json(), created.headers["ETag"]
    for to, at in steps:
        moved = move(client, world["headers"], body, etag, to, at=at)
        assert moved.status_code == 200, moved.get_json()
        body, etag = moved.get_json(), moved.headers["ETag"]
    return body


def test_a_back_dated_hire_takes_the_fill_from_the_hire_recorded_before_it(client, world):
    """The issue's case: the vacancy is filled on the date of the hire that took its last opening in time."""
    job = _vacancy(client, world, openings=1, posted_at="2026-09-01")
    first, second = (client.post("/api/v1/workers", json=factories.worker(registered_at="2026-08-01"),
                                 headers=world["headers"]).get_json()["worker_id"] for _ in range(2))
    later = _to(client, world, job["job_id"], first, [("interviewed", "2026-11-02"), ("offered", "2026-11-05")],
                "2026-11-01")
    earlier = _to(client, world, job["job_id"], second, [("interviewed", "2026-10-05"), ("offered", "2026-10-10")],
                  "2026-10-01")
    etag = client.get(f"/api/v1/placements/{later['placement_id']}", headers=world["headers"]).headers["ETag"]
    later = move(client, world["headers"], later, etag, "hired", at="2026-11-11").get_json()
    assert later["filled_vacancy"] is True and later["days_to_fill"] == 71
    vacancy = client.get(f"/api/v1/jobs/{job['job_id']}", headers=world["headers"]).get_json()
    assert vacancy["status"] == "filled" and vacancy["filled_at"] == "2026-11-11"
    # recorded now, dated before: this hire took the one opening, on 19 October
    etag = client.get(f"/api/v1/placements/{earlier['placement_id']}", headers=world["headers"]).headers["ETag"]
    earlier = move(client, world["headers"], earlier, etag, "hired", at="2026-10-19").get_json()
    assert earlier["filled_vacancy"] is True and earlier["days_to_fill"] == 48
    later = client.get(f"/api/v1/placements/{later['placement_id']}", headers=world["headers"]).get_json()
    assert later["filled_vacancy"] is False and later.get("days_to_fill") is None
    vacancy = client.get(f"/api/v1/jobs/{job['job_id']}", headers=world["headers"]).get_json()
    assert vacancy["status"] == "filled" and vacancy["filled_at"] == "2026-10-19"
    assert vacancy["closed_at"].startswith("2026-10-19")  # the close moved with the fill: no hire before it
    assert vacancy["filled_by"] == [earlier["placement_id"], later["placement_id"]]  # in hire-date order


def test_a_back_dated_hire_makes_the_later_hire_the_one_that_took_the_last_opening(client, world, es):
    job = _vacancy(client, world, openings=2, posted_at="2026-09-01")
    first, second = (client.post("/api/v1/workers", json=factories.worker(registered_at="2026-08-01"),
                                 headers=world["headers"]).get_json()["worker_id"] for _ in range(2))
    steps = [("interviewed", "2026-10-05"), ("offered", "2026-10-10")]
    later = _to(client, world, job["job_id"], first, [*steps, ("hired", "2026-11-11")], "2026-10-01")
    assert later["filled_vacancy"] is False
    earlier = _to(client, world, job["job_id"], second, [*steps, ("hired", "2026-10-19")], "2026-10-01")
    assert earlier["filled_vacancy"] is False and earlier.get("days_to_fill") is None
    later = client.get(f"/api/v1/placements/{later['placement_id']}", headers=world["headers"]).get_json()
    assert later["filled_vacancy"] is True and later["days_to_fill"] == 71
    vacancy = client.get(f"/api/v1/jobs/{job['job_id']}", headers=world["headers"]).get_json()
    assert vacancy["status"] == "filled" and vacancy["filled_at"] == "2026-11-11"
    assert [h["placement_id"] for h in vacancy["hires"]] == [earlier["placement_id"], later["placement_id"]]
    # a repair finds nothing to change: the effects are applied and agree with the timeline
    es.indices.refresh(index=f"{RUN_PREFIX}placements")
    again = client.get(f"/api/v1/placements/{later['placement_id']}", headers=world["headers"]).get_json()
    assert again["filled_vacancy"] is True and again["seq"] == later["seq"]


def test_a_reopening_in_a_later_month_leaves_the_posting_month_s_new_openings(app, client, world, monkeypatch):
    monkeypatch.setitem(state(app).settings, "MIN_CELL_SIZE", 1)  # exact arithmetic: nothing hidden

    def new_openings(first: str, last: str) -> int:
        response = client.get("/api/v1/metrics", query_string={"from": first, "to": last}, headers=world["headers"])
        assert response.status_code == 200, response.get_json()
        return response.get_json()["total"]["new_openings"]

    march, may = ("2025-03-01", "2025-03-31"), ("2025-05-01", "2025-05-31")
    before = new_openings(*march), new_openings(*may)
    job = _vacancy(client, world, openings=1, posted_at="2025-03-01")
    person = client.post("/api/v1/workers", json=factories.worker(registered_at="2025-02-01"),
                         headers=world["headers"]).get_json()["worker_id"]
    hired = _to(client, world, job["job_id"], person, [("interviewed", "2025-03-03"), ("offered", "2025-03-05"),
                                                       ("hired", "2025-03-10")], "2025-03-02")
    assert hired["filled_vacancy"] is True
    assert (new_openings(*march), new_openings(*may)) == (before[0] + 1, before[1])
    current = client.get(f"/api/v1/jobs/{job['job_id']}", headers=world["headers"])
    early = client.post(f"/api/v1/jobs/{job['job_id']}/reopen", json={"openings": 4, "reason": "mở rộng",
                                                                      "at": "2025-03-09"},
                        headers={**world["headers"], "If-Match": current.headers["ETag"]})
    assert early.status_code == 422 and "at" in str(early.get_json())  # before it was filled
    reopened = client.post(f"/api/v1/jobs/{job['job_id']}/reopen", json={"openings": 4, "reason": "mở rộng",
                                                                         "at": "2025-05-05T08:00:00"},
                           headers={**world["headers"], "If-Match": current.headers["ETag"]})
    assert reopened.status_code == 200, reopened.get_json()
    body = reopened.get_json()
    assert body["posted_openings"] == 1 and body["openings"] == 4
    assert body["reopenings"] == [{"at": "2025-05-05T08:00:00.000+07:00", "openings": 4, "added": 3, "kind": "reopen"}]
    # March keeps the one opening it was posted with; May gains the three added by the reopening
    assert (new_openings(*march), new_openings(*may)) == (before[0] + 1, before[1] + 3)


def test_placements_into_insured_jobs_are_counted_from_the_vacancy_as_referred(app, client, world, monkeypatch):
    monkeypatch.setitem(state(app).settings, "MIN_CELL_SIZE", 1)  # exact arithmetic: nothing hidden

    def totals() -> tuple[int, int, float | None]:
        response = client.get("/api/v1/metrics", query_string={"from": "2024-02-01", "to": "2024-02-29"},
                              headers=world["headers"])
        assert response.status_code == 200, response.get_json()
        t = response.get_json()["total"]
        return t["placements"], t["placements_insured"], t["insured_share_placements"]

    assert totals() == (0, 0, None)
    hired = [("interviewed", "2024-02-05"), ("offered", "2024-02-06"), ("hired", "2024-02-10")]
    for insured in (True, True, False, None):  # None: the vacancy does not say
        job = _vacancy(client, world, openings=1, posted_at="2024-01-15", social_insurance=insured)
        assert job["social_insurance"] is insured
        person = client.post("/api/v1/workers", json=factories.worker(registered_at="2024-01-02"),
                             headers=world["headers"]).get_json()["worker_id"]
        _to(client, world, job["job_id"], person, hired, "2024-02-01")
    # 2 of the 3 hires into vacancies that state it; the fourth is in the placements but not in the share
    placements, insured, share = totals()
    assert (placements, insured) == (4, 2) and share == pytest.approx(2 / 3)
    bad = client.post("/api/v1/jobs", json=factories.job(world["employer_id"], social_insurance="có"),
                      headers=world["headers"])
    assert bad.status_code == 422 and "social_insurance" in bad.get_json()["errors"]["json"]

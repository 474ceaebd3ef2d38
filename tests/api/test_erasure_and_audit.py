"""Closing and erasing a jobseeker reaches every copy; the audit log names records and fields, never values.

Runs on the real node in its own index prefix so that the scans over placements, events, sessions and the
audit log see only this module's records.
"""

from __future__ import annotations

import json

import pytest

from indexer.naming import alias_name
from tests import factories
from tests.conftest import auth, isolated_app, issue_tokens

SEWING = {"occupation_code": "8153", "title": "Công nhân may", "certificates": [], "min_training_level": "none",
          "essential_skills": ["may công nghiệp"], "optional_skills": [], "physical_demands": {},
          "accommodations": []}
PERSON = factories.worker(
    personal={"full_name": "Lâm Thị Sóc Hoa", "national_id": "094199988877", "phone": "0987654321"},
    birth_year=1988, gender="female", ethnicity="khmer", priority_groups=["ethnic_minority", "poor_household"],
    languages=["vi", "km"], registered_at="2026-08-01",
    disability={"functional_limitations": ["mobility"], "accommodations_needed": []},
    consent={"show_to_employers": True, "store_disability": True})
VALUES = ("Lâm Thị Sóc Hoa", "094199988877", "0987654321", "1988", "khmer", "poor_household", "mobility")


@pytest.fixture(scope="module")
def world(es, embedder):
    with isolated_app(es, embedder, "erasure") as (app, prefix):
        tokens = issue_tokens(es, prefix)
        client = app.test_client()
        headers = auth(tokens["counsellor"])
        employer_id = client.post("/api/v1/employers", json=factories.employer(), headers=headers).get_json()[
            "employer_id"]
        job = client.post("/api/v1/jobs", json=factories.job(employer_id, openings=2, posted_at="2026-09-01",
                                                             **SEWING), headers=headers).get_json()
        people = []
        for _ in range(2):
            created = client.post("/api/v1/workers", json=PERSON, headers=headers)
            assert created.status_code == 201, created.get_json()
            people.append(created.get_json()["worker_id"])
        placements = []
        for person in people:
            referred = client.post("/api/v1/placements", json={"job_id": job["job_id"], "worker_id": person,
                                                               "at": "2026-10-01"}, headers=headers)
            assert referred.status_code == 201, referred.get_json()
            placement, etag = referred.get_json(), referred.headers["ETag"]
            for to in ("interviewed", "offered", "hired"):
                moved = client.post(f"/api/v1/placements/{placement['placement_id']}/transitions",
                                    json={"to": to, "at": "2026-10-05"}, headers={**headers, "If-Match": etag})
                assert moved.status_code == 200, moved.get_json()
                placement, etag = moved.get_json(), moved.headers["ETag"]
            placements.append(placement["placement_id"])
        session = client.post("/api/v1/exchange-sessions", json={
            "title": "Phiên giao dịch việc làm tháng 10", "date": "2026-10-03", "mode": "onsite",
            "venue": {"commune_code": factories.COMMUNE}, "employer_ids": [employer_id],
            "job_ids": [job["job_id"]]}, headers=headers)
        assert session.status_code == 201, session.get_json()
        attended = client.put(f"/api/v1/exchange-sessions/{session.get_json()['session_id']}/attendance",
                              json={"jobseekers": people, "employers": [employer_id], "walk_ins": 4},
                              headers={**headers, "If-Match": session.headers["ETag"]})
        assert attended.status_code == 200, attended.get_json()
        yield {"app": app, "prefix": prefix, "tokens": tokens, "headers": headers, "people": people,
               "placements": placements, "session_id": session.get_json()["session_id"]}


def raw(es, prefix: str, index: str, doc_id: str) -> dict:
    return es.get(index=alias_name(prefix, index), id=doc_id)["_source"]


def test_close_removes_sensitive_attributes_from_placements_and_events(es, world):
    client = world["app"].test_client()
    person, pid = world["people"][0], world["placements"][0]
    before = raw(es, world["prefix"], "placements", pid)["worker"]
    assert before["ethnicity"] == "khmer" and before["has_disability"] is True  # the copy the issue found

    closed = client.delete(f"/api/v1/workers/{person}", json={"reason": "đã có việc làm ổn định"},
                           headers=world["headers"])
    assert closed.status_code == 200, closed.get_json()
    assert closed.get_json()["personal"] is None and closed.get_json().get("disability") is None

    snapshot = raw(es, world["prefix"], "placements", pid)["worker"]
    assert snapshot == {"commune_code": before["commune_code"], "district_code": before["district_code"],
                        "urban": before["urban"], "training_level": "trung_cap", "trained": True}
    first_event = raw(es, world["prefix"], "placement_events", f"{pid}-0001")
    assert first_event["pair"]["worker"] == snapshot
    # statistics still count the hire: status, dates and days are untouched
    placement = raw(es, world["prefix"], "placements", pid)
    assert placement["status"] == "hired" and placement["days_to_placement"] == 65
    # closing again changes nothing and still answers 200
    assert client.delete(f"/api/v1/workers/{person}", json={"reason": "lặp lại"},
                         headers=world["headers"]).status_code == 200


def test_erasure_keeps_only_deidentified_facts_everywhere(es, world):
    client = world["app"].test_client()
    person, pid = world["people"][1], world["placements"][1]
    bad = client.post(f"/api/v1/workers/{person}/erasure", json={"reason": "vì sao cũng được"},
                      headers=world["headers"])
    assert bad.status_code == 422 and "reason" in bad.get_json()["errors"]["json"]
    assert raw(es, world["prefix"], "workers", person)["personal"]  # nothing changed by the refused request
    employer = client.post(f"/api/v1/workers/{person}/erasure", json={"reason": "data_subject_request"},
                           headers=auth(world["tokens"]["employer"]))
    assert employer.status_code == 403

    erased = client.post(f"/api/v1/workers/{person}/erasure", json={"reason": "data_subject_request"},
                         headers=world["headers"])
    assert erased.status_code == 200, erased.get_json()
    record = raw(es, world["prefix"], "workers", person)
    assert record["erased_at"] and record["erasure_reason"] == "data_subject_request" and record["closed_at"]
    for gone in ("personal", "birth_year", "gender", "ethnicity", "languages", "priority_groups", "disability",
                 "skills", "certificates", "work_history", "search_text", "embedding", "embedding_text"):
        assert gone not in record, gone
    assert record["training_level"] == "trung_cap" and record["registered_at"] == "2026-08-01"
    assert record["employment_status"] == "placed" and record["residence"]["commune_code"] == factories.COMMUNE
    text = json.dumps([record, raw(es, world["prefix"], "placements", pid),
                       raw(es, world["prefix"], "placement_events", f"{pid}-0001")], ensure_ascii=False)
    for value in VALUES:
        assert value not in text, value

    session = raw(es, world["prefix"], "exchange_sessions", world["session_id"])
    assert person not in session["attendance"]["jobseekers"]
    assert session["attendance"]["erased_jobseekers"] == 1 and session["attendance"]["walk_ins"] == 4
    again = client.post(f"/api/v1/workers/{person}/erasure", json={"reason": "data_subject_request"},
                        headers=world["headers"])
    assert again.status_code == 200 and again.headers["ETag"] == erased.headers["ETag"]  # nothing rewritten
    assert raw(es, world["prefix"], "exchange_sessions", world["session_id"])["attendance"]["erased_jobseekers"] == 1


def test_analysts_see_attendance_counts_not_ids(world):
    client = world["app"].test_client()
    url = f"/api/v1/exchange-sessions/{world['session_id']}"
    analyst = client.get(url, headers=auth(world["tokens"]["analyst"])).get_json()["attendance"]
    assert "jobseekers" not in analyst and analyst["jobseekers_count"] == 2  # one listed, one erased
    counsellor = client.get(url, headers=world["headers"]).get_json()["attendance"]
    assert counsellor["jobseekers"] == [world["people"][0]]


def test_audit_log_names_records_and_fields_never_values(es, world):
    client = world["app"].test_client()
    person = world["people"][0]
    assert client.get(f"/api/v1/workers/{person}", headers=world["headers"]).status_code == 200
    assert client.get("/api/v1/workers?size=5&include_closed=true", headers=world["headers"]).status_code == 200
    for role in ("counsellor", "analyst", "employer"):
        denied = client.get("/api/v1/audit", headers=auth(world["tokens"][role]))
        assert denied.status_code == 403, role
    listed = client.get("/api/v1/audit?size=500", headers=auth(world["tokens"]["admin"]))
    assert listed.status_code == 200, listed.get_json()
    entries = listed.get_json()["items"]
    actions = {(e["action"], e["record_kind"]) for e in entries}
    assert {("create", "workers"), ("close", "workers"), ("erase", "workers"), ("read", "workers"),
            ("list", "workers")} <= actions
    created = next(e for e in entries if e["action"] == "create")
    assert {"personal.full_name", "personal.phone", "personal.national_id", "disability", "ethnicity",
            "birth_year"} <= set(created["fields"])
    assert created["role"] == "counsellor" and created["actor"] and created["route"] == "/api/v1/workers"
    erasure = [e for e in entries if e["action"] == "erase"][-1]  # the first erasure; the repeat removed nothing
    assert erasure["reason"] == "data_subject_request" and erasure["record_ids"] == [world["people"][1]]
    assert "placements.worker" in erasure["fields"] and "exchange_sessions.attendance" in erasure["fields"]
    closing = next(e for e in entries if e["action"] == "close" and e["fields"])
    assert closing["reason"] == "đã có việc làm ổn định"
    # Every stored entry, read straight from the index: record ids and field names, no personal values.
    es.indices.refresh(index=alias_name(world["prefix"], "audit"))
    stored = es.search(index=alias_name(world["prefix"], "audit"), size=1000)["hits"]["hits"]
    assert len(stored) == listed.get_json()["total"] >= 6
    text = json.dumps([h["_source"] for h in stored], ensure_ascii=False)
    for value in VALUES:
        assert value not in text, value
    by_record = client.get(f"/api/v1/audit?record_id={person}&action=read", headers=auth(world["tokens"]["admin"]))
    assert by_record.status_code == 200 and by_record.get_json()["total"] == 1


def test_audit_retention_deletes_only_old_entries(es, world):
    from datetime import UTC, datetime, timedelta

    from jobmatch.audit.log import AuditLog

    log = AuditLog(es, world["prefix"])
    old = (datetime.now(UTC) - timedelta(days=800)).isoformat()
    log.append({"at": old, "actor": "tok-old", "role": "counsellor", "action": "read", "record_kind": "workers",
                "record_ids": ["ws-old"], "record_count": 1, "fields": [], "route": "/x", "method": "GET",
                "status": 200})
    es.indices.refresh(index=log.alias)
    total = es.count(index=log.alias)["count"]
    assert log.purge(730) == 1
    assert es.count(index=log.alias)["count"] == total - 1

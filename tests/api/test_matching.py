"""Matching through the API against the real node: constraints exclude, ranking explains, roles restrict."""

import pytest

from jobmatch.auth.tokens import TokenStore
from tests import factories
from tests.conftest import RUN_PREFIX, auth

SITE = {"commune_code": "xa-tran-de", "lat": 9.5102, "lon": 106.2051}
NEAR = {"commune_code": "xa-tran-de", "lat": 9.5150, "lon": 106.2000}
FAR = {"commune_code": "phuong-soc-trang", "lat": 9.9000, "lon": 105.7000}
WELD_CERT = [{"name": "Chứng chỉ hàn", "year": 2020, "level": "so_cap"}]


def welder(**overrides):
    body = factories.worker(
        personal={"full_name": "Người thử"}, residence=NEAR, max_commute_km=20, training_level="trung_cap",
        certificates=WELD_CERT, skills=["hàn hồ quang", "đọc bản vẽ kỹ thuật", "hàn MIG"],
        work_history=[{"title": "Thợ hàn", "occupation_code": "7212", "from_year": 2015, "to_year": 2024}],
        desired_occupations=["7212"], desired_salary_min=8_000_000, consent={"show_to_employers": True})
    body.update(overrides)
    return body


@pytest.fixture(scope="module")
def world(app, tokens, es):
    client = app.test_client()
    headers = auth(tokens["counsellor"])
    employer_id = client.post("/api/v1/employers", json=factories.employer(name="Cơ khí Trần Đề"),
                              headers=headers).get_json()["employer_id"]
    job = client.post("/api/v1/jobs", json=factories.job(
        employer_id, title="Thợ hàn khung nhà thép", workplace=SITE,
        essential_skills=["hàn hồ quang", "đọc bản vẽ kỹ thuật"], optional_skills=["hàn MIG"],
        physical_demands={"lifting": "moderate"}, accommodations=["flexible_hours"]),
        headers=headers).get_json()
    other_job = client.post("/api/v1/jobs", json=factories.job(
        employer_id, title="Tài xế xe tải giao hàng", occupation_code="8332", workplace=SITE,
        certificates=["Giấy phép lái xe hạng C"], essential_skills=["lái xe tải"], optional_skills=[],
        physical_demands={}), headers=headers).get_json()
    people = {
        "best": welder(),
        "sewer": welder(certificates=WELD_CERT, skills=["may công nghiệp"], desired_occupations=["8153"],
                        work_history=[{"title": "Công nhân may", "occupation_code": "8153", "from_year": 2018}]),
        "no_cert": welder(certificates=[]),
        "needs_ramp": welder(disability={"accommodations_needed": ["step_free_access"]},
                             consent={"store_disability": True, "show_to_employers": True}),
        "no_lifting": welder(disability={"functional_limitations": ["lifting"]},
                             consent={"store_disability": True, "show_to_employers": True}),
        "flexible": welder(disability={"functional_limitations": ["stamina"],
                                       "accommodations_needed": ["flexible_hours"]},
                           consent={"store_disability": True, "show_to_employers": True}),
        "placed": welder(employment_status="placed"),
        "far": welder(residence=FAR, max_commute_km=10),
        "private": welder(consent={"show_to_employers": False}),
    }
    ids = {key: client.post("/api/v1/workers", json=body, headers=headers).get_json()["worker_id"]
           for key, body in people.items()}
    employer_token, _ = TokenStore(es, RUN_PREFIX).create(role="employer", employer_id=employer_id)
    return {"job": job["job_id"], "other_job": other_job["job_id"], "ids": ids, "employer_token": employer_token}


def matched_ids(response, key="worker_id"):
    assert response.status_code == 200, response.get_json()
    return [item[key] for item in response.get_json()["items"]]


def test_hard_constraints_exclude_and_eligible_people_rank(client, tokens, world):
    ids = world["ids"]
    response = client.get(f"/api/v1/jobs/{world['job']}/matches?size=100&explain=true",
                          headers=auth(tokens["counsellor"]))
    found = matched_ids(response)
    for excluded in ("no_cert", "needs_ramp", "no_lifting", "placed", "far"):
        assert ids[excluded] not in found, excluded
    for included in ("best", "sewer", "flexible", "private"):
        assert ids[included] in found, included
    assert found.index(ids["best"]) < found.index(ids["sewer"])
    best = next(item for item in response.get_json()["items"] if item["worker_id"] == ids["best"])
    assert best["breakdown"]["features"]["occupation"]["value"] == 1.0
    statuses = {r["vi"]: r["status"] for r in best["reasons"]}
    assert statuses["có Chứng chỉ hàn"] == statuses["trình độ trung cấp — đạt yêu cầu sơ cấp"] == "met"
    assert any("km away" in r["en"] for r in best["reasons"]) and best["distance_km"] < 20
    excluded = response.get_json()["excluded"]  # each hard constraint says how many it kept out
    assert excluded["certificate"] >= 1 and excluded["commute"] >= 1
    assert excluded["accommodation"] >= 1 and excluded["task_demand"] >= 1


def test_disability_never_lowers_a_score(client, tokens, world):
    items = client.get(f"/api/v1/jobs/{world['job']}/matches?size=100", headers=auth(tokens["counsellor"])
                       ).get_json()["items"]
    scores = {item["worker_id"]: item["score"] for item in items}
    # "flexible" differs from "best" only by a disability the workplace accommodates
    assert scores[world["ids"]["flexible"]] == pytest.approx(scores[world["ids"]["best"]], abs=1e-3)


def test_employers_get_consenting_people_without_private_details(client, world):
    headers = auth(world["employer_token"])
    response = client.get(f"/api/v1/jobs/{world['job']}/matches?size=100&explain=true", headers=headers)
    found = matched_ids(response)
    assert world["ids"]["private"] not in found and world["ids"]["best"] in found
    for item in response.get_json()["items"]:
        assert "personal" not in item["worker"] and "disability" not in item["worker"]
        assert all("hỗ trợ" not in r["vi"] for r in item["reasons"])
        assert item["breakdown"]["boosts"] == {}
    assert {"accommodation", "task_demand"}.isdisjoint(response.get_json()["excluded"])  # would reveal disability
    leak = client.get(f"/api/v1/jobs/{world['job']}/matches?priority_groups=ethnic_minority", headers=headers)
    assert leak.status_code == 422 and "priority_groups" in leak.get_json()["errors"]["query"]


def test_jobs_for_a_worker_respect_licences(client, tokens, world):
    found = matched_ids(client.get(f"/api/v1/workers/{world['ids']['best']}/matches?size=100",
                                   headers=auth(tokens["counsellor"])), key="job_id")
    assert world["job"] in found
    assert world["other_job"] not in found  # a truck needs a class C licence the welder lacks


def test_ad_hoc_search_from_free_text(client, tokens, world):
    jobs = client.post("/api/v1/matches/search?size=50", headers=auth(tokens["counsellor"]),
                       json={"target": "jobs", "text": "tôi biết hàn hồ quang, muốn làm thợ hàn",
                             "certificates": ["Chứng chỉ hàn"], "skills": ["hàn hồ quang"]})
    assert world["job"] in matched_ids(jobs, key="job_id")
    people = client.post("/api/v1/matches/search?size=100", headers=auth(tokens["counsellor"]),
                         json={"target": "workers", "text": "cần thợ hàn hồ quang", "occupation_code": "7212",
                               "certificates": ["Chứng chỉ hàn"], "skills": ["hàn hồ quang"]})
    assert world["ids"]["best"] in matched_ids(people)
    bad = client.post("/api/v1/matches/search", headers=auth(tokens["counsellor"]), json={"target": "x"})
    assert bad.status_code == 422 and {"target", "text"} <= set(bad.get_json()["errors"]["json"])


def test_roles_on_match_endpoints(client, tokens, world):
    assert client.get(f"/api/v1/workers/{world['ids']['best']}/matches", headers=auth(tokens["analyst"])
                      ).status_code == 403
    assert client.get(f"/api/v1/workers/{world['ids']['best']}/matches", headers=auth(world["employer_token"])
                      ).status_code == 403
    assert client.get(f"/api/v1/jobs/{world['job']}/matches", headers=auth(tokens["employer"])).status_code == 404

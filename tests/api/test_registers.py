"""Employers, vacancies and jobseekers through the API against the real node."""

import unicodedata

import pytest

from tests import factories
from tests.conftest import RUN_PREFIX, auth


@pytest.fixture(scope="module")
def employer_id(client_m, tokens):
    response = client_m.post("/api/v1/employers", json=factories.employer(), headers=auth(tokens["counsellor"]))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["employer_id"]


@pytest.fixture(scope="module")
def client_m(app):
    return app.test_client()


def count(es, name):
    es.indices.refresh(index=f"{RUN_PREFIX}{name}")
    return es.count(index=f"{RUN_PREFIX}{name}")["count"]


def errors_of(response, status=422):
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert body["code"] == ("validation_error" if status == 422 else body["code"])
    return body.get("errors", {}).get("json", {})


# --- employers --------------------------------------------------------------------------------------------

def test_employer_is_created_with_derived_location(client, tokens, employer_id):
    response = client.get(f"/api/v1/employers/{employer_id}", headers=auth(tokens["counsellor"]))
    body = response.get_json()
    assert response.headers["ETag"].startswith('"')
    assert body["address"]["commune"] == "Phường Sóc Trăng"
    assert body["address"]["province"] == "Thành phố Cần Thơ"
    assert body["address"]["urban"] is True
    assert "search_text" not in body and "input_hash" not in body


def test_reimport_with_same_external_id_is_idempotent(client, tokens, es):
    payload = factories.employer(external_id=f"DN-{factories.unique()}", source="excel")
    first = client.post("/api/v1/employers", json=payload, headers=auth(tokens["counsellor"]))
    before = count(es, "employers")
    again = client.post("/api/v1/employers", json=payload, headers=auth(tokens["counsellor"]))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["employer_id"] == again.get_json()["employer_id"]
    assert count(es, "employers") == before
    changed = client.post("/api/v1/employers", json={**payload, "name": "Khác"}, headers=auth(tokens["counsellor"]))
    assert changed.status_code == 409


@pytest.mark.parametrize(("change", "field"), [
    ({"tax_code": "12345"}, "tax_code"),
    ({"industry": "Z"}, "industry"),
    ({"address": {"commune_code": "xa-khong-co"}}, "address"),
    ({"address": {"commune_code": "phuong-soc-trang", "legacy_ward_code": "31786"}}, "address"),
    ({"address": {}}, "address"),
    ({"favourite_colour": "blue"}, "favourite_colour"),
    ({"name": ""}, "name"),
    ({"name": "x" * 201}, "name"),
    ({"contact": {"email": "not-an-email"}}, "contact"),
])
def test_invalid_employers_are_refused_per_field_and_not_stored(client, tokens, es, change, field):
    before = count(es, "employers")
    response = client.post("/api/v1/employers", json=factories.employer(**change), headers=auth(tokens["counsellor"]))
    assert field in errors_of(response)
    assert count(es, "employers") == before


# --- vacancies --------------------------------------------------------------------------------------------

def test_job_stores_occupation_titles_location_and_embedding(client, tokens, es, employer_id, embedder):
    response = client.post("/api/v1/jobs", json=factories.job(employer_id), headers=auth(tokens["counsellor"]))
    assert response.status_code == 201, response.get_json()
    job = response.get_json()
    assert job["occupation"] == {"code": "7212", "minor": "721", "sub_major": "72", "major": "7",
                                 "title_vi": "Thợ hàn", "title_en": "Welders and flamecutters"}
    assert job["workplace"]["commune_code"] == "phuong-soc-trang"
    assert job["workplace"]["legacy"]["district"] == "Thành phố Sóc Trăng"
    assert job["industry"] == "C"  # taken from the employer
    stored = es.get(index=f"{RUN_PREFIX}jobs", id=job["job_id"], source_exclude_vectors=False)["_source"]
    # the default model reads English: a Vietnamese vacancy is embedded through its occupation's English title
    # and ESCO skills (a multilingual model reads the text itself: tests/unit/test_embedding_texts.py)
    assert stored["embedding_text"].startswith("Welders and flamecutters: ")
    assert "Thợ hàn" not in stored["embedding_text"]
    assert len(stored["embedding"]) == embedder.dimension
    assert stored["occupation_coding"] == {"method": "manual"}
    assert stored["workplace"]["location_source"] == "legacy_ward"  # a point for a place given by code only


@pytest.mark.parametrize(("change", "field"), [
    ({"salary_min": 10_000_000, "salary_max": 8_000_000}, "salary_min"),
    ({"occupation_code": "9999"}, "occupation_code"),
    ({"occupation_code": "72"}, "occupation_code"),
    ({"title": "t" * 201}, "title"),
    ({"description": "d" * 5001}, "description"),
    ({"openings": 0}, "openings"),
    ({"workplace": {"legacy_ward_code": "00000"}}, "workplace"),
    ({"accommodations": ["a_pony"]}, "accommodations"),
    ({"status": "filled"}, "status"),
    ({"essential_skills": ["hàn", "hàn"]}, "essential_skills"),
])
def test_invalid_jobs_are_refused_per_field(client, tokens, es, employer_id, change, field):
    before = count(es, "jobs")
    response = client.post("/api/v1/jobs", json=factories.job(employer_id, **change),
                           headers=auth(tokens["counsellor"]))
    assert field in errors_of(response)
    assert count(es, "jobs") == before


def test_job_for_unknown_employer_is_refused(client, tokens):
    response = client.post("/api/v1/jobs", json=factories.job("emp-nope"), headers=auth(tokens["counsellor"]))
    assert "employer_id" in errors_of(response)


def test_vietnamese_text_is_stored_nfc(client, tokens, employer_id):
    decomposed = unicodedata.normalize("NFD", "Công nhân chế biến  thủy sản")
    response = client.post("/api/v1/jobs", json=factories.job(employer_id, title=decomposed, occupation_code="7511"),
                           headers=auth(tokens["counsellor"]))
    assert response.get_json()["title"] == unicodedata.normalize("NFC", "Công nhân chế biến thủy sản")


def test_patch_needs_if_match_and_refuses_stale_writes(client, tokens, employer_id, es):
    created = client.post("/api/v1/jobs", json=factories.job(employer_id), headers=auth(tokens["counsellor"]))
    job_id, etag = created.get_json()["job_id"], created.headers["ETag"]
    url = f"/api/v1/jobs/{job_id}"
    assert client.patch(url, json={"openings": 5}, headers=auth(tokens["counsellor"])).status_code == 428

    first = client.patch(url, json={"openings": 5}, headers={**auth(tokens["counsellor"]), "If-Match": etag})
    assert first.status_code == 200 and first.get_json()["openings"] == 5
    stale = client.patch(url, json={"openings": 6}, headers={**auth(tokens["counsellor"]), "If-Match": etag})
    assert stale.status_code == 412 and stale.get_json()["code"] == "precondition_failed"
    assert client.get(url, headers=auth(tokens["counsellor"])).get_json()["openings"] == 5

    bad = client.patch(url, json={"salary_min": 99_000_000},
                       headers={**auth(tokens["counsellor"]), "If-Match": first.headers["ETag"]})
    assert "salary_min" in errors_of(bad)
    assert client.get(url, headers=auth(tokens["counsellor"])).headers["ETag"] == first.headers["ETag"]


def test_embedding_is_recomputed_only_when_its_text_changes(client, tokens, employer_id, es):
    created = client.post("/api/v1/jobs", json=factories.job(employer_id), headers=auth(tokens["counsellor"]))
    job_id = created.get_json()["job_id"]

    def vector():
        return es.get(index=f"{RUN_PREFIX}jobs", id=job_id, source_exclude_vectors=False)["_source"]["embedding"]

    original = vector()
    salary = client.patch(f"/api/v1/jobs/{job_id}", json={"salary_max": 9_500_000},
                          headers={**auth(tokens["counsellor"]), "If-Match": created.headers["ETag"]})
    assert salary.status_code == 200 and vector() == original
    retitled = client.patch(f"/api/v1/jobs/{job_id}", json={"title": "Thợ hàn ống áp lực",
                                                             "occupation_code": "7213"},
                            headers={**auth(tokens["counsellor"]), "If-Match": salary.headers["ETag"]})
    assert retitled.status_code == 200 and vector() != original


def test_employers_see_and_change_only_their_own_jobs(app, client, tokens, employer_id, es):
    from jobmatch.auth.tokens import TokenStore

    own_token, _ = TokenStore(es, RUN_PREFIX).create(role="employer", employer_id=employer_id)
    other = client.post("/api/v1/employers", json=factories.employer(name="Công ty May Mekong", tax_code="2200654321"),
                        headers=auth(tokens["counsellor"])).get_json()["employer_id"]
    other_job = client.post("/api/v1/jobs", json=factories.job(other, title="Công nhân may", occupation_code="8153"),
                            headers=auth(tokens["counsellor"])).get_json()

    mine = client.post("/api/v1/jobs", json=factories.job(employer_id), headers=auth(own_token))
    assert mine.status_code == 201
    assert client.post("/api/v1/jobs", json=factories.job(other), headers=auth(own_token)).status_code == 403
    assert client.get(f"/api/v1/jobs/{other_job['job_id']}", headers=auth(own_token)).status_code == 404
    patch = client.patch(f"/api/v1/jobs/{other_job['job_id']}", json={"openings": 9},
                         headers={**auth(own_token), "If-Match": '"1-0"'})
    assert patch.status_code == 404
    listed = client.get("/api/v1/jobs?size=100", headers=auth(own_token)).get_json()["items"]
    assert listed and {item["employer_id"] for item in listed} == {employer_id}


def test_listing_pages_are_stable_and_complete(client, tokens, employer_id):
    ids = set()
    for n in range(5):
        response = client.post("/api/v1/jobs", json=factories.job(employer_id, title=f"Nhân viên bán hàng {n}",
                                                                   occupation_code="5223"),
                               headers=auth(tokens["counsellor"]))
        ids.add(response.get_json()["job_id"])
    seen, cursor, pages = [], None, 0
    while True:
        url = "/api/v1/jobs?size=2&occupation_code=5223" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=auth(tokens["analyst"])).get_json()
        seen += [item["job_id"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert pages >= 3 and len(seen) == len(set(seen)) and ids <= set(seen)
    assert client.get("/api/v1/jobs?cursor=%%%", headers=auth(tokens["analyst"])).status_code == 400


def test_search_folds_diacritics_and_ranks_exact_first(client, tokens, employer_id):
    exact = client.post("/api/v1/jobs", json=factories.job(employer_id, title="Thợ hàn khung sắt", description=None,
                                                           occupation_code="7212", essential_skills=[],
                                                           optional_skills=[], certificates=[]),
                        headers=auth(tokens["counsellor"])).get_json()["job_id"]
    folded = client.post("/api/v1/jobs", json=factories.job(employer_id, title="Tho han khung sat", description=None,
                                                            occupation_code="7115", essential_skills=[],
                                                            optional_skills=[], certificates=[]),
                         headers=auth(tokens["counsellor"])).get_json()["job_id"]
    accented = client.get("/api/v1/jobs?q=thợ hàn khung&size=50", headers=auth(tokens["counsellor"])).get_json()
    ranked = [item["job_id"] for item in accented["items"]]
    assert ranked.index(exact) < ranked.index(folded)
    plain = client.get("/api/v1/jobs?q=tho han khung&size=50", headers=auth(tokens["counsellor"])).get_json()
    assert exact in [item["job_id"] for item in plain["items"]]


def test_closing_a_job_needs_a_reason_and_is_idempotent(client, tokens, employer_id):
    job_id = client.post("/api/v1/jobs", json=factories.job(employer_id),
                         headers=auth(tokens["counsellor"])).get_json()["job_id"]
    assert "reason" in errors_of(client.delete(f"/api/v1/jobs/{job_id}", json={},
                                             headers=auth(tokens["counsellor"])))
    first = client.delete(f"/api/v1/jobs/{job_id}", json={"reason": "đã tuyển đủ", "status": "filled"},
                        headers=auth(tokens["counsellor"])).get_json()
    again = client.delete(f"/api/v1/jobs/{job_id}", json={"reason": "lần hai"},
                        headers=auth(tokens["counsellor"])).get_json()
    assert first["status"] == "filled" and again["closed_at"] == first["closed_at"]
    assert again["close_reason"] == "đã tuyển đủ"
    listed = client.get("/api/v1/jobs?size=100", headers=auth(tokens["counsellor"])).get_json()["items"]
    assert job_id not in [item["job_id"] for item in listed]
    closed = client.get("/api/v1/jobs?size=100&include_closed=true", headers=auth(tokens["counsellor"])).get_json()
    assert job_id in [item["job_id"] for item in closed["items"]]


# --- jobseekers -------------------------------------------------------------------------------------------

def test_disability_needs_consent(client, tokens, es):
    before = count(es, "workers")
    payload = factories.worker(disability={"functional_limitations": ["mobility"],
                                           "accommodations_needed": ["step_free_access"]})
    assert "disability" in errors_of(client.post("/api/v1/workers", json=payload, headers=auth(tokens["counsellor"])))
    assert count(es, "workers") == before
    payload["consent"] = {"store_disability": True, "show_to_employers": True}
    created = client.post("/api/v1/workers", json=payload, headers=auth(tokens["counsellor"]))
    assert created.status_code == 201
    body = created.get_json()
    assert body["disability"]["functional_limitations"] == ["mobility"] and body["consent"]["recorded_at"]


@pytest.mark.parametrize(("change", "field"), [
    ({"birth_year": 2020}, "birth_year"),
    ({"birth_year": 1900}, "birth_year"),
    ({"personal": {"full_name": "A", "national_id": "12ab"}}, "personal"),
    ({"desired_occupations": ["0000"]}, "desired_occupations"),
    ({"work_history": [{"title": "x", "from_year": 2020, "to_year": 2010}]}, "work_history"),
    ({"diagnosis": "x"}, "diagnosis"),
])
def test_invalid_workers_are_refused_per_field(client, tokens, change, field):
    response = client.post("/api/v1/workers", json=factories.worker(**change), headers=auth(tokens["counsellor"]))
    assert field in errors_of(response)


def test_employers_see_only_consenting_people_without_private_fields(client, tokens):
    shown = client.post("/api/v1/workers", json=factories.worker(
        disability={"functional_limitations": ["hearing"]},
        consent={"store_disability": True, "show_to_employers": True}),
        headers=auth(tokens["counsellor"])).get_json()["worker_id"]
    hidden = client.post("/api/v1/workers", json=factories.worker(consent={"show_to_employers": False}),
                         headers=auth(tokens["counsellor"])).get_json()["worker_id"]
    seen = client.get(f"/api/v1/workers/{shown}", headers=auth(tokens["employer"]))
    assert seen.status_code == 200
    body = seen.get_json()
    for private in ("personal", "disability", "gender", "ethnicity", "priority_groups", "birth_year", "languages"):
        assert private not in body
    assert client.get(f"/api/v1/workers/{hidden}", headers=auth(tokens["employer"])).status_code == 404
    listed = client.get("/api/v1/workers?size=100", headers=auth(tokens["employer"])).get_json()["items"]
    ids = [item["worker_id"] for item in listed]
    assert shown in ids and hidden not in ids
    assert all("personal" not in item and "disability" not in item for item in listed)
    by_name = client.get("/api/v1/workers?q=Thạch Thị Sa Rết&size=100", headers=auth(tokens["employer"])).get_json()
    assert by_name["items"] == [] or all("personal" not in item for item in by_name["items"])
    assert client.get("/api/v1/workers", headers=auth(tokens["analyst"])).status_code == 403
    # a filter on a hidden attribute would reveal it through who is listed
    leak = client.get("/api/v1/workers?priority_group=ethnic_minority", headers=auth(tokens["employer"]))
    assert leak.status_code == 422 and "priority_group" in leak.get_json()["errors"]["query"]


def test_counsellors_find_people_by_name_and_skill(client, tokens):
    worker_id = client.post("/api/v1/workers", json=factories.worker(), headers=auth(tokens["counsellor"])
                            ).get_json()["worker_id"]
    by_name = client.get("/api/v1/workers?q=Sa Rết&size=100", headers=auth(tokens["counsellor"])).get_json()
    assert worker_id in [item["worker_id"] for item in by_name["items"]]
    folded = client.get("/api/v1/workers?q=may cong nghiep&size=100", headers=auth(tokens["counsellor"])).get_json()
    assert worker_id in [item["worker_id"] for item in folded["items"]]


def test_closing_a_registration_erases_personal_data(client, tokens, es):
    payload = factories.worker(disability={"functional_limitations": ["vision"]},
                               consent={"store_disability": True, "show_to_employers": False})
    worker_id = client.post("/api/v1/workers", json=payload, headers=auth(tokens["counsellor"])).get_json()["worker_id"]
    closed = client.delete(f"/api/v1/workers/{worker_id}", json={"reason": "yêu cầu xóa dữ liệu"},
                           headers=auth(tokens["counsellor"]))
    assert closed.status_code == 200
    stored = es.get(index=f"{RUN_PREFIX}workers", id=worker_id)["_source"]
    assert stored["personal"] is None and stored["disability"] is None and stored["closed_at"]
    assert "Sa Rết" not in str(stored)

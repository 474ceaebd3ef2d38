"""What a counsellor types at the counter, against the real node: regulated trades flagged not hidden, the
walk-in sentence understood, commute limits with commune-only places, reasons that say what is unmet."""

from __future__ import annotations

import pytest

from tests import factories
from tests.conftest import auth, isolated_app, issue_tokens

VINH_CHAU = {"commune_code": "phuong-vinh-chau"}  # commune only: no coordinates typed
KHANH_HOA = {"commune_code": "phuong-khanh-hoa"}  # next to Vĩnh Châu
KE_SACH = {"commune_code": "xa-ke-sach"}  # about 50 km north
NO_DEMANDS: dict = {}


def vacancy(employer_id: str, title: str, code: str, place: dict, **extra) -> dict:
    body = factories.job(employer_id, title=title, occupation_code=code, workplace=place, certificates=[],
                         essential_skills=[], optional_skills=[], physical_demands=NO_DEMANDS, accommodations=[],
                         min_training_level="none", description=extra.pop("description", title))
    body.update(extra)
    return body


@pytest.fixture(scope="module")
def counter(es, embedder):
    """A small register of its own: garment, machine, welding and other vacancies in and far from Vĩnh Châu."""
    with isolated_app(es, embedder, "walkin") as (app, prefix):
        tokens = issue_tokens(es, prefix)
        client = app.test_client()
        headers = auth(tokens["counsellor"])
        employer = client.post("/api/v1/employers", json=factories.employer(), headers=headers).get_json()
        eid = employer["employer_id"]
        bodies = {
            "garment_vc": vacancy(eid, "Tuyển công nhân may mặc", "8153", VINH_CHAU,
                                  description="Công ty may tuyển công nhân may mặc, may công nghiệp, lương 7-9 triệu."),
            "garment_kh": vacancy(eid, "Công nhân may công nghiệp", "8153", KHANH_HOA,
                                  description="Xưởng may mặc xuất khẩu cần thợ may, ưu tiên trung cấp may."),
            "tailor_vc": vacancy(eid, "Thợ may đo quần áo", "7531", VINH_CHAU,
                                 description="Tiệm may mặc cần thợ may đo."),
            "garment_far": vacancy(eid, "Tuyển công nhân may mặc", "8153", KE_SACH,
                                   description="Công ty may tuyển công nhân may mặc tại Kế Sách."),
            "machine_vc": vacancy(eid, "Công nhân vận hành máy chế biến", "8160", VINH_CHAU,
                                  description="Vận hành máy cấp đông, máy chế biến tôm."),
            "mechanic_vc": vacancy(eid, "Thợ sửa máy nông nghiệp", "7233", VINH_CHAU,
                                   description="Sửa chữa máy gặt, máy cày."),
            "welder_1": vacancy(eid, "Tuyển thợ hàn", "7212", VINH_CHAU, certificates=["Chứng chỉ hàn"],
                                description="Hàn khung sắt, hàn điện, có chứng chỉ hàn."),
            "welder_2": vacancy(eid, "Thợ hàn CO2 nhà xưởng", "7212", KHANH_HOA, certificates=["Chứng chỉ hàn"],
                                description="Cần thợ hàn CO2, hàn kết cấu thép."),
            "painter": vacancy(eid, "Thợ sơn nước", "7131", VINH_CHAU, description="Sơn nhà, sơn nước công trình."),
            "mason": vacancy(eid, "Thợ hồ xây dựng", "7112", VINH_CHAU, description="Xây tô nhà ở."),
            "college": vacancy(eid, "Kế toán tổng hợp", "2411", VINH_CHAU, min_training_level="cao_dang",
                               salary_min=5_000_000, salary_max=6_000_000, description="Kế toán, yêu cầu cao đẳng."),
        }
        ids = {}
        for key, body in bodies.items():
            response = client.post("/api/v1/jobs", json=body, headers=headers)
            assert response.status_code == 201, response.get_json()
            ids[key] = response.get_json()["job_id"]
        yield {"client": client, "headers": headers, "ids": ids}


def search(counter: dict, text: str, size: int = 5) -> dict:
    response = counter["client"].post(f"/api/v1/matches/search?size={size}", headers=counter["headers"],
                                      json={"target": "jobs", "text": text})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.mark.parametrize("text", ["thợ hàn", "tho han"])
def test_welding_vacancies_are_found_and_flagged_when_no_licence_is_stated(counter, text):
    result = search(counter, text)
    top = [item["job_id"] for item in result["items"][:2]]
    assert set(top) == {counter["ids"]["welder_1"], counter["ids"]["welder_2"]}, top
    for item in result["items"][:2]:
        assert [flag["code"] for flag in item["flags"]] == ["certificate"]
        assert "Chứng chỉ hàn" in item["flags"][0]["vi"]


def test_a_stated_certificate_clears_the_flag(counter):
    result = search(counter, "thợ hàn, có chứng chỉ hàn")
    welder = next(i for i in result["items"] if i["job_id"] == counter["ids"]["welder_1"])
    assert welder["flags"] == []
    assert {"vi": "có Chứng chỉ hàn", "en": "holds Chứng chỉ hàn", "status": "met"} in welder["reasons"]
    assert any(u["field"] == "certificates" and u["value"] == "Chứng chỉ hàn" for u in result["understood"])


def test_walk_in_sentence_finds_garment_jobs_near_vinh_chau(counter):
    text = "em muốn tìm việc may mặc gần Vĩnh Châu, có bằng trung cấp"
    result = search(counter, text, size=3)
    understood = {u["field"]: u for u in result["understood"]}
    assert understood["commune_code"]["value"] == "phuong-vinh-chau"
    assert text[slice(*understood["commune_code"]["span"])] == "Vĩnh Châu"
    assert understood["training_level"]["value"] == "trung_cap"
    ids = counter["ids"]
    top = [item["job_id"] for item in result["items"]]
    assert set(top[:2]) == {ids["garment_vc"], ids["garment_kh"]}, top  # garment sewing near Vĩnh Châu
    assert ids["mechanic_vc"] not in top  # "máy" is not "may"
    occupation = understood["occupation_code"]
    assert occupation["value"] == "8153" and text[slice(*occupation["span"])] == "may mặc"
    everything = [item["job_id"] for item in search(counter, text, size=20)["items"]]
    # the garment job 50 km away is still listed (nobody said how far), flagged, after the sewing job nearby
    assert everything.index(ids["garment_far"]) > everything.index(ids["tailor_vc"])
    first = result["items"][0]
    assert first["distance_km"] is not None and first["distance_km"] < 15
    assert any(r["vi"].startswith("cách") for r in first["reasons"])
    unaccented = search(counter, "em muon tim viec may mac gan Vinh Chau, co bang trung cap", size=3)
    assert {ids["garment_vc"], ids["garment_kh"]} <= {i["job_id"] for i in unaccented["items"]}


def test_commute_limit_applies_to_commune_only_places(counter):
    client, headers = counter["client"], counter["headers"]
    welder = factories.worker(residence=KE_SACH, max_commute_km=30, certificates=[{"name": "Chứng chỉ hàn"}],
                              skills=["hàn điện", "hàn CO2"], desired_occupations=["7212"],
                              work_history=[{"title": "Thợ hàn", "occupation_code": "7212", "from_year": 2015}])
    worker_id = client.post("/api/v1/workers", json=welder, headers=headers).get_json()["worker_id"]
    result = client.get(f"/api/v1/workers/{worker_id}/matches?size=20", headers=headers).get_json()
    assert all(item["distance_km"] <= 30 for item in result["items"])
    assert counter["ids"]["garment_far"] in [i["job_id"] for i in result["items"]]  # Kế Sách is home
    assert result["excluded"]["commute"] >= 2  # the Vĩnh Châu welding jobs are ~50 km away


def test_reasons_say_what_is_not_met(counter):
    client, headers = counter["client"], counter["headers"]
    clerk = factories.worker(residence=VINH_CHAU, training_level="trung_cap", desired_salary_min=8_000_000,
                             skills=["kế toán"], desired_occupations=["2411"], work_history=[])
    worker_id = client.post("/api/v1/workers", json=clerk, headers=headers).get_json()["worker_id"]
    result = client.get(f"/api/v1/workers/{worker_id}/matches?size=20", headers=headers).get_json()
    job = next(i for i in result["items"] if i["job_id"] == counter["ids"]["college"])
    reasons = {r["vi"]: r["status"] for r in job["reasons"]}
    assert reasons["trình độ trung cấp — chưa đạt yêu cầu cao đẳng"] == "not_met"
    assert reasons["lương tối đa 6 triệu/tháng, thấp hơn mong muốn 8 triệu"] == "not_met"
    assert not any("năm kinh nghiệm" in r for r in reasons)

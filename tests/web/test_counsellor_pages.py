"""The counsellors' pages against the real node: the register searched without diacritics, a person's matches with
reasons, one-click referrals (idempotent), moving a placement, roles, headers and the audit log."""

from __future__ import annotations

import re
from html import unescape

import pytest

from jobmatch.audit.log import AuditLog
from jobmatch.extensions import state
from tests import factories
from tests.conftest import auth
from tests.web.conftest import page_token, sign_in

SITE = {"commune_code": "xa-tran-de", "lat": 9.5102, "lon": 106.2051}
NEAR = {"commune_code": "xa-tran-de", "lat": 9.5150, "lon": 106.2000}
WELD_CERT = [{"name": "Chứng chỉ hàn", "year": 2020, "level": "so_cap"}]
ETAG_FIELD = re.compile(r'name="etag" value="([^"]+)"')


def signed_in(web, username):
    client = web.app.test_client()
    assert sign_in(client, username).status_code == 302
    return client


@pytest.fixture(scope="module")
def world(web):
    """A vacancy for a welder and a welder who fits it, registered through the API."""
    client = web.app.test_client()
    headers = auth(web.tokens["counsellor"])
    employer = client.post("/api/v1/employers", json=factories.employer(name="Cơ khí Trần Đề"), headers=headers)
    employer_id = employer.get_json()["employer_id"]
    job = client.post("/api/v1/jobs", json=factories.job(
        employer_id, title="Thợ hàn khung nhà thép", workplace=SITE,
        essential_skills=["hàn hồ quang", "đọc bản vẽ kỹ thuật"], optional_skills=["hàn MIG"],
        physical_demands={"lifting": "moderate"}, accommodations=["flexible_hours"]), headers=headers)
    assert job.status_code == 201, job.get_json()
    worker = client.post("/api/v1/workers", json=factories.worker(
        personal={"full_name": "Lâm Văn Thợ", "phone": "0912000111"}, residence=NEAR, max_commute_km=20,
        certificates=WELD_CERT, skills=["hàn hồ quang", "đọc bản vẽ kỹ thuật"],
        work_history=[{"title": "Thợ hàn", "occupation_code": "7212", "from_year": 2015, "to_year": 2024}],
        desired_occupations=["7212"], desired_salary_min=8_000_000), headers=headers)
    assert worker.status_code == 201, worker.get_json()
    other = client.post("/api/v1/workers", json=factories.worker(personal={"full_name": "Trần Thị May"}),
                        headers=headers)
    assert other.status_code == 201
    return {"job": job.get_json()["job_id"], "worker": worker.get_json()["worker_id"],
            "other": other.get_json()["worker_id"]}


def placements_of(web, worker_id):
    response = web.app.test_client().get(f"/api/v1/placements?worker_id={worker_id}",
                                         headers=auth(web.tokens["admin"]))
    assert response.status_code == 200
    return response.get_json()["items"]


def test_the_register_finds_a_person_typed_without_diacritics(web, world):
    client = signed_in(web, "tuvan")
    response = client.get("/counsellor/jobseekers?q=han ho quang")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'/counsellor/jobseekers/{world["worker"]}' in html and "Lâm Văn Thợ" in html
    assert f'/counsellor/jobseekers/{world["other"]}' not in html
    everyone = client.get("/counsellor/jobseekers").get_data(as_text=True)
    assert "Lâm Văn Thợ" in everyone and "Trần Thị May" in everyone
    assert '<label class="field__label" for="q">' in everyone and '<th scope="col">' in everyone


def test_the_person_page_shows_matches_with_reasons_and_is_audited(web, world):
    client = signed_in(web, "tuvan")
    response = client.get(f"/counsellor/jobseekers/{world['worker']}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "Lâm Văn Thợ" in html and "0912000111" in html
    assert "Thợ hàn khung nhà thép" in html and "có Chứng chỉ hàn" in html  # a reason, in Vietnamese
    assert "Đạt" in html and "km" in html and ">Giới thiệu<" in html
    entries = AuditLog(state(web.app).es, web.prefix).search(
        {"size": 20, "actor": web.users["counsellor"].user_id, "record_id": world["worker"], "action": "read"})
    assert entries.items, "the read is in the audit log under the user's id"
    assert "personal.phone" in entries.items[0].source["fields"]


def test_refer_creates_one_placement_and_moves_follow_the_life_cycle(web, world):
    client = signed_in(web, "tuvan")
    path = f"/counsellor/jobseekers/{world['worker']}"
    for attempt in range(2):
        response = client.post(f"{path}/referrals", data={"csrf_token": page_token(client, path),
                                                          "job_id": world["job"]})
        assert response.status_code == 302 and response.headers["Location"].startswith(path), attempt
    placements = placements_of(web, world["worker"])
    assert len(placements) == 1 and placements[0]["status"] == "referred"
    html = client.get(path).get_data(as_text=True)
    assert "Người này đã được giới thiệu vào vị trí này" in html  # the repeat showed the existing one
    assert "Đánh dấu đã phỏng vấn" in html and "Đã giới thiệu" in html

    pid = placements[0]["placement_id"]
    etag = unescape(ETAG_FIELD.search(html).group(1))
    moved = client.post(f"/counsellor/placements/{pid}/moves",
                        data={"csrf_token": page_token(client, path), "etag": etag, "to": "interviewed"})
    assert moved.status_code == 302
    assert placements_of(web, world["worker"])[0]["status"] == "interviewed"
    html = client.get(path).get_data(as_text=True)
    assert "Đã chuyển lượt giới thiệu sang “Đã phỏng vấn”." in html

    fresh = unescape(ETAG_FIELD.search(html).group(1))
    refused = client.post(f"/counsellor/placements/{pid}/moves",
                          data={"csrf_token": page_token(client, path), "etag": fresh, "to": "referred"})
    assert refused.status_code == 302
    assert "Không được phép chuyển sang bước này" in client.get(path).get_data(as_text=True)
    stale = client.post(f"/counsellor/placements/{pid}/moves",
                        data={"csrf_token": page_token(client, path), "etag": etag, "to": "offered"})
    assert stale.status_code == 302
    assert "Người khác vừa thay đổi lượt giới thiệu này" in client.get(path).get_data(as_text=True)
    assert placements_of(web, world["worker"])[0]["status"] == "interviewed"


def test_a_post_without_the_csrf_token_is_refused(web, world):
    client = signed_in(web, "tuvan")
    response = client.post(f"/counsellor/jobseekers/{world['other']}/referrals", data={"job_id": world["job"]})
    assert response.status_code == 400
    assert placements_of(web, world["other"]) == []


def test_the_home_lists_todays_work(web, world):
    response = signed_in(web, "tuvan").get("/counsellor")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "Việc hôm nay" in html and "Thợ hàn khung nhà thép" in html  # posted today
    assert f'/counsellor/jobseekers/{world["worker"]}' in html  # waiting (registered, not placed)
    assert "Không có lượt theo dõi nào đến hạn." in html


def test_admins_may_open_the_pages(web, world):
    client = signed_in(web, "quantri")
    assert client.get(f"/counsellor/jobseekers/{world['worker']}").status_code == 200


@pytest.mark.parametrize("username", ["doanhnghiep", "phantich"])
def test_employers_and_analysts_get_403(web, world, username):
    client = signed_in(web, username)
    home = "/employer" if username == "doanhnghiep" else "/analyst"
    for path in ("/counsellor", "/counsellor/jobseekers?q=han", f"/counsellor/jobseekers/{world['worker']}"):
        response = client.get(path)
        assert response.status_code == 403 and response.mimetype == "text/html", path
        assert "Lâm Văn Thợ" not in response.get_data(as_text=True)
    forged = client.post(f"/counsellor/jobseekers/{world['other']}/referrals",
                         data={"csrf_token": page_token(client, home), "job_id": world["job"]})
    assert forged.status_code == 403
    assert placements_of(web, world["other"]) == []


def test_an_unknown_person_is_the_404_page(web):
    response = signed_in(web, "tuvan").get("/counsellor/jobseekers/ws-khong-co")
    assert response.status_code == 404 and response.mimetype == "text/html"

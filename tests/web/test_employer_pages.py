"""The employer's pages over the real node: posting a vacancy through the form, the service's validation beside
the fields, only one's own vacancies, the type-ahead endpoints, candidates without private attributes, and
moving a referral with the page's buttons."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from jobmatch.reference import communes
from tests import factories
from tests.conftest import auth
from tests.web.conftest import csrf_token, sign_in

COMMUNE_NAME = communes()[factories.COMMUNE].name


@pytest.fixture(scope="module")
def employer(web):
    """A client signed in as the employer user."""
    client = web.app.test_client()
    assert sign_in(client, "doanhnghiep").status_code == 302
    return client


def vacancy_form(**overrides):
    form = {"title": "Thợ hàn điện xưởng cơ khí", "occupation": "7212 — Thợ hàn", "commune": COMMUNE_NAME,
            "openings": "2", "salary_min": "7.000.000", "salary_max": "9000000", "contract_type": "fixed_term",
            "min_training_level": "so_cap", "essential_skills": "hàn hồ quang\nđọc bản vẽ",
            "accommodations": ["flexible_hours"], "expires_at": "", "social_insurance": "yes"}
    form.update(overrides)
    return form


def post_vacancy(client, **overrides):
    token = csrf_token(client.get("/employer/vacancies/new").get_data(as_text=True))
    return client.post("/employer/vacancies/new", data={"csrf_token": token, **vacancy_form(**overrides)})


def own_jobs(web):
    listed = web.app.test_client().get("/api/v1/jobs?size=100", headers=auth(web.tokens["admin"])).get_json()
    employer_id = web.users["employer"].employer_id
    return [job for job in listed["items"] if job["employer_id"] == employer_id]


def test_a_vacancy_posted_through_the_form_is_on_the_home_list(web, employer):
    response = post_vacancy(employer)
    assert response.status_code == 302, response.get_data(as_text=True)
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    stored = web.app.test_client().get(f"/api/v1/jobs/{job_id}", headers=auth(web.tokens["admin"])).get_json()
    assert stored["employer_id"] == web.users["employer"].employer_id
    assert stored["occupation_code"] == "7212" and stored["workplace"]["commune_code"] == factories.COMMUNE
    assert (stored["salary_min"], stored["salary_max"], stored["openings"]) == (7_000_000, 9_000_000, 2)
    assert stored["essential_skills"] == ["hàn hồ quang", "đọc bản vẽ"] and stored["social_insurance"] is True
    assert stored["accommodations"] == ["flexible_hours"] and stored["source"] == "web"
    home = employer.get("/employer").get_data(as_text=True)
    assert "Thợ hàn điện xưởng cơ khí" in home and f"/employer/vacancies/{job_id}" in home
    assert "Đăng tin tuyển dụng" in home  # the link to post another


def test_a_salary_minimum_above_the_maximum_is_shown_beside_the_salary_and_nothing_is_stored(web, employer):
    before = len(own_jobs(web))
    response = post_vacancy(employer, title="Tin lỗi lương", salary_min="9000000", salary_max="7000000")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(r'<p class="field__error" id="salary_min-error">(.*?)</p>', html, re.S)
    assert error and "Lương tối thiểu không được cao hơn lương tối đa" in error.group(1)
    assert re.search(r'id="salary_min"[^>]*aria-describedby="[^"]*salary_min-error', html) or re.search(
        r'aria-describedby="[^"]*salary_min-error[^"]*"[^>]*id="salary_min"', html)
    assert 'value="Tin lỗi lương"' in html  # what was typed stays in the form
    assert len(own_jobs(web)) == before


def test_a_commune_not_from_the_list_and_a_bad_number_are_named(web, employer):
    response = post_vacancy(employer, commune="Không có nơi này", openings="hai")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="commune-error"' in html and "Chọn xã, phường trong danh sách." in html
    response = post_vacancy(employer, openings="hai")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="openings-error"' in html and "Nhập một số nguyên" in html


def test_edit_uses_the_version_the_form_was_opened_on(web, employer):
    job_id = post_vacancy(employer, title="Thợ hàn sửa tin").headers["Location"].rsplit("/", 1)[1]
    page = employer.get(f"/employer/vacancies/{job_id}/edit").get_data(as_text=True)
    token = csrf_token(page)
    etag = html_lib.unescape(re.search(r'name="etag"[^>]*value="([^"]+)"', page).group(1))
    assert 'value="7212 — Thợ hàn"' in page and f'value="{COMMUNE_NAME}"' in page
    changed = employer.post(f"/employer/vacancies/{job_id}/edit",
                            data={"csrf_token": token, "etag": etag, **vacancy_form(title="Thợ hàn sửa tin",
                                                                                    openings="4")})
    assert changed.status_code == 302
    # The same (now stale) version again: refused, nothing overwritten.
    stale = employer.post(f"/employer/vacancies/{job_id}/edit",
                          data={"csrf_token": token, "etag": etag, **vacancy_form(title="Thợ hàn sửa tin",
                                                                                  openings="5")})
    assert stale.status_code == 412 and "Có người đã sửa tin này" in stale.get_data(as_text=True)
    stored = web.app.test_client().get(f"/api/v1/jobs/{job_id}", headers=auth(web.tokens["admin"])).get_json()
    assert stored["openings"] == 4


def test_an_employer_cannot_open_another_employers_vacancy_nor_counsellor_pages(web, employer):
    admin = auth(web.tokens["admin"])
    api = web.app.test_client()
    other = api.post("/api/v1/employers", json=factories.employer(name="Công ty khác"), headers=admin).get_json()
    job = api.post("/api/v1/jobs", json=factories.job(other["employer_id"]), headers=admin).get_json()
    for path in (f"/employer/vacancies/{job['job_id']}", f"/employer/vacancies/{job['job_id']}/edit"):
        response = employer.get(path)
        assert response.status_code == 404 and response.mimetype == "text/html", path
    assert "Công ty khác" not in employer.get("/employer").get_data(as_text=True)
    assert job["title"] not in employer.get("/employer").get_data(as_text=True) or own_jobs(web)
    assert employer.get("/counsellor").status_code == 403


def test_the_suggest_endpoints_answer_han_with_welding(employer):
    occupations = employer.get("/employer/suggest/occupations?q=han")
    assert occupations.status_code == 200 and occupations.mimetype == "application/json"
    items = occupations.get_json()["items"]
    assert items[0]["code"] == "7212" and items[0]["value"] == "7212 — Thợ hàn"
    places = employer.get("/employer/suggest/communes?q=vinh chau").get_json()["items"]
    assert places[0]["value"] == "Phường Vĩnh Châu"
    assert employer.get("/employer/suggest/communes?q=").get_json() == {"items": []}


def test_the_suggest_endpoints_need_a_signed_in_employer(web):
    assert web.app.test_client().get("/employer/suggest/occupations?q=han").status_code == 302
    analyst = web.app.test_client()
    sign_in(analyst, "phantich")
    assert analyst.get("/employer/suggest/occupations?q=han").status_code == 403


def test_candidates_show_no_hidden_attributes_and_referrals_move_with_the_buttons(web, employer):
    job_id = post_vacancy(employer, title="Thợ hàn kết cấu thép").headers["Location"].rsplit("/", 1)[1]
    api = web.app.test_client()
    counsellor = auth(web.tokens["counsellor"])
    person = factories.worker(desired_occupations=["7212"], skills=["hàn hồ quang", "đọc bản vẽ"],
                              training_level="so_cap", birth_year=1987,
                              certificates=[{"name": "Chứng chỉ hàn", "issuer": "Trường Cao đẳng nghề Sóc Trăng",
                                             "year": 2012, "level": "so_cap"}],
                              work_history=[{"title": "Thợ hàn", "occupation_code": "7212", "from_year": 2010,
                                             "to_year": 2020}])
    worker = api.post("/api/v1/workers", json=person, headers=counsellor).get_json()
    hidden = api.post("/api/v1/workers", json={**person, "personal": {"full_name": "Lý Văn Ẩn"},
                                               "consent": {"show_to_employers": False}},
                      headers=counsellor).get_json()

    html = employer.get(f"/employer/vacancies/{job_id}").get_data(as_text=True)
    assert worker["worker_id"] in html and hidden["worker_id"] not in html
    for private in ("1987", "Năm sinh", "khmer", "Khmer", "Dân tộc", "Thạch Thị Sa Rết", "0912345678",
                    "094123456789", "Lý Văn Ẩn"):
        assert private not in html, private

    referral = api.post("/api/v1/placements", json={"job_id": job_id, "worker_id": worker["worker_id"],
                                                    "status": "referred"}, headers=counsellor)
    assert referral.status_code == 201, referral.get_data(as_text=True)
    html = employer.get(f"/employer/vacancies/{job_id}").get_data(as_text=True)
    move = re.search(r'<form method="post" action="(/employer/placements/[^"]+/move)">.*?name="csrf_token" '
                     r'value="([^"]+)".*?name="to" value="interviewed".*?name="etag" value="([^"]+)"', html, re.S)
    assert move, "no interview button"
    assert "Đánh dấu đã phỏng vấn" in html
    action, token, etag = move.group(1), move.group(2), html_lib.unescape(move.group(3))
    moved = employer.post(action, data={"csrf_token": token, "to": "interviewed", "etag": etag})
    assert moved.status_code == 302
    placement = api.get(f"/api/v1/placements/{referral.get_json()['placement_id']}", headers=counsellor).get_json()
    assert placement["status"] == "interviewed"
    # The same button again (stale version): refused with a message, nothing changes.
    again = employer.post(action, data={"csrf_token": token, "to": "offered", "etag": etag}, follow_redirects=True)
    assert "vừa được người khác thay đổi" in again.get_data(as_text=True)
    # A move employers may not make is refused.
    employer.post(action, data={"csrf_token": token, "to": "withdrawn", "etag": etag})
    assert api.get(f"/api/v1/placements/{placement['placement_id']}",
                   headers=counsellor).get_json()["status"] == "interviewed"
    home = employer.get("/employer").get_data(as_text=True)
    row = re.search(rf'/employer/vacancies/{job_id}".*?</tr>', home, re.S).group(0)
    assert re.findall(r'<td class="num">(\d+)</td>', row) == ["1", "1", "0"]


def test_a_move_needs_the_csrf_token(web, employer):
    assert employer.post("/employer/placements/pl-x/move", data={"to": "interviewed", "etag": "x"}).status_code == 400


def test_admin_may_look_but_not_post(web):
    admin = web.app.test_client()
    sign_in(admin, "quantri")
    assert admin.get("/employer").status_code == 200
    assert admin.get("/employer/vacancies/new").status_code == 403

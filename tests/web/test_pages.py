"""The pages around signing in: CSRF, role isolation, the language switch, headers, error pages, admin user
management, and the JSON API left as it was (bearer tokens, no CSRF token, no session)."""

from __future__ import annotations

import re

from jobmatch.accounts.sessions import SessionStore
from jobmatch.extensions import state
from jobmatch.http import PAGE_CSP
from tests import factories
from tests.conftest import auth
from tests.web.conftest import PASSWORD, csrf_token, page_token, post_form, session_id, sign_in


def signed_in(web, username):
    client = web.app.test_client()
    assert sign_in(client, username).status_code == 302
    return client


# --- CSRF --------------------------------------------------------------------------------------------------


def test_a_form_post_without_its_token_gets_the_400_page(web):
    client = web.app.test_client()
    page_token(client)  # the browser has a session, but the post comes from elsewhere without the token
    response = client.post("/login", data={"username": "tuvan", "password": PASSWORD})
    assert response.status_code == 400 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "Biểu mẫu đã hết hạn" in html and '<html lang="vi">' in html
    assert session_id(client) is None or "user_id" not in (client.get("/").headers["Location"])


def test_a_wrong_token_is_refused_and_sign_out_needs_one(web):
    client = signed_in(web, "tuvan")
    assert client.post("/login", data={"csrf_token": "forged", "username": "tuvan",
                                       "password": PASSWORD}).status_code == 400
    assert client.post("/logout").status_code == 400
    assert client.get("/counsellor").status_code == 200  # still signed in


def test_a_token_of_another_session_is_refused(web):
    other = web.app.test_client()
    token = page_token(other)
    client = web.app.test_client()
    page_token(client)
    response = client.post("/login", data={"csrf_token": token, "username": "tuvan", "password": PASSWORD})
    assert response.status_code == 400


# --- roles ---------------------------------------------------------------------------------------------------


def test_employer_cannot_open_other_roles_pages(web):
    client = signed_in(web, "doanhnghiep")
    for path in ("/admin/users", "/counsellor", "/analyst", f"/admin/users/{web.users['counsellor'].user_id}"):
        response = client.get(path)
        assert response.status_code == 403, path
        html = response.get_data(as_text=True)
        assert "Không có quyền truy cập" in html and response.mimetype == "text/html"
    assert client.get("/employer").status_code == 200


def test_counsellor_and_analyst_cannot_manage_users(web):
    for username in ("tuvan", "phantich"):
        client = signed_in(web, username)
        assert client.get("/admin/users").status_code == 403
        forged = client.post(f"/admin/users/{web.users['admin'].user_id}/active",
                             data={"csrf_token": page_token(client, "/counsellor" if username == "tuvan"
                                                            else "/analyst"), "active": "0"})
        assert forged.status_code == 403
    assert web.accounts.get(web.users["admin"].user_id).active


def test_anonymous_visitors_are_sent_to_sign_in(web):
    client = web.app.test_client()
    for path in ("/admin/users", "/counsellor", "/employer", "/analyst"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next="), path


def test_analyst_home_links_the_reports(web):
    html = signed_in(web, "phantich").get("/analyst").get_data(as_text=True)
    assert 'href="/reports/"' in html and "Báo cáo thị trường lao động hằng tháng" in html


# --- language ------------------------------------------------------------------------------------------------


def test_language_switch_changes_html_lang_and_text(web):
    client = web.app.test_client()
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="vi">' in html and "Bỏ qua đến nội dung chính" in html and "Đăng nhập" in html
    response = client.post("/lang", data={"csrf_token": csrf_token(html), "lang": "en", "next": "/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in html and "Skip to main content" in html and "Sign in" in html
    assert "Đăng nhập" not in html
    # The choice survives signing in (a new session id), and the error messages follow it.
    assert sign_in(client, "tuvan", "wrong-password-here").get_data(as_text=True).count("Wrong username or password.")
    sign_in(client, "tuvan")
    assert '<html lang="en">' in client.get("/counsellor").get_data(as_text=True)
    response = client.post("/lang", data={"csrf_token": page_token(client, "/counsellor"), "lang": "vi",
                                          "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"  # next= is checked here too
    assert '<html lang="vi">' in client.get("/counsellor").get_data(as_text=True)


def test_unknown_language_keeps_vietnamese(web):
    client = web.app.test_client()
    client.post("/lang", data={"csrf_token": page_token(client), "lang": "fr"})
    assert '<html lang="vi">' in client.get("/login").get_data(as_text=True)


# --- headers and error pages ---------------------------------------------------------------------------------


def test_pages_with_personal_data_are_not_stored_and_have_a_strict_csp(web):
    admin, visitor = signed_in(web, "quantri"), web.app.test_client()
    for client, path in ((admin, "/admin/users"), (admin, f"/admin/users/{web.users['counsellor'].user_id}"),
                         (visitor, "/login")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store", path
        assert response.headers["Content-Security-Policy"] == PAGE_CSP, path
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers["X-Frame-Options"] == "DENY"
        html = response.get_data(as_text=True)
        assert "<script" not in html and "style=" not in html and "<style" not in html, path


def test_the_stylesheet_is_served_from_the_site(web):
    response = web.app.test_client().get("/static/css/site.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert "@media print" in css and ":focus-visible" in css


def test_browser_paths_get_html_errors_and_api_paths_json(web):
    client = web.app.test_client()
    page = client.get("/khong-co-trang-nay")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "Không tìm thấy trang" in page.get_data(as_text=True)
    assert client.get("/reports/1999-01").mimetype == "text/html"  # a public report page that does not exist
    api = client.get("/api/v1/khong-co", headers=auth(web.tokens["analyst"]))
    assert api.status_code == 404 and api.get_json()["code"] == "not_found"
    assert client.get("/api/v1/me").get_json()["code"] == "unauthorized"
    assert client.get("/openapi.json").mimetype == "application/json"


# --- admin user management -----------------------------------------------------------------------------------


def test_admin_creates_a_user_who_can_sign_in(web):
    client = signed_in(web, "quantri")
    response = post_form(client, "/admin/users", {"username": "moi-tao", "display_name": "Lê Văn Mới",
                                                  "role": "analyst", "employer_id": "", "password": PASSWORD},
                         token_from="/admin/users")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/users"
    html = client.get("/admin/users").get_data(as_text=True)
    assert "Đã tạo người dùng moi-tao." in html and "Lê Văn Mới" in html
    assert sign_in(web.app.test_client(), "moi-tao").headers["Location"] == "/analyst"


def test_admin_sees_the_services_problems_beside_the_fields(web):
    client = signed_in(web, "quantri")
    response = post_form(client, "/admin/users", {"username": "tuvan", "role": "employer", "employer_id": "",
                                                  "password": "ngan"}, token_from="/admin/users")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="password-error"[^>]*>.*Mật khẩu phải có ít nhất 10 ký tự', html, re.S)
    assert 'aria-describedby="password-hint password-error"' in html
    assert 'id="employer_id-error"' in html and "Bắt buộc với vai trò doanh nghiệp." in html
    taken = post_form(client, "/admin/users", {"username": "tuvan", "role": "counsellor", "password": PASSWORD + "x"},
                      token_from="/admin/users")
    assert taken.status_code == 409 and "Tên đăng nhập này đã được sử dụng." in taken.get_data(as_text=True)


def test_admin_resets_a_password_and_the_users_sessions_end(web):
    user = web.accounts.create("doi-mat-khau", PASSWORD, "counsellor", actor="test")
    victim = signed_in(web, "doi-mat-khau")
    admin = signed_in(web, "quantri")
    path = f"/admin/users/{user.user_id}"
    short = post_form(admin, f"{path}/password", {"password": "ngan"}, token_from=path)
    assert short.status_code == 422 and 'id="password-error"' in short.get_data(as_text=True)
    done = post_form(admin, f"{path}/password", {"password": "mật-khẩu-mới-đủ-dài"}, token_from=path)
    assert done.status_code == 302
    assert "Đã đổi mật khẩu của doi-mat-khau." in admin.get(path).get_data(as_text=True)
    assert victim.get("/counsellor").status_code == 302  # signed out
    assert sign_in(web.app.test_client(), "doi-mat-khau", "mật-khẩu-mới-đủ-dài").status_code == 302


def test_admin_deactivates_and_reactivates_a_user(web):
    user = web.accounts.create("nghi-viec", PASSWORD, "counsellor", actor="test")
    victim = signed_in(web, "nghi-viec")
    sid = session_id(victim)
    admin = signed_in(web, "quantri")
    path = f"/admin/users/{user.user_id}"
    assert post_form(admin, f"{path}/active", {"active": "0"}, token_from=path).status_code == 302
    assert not web.accounts.get(user.user_id).active
    assert SessionStore(state(web.app).es, web.prefix).load(sid) is None  # deleted at once, not only refused
    assert victim.get("/counsellor").status_code == 302
    assert "Đã vô hiệu hóa" in admin.get(path).get_data(as_text=True)
    assert post_form(admin, f"{path}/active", {"active": "1"}, token_from=path).status_code == 302
    assert web.accounts.get(user.user_id).active


def test_admin_cannot_deactivate_themselves(web):
    admin = signed_in(web, "quantri")
    path = f"/admin/users/{web.users['admin'].user_id}"
    post_form(admin, f"{path}/active", {"active": "0"}, token_from=path)
    assert web.accounts.get(web.users["admin"].user_id).active
    assert "Bạn không thể vô hiệu hóa tài khoản của chính mình." in admin.get(path).get_data(as_text=True)


# --- the API is unchanged --------------------------------------------------------------------------------------


def test_api_needs_no_csrf_token_and_opens_no_session(web):
    client = web.app.test_client()
    page_token(client)  # even with a web session cookie in the jar
    response = client.post("/api/v1/employers", json=factories.employer(name="Công ty API"),
                           headers=auth(web.tokens["admin"]))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    fresh = web.app.test_client().get("/api/v1/employers", headers=auth(web.tokens["admin"]))
    assert fresh.status_code == 200 and "Set-Cookie" not in fresh.headers
    assert web.app.test_client().post("/api/v1/employers", json=factories.employer()).status_code == 401


def test_a_request_no_route_answers_gets_404_or_405_not_a_csrf_refusal(web):
    client = web.app.test_client()
    assert client.put("/healthz").status_code == 405
    missing = client.post("/khong-co-trang-nay", data={"x": "1"})
    assert missing.status_code == 404 and missing.mimetype == "text/html"

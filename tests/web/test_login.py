"""Signing in and out through the pages: messages, throttling, session fixation, server-side sign-out, next=."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from jobmatch.accounts.sessions import SessionStore, hash_session_id, lifetime_from
from jobmatch.extensions import state
from tests.web.conftest import PASSWORD, csrf_token, page_token, session_id, sign_in

WRONG = "Tên đăng nhập hoặc mật khẩu không đúng."


def stored(web, sid):
    """Return the session document of a cookie value, or None."""
    found = SessionStore(state(web.app).es, web.prefix).load(sid)
    return found.doc if found else None


def from_address(web, address):
    """Return a client whose requests come from `address` (throttling counts per address too)."""
    client = web.app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_root_sends_visitors_to_the_sign_in_page(web):
    response = web.app.test_client().get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/login"


@pytest.mark.parametrize(("role", "username", "home"), [
    ("admin", "quantri", "/admin/users"), ("counsellor", "tuvan", "/counsellor"),
    ("employer", "doanhnghiep", "/employer"), ("analyst", "phantich", "/analyst")])
def test_sign_in_lands_on_the_role_home(web, role, username, home):
    client = web.app.test_client()
    response = sign_in(client, username)
    assert response.status_code == 302 and response.headers["Location"] == home
    landing = client.get(home)
    assert landing.status_code == 200
    html = landing.get_data(as_text=True)
    assert 'lang="vi"' in html and "Đăng xuất" in html  # the logout button of a signed-in page
    assert client.get("/").headers["Location"] == home


def test_wrong_password_and_unknown_user_get_the_same_message(web):
    client = from_address(web, "10.1.0.1")
    wrong = sign_in(client, "tuvan", "not-the-password")
    unknown = sign_in(client, "khong-ton-tai", "not-the-password")
    for response in (wrong, unknown):
        assert response.status_code == 401
        html = response.get_data(as_text=True)
        assert WRONG in html and 'role="alert"' in html
    assert stored(web, session_id(client))["user_id"] is None  # the anonymous session of the form, nobody in it


def test_empty_fields_are_marked_beside_the_fields(web):
    client = web.app.test_client()
    response = client.post("/login", data={"csrf_token": page_token(client), "username": "", "password": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="username-error"' in html and 'aria-describedby="username-error"' in html
    assert 'aria-invalid="true"' in html and "Vui lòng nhập thông tin này." in html


def test_repeated_failures_are_throttled_with_minutes_to_wait(web):
    web.accounts.create("bi-khoa", PASSWORD, "counsellor", actor="test")
    client = from_address(web, "10.1.0.2")
    limit = int(web.app.config["LOGIN_MAX_FAILURES_PER_USER"])
    for _ in range(limit):
        assert sign_in(client, "bi-khoa", "sai-mat-khau-roi").status_code == 401
    throttled = sign_in(client, "bi-khoa", PASSWORD)  # even the right password waits
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0
    html = throttled.get_data(as_text=True)
    assert "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút." in html


def test_sign_in_gives_a_new_session_id_and_deletes_the_old_one(web):
    client = web.app.test_client()
    token = page_token(client)
    before = session_id(client)
    assert before and stored(web, before) is not None  # the anonymous session holding the CSRF token
    response = client.post("/login", data={"csrf_token": token, "username": "tuvan", "password": PASSWORD})
    assert response.status_code == 302
    after = session_id(client)
    assert after and after != before
    assert stored(web, before) is None
    doc = stored(web, after)
    assert doc["user_id"] == web.users["counsellor"].user_id
    # Only the hash is the document id: the stored document holds no usable cookie value.
    hit = state(web.app).es.get(index=SessionStore(state(web.app).es, web.prefix).alias, id=hash_session_id(after))
    assert after not in str(hit)
    # A browser still holding the pre-sign-in id (a planted one, say) is not signed in.
    planted = web.app.test_client()
    planted.set_cookie("jm_session", before)
    assert planted.get("/counsellor").headers["Location"].startswith("/login")


def test_session_cookie_flags(web):
    client = web.app.test_client()
    sign_in(client, "tuvan")
    cookie = client.get_cookie("jm_session")
    assert cookie.http_only and cookie.same_site == "Lax"
    assert cookie.secure is bool(web.app.config["WEB_COOKIE_SECURE"])
    assert cookie.expires is None  # a browser-session cookie: the server decides how long it lives


def test_sign_out_deletes_the_session_server_side(web):
    client = web.app.test_client()
    sign_in(client, "tuvan")
    sid = session_id(client)
    token = csrf_token(client.get("/counsellor").get_data(as_text=True))
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert stored(web, sid) is None
    assert session_id(client) is None  # cookie cleared
    replay = web.app.test_client()
    replay.set_cookie("jm_session", sid)  # a copy of the cookie taken before sign-out is worthless
    assert replay.get("/counsellor").status_code == 302


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil.example",
                                    "javascript:alert(1)", "http:/evil.example", "/\r\n//evil.example"])
def test_next_never_leaves_the_site(web, target):
    client = web.app.test_client()
    response = sign_in(client, "phantich", next_=target)
    assert response.status_code == 302 and response.headers["Location"] == "/analyst"
    html = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    assert "evil" not in html


def test_next_brings_back_to_the_page_asked_for(web):
    client = web.app.test_client()
    asked = client.get("/analyst")
    assert asked.status_code == 302
    location = urlsplit(asked.headers["Location"])
    assert location.path == "/login" and parse_qs(location.query) == {"next": ["/analyst"]}
    html = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert 'name="next" type="hidden" value="/analyst"' in html
    response = sign_in(client, "phantich", next_="/analyst")
    assert response.headers["Location"] == "/analyst"


def test_idle_and_expired_sessions_end(web):
    es = state(web.app).es
    store = SessionStore(es, web.prefix)
    for field, value in (("last_seen_at", "2020-01-01T00:00:00+00:00"), ("expires_at", "2020-01-01T00:00:00+00:00")):
        client = web.app.test_client()
        sign_in(client, "tuvan")
        sid = session_id(client)
        es.update(index=store.alias, id=hash_session_id(sid), doc={field: value}, refresh=True)
        response = client.get("/counsellor")
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), field
        assert store.load(sid) is None, field
        assert "Phiên làm việc đã kết thúc" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_deactivated_user_is_signed_out_on_the_next_request(web):
    user = web.accounts.create("tam-thoi", PASSWORD, "counsellor", actor="test")
    client = web.app.test_client()
    sign_in(client, "tam-thoi")
    sid = session_id(client)
    assert client.get("/counsellor").status_code == 200
    web.accounts.set_active(user.user_id, False, actor="test")  # directly: no session clean-up ran
    response = client.get("/counsellor")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert stored(web, sid) is None
    assert sign_in(web.app.test_client(), "tam-thoi").status_code == 401


def test_housekeeping_prunes_ended_sessions_and_keeps_live_ones(web):
    es = state(web.app).es
    store = SessionStore(es, web.prefix)
    ended, live = web.app.test_client(), web.app.test_client()
    sign_in(ended, "tuvan")
    sign_in(live, "tuvan")
    es.update(index=store.alias, id=hash_session_id(session_id(ended)), refresh=True,
              doc={"last_seen_at": "2020-01-01T00:00:00+00:00"})
    assert store.prune(lifetime_from(web.app.config)) >= 1
    assert store.load(session_id(ended)) is None and store.load(session_id(live)) is not None
    assert live.get("/counsellor").status_code == 200

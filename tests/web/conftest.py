"""Fixtures of the web app's tests: an app on its own index prefix with one user per role, and helpers to sign in
through the page as a browser would (the CSRF token read from the form)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher

from jobmatch.accounts.service import AccountService, LoginLimits, User
from jobmatch.extensions import state
from tests import factories
from tests.conftest import auth, isolated_app, issue_tokens

PASSWORD = "mật-khẩu-thử-nghiệm-1"
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class WebEnv:
    """The app, its prefix, its account service, one user per role and one API token per role."""

    app: object
    prefix: str
    accounts: AccountService
    users: dict[str, User]
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def web(es, embedder):
    """An app on its own prefix with an admin, a counsellor, an analyst and an employer user (bound to an employer
    created through the API)."""
    with isolated_app(es, embedder, "web") as (app, prefix):
        app_state = state(app)
        # Cheap hashing parameters: the tests sign in dozens of times; the parameters are not what they check.
        accounts = AccountService(app_state.es, prefix, app_state.tz, limits=LoginLimits.from_settings(app.config),
                                  hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        tokens = issue_tokens(es, prefix)
        employer = app.test_client().post("/api/v1/employers", json=factories.employer(), headers=auth(tokens["admin"]))
        assert employer.status_code == 201, employer.get_data(as_text=True)
        users = {
            "admin": accounts.create("quantri", PASSWORD, "admin", display_name="Nguyễn Văn Quản", actor="test"),
            "counsellor": accounts.create("tuvan", PASSWORD, "counsellor", display_name="Trần Thị Tư", actor="test"),
            "analyst": accounts.create("phantich", PASSWORD, "analyst", actor="test"),
            "employer": accounts.create("doanhnghiep", PASSWORD, "employer",
                                        employer_id=employer.get_json()["employer_id"], actor="test"),
        }
        yield WebEnv(app, prefix, accounts, users, tokens)


def csrf_token(html: str) -> str:
    """Return the CSRF token of the first form in a page."""
    found = CSRF_FIELD.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def page_token(client, path: str = "/login") -> str:
    """Open a page and return its form's CSRF token (as a browser would have it)."""
    response = client.get(path)
    assert response.status_code == 200, response.status_code
    return csrf_token(response.get_data(as_text=True))


def sign_in(client, username: str, password: str = PASSWORD, next_: str = "", **kwargs):
    """Sign in through the page; return the response to the form's POST."""
    token = page_token(client)
    return client.post("/login", data={"csrf_token": token, "username": username, "password": password,
                                       "next": next_}, **kwargs)


def post_form(client, path: str, data: dict, *, token_from: str) -> object:
    """POST a form with the CSRF token read from the page `token_from`."""
    return client.post(path, data={"csrf_token": page_token(client, token_from), **data})


def session_id(client) -> str | None:
    """Return the value of the session cookie the client holds."""
    cookie = client.get_cookie("jm_session")
    return cookie.value if cookie else None

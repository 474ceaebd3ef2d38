"""Bearer tokens and roles through the HTTP API: 401 without a valid token, 403 for the wrong role."""

import pytest

from jobmatch.auth.tokens import TokenStore
from jobmatch.http import API_PREFIX
from tests.conftest import RUN_PREFIX, auth


def assert_error(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == status and body["code"] == code and body["message"]
    return body


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic YWxhZGRpbjpvcGVu"}, {"Authorization": "Bearer"},
                                     {"Authorization": "Bearer jm_not-a-real-token"},
                                     {"Authorization": "Bearer something-else"}])
def test_missing_or_bad_token_is_401(client, headers):
    response = client.get("/api/v1/me", headers=headers)
    assert_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_unknown_api_path_needs_a_token_too(client, tokens):
    assert_error(client.get("/api/v1/no-such-thing"), 401, "unauthorized")
    assert_error(client.get("/api/v1/no-such-thing", headers=auth(tokens["analyst"])), 404, "not_found")


@pytest.mark.parametrize("role", ["admin", "counsellor", "employer", "analyst"])
def test_every_role_can_ask_who_it_is(client, tokens, role):
    response = client.get("/api/v1/me", headers=auth(tokens[role]))
    assert response.status_code == 200
    body = response.get_json()
    assert body["role"] == role
    assert body["employer_id"] == ("emp-1" if role == "employer" else None)


@pytest.mark.parametrize("role", ["counsellor", "employer", "analyst"])
def test_only_admin_manages_tokens(client, tokens, role):
    assert_error(client.get("/api/v1/tokens", headers=auth(tokens[role])), 403, "forbidden")
    assert_error(client.post("/api/v1/tokens", json={"role": "admin"}, headers=auth(tokens[role])), 403,
                 "forbidden")


def test_admin_issues_a_token_that_works_and_revokes_it(client, tokens):
    response = client.post("/api/v1/tokens", json={"role": "analyst", "label": "dashboard"},
                           headers=auth(tokens["admin"]))
    assert response.status_code == 201
    issued = response.get_json()
    assert issued["token"].startswith("jm_") and issued["role"] == "analyst"
    assert client.get("/api/v1/me", headers=auth(issued["token"])).get_json()["role"] == "analyst"

    listed = client.get("/api/v1/tokens", headers=auth(tokens["admin"])).get_json()["items"]
    assert any(item["token_id"] == issued["token_id"] for item in listed)
    assert all("token" not in item for item in listed)  # the secret is never listed

    first = client.delete(f"/api/v1/tokens/{issued['token_id']}", headers=auth(tokens["admin"]))
    again = client.delete(f"/api/v1/tokens/{issued['token_id']}", headers=auth(tokens["admin"]))
    assert first.status_code == again.status_code == 200
    assert first.get_json()["revoked_at"] == again.get_json()["revoked_at"]
    assert_error(client.get("/api/v1/me", headers=auth(issued["token"])), 401, "unauthorized")


def test_revoking_an_unknown_token_is_404(client, tokens):
    assert_error(client.delete("/api/v1/tokens/nope", headers=auth(tokens["admin"])), 404, "not_found")


@pytest.mark.parametrize(("payload", "field"), [
    ({"role": "boss"}, "role"),
    ({}, "role"),
    ({"role": "employer"}, "employer_id"),
    ({"role": "analyst", "employer_id": "emp-1"}, "employer_id"),
    ({"role": "analyst", "colour": "blue"}, "colour"),
    ({"role": "analyst", "label": "x" * 201}, "label"),
])
def test_invalid_token_requests_name_the_field(client, tokens, payload, field):
    body = assert_error(client.post("/api/v1/tokens", json=payload, headers=auth(tokens["admin"])), 422,
                        "validation_error")
    assert field in body["errors"]["json"]


def test_malformed_json_is_a_json_error(client, tokens):
    response = client.post("/api/v1/tokens", data="{not json", content_type="application/json",
                           headers=auth(tokens["admin"]))
    body = assert_error(response, 400, "bad_request")
    assert "JSON" in body["message"]


def test_non_json_body_is_415(client, tokens):
    response = client.post("/api/v1/tokens", data="role=admin", content_type="application/x-www-form-urlencoded",
                           headers=auth(tokens["admin"]))
    assert_error(response, 415, "unsupported_media_type")


def test_oversized_body_is_413_json(client, tokens):
    response = client.post("/api/v1/tokens", data="x" * 2_000_000, content_type="application/json",
                           headers=auth(tokens["admin"]))
    assert_error(response, 413, "payload_too_large")


def test_tokens_are_stored_only_as_hashes(es, tokens):
    store = TokenStore(es, RUN_PREFIX)
    es.indices.refresh(index=store.alias)
    docs = [hit for hit in es.search(index=store.alias, size=100)["hits"]["hits"]]
    stored_text = repr(docs)
    assert docs and all(token not in stored_text for token in tokens.values())


def test_every_api_route_declares_its_roles(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API_PREFIX):
            view = app.view_functions[rule.endpoint]
            assert getattr(view, "allowed_roles", None), f"{rule.rule} declares no roles"

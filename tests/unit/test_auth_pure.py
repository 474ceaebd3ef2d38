"""Token hashing, generation, grant validation and header parsing (no server needed)."""

import hashlib

import pytest

from jobmatch.auth.guard import bearer_token, roles
from jobmatch.auth.tokens import TOKEN_PREFIX, generate_token, hash_token, validate_grant
from jobmatch.errors import Unauthorized, ValidationFailed


def test_tokens_are_random_and_prefixed():
    a, b = generate_token(), generate_token()
    assert a != b
    assert a.startswith(TOKEN_PREFIX) and len(a) > 40


def test_hash_is_sha256_hex():
    assert hash_token("jm_abc") == hashlib.sha256(b"jm_abc").hexdigest()


@pytest.mark.parametrize(("role", "employer_id", "field"), [
    ("boss", None, "role"),
    ("employer", None, "employer_id"),
    ("counsellor", "emp-1", "employer_id"),
])
def test_invalid_grants_name_the_field(role, employer_id, field):
    with pytest.raises(ValidationFailed) as info:
        validate_grant(role, employer_id)
    assert field in info.value.errors["json"]


def test_valid_grants_pass():
    validate_grant("employer", "emp-1")
    validate_grant("analyst", None)


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer", "Bearer   "])
def test_bad_headers_are_unauthorized(header):
    with pytest.raises(Unauthorized):
        bearer_token(header)


def test_bearer_token_is_extracted():
    assert bearer_token("Bearer jm_x") == "jm_x"
    assert bearer_token("bearer  jm_y ") == "jm_y"


def test_roles_rejects_unknown_names():
    with pytest.raises(ValueError):
        roles("superuser")
    with pytest.raises(ValueError):
        roles()

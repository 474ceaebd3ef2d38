"""The one JSON error shape."""

from jobmatch.errors import NotFound, ValidationFailed, error_body


def test_error_body_shape():
    assert error_body(404, "no such job") == {"status": 404, "code": "not_found", "message": "no such job"}


def test_error_body_with_field_errors():
    body = error_body(422, "bad", errors={"json": {"salary_min": ["must be <= salary_max"]}})
    assert body["code"] == "validation_error"
    assert body["errors"]["json"]["salary_min"] == ["must be <= salary_max"]


def test_domain_errors_carry_status_and_code():
    assert (NotFound("x").status, NotFound("x").code) == (404, "not_found")
    err = ValidationFailed("bad", errors={"json": {"a": ["b"]}})
    assert err.status == 422 and err.errors == {"json": {"a": ["b"]}}

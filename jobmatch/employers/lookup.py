"""Checking that an employer exists and is active, for what binds to one (API tokens, employer users)."""

from __future__ import annotations

from typing import Any

from elasticsearch import NotFoundError

from indexer.naming import alias_name
from jobmatch.errors import ValidationFailed


def require_active_employer(es: Any, prefix: str, employer_id: str, *, message: str) -> None:
    """Raise ValidationFailed naming `employer_id` when the employer does not exist or is closed: a token or user
    bound to it could act for nobody."""
    try:
        employer = es.get(index=alias_name(prefix, "employers"), id=employer_id)["_source"]
    except NotFoundError:
        employer = None
    if employer is None or employer.get("closed_at"):
        raise ValidationFailed.on_field("employer_id", f"no active employer with id {employer_id}", message=message)

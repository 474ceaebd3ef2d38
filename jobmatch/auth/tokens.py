"""API tokens: random secrets shown once, stored only as SHA-256 hashes, each bound to a role.

Tokens carry 256 bits of randomness, so a fast hash is enough (no password stretching needed) and the hash
can be the document id: checking a token is one GET by id.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from elasticsearch import ConflictError, Elasticsearch, NotFoundError

from indexer.naming import alias_name
from jobmatch.employers.lookup import require_active_employer
from jobmatch.errors import NotFound, ValidationFailed

ROLES = ("admin", "counsellor", "employer", "analyst")
TOKEN_PREFIX = "jm_"
INDEX = "tokens"


@dataclass(frozen=True)
class Principal:
    """Who is calling: the token's public id, its role and, for employers, the employer they act for."""

    token_id: str
    role: str
    employer_id: str | None = None


def hash_token(token: str) -> str:
    """Return the hex SHA-256 of a token, the only form in which it is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def generate_token() -> str:
    """Return a new random token."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def grant_problems(role: str, employer_id: str | None) -> dict[str, list[str]]:
    """Return what is wrong with a role and employer binding, by field (empty when they fit together); shared by
    API tokens and web users."""
    errors: dict[str, list[str]] = {}
    if role not in ROLES:
        errors["role"] = [f"must be one of {', '.join(ROLES)}"]
    if role == "employer" and not employer_id:
        errors["employer_id"] = ["is required for the employer role"]
    if role != "employer" and employer_id:
        errors["employer_id"] = ["is only allowed for the employer role"]
    return errors


def validate_grant(role: str, employer_id: str | None) -> None:
    """Check that a role and employer binding make sense together; raise ValidationFailed if not."""
    if errors := grant_problems(role, employer_id):
        raise ValidationFailed("invalid token request", errors={"json": errors})


class TokenStore:
    """Tokens in Elasticsearch, under the `tokens` alias."""

    def __init__(self, es: Elasticsearch, prefix: str) -> None:
        self.es = es
        self.prefix = prefix
        self.alias = alias_name(prefix, INDEX)

    def create(self, *, role: str, employer_id: str | None = None, label: str = "",
               now: datetime | None = None) -> tuple[str, dict[str, Any]]:
        """Issue a token; return (the token itself, shown only now, and its stored record)."""
        validate_grant(role, employer_id)
        token = generate_token()
        record = {
            "token_id": uuid.uuid4().hex,
            "role": role,
            "employer_id": employer_id,
            "label": label,
            "created_at": (now or datetime.now(UTC)).isoformat(),
            "revoked_at": None,
        }
        # op_type=create: a hash collision (never expected) fails instead of overwriting another token.
        self.es.index(index=self.alias, id=hash_token(token), document=record, op_type="create", refresh="wait_for")
        return token, record

    def issue(self, *, role: str, employer_id: str | None = None, label: str = "") -> tuple[str, dict[str, Any]]:
        """Issue a token for a caller (API or CLI): an employer token only for an existing, open employer."""
        validate_grant(role, employer_id)
        if employer_id is not None:
            self.check_employer(employer_id)
        return self.create(role=role, employer_id=employer_id, label=label)

    def check_employer(self, employer_id: str) -> None:
        """Refuse a token bound to an employer that does not exist or is closed (it could act for nobody)."""
        require_active_employer(self.es, self.prefix, employer_id, message="invalid token request")

    def authenticate(self, token: str) -> Principal | None:
        """Return the principal for a token, or None when it is unknown or revoked."""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
            return None
        try:
            doc = self.es.get(index=self.alias, id=hash_token(token))["_source"]
        except NotFoundError:
            return None
        if doc.get("revoked_at"):
            return None
        return Principal(token_id=doc["token_id"], role=doc["role"], employer_id=doc.get("employer_id"))

    def list(self, *, include_revoked: bool = False) -> list[dict[str, Any]]:
        """Return token records (never hashes), newest first."""
        query: dict[str, Any] = {"match_all": {}}
        if not include_revoked:
            query = {"bool": {"must_not": [{"exists": {"field": "revoked_at"}}]}}
        hits = self.es.search(index=self.alias, query=query, size=1000, sort=[{"created_at": "desc"}])
        return [hit["_source"] for hit in hits["hits"]["hits"]]

    def revoke(self, token_id: str, *, now: datetime | None = None) -> dict[str, Any]:
        """Mark a token revoked (idempotent: revoking twice keeps the first time); return its record."""
        hits = self.es.search(index=self.alias, query={"term": {"token_id": token_id}}, size=1,
                              seq_no_primary_term=True)["hits"]["hits"]
        if not hits:
            raise NotFound(f"no token with id {token_id}")
        hit = hits[0]
        record = hit["_source"]
        if not record.get("revoked_at"):
            record["revoked_at"] = (now or datetime.now(UTC)).isoformat()
            try:
                self.es.index(index=self.alias, id=hit["_id"], document=record, if_seq_no=hit["_seq_no"],
                              if_primary_term=hit["_primary_term"], refresh="wait_for")
            except ConflictError:
                return self.revoke(token_id, now=now)  # someone else changed it first: re-read and settle
        return record

"""API tokens: only a SHA-256 of each token is stored, as the document id."""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import strict_index

VERSION = 1


def build(_model: object) -> dict[str, Any]:
    """Return the create-index body."""
    return strict_index({
        "token_id": {"type": "keyword"},
        "role": {"type": "keyword"},
        "employer_id": {"type": "keyword"},
        "label": {"type": "keyword", "ignore_above": 200},
        "created_at": {"type": "date"},
        "revoked_at": {"type": "date"},
    })

"""Employers. Version 1 holds what authentication needs; the full record comes with the employers API."""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import audit_fields, strict_index

VERSION = 1


def build(_model: object) -> dict[str, Any]:
    """Return the create-index body."""
    return strict_index({
        "employer_id": {"type": "keyword"},
        "name": {"type": "text", "fields": {"raw": {"type": "keyword", "ignore_above": 256}}},
        **audit_fields(),
    })

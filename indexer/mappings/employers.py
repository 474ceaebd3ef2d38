"""Employers: who they are, where, in which industry; contacts are not searchable."""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import audit_fields, keyword, location, search_fields, strict_index, vi_text

VERSION = 3  # v3: every address has a point (location_source)


def build(_model: object) -> dict[str, Any]:
    """Return the create-index body."""
    return strict_index({
        "employer_id": keyword(),
        "name": vi_text(raw=True),
        "tax_code": keyword(),
        "industry": keyword(),
        "size": keyword(),
        "status": keyword(),
        "address": location(),
        "contact": {"properties": {"person": {"type": "text", "index": False},
                                   "phone": {"type": "keyword", "index": False},
                                   "email": {"type": "keyword", "index": False}}},
        **search_fields(),
        **audit_fields(),
    }, analysis=True)

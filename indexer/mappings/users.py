"""People who sign in to the web application (staff and employers): one document per user, its id the
normalised username, so that `op_type=create` makes usernames unique without a separate lock."""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import keyword, strict_index

VERSION = 1


def build(_model: object) -> dict[str, Any]:
    """Return the create-index body."""
    return strict_index({
        "user_id": keyword(),
        "username": keyword(),
        "display_name": {"type": "text", "index": False},
        "role": keyword(),
        "employer_id": keyword(),
        # Never searched, sorted or aggregated: no index and no doc values, so it exists only in _source.
        "password_hash": {"type": "keyword", "index": False, "doc_values": False},
        "active": {"type": "boolean"},
        "created_at": {"type": "date"},
        "updated_at": {"type": "date"},
        "password_changed_at": {"type": "date"},
        "created_by": keyword(),
        "updated_by": keyword(),
    })

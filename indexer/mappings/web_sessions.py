"""Web sessions: server-side state of a signed-in (or about to sign in) browser.

The cookie holds a random id; the document id is its SHA-256, so reading this index gives no usable cookie.
`data` (the session's contents: user id, CSRF token, language, flashed messages) is stored, not indexed.
"""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import keyword, strict_index

VERSION = 1


def build(_model: object) -> dict[str, Any]:
    """Return the create-index body."""
    return strict_index({
        "user_id": keyword(),  # to end every session of a user (deactivated, password reset)
        "created_at": {"type": "date"},
        "last_seen_at": {"type": "date"},
        "expires_at": {"type": "date"},  # the absolute end (WEB_SESSION_MAX_HOURS), for pruning by query
        "data": {"type": "object", "enabled": False},
    })

"""The audit log: one document per read or write of personal or sensitive data, appended and never updated.

It names who (token id and role), what (record kind and id, field names) and why (for erasures); it holds no
personal values. Old entries are deleted by the retention job (`AUDIT_RETENTION_DAYS`).
"""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import keyword, strict_index

VERSION = 1


def build(_model: object) -> dict[str, Any]:
    """Return the create-index body."""
    return strict_index({
        "at": {"type": "date"}, "actor": keyword(), "role": keyword(), "employer_id": keyword(),
        "action": keyword(), "record_kind": keyword(), "record_ids": keyword(), "record_count": {"type": "integer"},
        "fields": keyword(), "route": keyword(), "method": keyword(), "status": {"type": "short"},
        "reason": {"type": "text", "index": False}, "request_id": keyword(),
    })

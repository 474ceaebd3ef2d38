"""Job exchange sessions (phiên giao dịch việc làm): when, where, who takes part, who came."""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import audit_fields, keyword, location, search_fields, strict_index, vi_text

VERSION = 3  # v3: attendance keeps a count of erased jobseekers instead of their ids


def build(_model: object) -> dict[str, Any]:
    """Return the create-index body."""
    return strict_index({
        "session_id": keyword(), "title": vi_text(), "date": {"type": "date"}, "venue": location(),
        "venue_name": vi_text(), "mode": keyword(), "employer_ids": keyword(), "job_ids": keyword(),
        "status": keyword(),
        "attendance": {"properties": {"jobseekers": keyword(), "employers": keyword(),
                                      "walk_ins": {"type": "integer"},
                                      "erased_jobseekers": {"type": "integer"}, "recorded_at": {"type": "date"}}},
        **search_fields(), **audit_fields(),
    }, analysis=True)

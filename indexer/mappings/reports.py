"""Monthly labour-market reports, one document per month (regenerating a month replaces it)."""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import keyword, strict_index

VERSION = 1


def build(_model: object) -> dict[str, Any]:
    """Return the create-index body."""
    return strict_index({
        "month": keyword(), "generated_at": {"type": "date"}, "generated_by": keyword(),
        "content": {"type": "object", "enabled": False},  # the report as served; never searched
    })

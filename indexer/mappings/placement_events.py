"""The append-only history of placements: one document per event, created once and never updated.

The document id is `<placement_id>-<seq>`, so two writers racing to append the same next event cannot both
succeed: Elasticsearch's create refuses the second.
"""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import keyword, strict_index

VERSION = 1


def build(_model: object) -> dict[str, Any]:
    """Return the create-index body."""
    return strict_index({
        "placement_id": keyword(), "seq": {"type": "integer"}, "kind": keyword(),
        "from_status": keyword(), "to_status": keyword(), "at": {"type": "date"}, "recorded_at": {"type": "date"},
        "actor": keyword(), "reason": {"type": "text", "index": False},
        "follow_up": keyword(), "still_employed": {"type": "boolean"},
        "pair": {"type": "object", "enabled": False},  # the first event carries the pair and its snapshot
    })

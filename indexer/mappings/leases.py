"""Leases: which process, on which host, runs a singleton job (the scheduler) until when.

One document per lease name; it is taken or renewed with a write guarded by its sequence number, so two hosts
cannot both hold it.
"""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import keyword, strict_index

VERSION = 1


def build(_model: object) -> dict[str, Any]:
    """Return the create-index body."""
    return strict_index({
        "name": keyword(), "holder": keyword(), "host": keyword(), "acquired_at": {"type": "date"},
        "renewed_at": {"type": "date"}, "expires_at": {"type": "date"},
    })

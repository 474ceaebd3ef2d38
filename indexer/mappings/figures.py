"""Figures an analyst enters from outside the registers (labour force survey, social insurance agency, ...),
each with its source and the date it refers to: what the 2030 targets are read against."""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import keyword, strict_index

VERSION = 1


def build(_model: object) -> dict[str, Any]:
    """Return the create-index body."""
    return strict_index({
        "key": keyword(), "year": {"type": "short"}, "area_code": keyword(), "value": {"type": "double"},
        "source": {"type": "text", "index": False}, "as_of": {"type": "date"}, "note": {"type": "text", "index": False},
        "entered_by": keyword(), "entered_at": {"type": "date"},
    })

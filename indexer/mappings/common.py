"""Pieces shared by several index definitions."""

from __future__ import annotations

from typing import Any

# One shard: the province's registers are tens of thousands of records, far below what a shard holds well.
# No replicas by default so a single development node is green; production raises it with the settings API.
BASE_SETTINGS: dict[str, Any] = {"number_of_shards": 1, "number_of_replicas": 0}


def vector_field(dims: int) -> dict[str, Any]:
    """Return a cosine dense_vector with an int8-quantised HNSW graph (4x less memory than float)."""
    return {"type": "dense_vector", "dims": dims, "index": True, "similarity": "cosine",
            "index_options": {"type": "int8_hnsw"}}


def audit_fields() -> dict[str, Any]:
    """Return the timestamps every record carries."""
    return {"created_at": {"type": "date"}, "updated_at": {"type": "date"}}


def strict_index(properties: dict[str, Any]) -> dict[str, Any]:
    """Return a create-index body whose mapping rejects fields it does not declare."""
    return {"settings": {"index": dict(BASE_SETTINGS)},
            "mappings": {"dynamic": "strict", "properties": properties}}

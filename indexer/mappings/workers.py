"""Jobseekers. Version 1 is the skeleton the embeddings hang on; the full record comes with the workers API."""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import audit_fields, strict_index, vector_field

VERSION = 1


def build(model: Any) -> dict[str, Any]:
    """Return the create-index body; the vector size comes from the embedding model."""
    return strict_index({
        "worker_id": {"type": "keyword"},
        "status": {"type": "keyword"},
        "embedding_text": {"type": "text", "index": False},
        "embedding": vector_field(model.dims),
        **audit_fields(),
    })

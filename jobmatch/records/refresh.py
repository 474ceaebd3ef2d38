"""Bring derived fields of stored records up to date while an upgrade copies them into a new index.

A new mapping version may derive more than the old code stored (a point for every place, word-segmented
search text, auto-coded past jobs, the text a record is embedded from). `indices upgrade` and
`indices reindex` pass every batch through `refresh`, so old records match like new ones.
"""

from __future__ import annotations

from typing import Any

from jobmatch.embeddings import Embedder
from jobmatch.employers.service import SPEC as EMPLOYERS
from jobmatch.exchange.service import SPEC as SESSIONS
from jobmatch.jobs.service import SPEC as JOBS
from jobmatch.records.service import Document, ResourceSpec
from jobmatch.reference import place_point
from jobmatch.segmentation import segment
from jobmatch.workers.service import SPEC as WORKERS
from jobmatch.workers.service import history_codes

SPECS: dict[str, ResourceSpec] = {spec.name: spec for spec in (EMPLOYERS, SESSIONS, JOBS, WORKERS)}


def refresh_one(spec: ResourceSpec, doc: Document, languages: frozenset[str]) -> Document:
    """Return the document with its derived fields recomputed (its input and history untouched)."""
    for name in spec.location_fields:
        place = doc.get(name)
        if place and not place.get("location"):
            place["location"], place["location_source"] = place_point(place)
    if "search_text" in doc:
        doc["search_words"] = segment(doc["search_text"])
    if spec is JOBS and doc.get("occupation_code") and not doc.get("occupation_coding"):
        doc["occupation_coding"] = {"method": "manual"}
    if spec is WORKERS:
        doc["work_history_codes"] = history_codes(doc.get("work_history") or [])
        doc.setdefault("registration_status", "active")  # before the lifecycle (v6) every record was active
    if spec.embedding_text is not None and doc.get("embedding_text") is not None:
        text = spec.embedding_text(doc, languages)
        doc["embedding_basis"] = spec.embedding_basis(doc, languages) if spec.embedding_basis else "text"
        if text != doc["embedding_text"]:
            doc["embedding_text"] = text
            doc.pop("embedding", None)  # re-embedded below, in one batch
    return doc


def refresh(name: str, docs: list[Document], embedder: Embedder) -> list[Document]:
    """Refresh a batch of one index's documents; indices without derived fields pass through."""
    spec = SPECS.get(name)
    if spec is None:
        return docs
    docs = [refresh_one(spec, doc, embedder.languages) for doc in docs]
    todo = [doc for doc in docs if doc.get("embedding_text") is not None and "embedding" not in doc]
    for doc, vector in zip(todo, embedder.embed_documents([d["embedding_text"] for d in todo]), strict=True):
        doc["embedding"] = vector
    return docs


def transform_for(embedder: Embedder) -> Any:
    """Return the `indexer.aliases.Transform` that refreshes records with this embedder."""
    return lambda name, docs: refresh(name, docs, embedder)

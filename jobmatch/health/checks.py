"""Readiness: is Elasticsearch reachable, are the indices there and current, is the model loaded."""

from __future__ import annotations

from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError

from indexer import aliases
from indexer.mappings import DEFINITIONS
from jobmatch.embeddings import Embedder
from jobmatch.search.client import cluster_version


def readiness(es: Elasticsearch, embedder: Embedder, prefix: str) -> tuple[bool, dict[str, Any]]:
    """Return (ready, report); the report names every reason for not being ready."""
    report: dict[str, Any] = {"elasticsearch": {}, "indices": {}, "model": embedder.info()}
    reasons: list[str] = []
    try:
        report["elasticsearch"] = {"reachable": True, "version": cluster_version(es)}
    except (ApiError, TransportError) as exc:
        report["elasticsearch"] = {"reachable": False, "error": type(exc).__name__}
        reasons.append("elasticsearch is not reachable")
    if report["elasticsearch"].get("reachable"):
        for definition in DEFINITIONS:
            state = aliases.read_state(es, prefix, definition)
            entry: dict[str, Any] = {"present": state.exists, "version": state.version,
                                     "expected_version": definition.version}
            if definition.embedded:
                entry["model"] = state.model
            report["indices"][state.alias] = entry
            if not state.exists:
                reasons.append(f"index {state.alias} is missing: run `flask --app wsgi jobmatch indices upgrade`")
            elif state.version != definition.version:
                reasons.append(f"index {state.alias} is v{state.version}, code expects v{definition.version}")
            elif definition.embedded and state.model != embedder.name:
                reasons.append(aliases.model_mismatch_message(state, embedder.name))
    if not embedder.loaded:
        reasons.append("embedding model not loaded yet")
    report["status"] = "ready" if not reasons else "not_ready"
    if reasons:
        report["reasons"] = reasons
    return not reasons, report

"""Readiness: is Elasticsearch reachable, are the indices there, current and writable, is the model loaded."""

from __future__ import annotations

from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError

from indexer import aliases
from indexer.mappings import DEFINITIONS
from jobmatch.embeddings import Embedder
from jobmatch.search.blocks import reindex_holds, write_blocks
from jobmatch.search.client import cluster_version


def readiness(es: Elasticsearch, embedder: Embedder, prefix: str) -> tuple[bool, dict[str, Any]]:
    """Return (ready, report); the report names every reason for not being ready."""
    report: dict[str, Any] = {"elasticsearch": {}, "indices": {}, "model": embedder.info()}
    reasons: list[str] = []
    behind: dict[str, str] = {}  # alias -> the physical index it points at
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
            if state.index:
                behind[state.alias] = state.index
            if not state.exists:
                reasons.append(f"index {state.alias} is missing: run `flask --app wsgi jobmatch indices upgrade`")
            elif state.version != definition.version:
                reasons.append(f"index {state.alias} is v{state.version}, code expects v{definition.version}")
            elif definition.embedded and state.model != embedder.name:
                reasons.append(aliases.model_mismatch_message(state, embedder.name))
        reasons.extend(_write_block_reasons(es, prefix, report, behind))
    if not embedder.loaded:
        reasons.append("embedding model not loaded yet")
    report["status"] = "ready" if not reasons else "not_ready"
    if reasons:
        report["reasons"] = reasons
    return not reasons, report


def _write_block_reasons(es: Elasticsearch, prefix: str, report: dict[str, Any], behind: dict[str, str]) -> list[str]:
    """Name every index behind an alias that refuses writes (one settings call); a reindex's brief block is
    reported but does not make the app unready, since writers wait it out."""
    blocked = write_blocks(es, prefix)
    found: dict[str, Any] = {}
    reasons = []
    for alias, index in behind.items():
        names = blocked.get(index)
        if not names:
            continue
        reindexing = names == ["index.blocks.write"] and reindex_holds(es, alias, index)
        found[alias] = {"index": index, "blocks": names, "reindexing": reindexing}
        if not reindexing:
            hint = ("disk flood stage: free disk space (Elasticsearch lifts this block once usage falls below the "
                    "high watermark)" if "index.blocks.read_only_allow_delete" in names
                    else "lift the block with PUT <index>/_settings")
            reasons.append(f"index {alias} ({index}) refuses writes: {', '.join(names)}; {hint}")
    report["write_blocks"] = found
    return reasons

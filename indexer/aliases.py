"""Create, upgrade, rebuild and prune the physical indices behind each alias.

The API only ever names aliases. An upgrade (new mapping version) or a reindex (new embedding model) builds a
new physical index, copies every document into it with the client-side scan and bulk helpers (the
integration-test distribution has no `_reindex` API), verifies the count and swaps the alias in one atomic
`update_aliases` call. Old physical indices stay until `prune`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError, helpers

from indexer.mappings import IndexDefinition, ModelInfo
from indexer.naming import alias_name, parse_physical, physical_name

__all__ = ["alias_name", "check_models", "delete_prefix", "ensure", "prune", "read_state", "rebuild"]

log = logging.getLogger(__name__)

Embed = Callable[[Sequence[str]], list[list[float]]]
# (index name, a batch of documents) -> the batch with derived fields brought up to date by the application
Transform = Callable[[str, list[dict[str, Any]]], list[dict[str, Any]]]


class IndexLifecycleError(RuntimeError):
    """An index operation was refused; the message says why and what to run instead."""


class ModelMismatch(IndexLifecycleError):
    """An index holds vectors from another model than the configured one."""


@dataclass(frozen=True)
class IndexState:
    """What the cluster holds behind one alias."""

    alias: str
    index: str | None
    version: int | None
    model: str | None
    dims: int | None
    docs: int | None

    @property
    def exists(self) -> bool:
        return self.index is not None


def read_state(es: Elasticsearch, prefix: str, definition: IndexDefinition) -> IndexState:
    """Return the physical index, mapping version, model and size behind the definition's alias."""
    alias = alias_name(prefix, definition.name)
    try:
        response = es.indices.get_alias(name=alias)
    except NotFoundError:
        return IndexState(alias, None, None, None, None, None)
    indices = sorted(response.body)
    if len(indices) != 1:
        raise IndexLifecycleError(f"alias {alias} points at {len(indices)} indices ({', '.join(indices)})")
    index = indices[0]
    mapping = es.indices.get_mapping(index=index).body[index]["mappings"]
    meta = mapping.get("_meta", {}).get("jobmatch", {})
    docs = int(es.count(index=index)["count"])
    return IndexState(alias, index, meta.get("version"), meta.get("embedding_model"), meta.get("embedding_dims"),
                      docs)


def model_mismatch_message(state: IndexState, configured: str) -> str:
    """Explain a model mismatch and how to fix it."""
    return (f"index {state.alias} ({state.index}) holds vectors from model {state.model!r}, but EMBEDDING_MODEL is "
            f"{configured!r}. Run `flask --app wsgi jobmatch indices reindex` to re-embed every record with the "
            f"configured model, or set EMBEDDING_MODEL back to {state.model!r}.")


def check_models(es: Elasticsearch, prefix: str, definitions: Iterable[IndexDefinition],
                 model_name: str) -> list[str]:
    """Return one message per existing index embedded with another model than `model_name`."""
    problems = []
    for definition in definitions:
        if not definition.embedded:
            continue
        state = read_state(es, prefix, definition)
        if state.exists and state.model != model_name:
            problems.append(model_mismatch_message(state, model_name))
    return problems


def create_index(es: Elasticsearch, prefix: str, definition: IndexDefinition, model: ModelInfo | None,
                 *, with_alias: bool) -> str:
    """Create a new physical index for the definition, optionally already behind its alias."""
    name = physical_name(prefix, definition.name, definition.version)
    body = definition.body(model)
    if with_alias:
        body["aliases"] = {alias_name(prefix, definition.name): {"is_write_index": True}}
    es.indices.create(index=name, **body)
    return name


def swap_alias(es: Elasticsearch, alias: str, old: str, new: str) -> None:
    """Point `alias` from `old` to `new` in one atomic call, so readers never see neither or both."""
    es.indices.update_aliases(actions=[
        {"remove": {"index": old, "alias": alias}},
        {"add": {"index": new, "alias": alias, "is_write_index": True}},
    ])


def _copy_actions(es: Elasticsearch, source: str, target: str, embed: Embed | None, batch: int,
                  query: dict[str, Any], transform: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None
                  ) -> Iterator[dict[str, Any]]:
    """Yield bulk index actions for the documents of `source` matching `query`, re-derived by `transform` and
    re-embedded if `embed`."""
    pending: list[dict[str, Any]] = []

    def flush() -> Iterator[dict[str, Any]]:
        if transform is not None:
            for hit, doc in zip(pending, transform([hit["_source"] for hit in pending]), strict=True):
                hit["_source"] = doc
        if embed is not None:
            texts = [hit["_source"].get("embedding_text") or "" for hit in pending]
            for hit, vector in zip(pending, embed(texts), strict=True):
                hit["_source"]["embedding"] = vector
        for hit in pending:
            yield {"_op_type": "index", "_index": target, "_id": hit["_id"], "_source": hit["_source"]}
        pending.clear()

    # Elasticsearch 9 leaves vectors out of _source unless asked; a copy without re-embedding must keep them.
    for hit in helpers.scan(es, index=source, query={"query": query}, size=batch, preserve_order=False,
                            source_exclude_vectors=False):
        pending.append(hit)
        if len(pending) >= batch:
            yield from flush()
    yield from flush()


def _copy(es: Elasticsearch, source: str, target: str, embed: Embed | None, batch: int,
          query: dict[str, Any], transform: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] | None = None
          ) -> int:
    """Copy matching documents from `source` to `target`; raise if any fails; return how many were copied."""
    ok, errors = 0, []
    actions = _copy_actions(es, source, target, embed, batch, query, transform)
    for success, item in helpers.streaming_bulk(es, actions,
                                                chunk_size=batch, max_retries=5, raise_on_error=False):
        if success:
            ok += 1
        else:
            errors.append(item)
    if errors:
        raise IndexLifecycleError(f"{len(errors)} documents failed to copy into {target}; first: {errors[0]}")
    return ok


def _set_write_block(es: Elasticsearch, index: str, blocked: bool) -> None:
    if blocked:
        es.indices.add_block(index=index, block="write")
    else:
        es.indices.put_settings(index=index, settings={"index.blocks.write": False})


def rebuild(es: Elasticsearch, prefix: str, definition: IndexDefinition, model: ModelInfo | None,
            *, embed: Embed | None = None, batch: int = 500, after_copy: Callable[[], None] | None = None,
            clock_margin: timedelta = timedelta(minutes=2), transform: Transform | None = None
            ) -> tuple[str, str, int]:
    """Build a new physical index from the current one and swap the alias; return (old, new, docs).

    `transform` lets the application bring derived fields up to date on the way (a new version may derive
    more than the old one stored). Writes keep going to the old index while it is copied (readers see it all
    along). Then the old index is
    write-blocked for a moment (the app's writers retry on the block), everything written since the copy began
    is copied again, counts are verified and the alias moves in one atomic call: no write is lost.
    """
    state = read_state(es, prefix, definition)
    if not state.exists:
        raise IndexLifecycleError(f"{state.alias} does not exist; run `indices create` first")
    assert state.index is not None
    old = state.index
    began = datetime.now(UTC) - clock_margin  # app servers' clocks stamp updated_at
    new = create_index(es, prefix, definition, model, with_alias=False)
    blocked = False
    def per_batch(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        assert transform is not None
        return transform(definition.name, docs)

    step = per_batch if transform is not None else None
    try:
        _copy(es, old, new, embed, batch, {"match_all": {}}, step)
        if after_copy is not None:
            after_copy()
        _set_write_block(es, old, True)
        blocked = True
        es.indices.refresh(index=old)  # the catch-up scan must see every write made before the block
        properties = definition.body(model)["mappings"]["properties"]
        since = ({"range": {"updated_at": {"gte": began.isoformat()}}} if "updated_at" in properties
                 else {"match_all": {}})  # small indices without timestamps are simply copied again
        _copy(es, old, new, embed, batch, since, step)
        es.indices.refresh(index=new)
        source_count = int(es.count(index=old)["count"])
        new_count = int(es.count(index=new)["count"])
        if new_count != source_count:
            raise IndexLifecycleError(f"{new} has {new_count} documents but {old} has {source_count}")
        swap_alias(es, state.alias, old, new)
    except Exception:
        if blocked:
            _set_write_block(es, old, False)
        es.indices.delete(index=new)
        raise
    log.info("swapped %s from %s to %s (%d documents)", state.alias, old, new, new_count)
    return old, new, new_count


def ensure(es: Elasticsearch, prefix: str, definitions: Iterable[IndexDefinition],
           model: Callable[[], ModelInfo], model_name: str, transform: Transform | None = None
           ) -> list[tuple[str, str]]:
    """Create missing indices and upgrade outdated ones; return (alias, what was done) per definition.

    `model` is called only when a vector mapping must be written, so a no-op run never loads the model.
    """
    done = []
    for definition in definitions:
        state = read_state(es, prefix, definition)
        needs_model = definition.embedded
        if not state.exists:
            create_index(es, prefix, definition, model() if needs_model else None, with_alias=True)
            done.append((state.alias, f"created v{definition.version}"))
            continue
        if needs_model and state.model != model_name:
            raise ModelMismatch(model_mismatch_message(state, model_name))
        if state.version == definition.version:
            done.append((state.alias, f"up to date (v{state.version}, {state.docs} docs)"))
        elif state.version is not None and state.version > definition.version:
            raise IndexLifecycleError(
                f"{state.alias} is v{state.version}, newer than this code (v{definition.version})")
        else:
            _old, new, count = rebuild(es, prefix, definition, model() if needs_model else None, transform=transform)
            done.append((state.alias, f"upgraded v{state.version} -> v{definition.version} ({count} docs, {new})"))
    return done


def prune(es: Elasticsearch, prefix: str, definitions: Iterable[IndexDefinition]) -> list[str]:
    """Delete the physical indices of our aliases that no alias points at any more; return their names."""
    deleted = []
    for definition in definitions:
        alias = alias_name(prefix, definition.name)
        try:
            current = set(es.indices.get_alias(name=alias).body)
        except NotFoundError:
            current = set()
        existing = es.indices.get(index=f"{alias}-v*", expand_wildcards="open,closed").body
        for index in sorted(existing):
            parsed = parse_physical(index)
            if parsed and parsed[0] == alias and index not in current:
                es.indices.delete(index=index)
                deleted.append(index)
    return deleted


def delete_prefix(es: Elasticsearch, prefix: str) -> list[str]:
    """Delete every index whose name starts with `prefix` (tests use a unique prefix per run)."""
    if len(prefix) < 4:
        raise IndexLifecycleError(f"refusing to delete indices for the short prefix {prefix!r}")
    names = sorted(es.indices.get(index=f"{prefix}*", expand_wildcards="open,closed").body)
    # Wildcard deletes are refused by action.destructive_requires_name, so name each index.
    for name in names:
        es.indices.delete(index=name)
    return names

"""Index lifecycle against the real node: create, no-op re-run, upgrade with alias swap, model mismatch, reindex."""

import dataclasses
import uuid

import pytest

from indexer import aliases
from indexer.mappings import ModelInfo, definition
from indexer.naming import alias_name


@pytest.fixture()
def prefix(es):
    """A private prefix per test, deleted afterwards."""
    value = f"jmtest-{uuid.uuid4().hex[:8]}-"
    yield value
    aliases.delete_prefix(es, value)


def model_of(embedder):
    return lambda: ModelInfo(embedder.name, embedder.dimension)


def test_create_then_rerun_changes_nothing(es, prefix, embedder):
    jobs = definition("jobs")
    first = aliases.ensure(es, prefix, [jobs], model_of(embedder), embedder.name)
    state = aliases.read_state(es, prefix, jobs)
    second = aliases.ensure(es, prefix, [jobs], model_of(embedder), embedder.name)
    assert first == [(alias_name(prefix, "jobs"), f"created v{jobs.version}")]
    assert second[0][1].startswith("up to date")
    assert aliases.read_state(es, prefix, jobs).index == state.index
    assert state.model == embedder.name and state.dims == embedder.dimension


def test_upgrade_copies_documents_and_swaps_alias(es, prefix):
    tokens = definition("tokens")
    aliases.ensure(es, prefix, [tokens], lambda: None, "unused")
    alias = alias_name(prefix, "tokens")
    for n in range(3):
        es.index(index=alias, id=f"t{n}", document={"token_id": f"id{n}", "role": "analyst"})
    es.indices.refresh(index=alias)
    old = aliases.read_state(es, prefix, tokens).index

    def build_v2(model):
        body = tokens.build(model)
        body["mappings"]["properties"]["note"] = {"type": "keyword"}
        return body

    v2 = dataclasses.replace(tokens, version=tokens.version + 1, build=build_v2)
    result = aliases.ensure(es, prefix, [v2], lambda: None, "unused")
    state = aliases.read_state(es, prefix, v2)
    assert "upgraded" in result[0][1]
    assert state.version == tokens.version + 1 and state.index != old and state.docs == 3
    assert es.get(index=alias, id="t2")["_source"]["token_id"] == "id2"
    assert "note" in es.indices.get_mapping(index=alias).body[state.index]["mappings"]["properties"]
    assert aliases.prune(es, prefix, [v2]) == [old]
    assert not es.indices.exists(index=old)


def test_upgrade_keeps_vectors(es, prefix, embedder):
    jobs = definition("jobs")
    aliases.ensure(es, prefix, [jobs], model_of(embedder), embedder.name)
    alias = alias_name(prefix, "jobs")
    vector = embedder.embed_query("thợ hàn")
    es.index(index=alias, id="j1", document={"job_id": "j1", "embedding_text": "thợ hàn", "embedding": vector},
             refresh=True)
    v2 = dataclasses.replace(jobs, version=jobs.version + 1)
    aliases.ensure(es, prefix, [v2], model_of(embedder), embedder.name)
    stored = es.get(index=alias, id="j1", source_exclude_vectors=False)["_source"]["embedding"]
    assert max(abs(a - b) for a, b in zip(stored, vector, strict=True)) < 1e-6


def test_code_older_than_index_is_refused(es, prefix):
    tokens = definition("tokens")
    newer = dataclasses.replace(tokens, version=tokens.version + 5)
    aliases.ensure(es, prefix, [newer], lambda: None, "unused")
    with pytest.raises(aliases.IndexLifecycleError, match="newer than this code"):
        aliases.ensure(es, prefix, [tokens], lambda: None, "unused")


def test_model_change_is_refused_until_reindex(es, prefix, embedder):
    workers = definition("workers")
    aliases.ensure(es, prefix, [workers], lambda: ModelInfo("old/model", embedder.dimension), "old/model")
    alias = alias_name(prefix, "workers")
    es.index(index=alias, id="w1", document={"worker_id": "w1", "embedding_text": "thợ hàn welder",
                                              "embedding": [0.0] * (embedder.dimension - 1) + [1.0]},
             refresh=True)

    with pytest.raises(aliases.ModelMismatch, match="jobmatch indices reindex"):
        aliases.ensure(es, prefix, [workers], model_of(embedder), embedder.name)
    assert aliases.check_models(es, prefix, [workers], embedder.name)

    _, new, count = aliases.rebuild(es, prefix, workers, ModelInfo(embedder.name, embedder.dimension),
                                    embed=embedder.embed_documents)
    state = aliases.read_state(es, prefix, workers)
    assert (state.index, state.model, count) == (new, embedder.name, 1)
    assert aliases.check_models(es, prefix, [workers], embedder.name) == []
    stored = es.get(index=alias, id="w1", source_exclude_vectors=False)["_source"]["embedding"]
    expected = embedder.embed_query("thợ hàn welder")
    assert max(abs(a - b) for a, b in zip(stored, expected, strict=True)) < 1e-5


def test_delete_prefix_refuses_short_prefixes(es):
    with pytest.raises(aliases.IndexLifecycleError):
        aliases.delete_prefix(es, "jm")

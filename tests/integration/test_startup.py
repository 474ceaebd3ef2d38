"""Start-up refuses indices embedded with another model, and says how to fix it."""

import uuid

import pytest

from config.settings import load_settings
from indexer import aliases
from indexer.mappings import DEFINITIONS, ModelInfo
from jobmatch.errors import StartupError
from jobmatch.startup import verify_indices


def test_mismatch_stops_start_up_with_reindex_advice(es, embedder):
    prefix = f"jmtest-{uuid.uuid4().hex[:8]}-"
    try:
        aliases.ensure(es, prefix, DEFINITIONS, lambda: ModelInfo("old/model", embedder.dimension), "old/model")
        settings = load_settings(overrides={"INDEX_PREFIX": prefix})
        with pytest.raises(StartupError, match="jobmatch indices reindex") as info:
            verify_indices(settings)
        assert "old/model" in str(info.value)
        verify_indices(load_settings(overrides={"INDEX_PREFIX": prefix, "EMBEDDING_MODEL": "old/model"}))
    finally:
        aliases.delete_prefix(es, prefix)


def test_unreachable_cluster_does_not_stop_start_up():
    verify_indices(load_settings(overrides={"ES_URL": "http://127.0.0.1:9", "ES_REQUEST_TIMEOUT": 1.0}))

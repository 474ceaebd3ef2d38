"""Index names and definitions: versioned names, _meta with model, dims taken from the model."""

from datetime import UTC, datetime

import pytest

from indexer.mappings import DEFINITIONS, ModelInfo, definition
from indexer.naming import alias_name, parse_physical, physical_name


def test_physical_name_round_trips():
    name = physical_name("jobmatch-", "jobs", 3, datetime(2026, 11, 22, 19, 30, 0, 123456, tzinfo=UTC))
    assert name == "jobmatch-jobs-v3-20261122193000123456"
    assert parse_physical(name) == ("jobmatch-jobs", 3)
    assert alias_name("jobmatch-", "jobs") == "jobmatch-jobs"


def test_foreign_names_are_not_parsed():
    assert parse_physical("jobmatch-jobs") is None
    assert parse_physical("other-index-v2") is None


def test_embedded_index_takes_dims_and_records_model():
    body = definition("jobs").body(ModelInfo("some/model", 768))
    assert body["mappings"]["properties"]["embedding"]["dims"] == 768
    assert body["mappings"]["properties"]["embedding"]["similarity"] == "cosine"
    assert body["mappings"]["_meta"]["jobmatch"] == {"index": "jobs", "version": definition("jobs").version,
                                                     "embedding_model": "some/model", "embedding_dims": 768}


def test_embedded_index_needs_a_model():
    with pytest.raises(ValueError, match="dimensions"):
        definition("workers").body(None)


def test_plain_index_has_no_model_meta():
    meta = definition("tokens").body(None)["mappings"]["_meta"]["jobmatch"]
    assert "embedding_model" not in meta


def test_definitions_are_unique_and_strict():
    names = [d.name for d in DEFINITIONS]
    assert len(names) == len(set(names))
    for item in DEFINITIONS:
        body = item.body(ModelInfo("m", 8) if item.embedded else None)
        assert body["mappings"]["dynamic"] == "strict", item.name

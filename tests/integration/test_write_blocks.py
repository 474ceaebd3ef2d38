"""Write blocks on the real node: which status each block answers, which ones a write waits out (a reindex's)
and which fail at once (flood stage, read-only, a write block nobody is reindexing behind)."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime

import pytest
from elasticsearch import ApiError

from indexer import aliases
from indexer.mappings import definition
from indexer.naming import alias_name
from jobmatch.errors import storage_failure_kind
from jobmatch.records.repository import Repository
from jobmatch.search.blocks import parse_block

BLOCKS = {  # setting -> (HTTP status measured on 9.5, a write waits it out when a reindex holds it)
    "index.blocks.read_only_allow_delete": (429, False),
    "index.blocks.read_only": (403, False),
    "index.blocks.write": (403, True),
}


@pytest.fixture()
def employers(es):
    prefix = f"jmtest-{uuid.uuid4().hex[:8]}-"
    aliases.ensure(es, prefix, [definition("employers")], lambda: None, "unused")
    yield prefix, Repository(es, alias_name(prefix, "employers"), refresh=False)
    state = aliases.read_state(es, prefix, definition("employers"))
    if state.index:
        es.indices.put_settings(index=state.index, settings={name: None for name in BLOCKS})
    aliases.delete_prefix(es, prefix)


def doc(employer_id: str) -> dict:
    stamp = datetime.now(UTC).isoformat()
    return {"employer_id": employer_id, "name": "Hợp tác xã Long Phú", "created_at": stamp, "updated_at": stamp}


@pytest.mark.parametrize("setting", list(BLOCKS))
def test_each_block_fails_a_write_at_once_as_a_write_block(es, employers, setting):
    prefix, repo = employers
    index = aliases.read_state(es, prefix, definition("employers")).index
    es.indices.put_settings(index=index, settings={setting: True})
    began = time.monotonic()
    with pytest.raises(ApiError) as caught:
        repo.create("e1", doc("e1"))
    elapsed = time.monotonic() - began
    status, reindex_kind = BLOCKS[setting]
    assert caught.value.meta.status == status
    block = parse_block(caught.value)
    assert block is not None and block.index == index and block.is_reindex_kind is reindex_kind
    assert storage_failure_kind(caught.value) == "write_block"  # even the 429 one: it is no overload
    assert elapsed < 2.0, f"{setting}: a write waited {elapsed:.1f}s for a block no reindex holds"


def test_a_write_waits_out_the_block_while_a_reindex_target_exists(es, employers):
    prefix, repo = employers
    employers_def = definition("employers")
    index = aliases.read_state(es, prefix, employers_def).index
    es.indices.add_block(index=index, block="write")
    aliases.create_index(es, prefix, employers_def, None, with_alias=False)  # what rebuild fills meanwhile
    lift = threading.Timer(1.0, lambda: es.indices.put_settings(index=index, settings={"index.blocks.write": False}))
    lift.start()
    began = time.monotonic()
    try:
        repo.create("e2", doc("e2"))
    finally:
        lift.join()
    assert time.monotonic() - began >= 0.9
    assert repo.get("e2").source["employer_id"] == "e2"

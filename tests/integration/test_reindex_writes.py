"""A reindex loses no write made while it runs, whether made between copy and swap or concurrently."""

import threading
import time
import uuid
from datetime import UTC, datetime

import pytest

from indexer import aliases
from indexer.mappings import definition
from indexer.naming import alias_name
from jobmatch.records.repository import Repository


@pytest.fixture()
def prefix(es):
    value = f"jmtest-{uuid.uuid4().hex[:8]}-"
    yield value
    aliases.delete_prefix(es, value)


def employer_doc(employer_id, name):
    stamp = datetime.now(UTC).isoformat()
    return {"employer_id": employer_id, "name": name, "created_at": stamp, "updated_at": stamp}


def seed(es, prefix, count):
    employers = definition("employers")
    aliases.ensure(es, prefix, [employers], lambda: None, "unused")
    repo = Repository(es, alias_name(prefix, "employers"), refresh=False)
    for n in range(count):
        repo.create(f"e{n}", employer_doc(f"e{n}", f"Doanh nghiệp {n}"))
    es.indices.refresh(index=repo.alias)
    return employers, repo


def test_writes_between_copy_and_swap_are_kept(es, prefix):
    employers, repo = seed(es, prefix, 50)

    def write_during_reindex():
        repo.create("late", employer_doc("late", "Ghi trong lúc reindex"))
        current = repo.get("e7")
        repo.replace("e7", {**current.source, "name": "Đã sửa", "updated_at": datetime.now(UTC).isoformat()},
                     etag=current.etag)

    _old, new, count = aliases.rebuild(es, prefix, employers, None, after_copy=write_during_reindex)
    assert count == 51
    assert aliases.read_state(es, prefix, employers).index == new
    assert repo.get("late").source["name"] == "Ghi trong lúc reindex"
    assert repo.get("e7").source["name"] == "Đã sửa"


def test_concurrent_writer_loses_nothing(es, prefix):
    employers, repo = seed(es, prefix, 3000)
    written: list[str] = []
    stop = threading.Event()

    def writer():
        n = 0
        deadline = time.monotonic() + 60  # bounded even if the reindex hangs
        while not stop.is_set() and time.monotonic() < deadline:
            doc_id = f"live{n}"
            repo.create(doc_id, employer_doc(doc_id, f"Mới {n}"))  # retries through the write block
            written.append(doc_id)
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        time.sleep(0.2)
        _, new, _ = aliases.rebuild(es, prefix, employers, None, batch=200)
    finally:
        stop.set()
        thread.join()
    es.indices.refresh(index=repo.alias)
    assert len(written) > 10, f"the writer wrote only {len(written)} documents while the reindex ran"
    found = es.search(index=repo.alias, query={"ids": {"values": written}}, size=len(written))["hits"]["total"]
    assert found["value"] == len(written)
    assert es.count(index=repo.alias)["count"] == 3000 + len(written)
    assert aliases.read_state(es, prefix, employers).index == new


def test_failed_reindex_unblocks_and_keeps_the_old_index(es, prefix):
    employers, repo = seed(es, prefix, 5)
    before = aliases.read_state(es, prefix, employers).index

    def sabotage():
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        aliases.rebuild(es, prefix, employers, None, after_copy=sabotage)
    assert aliases.read_state(es, prefix, employers).index == before
    repo.create("after", employer_doc("after", "vẫn ghi được"))  # not blocked
    assert len(es.indices.get(index=f"{alias_name(prefix, 'employers')}-v*").body) == 1

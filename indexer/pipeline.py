"""Bulk import: rows → validate → look up what is stored → build → embed in batches → streaming_bulk → stats.

The caller supplies a `Loader` that knows one kind of record (its schema, id and document building); this
module knows files, batches, Elasticsearch and rejects. Invalid rows go to a rejects file with their row
number and reasons, never silently dropped. Re-importing the same file changes nothing: a row whose
fingerprint matches the stored document is skipped, so versions, timestamps and vectors stay as they were.
"""

from __future__ import annotations

import csv
import json
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from elasticsearch import Elasticsearch, TransportError, helpers
from tqdm import tqdm

FINGERPRINT_FIELD = "input_hash"
Row = dict[str, Any]


log = logging.getLogger(__name__)


class RowRejected(Exception):
    """A row that cannot be imported, with reasons per field."""

    def __init__(self, reasons: Any) -> None:
        super().__init__(str(reasons))
        self.reasons = reasons


class Loader(Protocol):
    """What the pipeline needs to know about one kind of record."""

    def validate(self, row: Row) -> tuple[str, Row, str]:
        """Return (document id, validated data, fingerprint) or raise RowRejected."""

    def build(self, data: Row, doc_id: str, existing: Row | None) -> Row:
        """Return the document to store; it may lack `embedding` when its text is new."""

    def embed(self, docs: list[Row]) -> int:
        """Fill in missing embeddings in one batch; return how many were computed."""


@dataclass
class ImportStats:
    """Counts of one import run."""

    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    embedded: int = 0
    seconds: float = 0.0
    rejects_file: str | None = None
    first_rejects: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Return the counts as a plain dict."""
        return {k: v for k, v in self.__dict__.items() if k != "first_rejects"}


def unflatten(row: Row) -> Row:
    """Turn dotted CSV columns into nested objects ('workplace.commune_code' → workplace: {commune_code})."""
    nested: Row = {}
    for key, value in row.items():
        if value is None or value == "":
            continue  # an empty cell means "not given", as a missing JSON key does
        parts = key.strip().split(".")
        target = nested
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return nested


def read_rows(path: Path) -> Iterator[tuple[int, Row | Exception]]:
    """Yield (row number, row or parse error) from a CSV (header + rows) or JSON Lines file."""
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                    yield number, value if isinstance(value, dict) else ValueError("a line must be a JSON object")
                except json.JSONDecodeError as exc:
                    yield number, exc
    elif path.suffix.lower() == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle), start=2):  # row 1 is the header
                if None in row:
                    yield number, ValueError("more cells than header columns")
                else:
                    yield number, unflatten(row)
    else:
        raise ValueError(f"{path}: expected .csv or .jsonl")


class RejectWriter:
    """Write rejected rows (number, id, reasons — never the row's content, which may be personal) as JSONL."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def write(self, number: int, reasons: Any, external_id: str | None = None) -> dict[str, Any]:
        """Record one rejected row."""
        record = {"row": number, "external_id": external_id, "reasons": reasons}
        if self.path is not None:
            if self._handle is None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._handle = open(self.path, "w", encoding="utf-8")  # noqa: SIM115  closed in close()
            self._handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        return record

    def close(self) -> None:
        """Flush and close the file."""
        if self._handle is not None:
            self._handle.close()


def _batches(rows: Iterable[tuple[int, Row | Exception]], size: int) -> Iterator[list[tuple[int, Row | Exception]]]:
    batch: list[tuple[int, Row | Exception]] = []
    for item in rows:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


RETRY_DELAYS = (1.0, 4.0, 16.0)  # back-off between attempts at a batch when the node fails (about 20 s in all)


class ImportInterrupted(RuntimeError):
    """The node kept failing: the import stopped; `stats` counts what was done (re-running resumes)."""

    def __init__(self, stats: ImportStats, cause: Exception) -> None:
        super().__init__(f"import interrupted by {type(cause).__name__}")
        self.stats = stats
        self.cause = cause


def _write_batch(es: Elasticsearch, alias: str, valid: list[tuple[int, str, Row, str]], loader: Loader,
                 batch_size: int) -> dict[str, Any]:
    """Store one batch of validated rows; return its counts and the rows Elasticsearch refused."""
    done: dict[str, Any] = {"unchanged": 0, "created": 0, "updated": 0, "embedded": 0, "rejects": []}
    # mget cannot be asked for vectors (ES 9 leaves them out of _source); an ids query can.
    found = es.search(index=alias, query={"ids": {"values": [doc_id for _, doc_id, _, _ in valid]}},
                      size=len(valid), source_exclude_vectors=False)
    existing = {hit["_id"]: hit["_source"] for hit in found["hits"]["hits"]}
    pending: list[tuple[int, str, Row, bool]] = []
    for number, doc_id, data, fingerprint in valid:
        current = existing.get(doc_id)
        if current is not None and current.get(FINGERPRINT_FIELD) == fingerprint:
            done["unchanged"] += 1
            continue
        pending.append((number, doc_id, loader.build(dict(data), doc_id, current), current is None))
    done["embedded"] = loader.embed([doc for _, _, doc, _ in pending])
    actions = [{"_op_type": "index", "_index": alias, "_id": doc_id, "_source": doc} for _, doc_id, doc, _ in pending]
    outcomes = helpers.streaming_bulk(es, actions, chunk_size=batch_size, max_retries=5,
                                      raise_on_error=False, raise_on_exception=True)
    for (number, _doc_id, doc, is_new), (ok, item) in zip(pending, outcomes, strict=True):
        if ok:
            done["created" if is_new else "updated"] += 1
        else:
            error = next(iter(item.values())).get("error", {})
            done["rejects"].append((number, {"_elasticsearch": [error.get("reason", str(error))]},
                                    doc.get("external_id")))
    return done


def run_import(es: Elasticsearch, alias: str, rows: Iterable[tuple[int, Row | Exception]], loader: Loader, *,
               rejects: RejectWriter, batch_size: int = 256, progress: bool | None = None,
               total: int | None = None) -> ImportStats:
    """Import rows into `alias`; return the counts. Elasticsearch errors on single documents become rejects."""
    stats = ImportStats(rejects_file=str(rejects.path) if rejects.path else None)
    began = time.monotonic()
    seen: dict[str, int] = {}

    def reject(number: int, reasons: Any, external_id: str | None = None) -> None:
        stats.rejected += 1
        record = rejects.write(number, reasons, external_id)
        if len(stats.first_rejects) < 5:
            stats.first_rejects.append(record)

    bar = tqdm(total=total, unit="rows", disable=None if progress is None else not progress, leave=False)
    try:
        for batch in _batches(rows, batch_size):
            stats.read += len(batch)
            valid: list[tuple[int, str, Row, str]] = []
            for number, row in batch:
                if isinstance(row, Exception):
                    reject(number, {"_row": [f"unreadable: {row}"]})
                    continue
                try:
                    doc_id, data, fingerprint = loader.validate(row)
                except RowRejected as exc:
                    reject(number, exc.reasons, row.get("external_id"))
                    continue
                if doc_id in seen:
                    reject(number, {"external_id": [f"repeats row {seen[doc_id]} of this file"]},
                           row.get("external_id"))
                    continue
                seen[doc_id] = number
                valid.append((number, doc_id, data, fingerprint))
            if not valid:
                bar.update(len(batch))
                continue
            for attempt in range(len(RETRY_DELAYS) + 1):
                try:
                    done = _write_batch(es, alias, valid, loader, batch_size)
                    break
                except TransportError as exc:  # node down or too slow: the batch is idempotent, try again
                    if attempt == len(RETRY_DELAYS):
                        stats.seconds = round(time.monotonic() - began, 3)
                        raise ImportInterrupted(stats, exc) from exc
                    log.warning("batch failed (%s); retrying in %.0f s", type(exc).__name__, RETRY_DELAYS[attempt])
                    time.sleep(RETRY_DELAYS[attempt])
            stats.unchanged += done["unchanged"]
            stats.created += done["created"]
            stats.updated += done["updated"]
            stats.embedded += done["embedded"]
            for number, reasons, external_id in done["rejects"]:
                reject(number, reasons, external_id)
            bar.update(len(batch))
    finally:
        bar.close()
        rejects.close()
    es.indices.refresh(index=alias)
    if not stats.rejected:
        stats.rejects_file = None
    stats.seconds = round(time.monotonic() - began, 3)
    return stats

"""Bulk import of the registers from CSV or JSON Lines, through the same schemas and builders as the API.

The generic machinery (files, batches, bulk, rejects) is `indexer.pipeline`; this module supplies one
`Loader` per kind of record. Imported rows must carry an `external_id` (the id in the centre's spreadsheet),
which makes re-importing a file idempotent.
"""

from __future__ import annotations

import json
from datetime import tzinfo
from pathlib import Path
from typing import Any

from marshmallow import Schema, fields

from indexer.naming import alias_name
from indexer.pipeline import ImportStats, RejectWriter, RowRejected, read_rows, run_import
from jobmatch.embeddings import Embedder
from jobmatch.employers.service import SPEC as EMPLOYERS
from jobmatch.errors import ValidationFailed
from jobmatch.jobs.service import SPEC as JOBS
from jobmatch.jobs.service import bind_employer
from jobmatch.records.repository import Repository, Stored
from jobmatch.records.service import DEFAULT_TZ, Document, RecordService, ResourceSpec, input_hash, record_id, validate
from jobmatch.workers.service import SPEC as WORKERS

KINDS: dict[str, ResourceSpec] = {"employers": EMPLOYERS, "jobs": JOBS, "workers": WORKERS}
ACTOR = "import"


def coerce_cells(schema: Schema, row: dict[str, Any]) -> dict[str, Any]:
    """Turn CSV cell text into the JSON shapes the schema expects: lists split on ';' or JSON, objects as JSON."""
    result = dict(row)
    for name, field in schema.fields.items():
        value = result.get(name)
        if not isinstance(value, str):
            continue
        text = value.strip()
        if isinstance(field, fields.List):
            result[name] = json.loads(text) if text.startswith("[") else [v.strip() for v in text.split(";")
                                                                          if v.strip()]
        elif isinstance(field, fields.Nested) and text.startswith("{"):
            result[name] = json.loads(text)
    return result


class RecordLoader:
    """Validate and build one kind of record for `indexer.pipeline`."""

    def __init__(self, spec: ResourceSpec, *, es: Any, prefix: str, embedder: Embedder | None,
                 tz: tzinfo = DEFAULT_TZ) -> None:
        self.records = RecordService(spec, es=es, prefix=prefix, embedder=embedder, tz=tz)
        self.schema = spec.schema()
        self.spec = spec
        self._employers = Repository(es, alias_name(prefix, EMPLOYERS.name))
        self._employer_cache: dict[str, Document | None] = {}

    def _employer(self, employer_id: str) -> Document | None:
        if employer_id not in self._employer_cache:
            found = self._employers.find(employer_id)
            self._employer_cache[employer_id] = found.source if found else None
        return self._employer_cache[employer_id]

    def validate(self, row: dict[str, Any]) -> tuple[str, Document, str]:
        """Return (id, validated data, fingerprint) or raise RowRejected with reasons per field."""
        try:
            data = validate(self.spec.schema, coerce_cells(self.schema, row))
        except (ValidationFailed, ValueError) as exc:
            reasons = exc.errors["json"] if isinstance(exc, ValidationFailed) else {"_row": [str(exc)]}
            raise RowRejected(reasons) from exc
        if not data.get("external_id"):
            raise RowRejected({"external_id": ["is required for imports (it makes re-imports idempotent)"]})
        try:
            self.records.complete(data, None)
        except ValidationFailed as exc:
            raise RowRejected({**exc.errors["json"], **exc.extra}) from exc
        if self.spec is JOBS:
            try:
                bind_employer(data, self._employer(data["employer_id"]))
            except ValidationFailed as exc:
                raise RowRejected(exc.errors["json"]) from exc
        return record_id(self.spec.id_prefix, data["external_id"], data.get("source")), data, input_hash(data)

    def build(self, data: Document, doc_id: str, existing: Document | None) -> Document:
        """Build the stored document (keeping created_at and, for unchanged text, the vector)."""
        current = Stored(doc_id, existing, "") if existing is not None else None
        return self.records.build(data, doc_id=doc_id, current=current, actor=ACTOR)

    def embed(self, docs: list[Document]) -> int:
        """Embed the documents whose text is new, in one batch."""
        return self.records.embed_missing(docs)


def import_file(path: Path, kind: str, *, es: Any, prefix: str, embedder: Embedder | None,
                rejects_path: Path | None = None, batch_size: int = 256, progress: bool | None = None,
                tz: tzinfo = DEFAULT_TZ) -> ImportStats:
    """Import one CSV or JSON Lines file of `kind` (employers, jobs or workers); return the counts."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    spec = KINDS[kind]
    loader = RecordLoader(spec, es=es, prefix=prefix, embedder=embedder, tz=tz)
    rejects = RejectWriter(rejects_path or path.with_name(path.name + ".rejects.jsonl"))
    return run_import(es, alias_name(prefix, spec.name), read_rows(path), loader, rejects=rejects,
                      batch_size=batch_size, progress=progress)

"""Grow an embedded register tenfold (or any factor) for load tests, without re-running the model.

    INDEX_PREFIX=jmscale10000- .venv/bin/flask --app wsgi jobmatch demo --employers 500 --jobs 10000 \
        --workers 10000 --dir var/scale10000                      # the 10k register, really embedded
    .venv/bin/python bench/scale_up.py --source jmscale10000- --target jmscale100000- --factor 10

Embedding 200k demo records takes over an hour on this 2-core machine, so the 100k register is the 10k one
copied `factor` times: copy n of a record gets id `<id>-x<n>`, a commune drawn from the register's own
communes, registration/posting dates shifted by up to ±90 days, and its vector nudged by small Gaussian noise
(renormalised; cosine to the original ≈ 0.99) so that the HNSW graph does not hold exact duplicates. Text,
skills and occupations repeat, which makes BM25 lists denser than in a real register of that size (a
pessimistic case for the lexical query). Employers and tokens are copied as they are.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from elasticsearch import helpers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.settings import load_settings
from indexer.aliases import ensure
from indexer.mappings import DEFINITIONS, ModelInfo
from jobmatch.search.client import build_client

NOISE = 0.006  # per dimension, on unit 384-d vectors: cosine to the original ≈ 0.993


def _shift(value: str | None, days: int) -> str | None:
    if not value:
        return value
    return (date.fromisoformat(value[:10]) + timedelta(days=days)).isoformat() + value[10:]


def copies(es: Any, source: str, target: str, factor: int, id_field: str, place: str | None,
           communes: list[dict[str, Any]], seed: int) -> Iterator[dict[str, Any]]:
    """Yield bulk actions for `factor` perturbed copies of every document of the source alias."""
    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    for hit in helpers.scan(es, index=source, query={"query": {"match_all": {}}}, source_exclude_vectors=False):
        for n in range(factor):
            doc = dict(hit["_source"])
            doc_id = hit["_id"] if n == 0 else f"{hit['_id']}-x{n}"
            if n:
                doc[id_field] = doc_id
                days = rng.randint(-90, 90)
                for name in ("registered_at", "posted_at", "expires_at", "available_from", "created_at"):
                    if doc.get(name):
                        doc[name] = _shift(doc[name], days)
                if place and communes and doc.get(place):
                    doc[place] = rng.choice(communes)
                if doc.get("embedding"):
                    vector = np.asarray(doc["embedding"], dtype=np.float32)
                    vector += noise.normal(0.0, NOISE, size=vector.shape).astype(np.float32)
                    doc["embedding"] = (vector / np.linalg.norm(vector)).tolist()
            yield {"_index": target, "_id": doc_id, "_source": doc}


def main() -> None:
    """Copy employers, vacancies and jobseekers from one prefix to another, multiplied."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", required=True, help="index prefix of the embedded register")
    parser.add_argument("--target", required=True, help="index prefix to create")
    parser.add_argument("--factor", type=int, default=10)
    args = parser.parse_args()
    settings = load_settings()
    es = build_client({**settings, "ES_REQUEST_TIMEOUT": 300.0})
    meta = es.indices.get_mapping(index=f"{args.source}jobs")
    info = next(iter(meta.values()))["mappings"]["_meta"]["jobmatch"]
    ensure(es, args.target, DEFINITIONS, lambda: ModelInfo(info["embedding_model"], info["embedding_dims"]),
           info["embedding_model"])
    for kind, id_field, place, factor in (("employers", "employer_id", None, 1), ("tokens", "token_id", None, 1),
                                          ("jobs", "job_id", "workplace", args.factor),
                                          ("workers", "worker_id", "residence", args.factor)):
        communes: list[dict[str, Any]] = []
        if place:
            sample = es.search(index=f"{args.source}{kind}", size=500, _source=[place])["hits"]["hits"]
            communes = [h["_source"][place] for h in sample if h["_source"].get(place)]
        began = time.perf_counter()
        ok = 0
        for done, _ in helpers.streaming_bulk(es, copies(es, f"{args.source}{kind}", f"{args.target}{kind}",
                                                          factor, id_field, place, communes, seed=len(kind)),
                                              chunk_size=500, raise_on_error=True):
            ok += done
        es.indices.refresh(index=f"{args.target}{kind}")
        print(f"{kind}: {ok} copied in {time.perf_counter() - began:.0f} s", flush=True)


if __name__ == "__main__":
    main()

"""Vector retrieval alone over many synthetic vectors: latency, recall against brute force, node memory.

    .venv/bin/python bench/ann_scale.py --docs 1000000            # index (once) and measure
    .venv/bin/python bench/ann_scale.py --docs 1000000 --keep     # keep the index for another run

The vectors imitate sentence embeddings rather than uniform noise (on which HNSW is at its worst and which no
text model produces): `--clusters` random unit centres, each vector a centre plus Gaussian noise, normalised,
384 dimensions like the default model. The field is mapped exactly as jobmatch maps `embedding`
(`indexer.mappings.common.vector_field`: cosine, int8 HNSW), with a `status` keyword ("open" on 90%) to measure
the filtered kNN the matcher runs. Vectors travel base64-encoded (big-endian float32), which Elasticsearch
accepts for `dense_vector` and which is ~4x smaller than JSON floats. Ground truth is exact cosine in numpy.
Index `jmbench-ann-<docs>`; deleted at the end unless `--keep`. Needs the node (`make es-start`).
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from elasticsearch import helpers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.footprint import rss_mib
from config.settings import load_settings
from indexer.mappings.common import vector_field
from jobmatch.search.client import build_client
from scripts.processes import pid_from_file

DIMS = 384


def synthetic(n: int, centres: np.ndarray, rng: np.random.Generator, noise: float) -> np.ndarray:
    """Return `n` unit vectors scattered around randomly chosen centres."""
    picks = rng.integers(0, len(centres), size=n)
    vectors = centres[picks] + rng.normal(0.0, noise, size=(n, centres.shape[1])).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def encode(vector: np.ndarray) -> str:
    """Return the base64 of a float32 vector in big-endian byte order (what `dense_vector` accepts)."""
    return base64.b64encode(vector.astype(">f4").tobytes()).decode("ascii")


def actions(index: str, vectors: np.ndarray) -> Iterator[dict[str, Any]]:
    """Yield bulk index actions, 90% of them "open"."""
    for i, vector in enumerate(vectors):
        yield {"_index": index, "_id": str(i), "_source": {
            "status": "closed" if i % 10 == 0 else "open", "embedding": encode(vector)}}


def node_memory(es: Any) -> dict[str, float]:
    """Return the node's heap use, process RSS-like total and the index's disk size, in MiB."""
    stats = es.nodes.stats(metric=["jvm", "process"])
    node = next(iter(stats["nodes"].values()))
    return {"heap_used_mib": node["jvm"]["mem"]["heap_used_in_bytes"] / 2**20,
            "heap_max_mib": node["jvm"]["mem"]["heap_max_in_bytes"] / 2**20,
            "process_virtual_mib": node["process"]["mem"]["total_virtual_in_bytes"] / 2**20}


def build(es: Any, index: str, vectors: np.ndarray) -> float:
    """Create the index and load the vectors; return the seconds it took until searchable."""
    es.indices.create(index=index, settings={"number_of_shards": 1, "number_of_replicas": 0,
                                              "refresh_interval": "-1"},
                      mappings={"dynamic": "strict", "properties": {"status": {"type": "keyword"},
                                                                     "embedding": vector_field(DIMS)}})
    began = time.perf_counter()
    bulk = helpers.streaming_bulk(es, actions(index, vectors), chunk_size=2000, max_retries=3, raise_on_error=True)
    for done, _ in enumerate(bulk, start=1):
        if done % 100_000 == 0:
            print(f"  {done} indexed in {time.perf_counter() - began:.0f} s", flush=True)
    es.indices.put_settings(index=index, settings={"refresh_interval": "1s"})
    es.indices.refresh(index=index)
    return time.perf_counter() - began


def measure(es: Any, index: str, vectors: np.ndarray, queries: np.ndarray, *, k: int, num_candidates: int,
            filtered: bool, oversample: float | None = None) -> dict[str, float]:
    """Run every query once; return latency percentiles (server `took` and client wall) and recall@k."""
    mask = np.ones(len(vectors), dtype=bool)
    if filtered:
        mask[::10] = False
    walls, tooks, recalls = [], [], []
    for query in queries:
        body: dict[str, Any] = {"field": "embedding", "query_vector": query.tolist(), "k": k,
                                "num_candidates": num_candidates}
        if filtered:
            body["filter"] = {"term": {"status": "open"}}
        if oversample:  # re-rank the int8 candidates by their float vectors
            body["rescore_vector"] = {"oversample": oversample}
        began = time.perf_counter()
        response = es.search(index=index, knn=body, size=k, _source=False)
        walls.append(time.perf_counter() - began)
        tooks.append(response["took"])
        scores = vectors @ query
        scores[~mask] = -np.inf
        truth = set(np.argpartition(-scores, k)[:k].tolist())
        found = {int(h["_id"]) for h in response["hits"]["hits"]}
        recalls.append(len(found & truth) / k)
    wall_ms = np.asarray(walls) * 1000
    return {"p50": float(np.percentile(wall_ms, 50)), "p95": float(np.percentile(wall_ms, 95)),
            "p99": float(np.percentile(wall_ms, 99)), "took_p50": float(np.percentile(tooks, 50)),
            "recall": float(np.mean(recalls))}


def main() -> None:
    """Build (or reuse) the index, then print one Markdown row per setting and the node's memory."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--clusters", type=int, default=2000)
    parser.add_argument("--noise", type=float, default=0.035,
                        help="per-dimension noise; 0.035 puts two vectors of one cluster ~0.68 cosine apart")
    parser.add_argument("--keep", action="store_true", help="keep the index (a later run reuses it)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--oversample", type=float, nargs="*", default=[],
                        help="also measure with rescore_vector oversampling by these factors")
    args = parser.parse_args()
    settings = load_settings()
    es = build_client({**settings, "ES_REQUEST_TIMEOUT": 600.0})
    index = f"jmbench-ann-{args.docs}"
    rng = np.random.default_rng(args.seed)
    centres = rng.normal(size=(args.clusters, DIMS)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    began = time.perf_counter()
    vectors = synthetic(args.docs, centres, rng, args.noise)
    queries = synthetic(args.queries, centres, rng, args.noise)
    print(f"{os.cpu_count()} cores, {date.today()}, {args.docs} vectors x {DIMS} generated in "
          f"{time.perf_counter() - began:.0f} s", flush=True)
    if es.indices.exists(index=index) and es.count(index=index)["count"] == args.docs:
        print(f"reusing {index}")
    else:
        es.indices.delete(index=index, ignore_unavailable=True)
        seconds = build(es, index, vectors)
        print(f"indexed {args.docs} in {seconds:.0f} s ({args.docs / seconds:.0f} docs/s)", flush=True)
    segments = es.indices.segments(index=index)["indices"][index]["shards"]["0"][0]["num_search_segments"]
    size_mib = es.indices.stats(index=index, metric="store")["_all"]["total"]["store"]["size_in_bytes"] / 2**20
    print(f"{segments} segments, {size_mib:.0f} MiB on disk")
    for query in queries[:20]:  # warm the page cache and the JIT before timing
        es.search(index=index, knn={"field": "embedding", "query_vector": query.tolist(), "k": 10,
                                    "num_candidates": 100}, size=10, _source=False)
    print("| k | num_candidates | filter | rescore oversample | p50 ms | p95 ms | p99 ms | server took p50 ms "
          "| recall@k |")
    print("|---|---|---|---|---|---|---|---|---|")
    settings_rows = [(10, 10, False, None), (10, 50, False, None), (10, 100, False, None), (10, 200, False, None),
                     (100, 200, False, None), (100, 200, True, None)]
    for factor in args.oversample:
        settings_rows += [(10, 100, False, factor), (100, 200, True, factor)]
    for k, candidates, filtered, factor in settings_rows:
        row = measure(es, index, vectors, queries, k=k, num_candidates=candidates, filtered=filtered,
                      oversample=factor)
        print(f"| {k} | {candidates} | {'status=open' if filtered else '-'} | {factor or '-'} | {row['p50']:.1f} | "
              f"{row['p95']:.1f} | {row['p99']:.1f} | {row['took_p50']:.0f} | {row['recall']:.3f} |", flush=True)
    memory = node_memory(es)
    pid = pid_from_file(Path("var/elasticsearch/run/elasticsearch.pid"))  # the local node, if we started it
    rss = rss_mib(pid) if pid is not None else None
    print(f"node: heap used {memory['heap_used_mib']:.0f} of {memory['heap_max_mib']:.0f} MiB, "
          f"RSS {rss if rss is None else round(rss)} MiB")
    if not args.keep:
        es.indices.delete(index=index)


if __name__ == "__main__":
    main()

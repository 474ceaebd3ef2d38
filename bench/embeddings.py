"""Embedding throughput and agreement with fp32, per precision and batch size.

    .venv/bin/python bench/embeddings.py [--records 2000]

Texts are the embedding texts of demo vacancies and jobseekers (jobmatch.demo, seed 2030), composed exactly
as the registers compose them. For each variant: records/s (after a warm-up) and the cosine of every vector
with the fp32 vector of the same text (min and mean). Prints a Markdown table and the fastest variant whose
cosine with fp32 is at least 0.999 on every record.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from jobmatch import demo
from jobmatch.embeddings import Embedder
from jobmatch.imports import KINDS
from jobmatch.records.service import RecordService, validate

THRESHOLD = 0.999


def demo_texts(count: int) -> list[str]:
    """Return `count` embedding texts: one vacancy for every four jobseekers, as in the demo registers."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = demo.generate(Path(tmp), employers_count=50, jobs_count=count // 5 + 1, workers_count=count,
                              today=date(2026, 11, 1))
        texts = []
        for kind in ("jobs", "workers"):
            records = RecordService(KINDS[kind], es=None, prefix="bench-", embedder=None)
            for line in paths[kind].read_text(encoding="utf-8").splitlines():
                data = validate(KINDS[kind].schema, json.loads(line))
                texts.append(records.build(data, doc_id="bench", current=None, actor=None)["embedding_text"])
    ordered = texts[: count // 5] + texts[len(texts) - (count - count // 5):]
    return ordered[:count]


def measure(texts: list[str], precision: str, batch: int) -> tuple[float, np.ndarray]:
    """Return (records per second, vectors) for one variant."""
    embedder = Embedder("sentence-transformers/all-MiniLM-L6-v2", batch_size=batch, precision=precision)
    embedder.embed_documents(texts[:batch])  # warm-up: thread pools, allocator
    began = time.perf_counter()
    vectors = np.asarray(embedder.embed_documents(texts), dtype=np.float32)
    return len(texts) / (time.perf_counter() - began), vectors


def main() -> None:
    """Run every variant and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=2000)
    args = parser.parse_args()
    import torch

    texts = demo_texts(args.records)
    flags = Path("/proc/cpuinfo").read_text().split("flags")[1].split("\n")[0].split()
    simd = [f for f in flags if f.startswith(("avx", "amx"))]
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, torch {torch.__version__} "
          f"({torch.get_num_threads()} threads), SIMD: {' '.join(simd)}, {len(texts)} texts, {date.today()}")
    variants = [("fp32", 16), ("fp32", 32), ("fp32", 64), ("fp32", 128), ("bf16", 64), ("int8", 64)]
    results = []
    base = None
    for precision, batch in variants:
        rate, vectors = measure(texts, precision, batch)
        if base is None:
            base = vectors
        cosine = (vectors * base).sum(axis=1) / (np.linalg.norm(vectors, axis=1) * np.linalg.norm(base, axis=1))
        results.append((precision, batch, rate, float(cosine.min()), float(cosine.mean())))
    print("| precision | batch | records/s | min cos vs fp32 | mean cos |\n|---|---|---|---|---|")
    for precision, batch, rate, low, mean in results:
        print(f"| {precision} | {batch} | {rate:.1f} | {low:.5f} | {mean:.5f} |")
    eligible = [r for r in results if r[3] >= THRESHOLD]
    best = max(eligible, key=lambda r: r[2])
    print(f"\nfastest with min cosine >= {THRESHOLD}: {best[0]} batch {best[1]} ({best[2]:.1f} records/s)")


if __name__ == "__main__":
    main()

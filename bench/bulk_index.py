"""End-to-end bulk indexing throughput: demo jobseekers from JSON Lines through validation, batch embedding
and streaming_bulk into the real node, at several sizes; then the same file again (the idempotent path).

    .venv/bin/python bench/bulk_index.py --sizes 10000 100000

Uses its own index prefix (`jmbench-`), deleted at the end. Needs the node (`make es-start`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.settings import load_settings
from indexer.aliases import delete_prefix, ensure
from indexer.mappings import DEFINITIONS, ModelInfo
from jobmatch import demo
from jobmatch.embeddings import Embedder
from jobmatch.imports import import_file
from jobmatch.search.client import build_client

PREFIX = "jmbench-"



def main() -> None:
    """Import each size into fresh indices and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--batch-size", type=int, default=256)
    args = parser.parse_args()
    settings = load_settings()
    es = build_client({**settings, "ES_REQUEST_TIMEOUT": 120.0})
    embedder = Embedder(settings["EMBEDDING_MODEL"], batch_size=settings["EMBEDDING_BATCH_SIZE"],
                        precision=settings["EMBEDDING_PRECISION"])
    embedder.load()
    print(f"{os.cpu_count()} cores, EMBEDDING_PRECISION={embedder.precision}, batch {args.batch_size}, "
          f"{date.today()}")
    print("| records | first import s | records/s | embedded | re-import s | re-import records/s |")
    print("|---|---|---|---|---|---|")
    for size in args.sizes:
        delete_prefix(es, PREFIX)
        ensure(es, PREFIX, DEFINITIONS, lambda: ModelInfo(embedder.name, embedder.dimension), embedder.name)
        with tempfile.TemporaryDirectory() as tmp:
            paths = demo.generate(Path(tmp), employers_count=10, jobs_count=10, workers_count=size,
                                  today=date(2026, 11, 1))
            began = time.perf_counter()
            first = import_file(paths["workers"], "workers", es=es, prefix=PREFIX, embedder=embedder,
                                batch_size=args.batch_size, progress=False)
            first_s = time.perf_counter() - began
            began = time.perf_counter()
            again = import_file(paths["workers"], "workers", es=es, prefix=PREFIX, embedder=embedder,
                                batch_size=args.batch_size, progress=False)
            again_s = time.perf_counter() - began
        assert first.created == size and again.unchanged == size, (first.as_dict(), again.as_dict())
        print(f"| {size} | {first_s:.1f} | {size / first_s:.1f} | {first.embedded} | {again_s:.1f} | "
              f"{size / again_s:.1f} |", flush=True)
    delete_prefix(es, PREFIX)


if __name__ == "__main__":
    main()

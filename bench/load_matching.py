"""Load the match endpoints from a second process and report latency percentiles and throughput.

    make run   # API on 127.0.0.1:8000 with the demo registers
    .venv/bin/python bench/load_matching.py --seconds 60 --concurrency 8
    # another register: start the API and the load with the same INDEX_PREFIX (and that prefix's token)

Each worker thread loops for a bounded time, picking a random vacancy (GET /api/v1/jobs/{id}/matches) or
jobseeker (GET /api/v1/workers/{id}/matches) from ids read once from the index; only loopback is targeted. Also
reports the CPU seconds Elasticsearch and the API processes used during the run (from /proc), which tells
where the time goes, and the node's resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import threading
import time
import urllib.request
from pathlib import Path

import numpy as np
from elasticsearch import helpers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.footprint import children, rss_mib
from config.settings import load_settings
from jobmatch.search.client import build_client
from scripts.processes import pid_from_file


def ids(es: object, index: str, query: dict, limit: int) -> list[str]:
    """Return up to `limit` document ids of an index."""
    found = []
    for hit in helpers.scan(es, index=index, query={"query": query}, _source=False):
        found.append(hit["_id"])
        if len(found) >= limit:
            break
    return found


def cpu_seconds(pid: int) -> float:
    """Return the user+system CPU seconds of a process and its reaped children (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def process_cpu(pid_files: dict[str, Path]) -> dict[str, float]:
    """Return CPU seconds per named process (gunicorn: master plus its live workers)."""
    totals: dict[str, float] = {}
    for name, pid_file in pid_files.items():
        pid = pid_from_file(pid_file)
        if pid is not None:
            totals[name] = sum(cpu_seconds(p) for p in [pid, *children(pid)])
    return totals


def main() -> None:
    """Run the load and print one Markdown row per endpoint."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--token-file", type=Path, default=Path("var/dev-admin-token"))
    args = parser.parse_args()
    settings = load_settings()
    base = f"http://127.0.0.1:{settings['API_PORT']}/api/v1"
    es = build_client(settings)
    prefix = settings["INDEX_PREFIX"]
    jobs = ids(es, f"{prefix}jobs", {"term": {"status": "open"}}, 2000)
    workers = ids(es, f"{prefix}workers", {"bool": {"must_not": {"term": {"employment_status": "placed"}}}}, 5000)
    token = args.token_file.read_text().strip()
    latencies: dict[str, list[float]] = {"jobs/{id}/matches": [], "workers/{id}/matches": []}
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds

    def loop(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < deadline:
            kind = rng.choice(list(latencies))
            doc_id = rng.choice(jobs if kind.startswith("jobs") else workers)
            url = f"{base}/{kind.replace('{id}', doc_id)}?size=10"
            request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
            began = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    json.loads(response.read())
                ok = True
            except Exception:
                ok = False
            elapsed = time.perf_counter() - began
            with lock:
                if ok:
                    latencies[kind].append(elapsed)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=loop, args=(n,)) for n in range(args.concurrency)]
    pid_files = {"elasticsearch": Path("var/elasticsearch/run/elasticsearch.pid"), "api": Path("var/run/gunicorn.pid")}
    cpu_before = process_cpu(pid_files)
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    cpu_after = process_cpu(pid_files)
    print(f"{len(workers)} jobseekers / {len(jobs)} open vacancies sampled; concurrency {args.concurrency}; "
          f"{wall:.0f} s; errors {errors[0]}")
    print("| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|---|")
    for kind, values in latencies.items():
        if values:
            p50, p95, p99 = np.percentile(np.asarray(values) * 1000, [50, 95, 99])
            print(f"| {kind} | {len(values)} | {len(values) / wall:.1f} | {p50:.0f} | {p95:.0f} | {p99:.0f} |")
    requests = sum(len(v) for v in latencies.values()) or 1
    for name in cpu_after:
        used = cpu_after[name] - cpu_before.get(name, 0.0)
        print(f"{name}: {used:.0f} CPU s ({used / wall * 100:.0f}% of one core, {used / requests * 1000:.0f} ms per "
              f"request)")
    node = pid_from_file(pid_files["elasticsearch"])
    if node is not None:
        print(f"elasticsearch RSS {rss_mib(node):.0f} MiB")


if __name__ == "__main__":
    main()

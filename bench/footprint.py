"""Measure what `make run` leaves running: resident memory of the node and the API, start time, .venv size.

Run after `make run`:  .venv/bin/python bench/footprint.py
Pids come from the pid files (var/elasticsearch/run/elasticsearch.pid, var/run/gunicorn.pid).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.processes import pid_from_file  # noqa: E402


def rss_mib(pid: int) -> float:
    """Return the resident set size of one process in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    """Return the direct children of a process."""
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def dir_size_gib(path: Path) -> float:
    """Return the disk usage of a directory in GiB (du)."""
    out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True).stdout
    return int(out.split()[0]) / 1024 / 1024


def main() -> int:
    """Print one Markdown table of the measurements."""
    es_pid = pid_from_file(REPO / "var" / "elasticsearch" / "run" / "elasticsearch.pid", b"org.elasticsearch")
    api_pid = pid_from_file(REPO / "var" / "run" / "gunicorn.pid", b"gunicorn")
    if not es_pid or not api_pid:
        print("run `make run` first (no running node or API found by pid file)", file=sys.stderr)
        return 1
    workers = children(api_pid)
    start = (REPO / "var" / "elasticsearch" / "run" / "last-start-seconds").read_text().strip()
    print(f"machine: {platform.node()} {os.cpu_count()} cores, {platform.machine()}, date {date.today()}")
    print("| what | value |\n|---|---|")
    print(f"| Elasticsearch start to green (last start) | {start} s |")
    print(f"| Elasticsearch node RSS | {rss_mib(es_pid):.0f} MiB |")
    print(f"| API gunicorn master RSS | {rss_mib(api_pid):.0f} MiB |")
    for n, pid in enumerate(workers, 1):
        print(f"| API worker {n} RSS (model loaded) | {rss_mib(pid):.0f} MiB |")
    print(f"| .venv size | {dir_size_gib(REPO / '.venv'):.1f} GiB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

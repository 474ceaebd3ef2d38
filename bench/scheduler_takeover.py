"""Scheduler take-over: how long after its holder is killed (SIGKILL) another process runs the scheduler.

    .venv/bin/python bench/scheduler_takeover.py                       # TTL and retry from settings (30 s, 5 s)
    .venv/bin/python bench/scheduler_takeover.py --ttl 6 --retry 1 --rounds 5

Starts `--contenders` processes, each a real SingleScheduler (lease in Elasticsearch, APScheduler with the two
jobs as no-ops) under a fresh index prefix (`jmbench-takeover-…`, deleted at the end). Each round waits a random
part of a renewal interval, kills the process running the scheduler with SIGKILL (nothing released, as on a
crash), and times until another process has taken the lease and started its scheduler; a new contender replaces
the dead one. Times are CLOCK_MONOTONIC, which every process on the host shares. Needs the node (`make es-start`).
"""

from __future__ import annotations

import argparse
import os
import platform
import queue
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from datetime import date
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from config.settings import load_settings  # noqa: E402
from indexer.aliases import create_index, delete_prefix  # noqa: E402
from indexer.mappings import definition  # noqa: E402
from jobmatch.leases import Lease, renew_interval, safety_margin  # noqa: E402
from jobmatch.search.client import build_client, cluster_version  # noqa: E402


def say(*parts: object) -> None:
    """Write one event line for the parent: `<event> <pid> <monotonic> ...`."""
    print(*parts, os.getpid(), f"{time.monotonic():.4f}", flush=True)


def contend(prefix: str, ttl: float, retry: float) -> None:
    """Run one contender until killed: report when its scheduler starts and stops and when it renews."""
    from jobmatch.reports.scheduler import SingleScheduler, build_scheduler

    class ReportingLease(Lease):
        def renew(self) -> bool:
            ok = super().renew()
            if ok:
                say("RENEWED")
            return ok

    lease = ReportingLease(build_client(load_settings()), prefix, "scheduler", ttl=ttl)

    def factory(guard):  # noqa: ANN001
        scheduler = build_scheduler(tz="Asia/Ho_Chi_Minh", monthly_report=lambda: None, repair=lambda: None,
                                    guard=guard)
        say("RUNNING")  # the scheduler starts right after this returns: the process would now run jobs
        return scheduler

    single = SingleScheduler(lease, factory, retry_seconds=retry)
    say("READY")
    while True:
        time.sleep(single.step())


def cpu_model() -> str:
    """Return the CPU model name and core count."""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return f"{line.split(':', 1)[1].strip()}, {os.cpu_count()} cores"
    return f"{platform.processor() or 'unknown CPU'}, {os.cpu_count()} cores"


class Contenders:
    """The contender processes and one queue of their event lines."""

    def __init__(self, prefix: str, ttl: float, retry: float) -> None:
        self.prefix, self.ttl, self.retry = prefix, ttl, retry
        self.events: queue.Queue[tuple[str, int, float]] = queue.Queue()
        self.procs: dict[int, subprocess.Popen[str]] = {}

    def spawn(self) -> int:
        """Start one contender; return its pid once it is ready."""
        proc = subprocess.Popen([sys.executable, __file__, "--contender", "--prefix", self.prefix,
                                 "--ttl", str(self.ttl), "--retry", str(self.retry)],
                                stdout=subprocess.PIPE, text=True, cwd=REPO)
        self.procs[proc.pid] = proc
        threading.Thread(target=self._read, args=(proc.stdout,), daemon=True).start()
        return proc.pid

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            event, pid, at = line.split()
            self.events.put((event, int(pid), float(at)))

    def kill(self, pid: int) -> float:
        """SIGKILL one contender; return the monotonic moment of the kill."""
        killed_at = time.monotonic()
        os.kill(pid, signal.SIGKILL)
        self.procs.pop(pid).wait()
        return killed_at

    def close(self) -> None:
        """Kill every contender this run started."""
        for pid in list(self.procs):
            self.kill(pid)


def run(rounds: int, count: int, ttl: float, retry: float) -> list[dict[str, float]]:
    """Measure `rounds` take-overs among `count` contenders; return one record per round."""
    settings = load_settings()
    es = build_client(settings)
    prefix = f"jmbench-takeover-{uuid.uuid4().hex[:8]}-"
    create_index(es, prefix, definition("leases"), None, with_alias=True)
    pool = Contenders(prefix, ttl, retry)
    results: list[dict[str, float]] = []
    try:
        for _ in range(count):
            pool.spawn()
        holder, last_renewed = None, 0.0
        deadline = time.monotonic() + ttl + 60
        while holder is None:  # the first take: a create on an empty index
            event, pid, at = pool.events.get(timeout=max(0.1, deadline - time.monotonic()))
            if event == "RUNNING":
                holder, last_renewed = pid, at
        for n in range(rounds):
            # Kill at a random point of the renewal cycle.
            until = time.monotonic() + random.uniform(1, 1 + renew_interval(ttl))
            while (left := until - time.monotonic()) > 0:
                try:
                    event, pid, at = pool.events.get(timeout=left)
                except queue.Empty:
                    break
                if event == "RENEWED" and pid == holder:
                    last_renewed = at
                if event == "RUNNING" and pid != holder:
                    raise AssertionError(f"{pid} started a scheduler while {holder} held the lease")
            killed_at = pool.kill(holder)
            pool.spawn()
            while True:
                event, pid, at = pool.events.get(timeout=ttl + retry + 30)
                if event == "RUNNING":
                    break
            results.append({"takeover": at - killed_at, "since_renewal": killed_at - last_renewed})
            print(f"round {n + 1}: killed {holder} {killed_at - last_renewed:.1f} s after its last renewal; "
                  f"{pid} ran the scheduler {at - killed_at:.2f} s after the kill", flush=True)
            holder, last_renewed = pid, at
    finally:
        pool.close()
        delete_prefix(es, prefix)
    return results


def main() -> int:
    """Run the rounds and print a Markdown summary."""
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--contenders", type=int, default=3)
    parser.add_argument("--ttl", type=float, default=settings["SCHEDULER_LEASE_TTL_SECONDS"])
    parser.add_argument("--retry", type=float, default=settings["SCHEDULER_LEASE_RETRY_SECONDS"])
    parser.add_argument("--contender", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prefix", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.contender:
        contend(args.prefix, args.ttl, args.retry)
        return 0
    es = build_client(settings)
    version = cluster_version(es)
    es.close()
    results = run(args.rounds, args.contenders, args.ttl, args.retry)
    takeovers = [r["takeover"] for r in results]
    print(f"\nmachine: {cpu_model()}; Elasticsearch {version}; Python {platform.python_version()}; {date.today()}")
    print(f"TTL {args.ttl:g} s, renewal every {renew_interval(args.ttl):.3g} s, holder margin "
          f"{safety_margin(args.ttl):.3g} s, retry {args.retry:g} s; {args.contenders} contender processes; "
          f"bound TTL + retry = {args.ttl + args.retry:g} s")
    print("| rounds | min | median | max |\n|---|---|---|---|")
    print(f"| {len(takeovers)} | {min(takeovers):.2f} s | {statistics.median(takeovers):.2f} s | "
          f"{max(takeovers):.2f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time one match call at a time and split it into its Elasticsearch requests (no load, no HTTP).

    INDEX_PREFIX=jmscale100000- .venv/bin/python bench/profile_matching.py --calls 40 [--cprofile]

Runs `Matcher.workers_for_job` for N open vacancies and `Matcher.jobs_for_worker` for N jobseekers, wrapping the
client's `search` and `msearch` to record each request's wall time and the node's `took`. With `--cprofile`
also prints the 15 most expensive Python functions (what the API process spends besides waiting).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.matching import load_matching_config
from config.settings import load_settings
from jobmatch.auth.tokens import Principal
from jobmatch.embeddings import Embedder
from jobmatch.matching.service import Matcher, MatchParams
from jobmatch.search.client import build_client


def main() -> None:
    """Print median wall and server times per request kind and per call, for each direction."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    settings = load_settings()
    prefix = settings["INDEX_PREFIX"]
    es = build_client(settings)
    times: dict[str, list[float]] = defaultdict(list)
    search, msearch = es.search, es.msearch

    def timed_search(**kwargs: Any) -> Any:
        kind = "ids-knn" if "ids" in str(kwargs.get("knn", {}).get("filter")) else "search"
        began = time.perf_counter()
        response = search(**kwargs)
        times[f"{kind} wall"].append((time.perf_counter() - began) * 1000)
        times[f"{kind} took"].append(response["took"])
        return response

    def timed_msearch(**kwargs: Any) -> Any:
        began = time.perf_counter()
        response = msearch(**kwargs)
        times["msearch wall"].append((time.perf_counter() - began) * 1000)
        times["msearch took"].append(max(r["took"] for r in response["responses"]))
        return response

    es.search, es.msearch = timed_search, timed_msearch  # type: ignore[method-assign]
    config = load_matching_config()
    matcher = Matcher(es=es, prefix=prefix, embedder=Embedder(settings["EMBEDDING_MODEL"]),
                      weights=config["weights"], boosts=config["boosts"], principal=Principal("bench", "counsellor"))
    jobs = [h["_id"] for h in search(index=f"{prefix}jobs", query={"term": {"status": "open"}}, size=args.calls,
                                     _source=False)["hits"]["hits"]]
    people = [h["_id"] for h in search(index=f"{prefix}workers", query={"match_all": {}}, size=args.calls,
                                       _source=False)["hits"]["hits"]]
    profile = cProfile.Profile() if args.cprofile else None
    for name, ids, call in (("vacancy -> jobseekers", jobs, matcher.workers_for_job),
                            ("jobseeker -> vacancies", people, matcher.jobs_for_worker)):
        times.clear()
        totals = []
        for doc_id in ids:
            began = time.perf_counter()
            if profile:
                profile.enable()
            call(doc_id, MatchParams(size=10))
            if profile:
                profile.disable()
            totals.append((time.perf_counter() - began) * 1000)
        parts = ", ".join(f"{k} {statistics.median(v):.0f}" for k, v in sorted(times.items()))
        print(f"{name}: call p50 {statistics.median(totals):.0f} ms; medians (ms): {parts}")
    if profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()

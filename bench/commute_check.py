"""Check every jobseeker's match list against their commute limit, on the registers `make run` loads.

    .venv/bin/python bench/commute_check.py [--size 20] [--limit 0]

For each open jobseeker (all of them unless --limit), asks the matcher for their best vacancies and counts
results farther than the person's own limit (30 km when they stated none), and results with no distance
at all (a place without a point). Both must be 0. Reads the index prefix and cluster from the settings.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from elasticsearch import helpers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.matching import load_matching_config
from config.settings import load_settings
from jobmatch import segmentation
from jobmatch.auth.tokens import Principal
from jobmatch.embeddings import Embedder
from jobmatch.lookups.occupations import suggest_occupations
from jobmatch.matching.constraints import commute_limit
from jobmatch.matching.service import Matcher, MatchParams
from jobmatch.search.client import build_client


def main() -> None:
    """Walk every jobseeker's list and print the counts."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=20, help="Results per jobseeker.")
    parser.add_argument("--limit", type=int, default=0, help="Check only this many jobseekers (0: all).")
    args = parser.parse_args()
    settings = load_settings()
    segmentation.configure(settings["TEXT_SEGMENTER"])
    es = build_client({**settings, "ES_REQUEST_TIMEOUT": 60.0})
    prefix = settings["INDEX_PREFIX"]
    embedder = Embedder(settings["EMBEDDING_MODEL"], languages=settings["EMBEDDING_LANGUAGES"])
    config = load_matching_config()
    matcher = Matcher(es=es, prefix=prefix, embedder=embedder, weights=config["weights"], boosts=config["boosts"],
                      principal=Principal("bench", "counsellor"), suggest_occupations=suggest_occupations)
    people = helpers.scan(es, index=f"{prefix}workers", _source=["worker_id", "max_commute_km"],
                          query={"query": {"bool": {"must_not": [{"exists": {"field": "closed_at"}},
                                                                 {"term": {"employment_status": "placed"}}]}}})
    checked = results = beyond = unmeasured = empty = 0
    worst = 0.0
    began = time.perf_counter()
    for hit in people:
        person = hit["_source"]
        limit = commute_limit(person)
        items = matcher.jobs_for_worker(person["worker_id"], MatchParams(size=args.size))["items"]
        checked += 1
        results += len(items)
        empty += not items
        for item in items:
            if item["job"].get("work_mode") == "remote":
                continue
            if item["distance_km"] is None:
                unmeasured += 1
            elif item["distance_km"] > limit + 0.05:  # distances are rounded to 0.1 km in responses
                beyond += 1
                worst = max(worst, item["distance_km"] - limit)
        if args.limit and checked >= args.limit:
            break
    seconds = time.perf_counter() - began
    print(f"jobseekers checked: {checked}; results: {results} (up to {args.size} each; {empty} people with none)")
    print(f"results beyond the person's commute limit: {beyond} (worst excess {worst:.1f} km); "
          f"results without a distance: {unmeasured}; {seconds:.0f} s ({seconds / max(checked, 1) * 1000:.0f} ms "
          f"per person)")


if __name__ == "__main__":
    main()

"""Fairness of the matcher's top-10 lists: how often people with disabilities and each policy priority group
appear in them, against their share among the candidates eligible for the same vacancies.

    .venv/bin/python bench/fairness.py [--vacancies 50] [--prefix jobmatch-]

Runs on the registers loaded by `make run` (demo data). For a seeded sample of open vacancies it collects
(a) every jobseeker who passes the hard constraints (the same filters and per-pair checks as the matcher) and
(b) the matcher's top 10. Shares are pooled over the sample; a ratio near 1 means the group appears in top-10
lists as often as among eligible candidates. Disability is only known for people who consented to record it.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date
from pathlib import Path

from elasticsearch import helpers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.matching import load_matching_config
from config.settings import load_settings
from jobmatch.auth.tokens import Principal
from jobmatch.embeddings import Embedder
from jobmatch.matching import constraints
from jobmatch.matching.service import Matcher, MatchParams
from jobmatch.records.vocab import PRIORITY_GROUPS
from jobmatch.search.client import build_client

GROUPS = ("has_disability", *PRIORITY_GROUPS)


def member(worker: dict, group: str) -> bool:
    """Tell whether a jobseeker belongs to a group."""
    return bool(worker.get("has_disability")) if group == "has_disability" else group in (
        worker.get("priority_groups") or [])


def main() -> None:
    """Print the fairness table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vacancies", type=int, default=50)
    parser.add_argument("--prefix", default=None)
    args = parser.parse_args()
    settings = load_settings()
    prefix = args.prefix or settings["INDEX_PREFIX"]
    es = build_client({**settings, "ES_REQUEST_TIMEOUT": 60.0})
    embedder = Embedder(settings["EMBEDDING_MODEL"], batch_size=settings["EMBEDDING_BATCH_SIZE"])
    config = load_matching_config()
    matcher = Matcher(es=es, prefix=prefix, embedder=embedder, weights=config["weights"], boosts=config["boosts"],
                      principal=Principal("fairness", "counsellor"))
    today = date.today().isoformat()
    open_jobs = sorted(h["_id"] for h in helpers.scan(es, index=f"{prefix}jobs", _source=False, query={
        "query": {"bool": {"filter": [{"term": {"status": "open"}}, {"range": {"expires_at": {"gte": today}}}]}}}))
    sample = random.Random(7).sample(open_jobs, min(args.vacancies, len(open_jobs)))
    eligible_counts = dict.fromkeys(GROUPS, 0)
    top_counts = dict.fromkeys(GROUPS, 0)
    eligible_total = top_total = 0
    for job_id in sample:
        job = es.get(index=f"{prefix}jobs", id=job_id)["_source"]
        filters, must_not = constraints.worker_filters(job, today=today)
        for hit in helpers.scan(es, index=f"{prefix}workers", query={"query": {"bool": {
                "filter": filters, "must_not": must_not}}}, _source=["has_disability", "priority_groups",
                                                                      "residence", "max_commute_km",
                                                                      "employment_status", "certificates",
                                                                      "disability"]):
            worker = hit["_source"]
            if constraints.violations(job, worker):
                continue
            eligible_total += 1
            for group in GROUPS:
                eligible_counts[group] += member(worker, group)
        for item in matcher.workers_for_job(job_id, MatchParams(size=10))["items"]:
            top_total += 1
            full = es.get(index=f"{prefix}workers", id=item["worker_id"],
                          source_includes=["has_disability", "priority_groups"])["_source"]
            for group in GROUPS:
                top_counts[group] += member(full, group)
    print(f"{len(sample)} open vacancies sampled (seed 7) from {len(open_jobs)}; {eligible_total} eligible "
          f"(vacancy, person) pairs; {top_total} top-10 places; boosts {config['boosts'] or 'none'}; {date.today()}")
    print("| group | share among eligible | share in top-10 | ratio |\n|---|---|---|---|")
    for group in GROUPS:
        eligible_share = eligible_counts[group] / eligible_total if eligible_total else 0.0
        top_share = top_counts[group] / top_total if top_total else 0.0
        ratio = f"{top_share / eligible_share:.2f}" if eligible_share else "–"
        print(f"| {group} | {eligible_share:.3f} | {top_share:.3f} | {ratio} |")


if __name__ == "__main__":
    main()

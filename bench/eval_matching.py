"""Matching quality against labels from ESCO (an external taxonomy), not from our ranking code.

    .venv/bin/python bench/eval_matching.py [--vacancies 400 --queries 120 --shared ../shared/data]

Builds an evaluation world from ESCO v1.1.1 (../shared/data): each vacancy is one ESCO occupation (its English
title, a sample of its essential and optional skills, its ISCO-08 unit group); each query is a jobseeker built
from a sampled occupation (another sample of its skills, one of its alternative labels as past job title,
its unit group as desired occupation). Graded relevance of a vacancy to a query, from ESCO alone:
3 = the same ESCO occupation; 2 = same ISCO-08 unit group, or Jaccard of the two occupations' essential-skill
sets >= 0.3; 1 = same ISCO-08 minor group, or Jaccard >= 0.15; else 0. Regulated occupations (which would
need certificates) are left out so every pair is eligible.

Reports nDCG@10 and recall@50 (relevant = grade >= 2) for the full matcher (hybrid retrieval + feature
ranking, with RRF and with weighted fusion) against BM25-only and vector-only retrieval, and the recall@10 of
Elasticsearch's approximate kNN (int8 HNSW) against exact brute-force cosine over the same vectors.
Indices use the prefix `jmeval-` and are deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
from elasticsearch import helpers

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.matching import load_matching_config
from config.settings import load_settings
from indexer.aliases import delete_prefix, ensure
from indexer.mappings import DEFINITIONS, ModelInfo
from jobmatch import reference
from jobmatch.auth.tokens import Principal
from jobmatch.embeddings import Embedder
from jobmatch.imports import import_file
from jobmatch.matching.constraints import REQUIRED_CERTIFICATES
from jobmatch.matching.service import Matcher, MatchParams
from jobmatch.records.service import record_id
from jobmatch.search.client import build_client
from scripts.build_reference import ESCO_EN, ESCO_REL, read_zip_csv

PREFIX = "jmeval-"
MODES = (("full matcher, RRF fusion", "rrf", True), ("full matcher, weighted fusion", "weighted", True),
         ("hybrid RRF, no feature ranking", "rrf", False), ("BM25 only", "bm25", False),
         ("vector only", "vector", False))


def load_esco(shared: Path) -> dict[str, dict]:
    """Return ESCO occupations usable here: uri -> {code, label, alt, essential, optional}."""
    skills = {r["conceptUri"]: r["preferredLabel"].strip() for r in read_zip_csv(shared / ESCO_EN, "skills_en.csv")}
    occupations = {}
    for row in read_zip_csv(shared / ESCO_EN, "occupations_en.csv"):
        code = row["iscoGroup"]
        if reference.unit_group(code) is None or code in REQUIRED_CERTIFICATES:
            continue
        alt = [a.strip() for a in row["altLabels"].split("\n") if a.strip()]
        occupations[row["conceptUri"]] = {"code": code, "label": row["preferredLabel"].strip(), "alt": alt,
                                          "essential": set(), "optional": set()}
    for rel in read_zip_csv(shared / ESCO_REL, "occupationSkillRelations.csv"):
        occupation = occupations.get(rel["occupationUri"])
        if occupation and rel["skillUri"] in skills:
            occupation[rel["relationType"]].add(skills[rel["skillUri"]])
    return {uri: o for uri, o in occupations.items() if len(o["essential"]) >= 6}


def grade(query: dict, vacancy: dict, same: bool) -> int:
    """Return the ESCO-derived relevance grade of a vacancy occupation for a query occupation."""
    if same:
        return 3
    a, b = query["essential"], vacancy["essential"]
    jaccard = len(a & b) / len(a | b)
    if query["code"] == vacancy["code"] or jaccard >= 0.3:
        return 2
    if query["code"][:3] == vacancy["code"][:3] or jaccard >= 0.15:
        return 1
    return 0


def ndcg(ranked_grades: list[int], all_grades: list[int], k: int = 10) -> float:
    """Return nDCG@k with gains 2^grade - 1."""
    def dcg(grades: list[int]) -> float:
        return sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades[:k]))
    ideal = dcg(sorted(all_grades, reverse=True))
    return dcg(ranked_grades) / ideal if ideal else 0.0


def build_world(esco: dict[str, dict], vacancies: int, queries: int, tmp: Path,
                uncoded: bool = False) -> tuple[dict, dict, dict]:
    """Write the evaluation registers as JSON Lines; return (vacancy occupations, query occupations, paths)."""
    rng = random.Random(42)
    chosen = rng.sample(sorted(esco), vacancies)
    asked = rng.sample(chosen, queries)
    employer = {"external_id": "EVAL", "source": "eval", "name": "Eval employer", "tax_code": "2200000000",
                "industry": "C", "address": {"commune_code": "phuong-soc-trang"}}
    employer_id = record_id("emp", "EVAL", "eval")
    jobs, workers, job_occ, worker_occ = [], [], {}, {}
    for n, uri in enumerate(chosen):
        occ = esco[uri]
        ext = f"J{n:04d}"
        jobs.append({"external_id": ext, "source": "eval", "employer_id": employer_id, "title": occ["label"],
                     "occupation_code": occ["code"], "workplace": {"commune_code": "phuong-soc-trang"},
                     "essential_skills": rng.sample(sorted(occ["essential"]), 5),
                     "optional_skills": rng.sample(sorted(occ["optional"]), min(3, len(occ["optional"])))})
        job_occ[record_id("job", ext, "eval")] = uri
    for n, uri in enumerate(asked):
        occ = esco[uri]
        ext = f"Q{n:04d}"
        pool = sorted(occ["essential"] | occ["optional"])
        workers.append({"external_id": ext, "source": "eval", "personal": {"full_name": f"Query {n}"},
                        "birth_year": 1990, "residence": {"commune_code": "phuong-soc-trang"}, "max_commute_km": 50,
                        "skills": rng.sample(pool, min(6, len(pool))),
                        "work_history": [{"title": rng.choice(occ["alt"] or [occ["label"]]),
                                          "occupation_code": None if uncoded else occ["code"],
                                          "from_year": 2015, "to_year": 2024}],
                        "desired_occupations": [] if uncoded else [occ["code"]]})
        worker_occ[record_id("ws", ext, "eval")] = uri
    paths = {}
    for kind, rows in (("employers", [employer]), ("jobs", jobs), ("workers", workers)):
        paths[kind] = tmp / f"{kind}.jsonl"
        paths[kind].write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return job_occ, worker_occ, paths


def main() -> None:
    """Build the world, run every mode, print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vacancies", type=int, default=400)
    parser.add_argument("--queries", type=int, default=120)
    parser.add_argument("--uncoded", action="store_true",
                        help="Queries without occupation codes (no desired occupation, uncoded job history).")
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = parser.parse_args()
    settings = load_settings()
    es = build_client({**settings, "ES_REQUEST_TIMEOUT": 60.0})
    embedder = Embedder(settings["EMBEDDING_MODEL"], batch_size=settings["EMBEDDING_BATCH_SIZE"])
    esco = load_esco(args.shared)
    delete_prefix(es, PREFIX)
    ensure(es, PREFIX, DEFINITIONS, lambda: ModelInfo(embedder.name, embedder.dimension), embedder.name)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            job_occ, worker_occ, paths = build_world(esco, args.vacancies, args.queries, Path(tmp), args.uncoded)
            for kind in ("employers", "jobs", "workers"):
                stats = import_file(paths[kind], kind, es=es, prefix=PREFIX, embedder=embedder, progress=False)
                assert stats.rejected == 0, stats.first_rejects
        config = load_matching_config()
        print(f"ESCO occupations usable: {len(esco)}; vacancies {len(job_occ)}; queries {len(worker_occ)}; "
              f"{'uncoded' if args.uncoded else 'coded'} queries; {date.today()}")
        print("| ranking | nDCG@10 | recall@50 | ms/query |\n|---|---|---|---|")
        for name, retrieval, rerank in MODES:
            matcher = Matcher(es=es, prefix=PREFIX, embedder=embedder, weights=config["weights"],
                              boosts=config["boosts"], principal=Principal("eval", "counsellor"),
                              retrieval=retrieval, rerank=rerank)
            ndcgs, recalls, began = [], [], time.perf_counter()
            for worker_id, q_uri in worker_occ.items():
                results = matcher.jobs_for_worker(worker_id, MatchParams(size=50))["items"]
                grades = {j: grade(esco[q_uri], esco[o], o == q_uri) for j, o in job_occ.items()}
                ranked = [grades[r["job_id"]] for r in results]
                ndcgs.append(ndcg(ranked, list(grades.values())))
                relevant = sum(1 for g in grades.values() if g >= 2)
                recalls.append(sum(1 for g in ranked if g >= 2) / relevant if relevant else 1.0)
            per_query = (time.perf_counter() - began) / len(worker_occ) * 1000
            print(f"| {name} | {np.mean(ndcgs):.3f} | {np.mean(recalls):.3f} | {per_query:.0f} |")
        ann_recall(es, embedder)
    finally:
        delete_prefix(es, PREFIX)


def ann_recall(es: object, embedder: Embedder) -> None:
    """Print the recall@10 of approximate kNN against exact cosine, for the query jobseekers' vectors."""
    def vectors(index: str) -> tuple[list[str], np.ndarray]:
        hits = list(helpers.scan(es, index=index, query={"query": {"match_all": {}}}, source_exclude_vectors=False,
                                 _source=["embedding"]))
        return [h["_id"] for h in hits], np.asarray([h["_source"]["embedding"] for h in hits], dtype=np.float32)

    job_ids, job_vectors = vectors(f"{PREFIX}jobs")
    _, query_vectors = vectors(f"{PREFIX}workers")
    exact = np.argsort(-(query_vectors @ job_vectors.T), axis=1)[:, :10]
    print("\n| approximate kNN (int8 HNSW) | recall@10 vs exact cosine |\n|---|---|")
    for candidates in (10, 50, 100, 200):
        hits = 0
        for vector, truth in zip(query_vectors, exact, strict=True):
            knn = {"field": "embedding", "query_vector": vector.tolist(), "k": 10, "num_candidates": candidates}
            found = es.search(index=f"{PREFIX}jobs", knn=knn, size=10, _source=False)  # type: ignore[attr-defined]
            hits += len({h["_id"] for h in found["hits"]["hits"]} & {job_ids[i] for i in truth})
        print(f"| k=10, num_candidates={candidates} | {hits / (10 * len(query_vectors)):.3f} |")


if __name__ == "__main__":
    main()

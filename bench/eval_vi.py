"""The Vietnamese relevance harness: the bench that decides matching changes.

    .venv/bin/python bench/eval_vi.py [--split test] [--segmenter pyvi] [--keep]

The world (bench/data/vi, described in SPEC.md): 620 vacancies written like Vietnamese job-board postings
(uncoded titles, free-text places and pay, some without diacritics or with typos) and 250 queries of three
kinds (walk-in phrasings a counsellor types, registered jobseekers, English), judged before any system ran
(bench/vi_judge.py writes one graded line per pair with its reason). Postings are registered as a counsellor
would: the structured fields typed from the posting, the occupation the autocoder's first suggestion.

In one run on the same index it compares the full matcher with three plain baselines: BM25 only (the best of
a few plain `multi_match` queries, chosen on the dev split), vector only (kNN of the raw text's embedding)
and plain hybrid (reciprocal-rank fusion of the two). It prints nDCG@10 (gains 2^grade - 1), recall@50
(grade >= 2), precision@5 of the regulated-trade queries, and median and p95 latency per query, for the
split asked (tune on dev, report test), overall and per kind of query. Indices use the prefix `jmvi-` and
are deleted afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.eval_matching import ndcg
from config.matching import load_matching_config
from config.settings import load_settings
from indexer.aliases import delete_prefix, ensure
from indexer.mappings import DEFINITIONS, ModelInfo
from jobmatch.auth.tokens import Principal
from jobmatch.embeddings import Embedder
from jobmatch.imports import import_file
from jobmatch.matching.service import Matcher, MatchParams, rrf
from jobmatch.records.service import record_id
from jobmatch.records.service import text_query as matcher_text_query
from jobmatch.search.client import build_client
from jobmatch.text import fold

try:  # absent from the code before issue 9: the harness also measures that code (--codes, see main)
    from jobmatch import segmentation
    from jobmatch.lookups.occupations import autocoder, suggest_occupations
    from jobmatch.text import has_diacritics
except ImportError:
    segmentation = autocoder = suggest_occupations = None  # type: ignore[assignment]

    def has_diacritics(text: str) -> bool:
        """Tell whether folding changes the text."""
        return fold(text) != " ".join(text.lower().split())

DATA = Path(__file__).resolve().parent / "data" / "vi"
PREFIX = "jmvi-"
SOURCE = "eval"
DEPTH = 50  # recall@50: every method returns its best 50
# Plain multi_match queries tried for the BM25 baseline; the best on dev is reported (an honest baseline is
# the best plain one, not the first one).
BM25_VARIANTS: dict[str, Callable[[str], dict[str, Any]]] = {
    "best_fields title^2,description": lambda q: {"multi_match": {
        "query": q, "fields": ["title^2", "description"], "type": "best_fields"}},
    "most_fields title^2,description,folded": lambda q: {"bool": {"should": [
        {"multi_match": {"query": q, "fields": ["title^2", "description"], "type": "most_fields"}},
        {"match": {"search_text_folded": fold(q)}}]}},
    "most_fields search_text,bigrams,folded": lambda q: {"multi_match": {
        "query": fold(q) if not has_diacritics(q) else q,
        "fields": ["search_text", "search_text.bigram", "search_text_folded", "search_text_folded.bigram"],
        "type": "most_fields"}},
}


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read one JSON object per line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def first_suggestion(title: str) -> str:
    """Return the autocoder's first suggestion for a title (what a counsellor accepts by default)."""
    suggestions = autocoder().suggest(title, size=1)
    return suggestions[0].code if suggestions else "9629"


def posting_row(posting: dict[str, Any], employer_id: str, code: str) -> dict[str, Any]:
    """Return the vacancy a counsellor registers from a posting, coded `code`."""
    return {"external_id": posting["id"], "source": SOURCE, "employer_id": employer_id, "title": posting["title"],
            "description": f"{posting['description']} Lương: {posting['salary_text']}. Nơi làm việc: "
                           f"{posting['place_text']}.",
            "occupation_code": code,
            "workplace": {"commune_code": posting["commune_code"]}, "salary_min": posting["salary_min"],
            "salary_max": posting["salary_max"], "min_training_level": posting["min_training_level"],
            "certificates": posting["certificates"], "essential_skills": posting["skills"],
            "min_experience_years": posting["min_experience_years"], "shifts": posting["shifts"],
            "contract_type": posting["contract_type"], "openings": posting["openings"]}


def build_world(es: Any, embedder: Embedder, tmp: Path, codes: dict[str, str]
                ) -> tuple[dict[str, str], dict[str, str], float]:
    """Import the postings (coded as `codes` says) and the record queries; return (job id -> posting id,
    query id -> worker id, top-1 accuracy of the codes)."""
    postings = [p for path in sorted(DATA.glob("postings_*.jsonl")) for p in load_jsonl(path)]
    queries = load_jsonl(DATA / "queries.jsonl")
    employer = {"external_id": "EVAL", "source": SOURCE, "name": "Nhà tuyển dụng (đánh giá)",
                "tax_code": "2200000000", "industry": "C", "address": {"commune_code": "phuong-soc-trang"}}
    employer_id = record_id("emp", "EVAL", SOURCE)
    rows = [posting_row(p, employer_id, codes[p["id"]]) for p in postings]
    correct = sum(1 for p, r in zip(postings, rows, strict=True) if r["occupation_code"] == p["true_occupation"])
    records = [q["record"] for q in queries if q["kind"] == "record"]
    for kind, items in (("employers", [employer]), ("jobs", rows), ("workers", records)):
        path = tmp / f"{kind}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in items), encoding="utf-8")
        stats = import_file(path, kind, es=es, prefix=PREFIX, embedder=embedder, progress=False)
        if stats.rejected:
            raise SystemExit(f"{kind}: {stats.rejected} rows rejected: {stats.first_rejects}")
    es.indices.refresh(index=f"{PREFIX}*")
    jobs = {record_id("job", p["id"], SOURCE): p["id"] for p in postings}
    workers = {q["id"]: record_id("ws", q["record"]["external_id"], SOURCE) for q in queries if q["kind"] == "record"}
    return jobs, workers, correct / len(postings)


class Methods:
    """The compared methods: each takes a query and returns posting ids, best first."""

    def __init__(self, es: Any, embedder: Embedder, jobs: dict[str, str], workers: dict[str, str]) -> None:
        config = load_matching_config()
        self.es, self.embedder, self.jobs, self.workers = es, embedder, jobs, workers
        options = {"suggest_occupations": suggest_occupations} if suggest_occupations else {}
        self.matcher = Matcher(es=es, prefix=PREFIX, embedder=embedder, weights=config["weights"],
                               boosts=config["boosts"], principal=Principal("eval", "counsellor"), **options)
        self.bm25_variant = next(iter(BM25_VARIANTS))

    def query_text(self, query: dict[str, Any]) -> str:
        """Return the text a plain baseline searches with (a record: what the matcher searches with too)."""
        if query["kind"] != "record":
            return query["text"]
        record = query["record"]
        return " ".join([*record.get("skills", []), *(h["title"] for h in record.get("work_history", []))])

    def full(self, query: dict[str, Any]) -> list[str]:
        """The full matcher: understanding, constraints, hybrid retrieval, feature ranking."""
        params = MatchParams(size=DEPTH)
        if query["kind"] == "record":
            result = self.matcher.jobs_for_worker(self.workers[query["id"]], params)
        else:
            result = self.matcher.search({"target": "jobs", "text": query["text"]}, params)
        items = result["items"] if isinstance(result, dict) else result  # a list before issue 9
        return [self.jobs[item["job_id"]] for item in items]

    def _bm25_hits(self, text: str, variant: str) -> list[tuple[str, float]]:
        response = self.es.search(index=f"{PREFIX}jobs", size=DEPTH, _source=False, track_total_hits=False,
                                  query=BM25_VARIANTS[variant](text))
        return [(hit["_id"], hit["_score"]) for hit in response["hits"]["hits"]]

    def _knn_hits(self, text: str) -> list[tuple[str, float]]:
        response = self.es.search(index=f"{PREFIX}jobs", size=DEPTH, _source=False, knn={
            "field": "embedding", "query_vector": self.embedder.embed_query(text), "k": DEPTH,
            "num_candidates": 2 * DEPTH})
        return [(hit["_id"], hit["_score"]) for hit in response["hits"]["hits"]]

    def bm25(self, query: dict[str, Any]) -> list[str]:
        """BM25 only: the chosen plain multi_match."""
        return [self.jobs[i] for i, _ in self._bm25_hits(self.query_text(query), self.bm25_variant)]

    def text_query(self, query: dict[str, Any]) -> list[str]:
        """The matcher's own Vietnamese text query alone (words, syllables, bigrams, folded fallback): no
        constraints, vectors or ranking, to measure the analysis (e.g. the segmenter) by itself."""
        text = self.query_text(query)
        response = self.es.search(index=f"{PREFIX}jobs", size=DEPTH, _source=False, track_total_hits=False,
                                  query=matcher_text_query(text, ["title", "search_text"], folded=True))
        return [self.jobs[hit["_id"]] for hit in response["hits"]["hits"]]

    def vector(self, query: dict[str, Any]) -> list[str]:
        """Vector only: kNN of the raw text's embedding."""
        return [self.jobs[i] for i, _ in self._knn_hits(self.query_text(query))]

    def hybrid(self, query: dict[str, Any]) -> list[str]:
        """Plain hybrid: reciprocal-rank fusion of the BM25 and kNN lists."""
        text = self.query_text(query)
        fused = rrf(self._bm25_hits(text, self.bm25_variant), self._knn_hits(text))
        return [self.jobs[i] for i in sorted(fused, key=lambda i: (-fused[i], i))[:DEPTH]]


def evaluate(method: Callable[[dict[str, Any]], list[str]], queries: list[dict[str, Any]],
             grades: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Run a method over the queries; return per-query metrics and latencies."""
    rows = []
    for query in queries:
        began = time.perf_counter()
        ranked = method(query)
        elapsed = (time.perf_counter() - began) * 1000
        judged = grades.get(query["id"], {})
        ranked_grades = [judged.get(p, 0) for p in ranked]
        relevant = sum(1 for g in judged.values() if g >= 2)
        rows.append({"query": query, "ms": elapsed,
                     "ndcg": ndcg(ranked_grades, list(judged.values())) if relevant else None,
                     "recall": sum(1 for g in ranked_grades[:DEPTH] if g >= 2) / relevant if relevant else None,
                     "p5": sum(1 for g in ranked_grades[:5] if g >= 2) / 5})
    return {"rows": rows}


def summary(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Average the metrics over the rows (queries with no relevant posting count only for latency)."""
    judged = [r for r in rows if r["ndcg"] is not None]
    regulated = [r for r in rows if r["query"].get("regulated")]
    times = sorted(r["ms"] for r in rows)
    return {"n": len(judged), "ndcg": statistics.mean(r["ndcg"] for r in judged) if judged else float("nan"),
            "recall": statistics.mean(r["recall"] for r in judged) if judged else float("nan"),
            "p5_regulated": statistics.mean(r["p5"] for r in regulated) if regulated else float("nan"),
            "n_regulated": len(regulated), "p50_ms": statistics.median(times) if times else float("nan"),
            "p95_ms": times[min(len(times) - 1, int(0.95 * len(times)))] if times else float("nan")}


def kind_of(query: dict[str, Any]) -> str:
    """Return the reporting group of a query."""
    if query["kind"] == "walkin":
        return "walk-in, with diacritics" if query.get("diacritics") else "walk-in, without diacritics"
    return {"record": "jobseeker records", "english": "English"}[query["kind"]]


def cpu_flags() -> str:
    """Return the SIMD flags of this CPU that matter for the model (AVX2, AVX-512, VNNI, BF16, AMX)."""
    try:
        flags = next(line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("flags"))
    except (OSError, StopIteration):
        return "unknown"
    wanted = ("avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_bf16", "amx_int8")
    return " ".join(f for f in wanted if f" {f}" in flags) or "none of avx2/avx512"


def main() -> None:
    """Build the world, choose the BM25 baseline on dev, run every method, print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("dev", "test", "all"), default="test")
    parser.add_argument("--segmenter", choices=("pyvi", "underthesea", "syllables"), default=None,
                        help="Word segmenter for the run (default: TEXT_SEGMENTER).")
    parser.add_argument("--keep", action="store_true", help="Keep the jmvi- indices for inspection.")
    parser.add_argument("--json", type=Path, default=None, help="Also write the summaries as JSON here.")
    parser.add_argument("--codes", type=Path, default=None,
                        help="Without the autocoder (code from before issue 9), read the postings' occupation codes "
                             "from this JSON file; with it, write them there.")
    args = parser.parse_args()
    settings = load_settings()
    if segmentation is not None:
        segmentation.configure(args.segmenter or settings["TEXT_SEGMENTER"])
        embedder = Embedder(settings["EMBEDDING_MODEL"], batch_size=settings["EMBEDDING_BATCH_SIZE"],
                            languages=settings["EMBEDDING_LANGUAGES"])
    else:
        embedder = Embedder(settings["EMBEDDING_MODEL"], batch_size=settings["EMBEDDING_BATCH_SIZE"])
    es = build_client({**settings, "ES_REQUEST_TIMEOUT": 60.0})
    postings = [p for path in sorted(DATA.glob("postings_*.jsonl")) for p in load_jsonl(path)]
    if autocoder is None:
        if args.codes is None:
            raise SystemExit("this code has no autocoder: give --codes written by a run of the current code")
        codes = json.loads(args.codes.read_text(encoding="utf-8"))
    else:
        codes = {p["id"]: first_suggestion(p["title"]) for p in postings}
        if args.codes is not None:
            args.codes.write_text(json.dumps(codes, indent=0), encoding="utf-8")
    delete_prefix(es, PREFIX)
    ensure(es, PREFIX, DEFINITIONS, lambda: ModelInfo(embedder.name, embedder.dimension), embedder.name)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            jobs, workers, coded = build_world(es, embedder, Path(tmp), codes)
        queries = load_jsonl(DATA / "queries.jsonl")
        grades: dict[str, dict[str, int]] = defaultdict(dict)
        for line in load_jsonl(DATA / "judgements.jsonl"):
            grades[line["query"]][line["posting"]] = line["grade"]
        methods = Methods(es, embedder, jobs, workers)
        dev = [q for q in queries if q["split"] == "dev"]
        chosen = {}
        for variant in BM25_VARIANTS:
            methods.bm25_variant = variant
            chosen[variant] = summary(evaluate(methods.bm25, dev, grades)["rows"])["ndcg"]
        methods.bm25_variant = max(chosen, key=lambda v: chosen[v])
        shown = queries if args.split == "all" else [q for q in queries if q["split"] == args.split]
        print(f"Vietnamese harness, {args.split} split: {len(shown)} queries, {len(jobs)} vacancies; "
              f"{date.today()}; segmenter {segmentation.current() if segmentation else 'syllables (before)'}; "
              f"model {embedder.name} (serves {','.join(sorted(getattr(embedder, 'languages', ['?'])))}); "
              f"{platform.processor() or platform.machine()}, "
              f"CPU flags: {cpu_flags()}")
        print(f"Occupation codes of the {len(jobs)} postings (autocoder's first suggestion) right: {coded:.3f}")
        print("BM25 variants on dev (nDCG@10): " + "; ".join(f"{k} {v:.3f}" for k, v in chosen.items())
              + f" -> {methods.bm25_variant}")
        results = {}
        for name, method in (("full matcher", methods.full), ("BM25 only", methods.bm25),
                             ("vector only", methods.vector), ("plain hybrid (RRF)", methods.hybrid),
                             ("matcher's text query alone", methods.text_query)):
            methods.full(shown[0]) if name == "full matcher" else method(shown[0])  # warm caches and the model
            results[name] = evaluate(method, shown, grades)["rows"]
        print("\n| method | nDCG@10 | recall@50 | P@5 regulated | p50 ms | p95 ms |\n|---|---|---|---|---|---|")
        table = {}
        for name, rows in results.items():
            s = table[name] = summary(rows)
            print(f"| {name} | {s['ndcg']:.3f} | {s['recall']:.3f} | {s['p5_regulated']:.3f} (n={s['n_regulated']}) "
                  f"| {s['p50_ms']:.1f} | {s['p95_ms']:.1f} |")
        print("\n| nDCG@10 by kind | " + " | ".join(results) + " |\n|---|" + "---|" * len(results))
        for kind in sorted({kind_of(q) for q in shown}):
            cells = [summary([r for r in rows if kind_of(r["query"]) == kind]) for rows in results.values()]
            print(f"| {kind} (n={cells[0]['n']}) | " + " | ".join(f"{c['ndcg']:.3f}" for c in cells) + " |")
        ratio = table["full matcher"]["p50_ms"] / table["BM25 only"]["p50_ms"]
        gate = table["full matcher"]["ndcg"] > table["BM25 only"]["ndcg"]
        print(f"\nMatcher-to-BM25 latency ratio (p50): {ratio:.1f}. Gate (full matcher nDCG@10 > BM25 only on this "
              f"split): {'holds' if gate else 'FAILS'}")
        if args.json:
            args.json.write_text(json.dumps({"split": args.split,
                                             "segmenter": segmentation.current() if segmentation else None,
                                             "bm25_variant": methods.bm25_variant, "table": table}, indent=2))
    finally:
        if not args.keep:
            delete_prefix(es, PREFIX)


if __name__ == "__main__":
    main()

"""The matcher: hard constraints as filters → hybrid retrieval (kNN + BM25, fused) → feature ranking with reasons.

Retrieval runs the same filters on both sides (the kNN `filter` and the lexical `bool.filter`), fuses the two
ranked lists by reciprocal rank in Python (the integration-test distribution has no `rrf` retriever), then
re-checks every candidate against the hard constraints (a person's own commute limit cannot be a filter
without scripts) and ranks by the weighted features. No Flask here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from indexer.naming import alias_name
from jobmatch.auth.tokens import Principal
from jobmatch.embeddings import Embedder
from jobmatch.errors import NotFound
from jobmatch.matching import constraints
from jobmatch.matching.scoring import Scored, score_pair
from jobmatch.records.access import public_view, worker_view
from jobmatch.records.repository import Repository
from jobmatch.records.service import text_query
from jobmatch.records.vocab import TRAINING_RANK

Document = dict[str, Any]
RRF_K = 60  # the usual reciprocal-rank constant: ranks beyond ~60 contribute little
# int8 HNSW ranks by quantised vectors; re-scoring twice k candidates by the float vectors lifts recall@100
# from 0.974 to 0.999 over 1M vectors for ~4 ms (docs/benchmarks.md, "Vector retrieval over 1M vectors").
RESCORE = {"oversample": 2.0}
CANDIDATES = 100  # per retriever, before re-checking constraints and ranking
RETRIEVALS = ("rrf", "weighted", "bm25", "vector")
VECTOR_WEIGHT = 0.7  # share of the kNN score in weighted fusion (BM25 scores are max-normalised first)


@dataclass
class MatchParams:
    """What a counsellor can narrow a match list by."""

    size: int = 10
    commune_code: str | None = None
    distance_km: float | None = None
    min_training_level: str | None = None
    accessible_only: bool = False
    priority_groups: list[str] = field(default_factory=list)
    work_mode: str | None = None
    explain: bool = False


def rrf(*rankings: list[tuple[str, float]], k: int = RRF_K) -> dict[str, float]:
    """Fuse scored hit lists by reciprocal rank: sum of 1 / (k + rank) over the lists an id appears in.

    Equal scores share a rank, so two identical profiles get the same fused score whatever order the engine
    happened to return them in.
    """
    fused: dict[str, float] = {}
    for ranking in rankings:
        rank_of: dict[float, int] = {}
        for position, score in enumerate(sorted((score for _, score in ranking), reverse=True), start=1):
            rank_of.setdefault(score, position)  # a tie takes the best position of its group
        for doc_id, score in ranking:
            fused[doc_id] = fused.get(doc_id, 0.0) + 1.0 / (k + rank_of[score])
    return fused


def weighted_fusion(vector_hits: dict[str, float], text_hits: dict[str, float],
                    vector_weight: float = VECTOR_WEIGHT) -> dict[str, float]:
    """Fuse by score: kNN scores (already 0..1) and BM25 scores divided by their maximum, mixed linearly."""
    top = max(text_hits.values(), default=0.0) or 1.0
    ids = set(vector_hits) | set(text_hits)
    return {i: vector_weight * vector_hits.get(i, 0.0) + (1 - vector_weight) * text_hits.get(i, 0.0) / top
            for i in ids}


def _extra_filters(params: MatchParams, target: str) -> list[Document]:
    filters: list[Document] = []
    place = "residence" if target == "workers" else "workplace"
    if params.commune_code:
        filters.append({"term": {f"{place}.commune_code": params.commune_code}})
    if params.min_training_level:
        rank_field = "training_rank" if target == "workers" else "min_training_rank"
        filters.append({"range": {rank_field: {"gte": TRAINING_RANK[params.min_training_level]}}})
    if params.work_mode:
        filters.append({"term": {"desired_work_modes" if target == "workers" else "work_mode": params.work_mode}})
    if target == "workers" and params.priority_groups:
        filters.append({"terms": {"priority_groups": params.priority_groups}})
    if target == "jobs" and params.accessible_only:
        filters.append({"exists": {"field": "accommodations"}})
    return filters


class Matcher:
    """Find jobseekers for a vacancy and vacancies for a jobseeker."""

    def __init__(self, *, es: Any, prefix: str, embedder: Embedder, weights: dict[str, float],
                 boosts: dict[str, float], principal: Principal, today: date | None = None,
                 retrieval: str = "rrf", rerank: bool = True, hide_sensitive: bool | None = None) -> None:
        """`retrieval` picks the fusion (or a single retriever, for baselines); `rerank` orders by features.

        `hide_sensitive` drops reasons that reveal disability or a priority group (always for employers; also
        for lists printed for others to see, such as session invitations).
        """
        if retrieval not in RETRIEVALS:
            raise ValueError(f"retrieval must be one of {RETRIEVALS}")
        self.retrieval = retrieval
        self.rerank = rerank
        self.es = es
        self.jobs = Repository(es, alias_name(prefix, "jobs"))
        self.workers = Repository(es, alias_name(prefix, "workers"))
        self.embedder = embedder
        self.weights = weights
        self.boosts = boosts
        self.principal = principal
        self.hide_sensitive = principal.role == "employer" if hide_sensitive is None else hide_sensitive
        self.today = today or date.today()

    # --- retrieval ----------------------------------------------------------------------------------------
    def _retrieve(self, index: str, vector: list[float], text: str, filters: list[Document],
                  must_not: list[Document], text_fields: list[str],
                  folded: bool = False) -> list[tuple[Document, float, float]]:
        """Return candidates best first as (document, fused score relative to the best, cosine similarity).

        Vectors are never fetched: shipping 384 floats for each of ~200 candidates was the largest cost of a
        match request (docs/benchmarks.md). Cosine comes from the kNN score (Elasticsearch scores cosine as
        (1 + cos) / 2); the lexical-only candidates get theirs from one kNN query restricted to their ids.
        Both retrievers go in one `_msearch` and count no hits (`track_total_hits: false` lets Lucene skip
        blocks that cannot reach the top 100); see "Match endpoints under load" in docs/benchmarks.md.
        """
        condition = {"bool": {"filter": filters, "must_not": must_not}}
        common = {"size": CANDIDATES, "track_total_hits": False,
                  "_source": {"excludes": ["search_text", "search_text_folded", "embedding_text", "embedding"]}}
        searches: list[Document] = []
        if self.retrieval != "bm25":
            searches += [{"index": index}, {**common, "knn": {
                "field": "embedding", "query_vector": vector, "k": CANDIDATES, "num_candidates": 2 * CANDIDATES,
                "filter": condition, "rescore_vector": RESCORE}}]
        if self.retrieval != "vector":
            searches += [{"index": index}, {**common, "query": {"bool": {
                "filter": filters, "must_not": must_not, "must": [text_query(text, text_fields, folded=folded)]}}}]
        responses = self.es.msearch(searches=searches)["responses"]
        for response in responses:
            if "error" in response:  # msearch reports a failed search inside a 200; do not rank on half the data
                raise RuntimeError(f"match retrieval failed: {response['error']}")
        empty: dict[str, Any] = {"hits": {"hits": []}}
        knn_hits = empty if self.retrieval == "bm25" else responses[0]
        lexical_hits = empty if self.retrieval == "vector" else responses[-1]
        knn_list, lexical_list = knn_hits["hits"]["hits"], lexical_hits["hits"]["hits"]
        by_id = {h["_id"]: h["_source"] for h in knn_list + lexical_list}
        cosine = {h["_id"]: 2 * h["_score"] - 1 for h in knn_list}
        missing = [doc_id for doc_id in by_id if doc_id not in cosine]
        if missing:
            exact = self.es.search(index=index, size=len(missing), _source=False, track_total_hits=False, knn={
                "field": "embedding", "query_vector": vector, "k": len(missing),
                "num_candidates": max(len(missing), 10), "filter": {"ids": {"values": missing}}})
            cosine.update({h["_id"]: 2 * h["_score"] - 1 for h in exact["hits"]["hits"]})
        if self.retrieval == "weighted":
            fused = weighted_fusion({h["_id"]: h["_score"] for h in knn_list},
                                    {h["_id"]: h["_score"] for h in lexical_list})
        else:
            fused = rrf([(h["_id"], h["_score"]) for h in knn_list], [(h["_id"], h["_score"]) for h in lexical_list])
        top = max(fused.values(), default=0.0) or 1.0
        return [(by_id[i], fused[i] / top, cosine.get(i, 0.0)) for i in sorted(fused, key=lambda i: (-fused[i], i))]

    # --- ranking ------------------------------------------------------------------------------------------
    def _result(self, job: Document, worker: Document, scored: Scored, params: MatchParams,
                side: str) -> Document:
        employer = self.principal.role == "employer"
        reasons = [{"vi": r.vi, "en": r.en} for r in scored.reasons if not (self.hide_sensitive and r.sensitive)]
        if side == "workers":
            item: Document = {"worker_id": worker["worker_id"], "worker": worker_view(worker, self.principal)}
        else:
            item = {"job_id": job["job_id"], "job": public_view(job)}
        item.update(score=round(scored.score, 4), reasons=reasons)
        if params.explain:
            breakdown = scored.breakdown(self.weights)
            if employer:
                breakdown["boosts"] = {}
            item["breakdown"] = breakdown
        return item

    def _rank(self, pairs: list[tuple[Document, Document, float, float]], params: MatchParams,
              side: str) -> list[Document]:
        eligible = [p for p in pairs if not constraints.violations(p[0], p[1], max_km=params.distance_km)]
        scored = [(job, worker, score_pair(job, worker, similarity=cos, weights=self.weights, boosts=self.boosts,
                                           today=self.today, side=side, retrieval=fused))
                  for job, worker, fused, cos in eligible]
        if self.rerank:  # otherwise keep the retrieval order (the baselines of the evaluation)
            key = "worker_id" if side == "workers" else "job_id"
            scored.sort(key=lambda t: (-round(t[2].score, 4), (t[1] if side == "workers" else t[0])[key]))
        # Views are built for the returned page only: copying ~200 records per request showed in the profile.
        return [self._result(job, worker, result, params, side) for job, worker, result in scored[: params.size]]

    # --- entry points -------------------------------------------------------------------------------------
    def workers_for_job(self, job_id: str, params: MatchParams) -> list[Document]:
        """Return the best eligible jobseekers for a vacancy, with reasons."""
        job = self.jobs.get(job_id, with_vectors=True).source
        if self.principal.role == "employer" and job.get("employer_id") != self.principal.employer_id:
            raise NotFound(f"no record with id {job_id}")
        return self._workers_for(job, job["embedding"], params)  # stored text: accented, no folded clauses

    def _workers_for(self, job: Document, vector: list[float], params: MatchParams,
                     folded: bool = False) -> list[Document]:
        filters, must_not = constraints.worker_filters(job, today=self.today.isoformat(), max_km=params.distance_km)
        filters += _extra_filters(params, "workers")
        fields = ["search_text"]
        if self.principal.role == "employer":
            filters.append({"term": {"consent.show_to_employers": True}})
        text = " ".join([job.get("title", ""), *job.get("essential_skills", []), *job.get("optional_skills", [])])
        candidates = self._retrieve(self.workers.alias, vector, text, filters, must_not, fields, folded)
        return self._rank([(job, w, f, cos) for w, f, cos in candidates], params, "workers")

    def jobs_for_worker(self, worker_id: str, params: MatchParams) -> list[Document]:
        """Return the best vacancies a jobseeker is eligible for, with reasons."""
        worker = self.workers.get(worker_id, with_vectors=True).source
        return self._jobs_for(worker, worker["embedding"], params)

    def _jobs_for(self, worker: Document, vector: list[float], params: MatchParams,
                  folded: bool = False) -> list[Document]:
        filters, must_not = constraints.job_filters(worker, today=self.today.isoformat(), max_km=params.distance_km)
        filters += _extra_filters(params, "jobs")
        text = " ".join([*worker.get("skills", []), *(h.get("title", "") for h in worker.get("work_history", []))])
        text = text or worker.get("embedding_text", "") or "việc làm"
        candidates = self._retrieve(self.jobs.alias, vector, text, filters, must_not, ["title", "search_text"],
                                    folded)
        return self._rank([(j, worker, f, cos) for j, f, cos in candidates], params, "jobs")

    def search(self, request: Document, params: MatchParams) -> list[Document]:
        """Match an ad-hoc profile or free text (a walk-in conversation) against vacancies or jobseekers."""
        target, text = request["target"], request["text"]
        vector = self.embedder.embed_query(text)
        place = {"commune_code": request["commune_code"]} if request.get("commune_code") else {}
        if target == "jobs":
            profile: Document = {
                "skills": request.get("skills") or [], "training_level": request.get("training_level") or "none",
                "certificates": [{"name": c} for c in request.get("certificates") or []],
                "desired_occupations": [request["occupation_code"]] if request.get("occupation_code") else [],
                "max_commute_km": request.get("max_commute_km"), "residence": place,
                "disability": {"accommodations_needed": request.get("accommodations") or []}}
        else:
            profile = {"essential_skills": request.get("skills") or [],
                       "occupation_code": request.get("occupation_code") or "",
                       "min_training_level": request.get("training_level") or "none",
                       "certificates": request.get("certificates") or [],
                       "accommodations": request.get("accommodations") or [], "workplace": place}
        if target == "jobs":
            worker = {"skills": [], "work_history": [], "employment_status": "unemployed", **profile,
                      "embedding_text": text}
            return self._jobs_for(worker, vector, params, folded=True)  # typed text may lack diacritics
        job = {"status": "open", "title": text, "essential_skills": [], "optional_skills": [],
               "accommodations": [], "physical_demands": {}, **profile}
        return self._workers_for(job, vector, params, folded=True)

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
from jobmatch import language
from jobmatch.auth.tokens import Principal
from jobmatch.embeddings import UNSERVED, Embedder
from jobmatch.errors import NotFound, ValidationFailed
from jobmatch.matching import constraints
from jobmatch.matching.scoring import Flag, Scored, score_pair, soft_flag
from jobmatch.matching.understanding import Suggest, Understanding, profile_from, understand
from jobmatch.records.access import public_view, worker_view
from jobmatch.records.repository import Repository
from jobmatch.records.service import text_query
from jobmatch.records.vocab import TRAINING_RANK
from jobmatch.reference import place_point

Document = dict[str, Any]
RRF_K = 60  # the usual reciprocal-rank constant: ranks beyond ~60 contribute little
# int8 HNSW ranks by quantised vectors; re-scoring twice k candidates by the float vectors lifts recall@100
# from 0.974 to 0.999 over 1M vectors for ~4 ms (docs/benchmarks.md, "Vector retrieval over 1M vectors").
RESCORE = {"oversample": 2.0}
CANDIDATES = 100  # per retriever, before re-checking constraints and ranking
PROBED = 50  # lexical candidates looked at without the hard constraints, to count what each one excluded
RETRIEVALS = ("rrf", "weighted", "bm25", "vector")
BEYOND_COMMUTE = 0.75  # score factor of a free-text result beyond the default commute (flagged, not hidden)
LIKELY_OCCUPATION = 0.25  # a suggestion this sure may steer the vector of a query the model cannot read
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
    if params.commune_code and params.distance_km:
        # "Within N km of that commune", not "inside it": the commune's point is the centre.
        point, _ = place_point({"commune_code": params.commune_code})
        if point:
            filters.append({"geo_distance": {"distance": f"{params.distance_km}km", f"{place}.location": point}})
    elif params.commune_code:
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


def _radius(params: MatchParams) -> float | None:
    """Return the request radius around each record's own place (none when it is around a named commune)."""
    return None if params.commune_code else params.distance_km


def unserved(doc: Document) -> bool:
    """Tell whether a record's vector was made from text the model does not read (its similarity is noise)."""
    return doc.get("embedding_basis") == UNSERVED


# Constraints whose counts would tell an employer something about disability: summed, never itemised.
SENSITIVE_CONSTRAINTS = ("accommodation", "task_demand")
# Fields the constraint check reads, fetched for the candidates the constraints excluded.
CHECK_FIELDS = {"jobs": ["job_id", "status", "closed_at", "work_mode", "workplace", "occupation_code",
                         "accommodations", "physical_demands"],
                "workers": ["worker_id", "employment_status", "closed_at", "residence", "max_commute_km",
                            "certificates", "disability"]}


def count_exclusions(pairs: list[tuple[Document, Document]], eligible: set[str], key: str, side: str,
                     max_km: float | None, hide_sensitive: bool, soft: tuple[str, ...] = ()) -> dict[str, int]:
    """Count, per hard constraint, the retrieved candidates it excluded (a candidate may fail several).

    Constraints in `soft` only flag a result, so they exclude nobody.
    """
    counts: dict[str, int] = {}
    for job, worker in pairs:
        candidate = worker if side == "workers" else job
        if candidate[key] in eligible:
            continue
        for problem in constraints.violations(job, worker, max_km=max_km):
            if problem in ("vacancy_not_open", "person_not_available") or problem in soft:
                continue  # not candidates at all
            name = "other" if hide_sensitive and problem in SENSITIVE_CONSTRAINTS else problem
            counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items()))


class Matcher:
    """Find jobseekers for a vacancy and vacancies for a jobseeker."""

    def __init__(self, *, es: Any, prefix: str, embedder: Embedder, weights: dict[str, float],
                 boosts: dict[str, float], principal: Principal, today: date | None = None,
                 retrieval: str = "rrf", rerank: bool = True, hide_sensitive: bool | None = None,
                 suggest_occupations: Suggest | None = None) -> None:
        """`retrieval` picks the fusion (or a single retriever, for baselines); `rerank` orders by features.

        `hide_sensitive` drops reasons that reveal disability or a priority group (always for employers; also
        for lists printed for others to see, such as session invitations). `boosts` never apply to an
        employer's own lists.
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
        # Employers' lists are ranked without policy boosts: a boost shows through the score and the order, so
        # two people alike in all an employer sees would tell who is in a priority group (ethnicity, poverty).
        self.boosts = {} if principal.role == "employer" else boosts
        self.principal = principal
        self.hide_sensitive = principal.role == "employer" if hide_sensitive is None else hide_sensitive
        self.today = today or date.today()  # the views pass the local date (TIMEZONE); this is for scripts
        self.suggest_occupations = suggest_occupations

    # --- retrieval ----------------------------------------------------------------------------------------
    def _searches(self, index: str, vector: list[float] | None, text: str, condition: Document,
                  text_fields: list[str], folded: bool, source: Any, size: int = CANDIDATES) -> list[Document]:
        common = {"size": size, "track_total_hits": False, "_source": source}
        searches: list[Document] = []
        if self.retrieval != "bm25" and vector is not None:
            searches += [{"index": index}, {**common, "knn": {
                "field": "embedding", "query_vector": vector, "k": CANDIDATES, "num_candidates": 2 * CANDIDATES,
                "filter": condition, "rescore_vector": RESCORE}}]
        if self.retrieval != "vector":
            searches += [{"index": index}, {**common, "query": {"bool": {
                **condition["bool"], "must": [text_query(text, text_fields, folded=folded)]}}}]
        return searches

    def _retrieve(self, index: str, vector: list[float] | None, text: str, filters: list[Document],
                  must_not: list[Document], text_fields: list[str], folded: bool = False,
                  probe: tuple[list[Document], list[Document], list[str]] | None = None,
                  ) -> tuple[list[tuple[Document, float, float | None]], list[Document]]:
        """Return candidates best first as (document, fused score relative to the best, cosine similarity),
        and the documents the same retrieval finds under `probe` (base filters only, the check's fields).

        Without a `vector` (text the model cannot read and nothing to stand in for it) only the lexical side
        runs and similarities are unknown (None).

        Vectors are never fetched: shipping 384 floats for each of ~200 candidates was the largest cost of a
        match request (docs/benchmarks.md). Cosine comes from the kNN score (Elasticsearch scores cosine as
        (1 + cos) / 2); the lexical-only candidates get theirs from one kNN query restricted to their ids.
        All searches go in one `_msearch` and count no hits (`track_total_hits: false` lets Lucene skip
        blocks that cannot reach the top 100); see "Match endpoints under load" in docs/benchmarks.md. The
        probe, the lexical search run without the hard constraints, tells how many of the candidates it finds
        each constraint excluded.
        """
        excludes = {"excludes": ["search_text", "search_text_folded", "search_words", "embedding_text", "embedding"]}
        searches = self._searches(index, vector, text, {"bool": {"filter": filters, "must_not": must_not}},
                                  text_fields, folded, excludes)
        main = len(searches) // 2
        if not searches:
            return [], []
        if probe is not None:  # lexical only: a second kNN search doubled the node's work for a count
            searches += self._searches(index, None, text, {"bool": {"filter": probe[0], "must_not": probe[1]}},
                                       text_fields, folded, {"includes": probe[2]}, size=PROBED)
        responses = self.es.msearch(searches=searches)["responses"]
        for response in responses:
            if "error" in response:  # msearch reports a failed search inside a 200; do not rank on half the data
                raise RuntimeError(f"match retrieval failed: {response['error']}")
        probed = {h["_id"]: h["_source"] for r in responses[main:] for h in r["hits"]["hits"]}
        responses = responses[:main]
        empty: dict[str, Any] = {"hits": {"hits": []}}
        knn_hits = empty if self.retrieval == "bm25" or vector is None else responses[0]
        lexical_hits = empty if self.retrieval == "vector" else responses[-1]
        knn_list, lexical_list = knn_hits["hits"]["hits"], lexical_hits["hits"]["hits"]
        by_id = {h["_id"]: h["_source"] for h in knn_list + lexical_list}
        cosine: dict[str, float | None] = {h["_id"]: 2 * h["_score"] - 1 for h in knn_list}
        missing = [doc_id for doc_id in by_id if doc_id not in cosine]
        if missing and vector is not None:
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
        ranked = [(by_id[i], fused[i] / top, None if vector is None or unserved(by_id[i]) else cosine.get(i, 0.0))
                  for i in sorted(fused, key=lambda i: (-fused[i], i))]
        return ranked, list(probed.values())

    # --- ranking ------------------------------------------------------------------------------------------
    def _result(self, job: Document, worker: Document, scored: Scored, flags: list[Flag], params: MatchParams,
                side: str) -> Document:
        employer = self.principal.role == "employer"
        reasons = [{"vi": r.vi, "en": r.en, "status": r.status} for r in scored.reasons
                   if not (self.hide_sensitive and r.sensitive)]
        if side == "workers":
            item: Document = {"worker_id": worker["worker_id"], "worker": worker_view(worker, self.principal)}
        else:
            item = {"job_id": job["job_id"], "job": public_view(job)}
        item.update(score=round(scored.score, 4), reasons=reasons,
                    distance_km=None if scored.distance_km is None else round(scored.distance_km, 1),
                    flags=[{"code": f.code, "vi": f.vi, "en": f.en} for f in flags])
        if params.explain:
            breakdown = scored.breakdown(self.weights)
            if employer:
                breakdown["boosts"] = {}
            item["breakdown"] = breakdown
        return item

    def _rank(self, pairs: list[tuple[Document, Document, float, float | None]], problems_of: list[list[str]],
              params: MatchParams, side: str, soft: tuple[str, ...] = ()) -> list[Document]:
        """Score and order the pairs (`problems_of`: each pair's broken constraints); constraints in `soft` flag
        a pair instead of excluding it."""
        scored = []
        for (job, worker, fused, cos), problems in zip(pairs, problems_of, strict=True):
            if set(problems) - set(soft):
                continue
            flags = [soft_flag(problem, job, worker) for problem in problems]
            result = score_pair(job, worker, similarity=cos, weights=self.weights, boosts=self.boosts,
                                today=self.today, side=side, retrieval=fused, flags=flags)
            if "commute" in problems:  # farther than anyone travels unasked: shown, but after what is near
                result.score *= BEYOND_COMMUTE
            scored.append((job, worker, result, flags))
        if self.rerank:  # otherwise keep the retrieval order (the baselines of the evaluation)
            key = "worker_id" if side == "workers" else "job_id"
            scored.sort(key=lambda t: (-round(t[2].score, 4), (t[1] if side == "workers" else t[0])[key]))
        # Views are built for the returned page only: copying ~200 records per request showed in the profile.
        return [self._result(job, worker, result, flags, params, side)
                for job, worker, result, flags in scored[: params.size]]

    def _matches(self, pairs: list[tuple[Document, Document, float, float | None]],
                 probed: list[tuple[Document, Document]], side: str, params: MatchParams,
                 soft: tuple[str, ...]) -> Document:
        """Rank the pairs and count, among the probed candidates, those each hard constraint excluded."""
        key = "worker_id" if side == "workers" else "job_id"
        candidate = 1 if side == "workers" else 0
        problems_of = [constraints.violations(pair[0], pair[1], max_km=_radius(params)) for pair in pairs]
        # A candidate that passed the constraints but fell outside the page is not "excluded".
        eligible = {pair[candidate][key] for pair, problems in zip(pairs, problems_of, strict=True)
                    if not set(problems) - set(soft)}
        return {"items": self._rank(pairs, problems_of, params, side, soft),
                "excluded": count_exclusions(probed, eligible, key, side, _radius(params), self.hide_sensitive, soft)}

    # --- entry points -------------------------------------------------------------------------------------
    def workers_for_job(self, job_id: str, params: MatchParams) -> Document:
        """Return the best eligible jobseekers for a vacancy, with reasons and what each constraint excluded."""
        job = self.jobs.get(job_id, with_vectors=True).source
        if self.principal.role == "employer" and job.get("employer_id") != self.principal.employer_id:
            raise NotFound(f"no record with id {job_id}")
        if self.principal.role == "employer" and params.priority_groups:
            # Filtering by a group the employer cannot see would reveal it (ethnicity, poverty): Decree 13/2023.
            raise ValidationFailed.on_field("priority_groups", "employers cannot filter by priority group",
                                            location="query", message="invalid filter")
        return self._workers_for(job, None if unserved(job) else job["embedding"], params)

    def _workers_for(self, job: Document, vector: list[float] | None, params: MatchParams, folded: bool = False,
                     text: str | None = None, soft: tuple[str, ...] = ()) -> Document:
        filters, must_not = constraints.worker_filters(job, today=self.today.isoformat(), max_km=_radius(params),
                                                       certificates="certificate" not in soft)
        base_filters, base_must_not = constraints.available_worker_filters(self.today.isoformat())
        extra = _extra_filters(params, "workers")
        if self.principal.role == "employer":
            extra.append({"term": {"consent.show_to_employers": True}})
        text = text or " ".join([job.get("title", ""), *job.get("essential_skills", []),
                                 *job.get("optional_skills", [])])
        candidates, probed = self._retrieve(self.workers.alias, vector, text, filters + extra, must_not,
                                            ["search_text"], folded,
                                            probe=(base_filters + extra, base_must_not, CHECK_FIELDS["workers"]))
        return self._matches([(job, w, f, cos) for w, f, cos in candidates], [(job, w) for w in probed], "workers",
                             params, soft)

    def jobs_for_worker(self, worker_id: str, params: MatchParams) -> Document:
        """Return the best vacancies a jobseeker is eligible for, with reasons and what each constraint excluded."""
        worker = self.workers.get(worker_id, with_vectors=True).source
        # An erased record keeps no embedding (jobmatch.workers.erasure): it is matched on what is left, not a 500.
        return self._jobs_for(worker, None if unserved(worker) else worker.get("embedding"), params)

    def _jobs_for(self, worker: Document, vector: list[float] | None, params: MatchParams, folded: bool = False,
                  text: str | None = None, soft: tuple[str, ...] = ()) -> Document:
        filters, must_not = constraints.job_filters(worker, today=self.today.isoformat(), max_km=_radius(params),
                                                    certificates="certificate" not in soft,
                                                    commute="commute" not in soft)
        base_filters, base_must_not = constraints.open_job_filters(self.today.isoformat())
        extra = _extra_filters(params, "jobs")
        if not text:
            text = " ".join([*worker.get("skills", []), *(h.get("title", "") for h in worker.get("work_history", []))])
            text = text or worker.get("embedding_text", "") or "việc làm"
        candidates, probed = self._retrieve(self.jobs.alias, vector, text, filters + extra, must_not,
                                            ["title", "search_text"], folded,
                                            probe=(base_filters + extra, base_must_not, CHECK_FIELDS["jobs"]))
        return self._matches([(j, worker, f, cos) for j, f, cos in candidates], [(j, worker) for j in probed], "jobs",
                             params, soft)

    def _vector_text(self, text: str, understood: Understanding) -> str | None:
        """Return what to embed for a free-text query: the text if the model serves its language, else the
        English titles and skills of the occupations it names (or the autocoder's likely ones), else None:
        an English model's vector of Vietnamese text is noise, so the vector side is left out."""
        if language.served(text, self.embedder.languages):
            return text
        codes = understood.values("occupation_code")
        if not codes and self.suggest_occupations is not None:
            codes = [code for code, _, confidence, _ in self.suggest_occupations(text)[:2]
                     if confidence >= LIKELY_OCCUPATION]
        return language.taxonomy_text(codes) or None

    def search(self, request: Document, params: MatchParams) -> Document:
        """Match free text (a walk-in conversation) and an optional profile against vacancies or jobseekers.

        What the text says (place, training, licences, pay, experience, occupation) is read into a profile and
        returned as `understood`, so the counsellor can correct it; fields given explicitly win. Only what is
        stated is scored. Requirements the stated profile may not meet (a licence not mentioned, a commute
        nobody limited) flag a result instead of hiding it.
        """
        target, text = request["target"], request["text"]
        understood = understand(text, suggest=self.suggest_occupations)
        profile = profile_from(understood, request, target)
        vector_text = self._vector_text(text, understood)
        vector = self.embedder.embed_query(vector_text) if vector_text else None
        soft = ("certificate",) if target == "workers" else (
            ("certificate",) if profile.get("max_commute_km") is not None else ("certificate", "commute"))
        if target == "jobs":
            worker = {"work_history": [], "employment_status": "unemployed", "embedding_text": text, **profile}
            result = self._jobs_for(worker, vector, params, folded=True, text=text, soft=soft)
        else:
            job = {"status": "open", "title": text, "essential_skills": [], "optional_skills": [],
                   "accommodations": [], "physical_demands": {}, **profile}
            result = self._workers_for(job, vector, params, folded=True, text=text, soft=soft)
        return {**result, "understood": [item.as_dict() for item in understood.items]}

"""Hard constraints between a vacancy and a jobseeker, as pure functions and as Elasticsearch filters.

A pair is excluded when the vacancy is not open, the person is placed or not yet available, the commute is
too long, a legally required certificate is missing, an accommodation the person needs is not offered, or a
task demand conflicts with one of the person's functional limitations. Disability only ever excludes a pair
for the person's own protection and never lowers a score.
"""

from __future__ import annotations

from typing import Any

from jobmatch.records.vocab import ACCOMMODATIONS
from jobmatch.reference import haversine_km, place_point
from jobmatch.text import fold

Document = dict[str, Any]

# Occupations whose practice legally needs a certificate or licence, and the ones that satisfy it
# (a higher driving-licence class covers the lower ones it includes).
REQUIRED_CERTIFICATES: dict[str, tuple[str, ...]] = {
    "7212": ("Chứng chỉ hàn",),
    "7411": ("Chứng chỉ an toàn điện",),
    "8182": ("Chứng chỉ vận hành lò hơi",),
    "8344": ("Chứng chỉ vận hành xe nâng",),
    "5414": ("Chứng chỉ nghiệp vụ bảo vệ",),
    "8321": ("Giấy phép lái xe hạng A1", "Giấy phép lái xe hạng A", "Giấy phép lái xe hạng A2"),
    "8322": ("Giấy phép lái xe hạng B2", "Giấy phép lái xe hạng B", "Giấy phép lái xe hạng C",
             "Giấy phép lái xe hạng D", "Giấy phép lái xe hạng E"),
    "8331": ("Giấy phép lái xe hạng D", "Giấy phép lái xe hạng E"),
    "8332": ("Giấy phép lái xe hạng C", "Giấy phép lái xe hạng D", "Giấy phép lái xe hạng E"),
}

# Task-demand levels each functional limitation rules out.
LIMITATION_CONFLICTS: dict[str, dict[str, tuple[str, ...]]] = {
    "mobility": {"standing": ("heavy",), "lifting": ("heavy",)},
    "lifting": {"lifting": ("moderate", "heavy")},
    "standing": {"standing": ("moderate", "heavy")},
    "fine_motor": {"fine_motor": ("heavy",)},
    "vision": {"vision": ("heavy",)},
    "hearing": {"hearing": ("heavy",)},
    "stamina": {"lifting": ("heavy",), "standing": ("heavy",)},
    "speech": {},
    "learning": {},
}
PROVINCE_SCALE_KM = 30.0  # a person who states no commute limit is taken to travel this far
# Upper bounds of commute-limit bands: without scripts, "each person's own limit" becomes one geo_distance
# clause per band (a superset of the truth that the per-pair check then trims).
COMMUTE_BANDS_KM = (2.0, 5.0, 10.0, 15.0, 20.0, 30.0, 50.0, 100.0, 500.0)


def held_certificates(worker: Document) -> set[str]:
    """Return the folded names of the certificates a person holds."""
    return {fold(c["name"]) for c in worker.get("certificates") or []}


def missing_certificate(job: Document, worker: Document) -> str | None:
    """Return the certificate a regulated vacancy needs and the person lacks, or None."""
    accepted = REQUIRED_CERTIFICATES.get(job.get("occupation_code", ""))
    if not accepted:
        return None
    held = held_certificates(worker)
    return None if any(fold(name) in held for name in accepted) else accepted[0]


def excluded_limitations(job: Document) -> list[str]:
    """Return the functional limitations that the vacancy's task demands rule out."""
    demands = job.get("physical_demands") or {}
    return sorted(limitation for limitation, conflicts in LIMITATION_CONFLICTS.items()
                  if any(demands.get(task) in levels for task, levels in conflicts.items()))


def distance_km(job: Document, worker: Document) -> float | None:
    """Return the commute distance between workplace and residence, from coordinates or commune points.

    None only when either place is unknown (an ad-hoc search that named no place).
    """
    a, _ = place_point(job.get("workplace"))
    b, _ = place_point(worker.get("residence"))
    return haversine_km(a, b) if a and b else None


def commute_limit(worker: Document, max_km: float | None = None) -> float:
    """Return how far the person travels: their own limit (or the province scale), capped by a request radius."""
    limit = worker.get("max_commute_km")
    limit = PROVINCE_SCALE_KM if limit is None else limit
    return limit if max_km is None else min(limit, max_km)


def commute_fits(job: Document, worker: Document, *, max_km: float | None = None) -> bool:
    """Tell whether the person can get to the workplace (remote work always fits)."""
    if job.get("work_mode") == "remote":
        return True
    distance = distance_km(job, worker)
    return True if distance is None else distance <= commute_limit(worker, max_km)


def violations(job: Document, worker: Document, *, max_km: float | None = None) -> list[str]:
    """Return the hard constraints a pair breaks (empty when the pair is eligible)."""
    problems = []
    if job.get("status") != "open" or job.get("closed_at"):
        problems.append("vacancy_not_open")
    if worker.get("employment_status") == "placed" or worker.get("closed_at"):
        problems.append("person_not_available")
    if not commute_fits(job, worker, max_km=max_km):
        problems.append("commute")
    if missing_certificate(job, worker):
        problems.append("certificate")
    needs = set((worker.get("disability") or {}).get("accommodations_needed") or [])
    if needs - set(job.get("accommodations") or []):
        problems.append("accommodation")
    limitations = set((worker.get("disability") or {}).get("functional_limitations") or [])
    if limitations and limitations & set(excluded_limitations(job)):  # most people state none: skip the work
        problems.append("task_demand")
    return problems


# --- the same rules as Elasticsearch filters -----------------------------------------------------------------

def available_worker_filters(today: str) -> tuple[list[Document], list[Document]]:
    """Return (filter, must_not) clauses for people who can take a job at all: available, not placed, open."""
    return ([{"bool": {"should": [{"bool": {"must_not": {"exists": {"field": "available_from"}}}},
                                  {"range": {"available_from": {"lte": today}}}]}}],
            [{"term": {"employment_status": "placed"}}, {"exists": {"field": "closed_at"}}])


def open_job_filters(today: str) -> tuple[list[Document], list[Document]]:
    """Return (filter, must_not) clauses for vacancies that can be matched at all: open and not expired."""
    return ([{"term": {"status": "open"}},
             {"bool": {"should": [{"bool": {"must_not": {"exists": {"field": "expires_at"}}}},
                                  {"range": {"expires_at": {"gte": today}}}]}}],
            [{"exists": {"field": "closed_at"}}])


def worker_filters(job: Document, *, today: str, max_km: float | None = None,
                   certificates: bool = True) -> tuple[list[Document], list[Document]]:
    """Return (filter, must_not) clauses on the workers index for people eligible for `job`.

    `certificates=False` leaves the certificate rule to flags (free-text search: nothing hidden silently).

    Commute by each person's own maximum cannot be a filter without scripts (the test distribution has no
    painless), so the filter uses the request's radius and the ranking step checks each person's limit.
    """
    filters, must_not = available_worker_filters(today)
    point, _ = place_point(job.get("workplace"))
    if job.get("work_mode") != "remote" and point:
        filters.append(commute_bands(point, max_km))
    accepted = REQUIRED_CERTIFICATES.get(job.get("occupation_code", ""))
    if accepted and certificates:
        filters.append({"terms": {"certificates.name": list(accepted)}})
    offered = set(job.get("accommodations") or [])
    not_offered = [a for a in ACCOMMODATIONS if a not in offered]
    if not_offered:
        must_not.append({"terms": {"disability.accommodations_needed": not_offered}})
    ruled_out = excluded_limitations(job)
    if ruled_out:
        must_not.append({"terms": {"disability.functional_limitations": ruled_out}})
    return filters, must_not


def commute_bands(point: Document, max_km: float | None) -> Document:
    """Return a filter keeping people who may live within their own commute limit of `point`.

    One clause per band of limits: people whose limit falls in (low, high] and who live within `high` km.
    People with no stated limit count as PROVINCE_SCALE_KM; a request radius caps every band.
    """
    clauses: list[Document] = []
    low = 0.0
    for high in COMMUTE_BANDS_KM:
        reach = high if max_km is None else min(high, max_km)
        band: Document = {"range": {"max_commute_km": {"gt": low, "lte": high}}} if low else {
            "range": {"max_commute_km": {"lte": high}}}
        if low < PROVINCE_SCALE_KM <= high:  # no stated limit travels the province scale
            band = {"bool": {"should": [band, {"bool": {"must_not": {"exists": {"field": "max_commute_km"}}}}]}}
        clauses.append({"bool": {"filter": [band, {"geo_distance": {"distance": f"{reach}km",
                                                                     "residence.location": point}}]}})
        low = high
    clauses.append({"bool": {"must_not": {"exists": {"field": "residence.location"}}}})  # stored before points
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def job_filters(worker: Document, *, today: str, max_km: float | None = None, certificates: bool = True,
                commute: bool = True) -> tuple[list[Document], list[Document]]:
    """Return (filter, must_not) clauses on the jobs index for vacancies `worker` is eligible for.

    Free-text search turns `certificates` off (a licence not mentioned is flagged, not hidden) and `commute`
    off when no limit was stated (distance then only ranks).
    """
    filters, must_not = open_job_filters(today)
    point, _ = place_point(worker.get("residence"))
    if point and commute:
        filters.append({"bool": {"should": [
            {"term": {"work_mode": "remote"}},
            {"geo_distance": {"distance": f"{commute_limit(worker, max_km)}km", "workplace.location": point}},
            # records stored before every place had a point: the per-pair check measures them by commune
            {"bool": {"must_not": {"exists": {"field": "workplace.location"}}}}]}})
    held = held_certificates(worker)
    lacking = [code for code, accepted in REQUIRED_CERTIFICATES.items()
               if not any(fold(name) in held for name in accepted)]
    if lacking and certificates:
        must_not.append({"terms": {"occupation_code": lacking}})
    disability = worker.get("disability") or {}
    for need in disability.get("accommodations_needed") or []:
        filters.append({"term": {"accommodations": need}})
    for limitation in disability.get("functional_limitations") or []:
        for task, levels in LIMITATION_CONFLICTS.get(limitation, {}).items():
            must_not.append({"terms": {f"physical_demands.{task}": list(levels)}})
    return filters, must_not

"""Ranking features of a (vacancy, jobseeker) pair, their weighted score and reasons in Vietnamese and English.

Pure functions: everything they need is in the two documents, the semantic similarity and today's date.
Gender, ethnicity, age and disability are not features, so they can never lower a score; policy priority
groups may add a configured boost, shown separately in the breakdown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jobmatch.matching.constraints import PROVINCE_SCALE_KM, distance_km, held_certificates
from jobmatch.records.vocab import TRAINING_LABELS_VI, TRAINING_RANK
from jobmatch.text import fold

Document = dict[str, Any]
FRESHNESS_HALF_LIFE_DAYS = 60.0
TRAINING_LABELS_EN = {"none": "no formal training", "so_cap": "elementary vocational (sơ cấp)",
                      "trung_cap": "intermediate vocational (trung cấp)", "cao_dang": "college (cao đẳng)",
                      "dai_hoc": "university", "sau_dai_hoc": "postgraduate"}


@dataclass
class Reason:
    """One sentence a counsellor can read out, in both languages."""

    vi: str
    en: str
    sensitive: bool = False  # reveals disability or a priority group: never shown to employers


@dataclass
class Scored:
    """A pair's features, weighted score, boost and reasons."""

    score: float
    features: dict[str, float]
    boost: float = 0.0
    boosts: dict[str, float] = field(default_factory=dict)
    reasons: list[Reason] = field(default_factory=list)

    def breakdown(self, weights: dict[str, float]) -> dict[str, Any]:
        """Return the explanation: each feature's value, weight and contribution, plus boosts."""
        total = sum(weights.values()) or 1.0
        return {"features": {name: {"value": round(value, 4), "weight": weights.get(name, 0.0),
                                    "contribution": round(weights.get(name, 0.0) * value / total, 4)}
                             for name, value in self.features.items()},
                "boosts": {k: round(v, 4) for k, v in self.boosts.items()}, "score": round(self.score, 4)}


def occupation_proximity(target: str, candidates: list[str]) -> float:
    """Return 1, .75, .5, .25 or 0 as the closest candidate shares 4, 3, 2, 1 or 0 leading digits with target."""
    best = 0
    for code in candidates:
        shared = 0
        for a, b in zip(target, code, strict=False):
            if a != b:
                break
            shared += 1
        best = max(best, shared)
    return best / 4


def skill_coverage(required: list[str], held: list[str]) -> tuple[float, list[str]]:
    """Return the share of `required` skills found among `held` (diacritics and case ignored) and the matches."""
    if not required:
        return 1.0, []
    folded_held = {fold(s) for s in held}
    matched = [s for s in required if fold(s) in folded_held]
    return len(matched) / len(required), matched


def training_fit(required: str, actual: str) -> float:
    """Return 1 when the person's training meets the requirement, less for each missing level."""
    gap = TRAINING_RANK.get(required, 0) - TRAINING_RANK.get(actual, 0)
    return 1.0 if gap <= 0 else max(0.0, 1.0 - 0.35 * gap)


def salary_fit(job: Document, worker: Document) -> float:
    """Return 1 when the vacancy pays what the person wants, decreasing as the wish exceeds the offer."""
    wish, offer = worker.get("desired_salary_min"), job.get("salary_max") or job.get("salary_min")
    if not wish or not offer or offer >= wish:
        return 1.0
    return max(0.0, 1.0 - (wish - offer) / wish * 2)


def freshness(day: str | None, today: date) -> float:
    """Return 1 for today, halving every 60 days."""
    if not day:
        return 0.5
    age = (today - date.fromisoformat(day[:10])).days
    return math.pow(0.5, max(0, age) / FRESHNESS_HALF_LIFE_DAYS)


def _money(value: int | None) -> str:
    return f"{value / 1_000_000:.1f} triệu" if value else "?"


def score_pair(job: Document, worker: Document, *, similarity: float, weights: dict[str, float],
               boosts: dict[str, float], today: date, side: str = "workers", retrieval: float = 0.0) -> Scored:
    """Score one pair; `side` is what is being ranked ("workers" for a vacancy, "jobs" for a person).

    `retrieval` is the pair's fused retrieval score relative to the best candidate (0..1).
    """
    reasons: list[Reason] = []
    features: dict[str, float] = {"semantic": max(0.0, min(1.0, similarity)),
                                  "retrieval": max(0.0, min(1.0, retrieval))}

    essential, matched = skill_coverage(job.get("essential_skills") or [], worker.get("skills") or [])
    optional, matched_optional = skill_coverage(job.get("optional_skills") or [], worker.get("skills") or [])
    features["skills"] = (2 * essential + optional) / 3
    if matched or matched_optional:
        names = ", ".join(matched + matched_optional)
        reasons.append(Reason(f"có kỹ năng: {names}", f"has skills: {names}"))

    history = worker.get("work_history") or []
    codes = list(worker.get("desired_occupations") or []) + [h["occupation_code"] for h in history
                                                              if h.get("occupation_code")]
    features["occupation"] = occupation_proximity(job.get("occupation_code", ""), codes)
    occupation = job.get("occupation") or {}
    title = occupation.get("title_vi", "")
    if features["occupation"] == 1.0:
        reasons.append(Reason(f"đúng nghề mong muốn/đã làm: {title}",
                              f"same occupation as wanted or held: {occupation.get('title_en', '')}"))
    elif features["occupation"] >= 0.5:
        reasons.append(Reason(f"nghề gần với {title}", "closely related occupation"))

    required_level, level = job.get("min_training_level", "none"), worker.get("training_level", "none")
    features["training"] = training_fit(required_level, level)
    held = held_certificates(worker)
    certified = [c for c in job.get("certificates") or [] if fold(c) in held]
    if required_level != "none" or certified:
        cert_vi = f"có {', '.join(certified).lower()}, " if certified else ""
        cert_en = f"holds {', '.join(certified)}; " if certified else ""
        reasons.append(Reason(
            f"{cert_vi}trình độ {TRAINING_LABELS_VI[level]} — yêu cầu: {TRAINING_LABELS_VI[required_level]}",
            f"{cert_en}training {TRAINING_LABELS_EN[level]} — required: {TRAINING_LABELS_EN[required_level]}"))

    need_years, years = job.get("min_experience_years") or 0, worker.get("experience_years") or 0
    features["experience"] = 1.0 if need_years <= 0 else min(1.0, years / need_years)
    if years:
        reasons.append(Reason(f"{years:g} năm kinh nghiệm", f"{years:g} years of experience"))

    features["salary"] = salary_fit(job, worker)
    if worker.get("desired_salary_min") and (job.get("salary_max") or job.get("salary_min")):
        reasons.append(Reason(f"lương {_money(job.get('salary_min'))}–{_money(job.get('salary_max'))}/tháng, "
                              f"mong muốn từ {_money(worker.get('desired_salary_min'))}",
                              f"pays {_money(job.get('salary_min'))}–{_money(job.get('salary_max'))} VND/month, "
                              f"wants from {_money(worker.get('desired_salary_min'))}".replace("triệu", "M")))

    distance = distance_km(job, worker)
    limit = worker.get("max_commute_km") or PROVINCE_SCALE_KM
    if job.get("work_mode") == "remote":
        features["distance"] = 1.0
        reasons.append(Reason("làm việc từ xa", "remote work"))
    elif distance is not None:
        features["distance"] = max(0.0, 1.0 - distance / max(limit, 1.0))
        reasons.append(Reason(f"cách {distance:.1f} km", f"{distance:.1f} km away"))
    else:
        here = (job.get("workplace") or {}).get("commune_code")
        features["distance"] = 1.0 if here == (worker.get("residence") or {}).get("commune_code") else 0.5

    needs = (worker.get("disability") or {}).get("accommodations_needed") or []
    features["accommodation"] = 1.0  # pairs whose needs are not met never get here
    if needs:
        reasons.append(Reason("nơi làm việc đáp ứng điều kiện hỗ trợ cần thiết",
                              "the workplace offers the accommodations needed", sensitive=True))

    day = job.get("posted_at") if side == "jobs" else worker.get("registered_at")
    features["freshness"] = freshness(day, today)

    total = sum(weights.values()) or 1.0
    score = sum(weights.get(name, 0.0) * value for name, value in features.items()) / total
    applied = {group: boosts[group] for group in worker.get("priority_groups") or [] if boosts.get(group)}
    if applied and side == "workers":
        reasons.append(Reason("ưu tiên theo chính sách: " + ", ".join(applied),
                              "policy priority: " + ", ".join(applied), sensitive=True))
    boost = sum(applied.values()) if side == "workers" else 0.0
    return Scored(score=score + boost, features=features, boost=boost,
                  boosts=applied if side == "workers" else {}, reasons=reasons)

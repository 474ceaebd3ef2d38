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

from jobmatch.matching.constraints import commute_limit, distance_km, held_certificates, missing_certificate
from jobmatch.records.vocab import TRAINING_LABELS_VI, TRAINING_RANK
from jobmatch.reference import place_point
from jobmatch.text import fold

Document = dict[str, Any]
FRESHNESS_HALF_LIFE_DAYS = 60.0
TRAINING_LABELS_EN = {"none": "no formal training", "so_cap": "elementary vocational (sơ cấp)",
                      "trung_cap": "intermediate vocational (trung cấp)", "cao_dang": "college (cao đẳng)",
                      "dai_hoc": "university", "sau_dai_hoc": "postgraduate"}


MET, PARTLY, NOT_MET = "met", "partly_met", "not_met"


@dataclass
class Reason:
    """One sentence a counsellor can read out, in both languages, saying whether a requirement is met."""

    vi: str
    en: str
    status: str = MET  # met, partly_met or not_met: an unmet requirement never reads as a strength
    sensitive: bool = False  # reveals disability or a priority group: never shown to employers
    feature: str | None = None


@dataclass
class Flag:
    """A requirement the stated profile may not meet (free-text search keeps such vacancies, marked)."""

    code: str
    vi: str
    en: str


@dataclass
class Scored:
    """A pair's known features, weighted score, boost and reasons.

    Features the two records (or a free-text profile) do not state are absent, not zero: the score is the
    weighted mean over the features that are known.
    """

    score: float
    features: dict[str, float]
    boost: float = 0.0
    boosts: dict[str, float] = field(default_factory=dict)
    reasons: list[Reason] = field(default_factory=list)
    distance_km: float | None = None

    def breakdown(self, weights: dict[str, float]) -> dict[str, Any]:
        """Return the explanation: each known feature's value, weight and contribution, plus boosts."""
        total = sum(weights.get(name, 0.0) for name in self.features) or 1.0
        return {"features": {name: {"value": round(value, 4), "weight": weights.get(name, 0.0),
                                    "contribution": round(weights.get(name, 0.0) * value / total, 4)}
                             for name, value in self.features.items()},
                "unknown": sorted(set(weights) - set(self.features)),
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


def coded_history(worker: Document) -> list[Document]:
    """Return the work history with each job's code: as given, else as auto-coded at registration."""
    codes = worker.get("work_history_codes") or []
    history = worker.get("work_history") or []
    return [{**item, "occupation_code": item.get("occupation_code") or (codes[i] if i < len(codes) else None)}
            for i, item in enumerate(history)]


def related_experience(history: list[Document], code: str, this_year: int) -> float | None:
    """Return the years spent in the same or a related occupation (same ISCO-08 sub-major group).

    None when no history entry is coded, so that uncoded years are neither cited nor counted as none.
    """
    coded = [h for h in history if h.get("occupation_code")]
    if not coded or not code:
        return None
    years = 0
    for item in coded:
        if occupation_proximity(code, [item["occupation_code"]]) >= 0.5:
            years += max(0, (item.get("to_year") or this_year) - item["from_year"])
    return float(years)


def _money(value: int | None) -> str:
    return f"{value / 1_000_000:g} triệu" if value else "?"


def _money_en(value: int | None) -> str:
    return f"{value / 1_000_000:g} M VND" if value else "?"


def _skills(job: Document, worker: Document, features: dict[str, float], reasons: list[Reason]) -> None:
    essential_required, optional_required = job.get("essential_skills") or [], job.get("optional_skills") or []
    held = worker.get("skills") or []
    if not held or not (essential_required or optional_required):
        return  # nothing stated on one side: unknown, not a mismatch
    essential, matched = skill_coverage(essential_required, held)
    optional, matched_optional = skill_coverage(optional_required, held)
    features["skills"] = (2 * essential + optional) / 3 if essential_required else optional
    if matched or matched_optional:
        names = ", ".join(matched + matched_optional)
        status = MET if essential_required and essential == 1.0 else PARTLY
        reasons.append(Reason(f"có kỹ năng: {names}", f"has skills: {names}", status, feature="skills"))
    elif essential_required:
        names = ", ".join(essential_required[:3])
        reasons.append(Reason(f"chưa có kỹ năng yêu cầu: {names}", f"lacks the required skills: {names}", NOT_MET,
                              feature="skills"))


def _occupation(job: Document, worker: Document, features: dict[str, float], reasons: list[Reason]) -> None:
    history = coded_history(worker)
    codes = list(worker.get("desired_occupations") or []) + [h["occupation_code"] for h in history
                                                              if h.get("occupation_code")]
    if not codes or not job.get("occupation_code"):
        return
    features["occupation"] = occupation_proximity(job["occupation_code"], codes)
    occupation = job.get("occupation") or {}
    title_vi, title_en = occupation.get("title_vi", ""), occupation.get("title_en", "")
    if features["occupation"] == 1.0:
        reasons.append(Reason(f"đúng nghề mong muốn/đã làm: {title_vi}",
                              f"same occupation as wanted or held: {title_en}", feature="occupation"))
    elif features["occupation"] >= 0.5:
        reasons.append(Reason(f"nghề gần với {title_vi}", f"related occupation: {title_en}", PARTLY,
                              feature="occupation"))


def _training(job: Document, worker: Document, features: dict[str, float], reasons: list[Reason],
              flags: list[Flag]) -> None:
    required = job.get("min_training_level") or "none"
    held = held_certificates(worker)
    certified = [c for c in job.get("certificates") or [] if fold(c) in held]
    if certified:
        names = ", ".join(certified)
        reasons.append(Reason(f"có {names}", f"holds {names}", feature="training"))
    if "training_level" not in worker:  # free text that named no level
        if required != "none":
            flags.append(Flag("training_level", f"yêu cầu trình độ {TRAINING_LABELS_VI[required]} — chưa rõ trình độ",
                              f"requires {TRAINING_LABELS_EN[required]} — the person's level is not known"))
        return
    level = worker["training_level"]
    features["training"] = training_fit(required, level)
    if required == "none":
        return
    if features["training"] == 1.0:
        reasons.append(Reason(f"trình độ {TRAINING_LABELS_VI[level]} — đạt yêu cầu {TRAINING_LABELS_VI[required]}",
                              f"training {TRAINING_LABELS_EN[level]} — meets the required "
                              f"{TRAINING_LABELS_EN[required]}", feature="training"))
    else:
        reasons.append(Reason(f"trình độ {TRAINING_LABELS_VI[level]} — chưa đạt yêu cầu "
                              f"{TRAINING_LABELS_VI[required]}",
                              f"training {TRAINING_LABELS_EN[level]} — below the required "
                              f"{TRAINING_LABELS_EN[required]}", NOT_MET, feature="training"))


def _experience(job: Document, worker: Document, features: dict[str, float], reasons: list[Reason],
                today: date) -> None:
    need = job.get("min_experience_years") or 0
    related = related_experience(coded_history(worker), job.get("occupation_code", ""), today.year)
    if related is None:
        related = worker.get("stated_experience_years")  # said in free text, in the occupation asked about
    if related is None:
        return
    features["experience"] = 1.0 if need <= 0 else min(1.0, related / need)
    title = (job.get("occupation") or {}).get("title_vi", "")
    if related and need <= related:
        reasons.append(Reason(f"{related:g} năm kinh nghiệm nghề {title.lower()}" if title else
                              f"{related:g} năm kinh nghiệm", f"{related:g} years of related experience",
                              feature="experience"))
    elif related:
        reasons.append(Reason(f"{related:g} năm kinh nghiệm liên quan — yêu cầu {need:g} năm",
                              f"{related:g} years of related experience — {need:g} required", PARTLY,
                              feature="experience"))
    elif need > 0:
        reasons.append(Reason(f"chưa có kinh nghiệm liên quan — yêu cầu {need:g} năm",
                              f"no related experience — {need:g} years required", NOT_MET, feature="experience"))


def _salary(job: Document, worker: Document, features: dict[str, float], reasons: list[Reason]) -> None:
    wish, low, high = worker.get("desired_salary_min"), job.get("salary_min"), job.get("salary_max")
    offer = high or low
    if not wish or not offer:
        return  # no wish, or pay "thỏa thuận": unknown
    features["salary"] = salary_fit(job, worker)
    pay_vi = f"{_money(low)}–{_money(high)}" if low and high and low != high else _money(offer)
    pay_en = f"{_money_en(low)}–{_money_en(high)}" if low and high and low != high else _money_en(offer)
    if offer >= wish:
        reasons.append(Reason(f"lương {pay_vi}/tháng, đạt mong muốn từ {_money(wish)}",
                              f"pays {pay_en} a month, meets the wish of {_money_en(wish)}", feature="salary"))
    else:
        reasons.append(Reason(f"lương tối đa {_money(offer)}/tháng, thấp hơn mong muốn {_money(wish)}",
                              f"pays at most {_money_en(offer)} a month, below the wish of {_money_en(wish)}",
                              NOT_MET, feature="salary"))


def _distance(job: Document, worker: Document, features: dict[str, float], reasons: list[Reason]) -> float | None:
    if job.get("work_mode") == "remote":
        features["distance"] = 1.0
        reasons.append(Reason("làm việc từ xa", "remote work", feature="distance"))
        return None
    distance = distance_km(job, worker)
    if distance is None:
        return None
    limit = commute_limit(worker)
    features["distance"] = max(0.0, 1.0 - distance / max(limit, 1.0))
    _, source = place_point(job.get("workplace"))
    _, home = place_point(worker.get("residence"))
    rough = "commune_centroid" in (source, home)
    shown = max(1, round(distance))
    vi = f"cách khoảng {shown} km (tính từ trung tâm xã)" if rough else f"cách {shown} km"
    en = f"about {shown} km away (from the commune centre)" if rough else f"{shown} km away"
    reasons.append(Reason(vi, en, MET if distance <= limit else NOT_MET, feature="distance"))
    return distance


WORK_MODES_VI = {"on_site": "làm tại nơi làm việc", "remote": "làm từ xa / tại nhà", "hybrid": "kết hợp"}


def _work_mode(job: Document, worker: Document, features: dict[str, float], reasons: list[Reason]) -> None:
    wanted = worker.get("desired_work_modes") or []
    if not wanted:
        return
    mode = job.get("work_mode") or "on_site"
    features["work_mode"] = 1.0 if mode in wanted else 0.0
    if mode in wanted and mode != "on_site":
        reasons.append(Reason(WORK_MODES_VI[mode], f"work mode: {mode}", feature="work_mode"))
    elif mode not in wanted:
        reasons.append(Reason(f"{WORK_MODES_VI[mode]}, không như mong muốn ({WORK_MODES_VI[wanted[0]]})",
                              f"work mode {mode}, not the {wanted[0]} wanted", NOT_MET, feature="work_mode"))


def score_pair(job: Document, worker: Document, *, similarity: float | None, weights: dict[str, float],
               boosts: dict[str, float], today: date, side: str = "workers", retrieval: float = 0.0,
               flags: list[Flag] | None = None) -> Scored:
    """Score one pair; `side` is what is being ranked ("workers" for a vacancy, "jobs" for a person).

    `retrieval` is the pair's fused retrieval score relative to the best candidate (0..1); `similarity` the
    cosine of the two vectors, None when unknown. Requirements the
    profile does not state are appended to `flags` when given.
    """
    reasons: list[Reason] = []
    flags = [] if flags is None else flags
    features: dict[str, float] = {"retrieval": max(0.0, min(1.0, retrieval))}
    if similarity is not None:  # None: a vector of text the model cannot read says nothing
        features["semantic"] = max(0.0, min(1.0, similarity))
    _occupation(job, worker, features, reasons)
    _skills(job, worker, features, reasons)
    _training(job, worker, features, reasons, flags)
    _experience(job, worker, features, reasons, today)
    _salary(job, worker, features, reasons)
    distance = _distance(job, worker, features, reasons)
    _work_mode(job, worker, features, reasons)

    if (worker.get("disability") or {}).get("accommodations_needed"):
        # Not a feature: pairs whose needs are not met never get here, and a constant would lift disabled people.
        reasons.append(Reason("nơi làm việc đáp ứng điều kiện hỗ trợ cần thiết",
                              "the workplace offers the accommodations needed", sensitive=True))

    day = job.get("posted_at") if side == "jobs" else worker.get("registered_at")
    features["freshness"] = freshness(day, today)

    total = sum(weights.get(name, 0.0) for name in features) or 1.0
    score = sum(weights.get(name, 0.0) * value for name, value in features.items()) / total
    applied = {group: boosts[group] for group in worker.get("priority_groups") or [] if boosts.get(group)}
    if applied and side == "workers":
        reasons.append(Reason("ưu tiên theo chính sách: " + ", ".join(applied),
                              "policy priority: " + ", ".join(applied), sensitive=True))
    boost = sum(applied.values()) if side == "workers" else 0.0
    return Scored(score=score + boost, features=features, boost=boost,
                  boosts=applied if side == "workers" else {}, reasons=reasons, distance_km=distance)


def soft_flag(problem: str, job: Document, worker: Document) -> Flag:
    """Describe a constraint a free-text profile may not meet (the result stays in the list, flagged)."""
    if problem == "certificate":
        name = missing_certificate(job, worker) or ""
        return Flag("certificate", f"cần {name} — chưa ghi nhận có", f"requires {name} — not stated as held")
    if problem == "commute":
        distance = distance_km(job, worker) or 0.0
        return Flag("commute", f"cách khoảng {distance:.0f} km — xa hơn {commute_limit(worker):g} km",
                    f"about {distance:.0f} km away — beyond {commute_limit(worker):g} km")
    return Flag(problem, problem, problem)

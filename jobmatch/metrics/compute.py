"""Indicator arithmetic as pure functions: rates from counts, exact medians, changes between periods."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """Return numerator ÷ denominator, or None when the denominator is zero or unknown."""
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def median_from_counts(counts: Mapping[float, int]) -> float | None:
    """Return the exact median of values given as {value: how many times}; None when empty.

    Elasticsearch's percentiles are approximate (t-digest); the days counted here have few distinct values,
    so counting them exactly is cheap and the report matches a hand computation.
    """
    total = sum(counts.values())
    if not total:
        return None
    ordered = sorted(counts.items())
    wanted = [(total - 1) // 2, total // 2]  # the middle one, or the two middle ones
    found: list[float] = []
    seen = 0
    for value, count in ordered:
        while wanted and wanted[0] < seen + count:
            found.append(value)
            wanted.pop(0)
        seen += count
    return (found[0] + found[1]) / 2


def derive(counts: Mapping[str, Any], labour_force: Mapping[str, Any] | None = None,
           area: str | None = None) -> dict[str, Any]:
    """Return every indicator from the raw counts of one group (or the whole province).

    `area` is "urban" or "rural" when the group is one of them (its own labour force is the denominator).
    """
    values: dict[str, Any] = {key: counts.get(key) for key in (
        "new_jobseekers", "active_jobseekers", "registered_unemployed", "new_vacancies", "new_openings",
        "open_vacancies", "open_openings", "referrals", "placements", "vacancies_filled", "pwd_registered",
        "pwd_placements", "placements_insured")}
    values["placement_rate"] = ratio(counts.get("placements"), counts.get("active_jobseekers"))
    values["referral_success_rate"] = ratio(counts.get("placements"), counts.get("referrals"))
    # By group, hires into the group's vacancies (placements_by_vacancy); for the province the same as placements.
    values["vacancy_fill_rate"] = ratio(counts.get("placements_by_vacancy", counts.get("placements")),
                                        counts.get("open_openings"))
    values["insured_share_placements"] = ratio(counts.get("placements_insured"),
                                               counts.get("placements_insurance_known"))
    values["median_days_to_placement"] = median_from_counts(counts.get("days_to_placement") or {})
    values["median_days_to_fill"] = median_from_counts(counts.get("days_to_fill") or {})
    values["trained_share_jobseekers"] = ratio(counts.get("active_trained"), counts.get("active_jobseekers"))
    values["trained_any_share_jobseekers"] = ratio(counts.get("active_trained_any"), counts.get("active_jobseekers"))
    values["trained_share_placements"] = ratio(counts.get("placements_trained"), counts.get("placements"))
    values["pwd_employment_rate"] = ratio(counts.get("pwd_employed"), counts.get("pwd_base"))
    force = labour_force or {}
    denominator = force.get(area) if area else force.get("total")
    values["registered_unemployment_rate"] = ratio(counts.get("registered_unemployed"), denominator)
    values["registered_unemployment_rate_urban"] = (
        ratio(counts.get("registered_unemployed_urban"), force.get("urban")) if area is None else None)
    return values


def change(current: float | None, previous: float | None) -> dict[str, float | None]:
    """Return the absolute and relative change from `previous` to `current` (None where undefined)."""
    if current is None or previous is None:
        return {"absolute": None, "relative": None}
    return {"absolute": current - previous, "relative": ratio(current - previous, previous)}


def month_bounds(month: str) -> tuple[date, date]:
    """Return the first and last day of a "YYYY-MM" month."""
    first = date.fromisoformat(f"{month}-01")
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def shift_month(month: str, months: int) -> str:
    """Return the "YYYY-MM" month `months` later (negative: earlier)."""
    first = date.fromisoformat(f"{month}-01")
    index = first.year * 12 + first.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"

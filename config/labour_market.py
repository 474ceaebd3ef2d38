"""Labour-force denominators and the province's 2030 targets, with their sources. Read once.

Denominators: the labour force aged 15+ from the GSO labour force survey (../shared/data/gso_pxweb_jsonstat,
`luc_luong_lao_dong.csv`, thousands of people), per year and per administrative unit. The centre's registers
cover the former Sóc Trăng province, which on 1 July 2025 became part of Thành phố Cần Thơ (with the former
Cần Thơ city and Hậu Giang province): a registered-unemployment rate is registered people of that area over
that area's labour force, so the denominator stays the former Sóc Trăng's figure (old unit) after the merger;
the merged city's total (the sum of the three former units, computed here, not published by GSO) is shown
beside it for context. A month is divided by the newest year published up to its own year (2021 is the last
year, and preliminary, in the tables we have). No urban or rural split is published in those tables, so the
urban rate is left out until a province sets one. Override with LABOUR_FORCE, a JSON object such as
{"total": 600000, "urban": 180000, "rural": 420000, "year": 2025, "source": "..."}, which then applies to every
period.

Targets: Programme 50-CTr/TU implementing Resolution 42-NQ/TW (../shared/seeds), each judged on an official
figure an analyst enters (FIGURES), with the nearest register indicator beside it for context.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

GSO_SOURCE = "GSO labour force survey, labour force aged 15+ by province (luc_luong_lao_dong), {year}{prelim}"
# Former units (before 1 July 2025), people aged 15+; 2021 is preliminary ("Sơ bộ").
LABOUR_FORCE_BY_UNIT: dict[str, dict[int, int]] = {
    "soc_trang": {2015: 658_800, 2016: 682_700, 2017: 674_400, 2018: 670_100, 2019: 657_900, 2020: 641_910,
                  2021: 614_100},
    "can_tho_former": {2015: 723_200, 2016: 723_100, 2017: 726_200, 2018: 731_000, 2019: 720_200, 2020: 716_780,
                       2021: 584_300},
    "hau_giang": {2015: 440_000, 2016: 450_200, 2017: 455_800, 2018: 450_700, 2019: 420_300, 2020: 402_330,
                  2021: 394_100},
}
PRELIMINARY_YEARS = frozenset({2021})
UNIT_LABELS = {"soc_trang": "Sóc Trăng (tỉnh cũ, vùng phục vụ của Trung tâm)",
               "can_tho_former": "Cần Thơ (thành phố cũ)", "hau_giang": "Hậu Giang (tỉnh cũ)",
               "can_tho": "Thành phố Cần Thơ (từ 1/7/2025: Cần Thơ, Sóc Trăng, Hậu Giang)"}
SERVICE_AREA = "soc_trang"
MERGED_UNIT = ("can_tho_former", "soc_trang", "hau_giang")
DEFAULT_LABOUR_FORCE: dict[str, Any] = {
    "total": LABOUR_FORCE_BY_UNIT[SERVICE_AREA][2021], "urban": None, "rural": None, "year": 2021,
    "unit": SERVICE_AREA, "source": GSO_SOURCE.format(year=2021, prelim=" (preliminary)"),
}


def labour_force_for(config: Mapping[str, Any], year: int) -> dict[str, Any]:
    """Return the denominators for a period ending in `year`: the service area's newest published year up to
    `year` (the earliest when `year` precedes them all), with its source and the merged city's total beside it;
    a LABOUR_FORCE override applies to every year as given. Pure."""
    if config.get("override") or config.get("unit") is None:  # set by hand: the caller's figures as given
        return dict(config)
    series = LABOUR_FORCE_BY_UNIT[SERVICE_AREA]
    used = max((y for y in series if y <= year), default=min(series))
    prelim = " (preliminary)" if used in PRELIMINARY_YEARS else ""
    merged = sum(LABOUR_FORCE_BY_UNIT[unit][used] for unit in MERGED_UNIT)
    return {"total": series[used], "urban": None, "rural": None, "year": used, "unit": SERVICE_AREA,
            "unit_label": UNIT_LABELS[SERVICE_AREA], "source": GSO_SOURCE.format(year=used, prelim=prelim),
            "merged_unit": {"unit": "can_tho", "label": UNIT_LABELS["can_tho"], "total": merged,
                            "note": "sum of the three former units for the same year, computed by jobmatch"}}


# Figures an analyst enters from outside the registers (`jobmatch figures set`, PUT /api/v1/figures/...): the
# official, population-wide measures the targets are defined on. Each says what it is and where it comes from.
FIGURES: dict[str, dict[str, str]] = {
    "unemployment_rate": {
        "label_vi": "Tỷ lệ thất nghiệp chung (điều tra lao động việc làm)", "label_en": "Unemployment rate (LFS)",
        "kind": "survey", "unit": "rate",
        "source_hint": "GSO labour force survey (Điều tra lao động việc làm), province estimate"},
    "unemployment_rate_urban": {
        "label_vi": "Tỷ lệ thất nghiệp thành thị (điều tra)", "label_en": "Urban unemployment rate (LFS)",
        "kind": "survey", "unit": "rate", "source_hint": "GSO labour force survey, urban areas of the province"},
    "trained_share_qualification": {
        "label_vi": "Tỷ lệ lao động qua đào tạo có bằng cấp, chứng chỉ",
        "label_en": "Share of the labour force trained with a degree or certificate",
        "kind": "survey", "unit": "share",
        "source_hint": "GSO labour force survey (sơ cấp or higher; 26.1% nationally in 2021)"},
    "trained_share_any": {
        "label_vi": "Tỷ lệ lao động qua đào tạo (kể cả đào tạo dưới 3 tháng)",
        "label_en": "Share of the labour force trained, short courses included (MOLISA definition)",
        "kind": "administrative", "unit": "share",
        "source_hint": "Sở Nội vụ / former Sở LĐ-TB&XH annual report (qua đào tạo, incl. courses under 3 months)"},
    "pwd_employment_rate": {
        "label_vi": "Tỷ lệ người khuyết tật còn khả năng lao động có việc làm",
        "label_en": "Employment rate of people with disabilities who can work",
        "kind": "administrative", "unit": "share",
        "source_hint": "Provincial social-protection survey of people with disabilities"},
    "social_insurance_coverage": {
        "label_vi": "Tỷ lệ lực lượng lao động trong độ tuổi tham gia bảo hiểm xã hội",
        "label_en": "Share of the working-age labour force in social insurance",
        "kind": "administrative", "unit": "share", "source_hint": "Bảo hiểm xã hội (social insurance agency)"},
    "unemployment_insurance_coverage": {
        "label_vi": "Tỷ lệ lực lượng lao động trong độ tuổi tham gia bảo hiểm thất nghiệp",
        "label_en": "Share of the working-age labour force in unemployment insurance",
        "kind": "administrative", "unit": "share", "source_hint": "Bảo hiểm xã hội (social insurance agency)"},
}

# Each target: the bound, the official figure it is judged on (FIGURES) and, beside it for context only, the
# register indicator closest to it, which covers registered jobseekers, not the labour force: never "met" on it.
TARGETS_2030: tuple[dict[str, Any], ...] = (
    {"key": "unemployment_general", "figure": "unemployment_rate", "register": "registered_unemployment_rate",
     "op": "<", "value": 0.03, "source": "Chương trình 50-CTr/TU, mục tiêu (2)",
     "label_vi": "Tỷ lệ thất nghiệp chung dưới 3%", "label_en": "General unemployment below 3%"},
    {"key": "unemployment_urban", "figure": "unemployment_rate_urban",
     "register": "registered_unemployment_rate_urban", "op": "<", "value": 0.04,
     "source": "Chương trình 50-CTr/TU, mục tiêu (2)",
     "label_vi": "Tỷ lệ thất nghiệp khu vực thành thị dưới 4%", "label_en": "Urban unemployment below 4%"},
    # "35–40%" is a floor the programme aims to reach by 2030: above 40% also meets it.
    {"key": "trained_with_qualification", "figure": "trained_share_qualification",
     "register": "trained_share_jobseekers", "op": ">=", "value": 0.35,
     "source": "Chương trình 50-CTr/TU, mục tiêu (3)",
     "label_vi": "35–40% lao động qua đào tạo có bằng cấp, chứng chỉ",
     "label_en": "35–40% of workers trained with a degree or certificate"},
    # Stated in the province's own account of the programme (../shared/seeds/000_*), next to the 40% PwD target.
    {"key": "trained_any", "figure": "trained_share_any", "register": "trained_any_share_jobseekers", "op": ">=",
     "value": 0.58,
     "source": "Chương trình 50-CTr/TU (bài viết của tỉnh)", "label_vi": "58% tỷ lệ lao động qua đào tạo",
     "label_en": "58% of workers trained (short courses included)"},
    {"key": "disability_employment", "figure": "pwd_employment_rate", "register": "pwd_employment_rate",
     "op": ">=", "value": 0.40, "source": "Chương trình 50-CTr/TU",
     "label_vi": "40% người khuyết tật còn khả năng lao động có việc làm",
     "label_en": "40% of people with disabilities who can work are employed"},
    {"key": "social_insurance", "figure": "social_insurance_coverage", "register": "insured_share_placements",
     "op": ">=", "value": 0.60,
     "source": "Chương trình 50-CTr/TU, mục tiêu (4)",
     "label_vi": "60% lực lượng lao động trong độ tuổi tham gia bảo hiểm xã hội",
     "label_en": "60% of the working-age labour force in social insurance"},
    {"key": "unemployment_insurance", "figure": "unemployment_insurance_coverage", "register": None, "op": ">=",
     "value": 0.45, "source": "Chương trình 50-CTr/TU, mục tiêu (4)",
     "label_vi": "45% lực lượng lao động trong độ tuổi tham gia bảo hiểm thất nghiệp",
     "label_en": "45% of the working-age labour force in unemployment insurance"},
)


def load_labour_force(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return the labour-force denominators, from the defaults and LABOUR_FORCE."""
    env = os.environ if env is None else env
    values = dict(DEFAULT_LABOUR_FORCE)
    raw = env.get("LABOUR_FORCE")
    if raw:
        parsed = json.loads(raw)
        if not isinstance(parsed, dict):
            raise ValueError("LABOUR_FORCE must be a JSON object")
        for key in ("total", "urban", "rural"):
            if parsed.get(key) is not None and (not isinstance(parsed[key], int) or parsed[key] <= 0):
                raise ValueError(f"LABOUR_FORCE.{key} must be a positive whole number")
        values.update(parsed, override=True)
    return values

"""Labour-force denominators and the province's 2030 targets, with their sources. Read once.

Denominators: the labour force aged 15+ from the GSO labour force survey (../shared/data/gso_pxweb_jsonstat,
`luc_luong_lao_dong.csv`: Sóc Trăng 2021 preliminary, 614.1 thousand). No urban or rural split is published in
those tables, so the urban rate is left out until a province sets one. Override with LABOUR_FORCE, a JSON
object such as {"total": 600000, "urban": 180000, "rural": 420000, "year": 2025, "source": "..."}.

Targets: Programme 50-CTr/TU implementing Resolution 42-NQ/TW (../shared/seeds).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

DEFAULT_LABOUR_FORCE: dict[str, Any] = {
    "total": 614_100, "urban": None, "rural": None, "year": 2021,
    "source": "GSO labour force survey, labour force aged 15+ by province, Sóc Trăng 2021 (preliminary)",
}

# Each target: the indicator it is read against, the comparison, the bound(s) and the wording of the source.
TARGETS_2030: tuple[dict[str, Any], ...] = (
    {"key": "unemployment_general", "indicator": "registered_unemployment_rate", "op": "<", "value": 0.03,
     "label_vi": "Tỷ lệ thất nghiệp chung dưới 3%", "label_en": "General unemployment below 3%"},
    {"key": "unemployment_urban", "indicator": "registered_unemployment_rate_urban", "op": "<", "value": 0.04,
     "label_vi": "Tỷ lệ thất nghiệp khu vực thành thị dưới 4%", "label_en": "Urban unemployment below 4%"},
    # "35–40%" is a floor the programme aims to reach by 2030: above 40% also meets it.
    {"key": "trained_with_qualification", "indicator": "trained_share_jobseekers", "op": ">=", "value": 0.35,
     "label_vi": "35–40% lao động qua đào tạo có bằng cấp, chứng chỉ",
     "label_en": "35–40% of workers trained with a degree or certificate"},
    {"key": "disability_employment", "indicator": "pwd_employment_rate", "op": ">=", "value": 0.40,
     "label_vi": "40% người khuyết tật còn khả năng lao động có việc làm",
     "label_en": "40% of people with disabilities who can work are employed"},
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
        values.update(parsed)
    return values

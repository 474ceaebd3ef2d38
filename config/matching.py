"""Matching weights and policy boosts, with the reason for each. Overridable with MATCH_WEIGHTS / MATCH_BOOSTS
(JSON objects in the environment); read once by `load_matching_config`."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

# Feature weights of the ranking score (they need not sum to 1; the score is the weighted mean of the features
# a pair states: what neither record nor the query says is left out, not scored as zero). Accommodation is a
# hard constraint, not a feature: as a constant it would lift everyone who states a need.
DEFAULT_WEIGHTS: dict[str, float] = {
    "semantic": 3.0,       # embedding similarity carries most of what the text says about fit
    "retrieval": 3.0,      # the fused kNN+BM25 rank (normalised): keeps the lexical evidence in the ranking
    "skills": 2.0,         # share of the vacancy's essential skills the person has (optional ones count half)
    "occupation": 2.0,     # ISCO-08 proximity: same unit group > minor > sub-major > major group
    "training": 1.5,       # training level against the requirement
    "experience": 1.0,     # years against the requirement
    "salary": 1.0,         # the person's wish against what the vacancy pays
    "distance": 1.0,       # commute against the person's maximum
    "work_mode": 1.0,      # on site / remote / hybrid as the person wants (only when they said)
    "freshness": 0.5,      # recently posted vacancies / recently registered people first, all else equal
}

# Policy priority groups may be boosted (added after the weighted mean, shown in the breakdown). Off by
# default: a province sets them deliberately, e.g. {"poor_household": 0.03, "ethnic_minority": 0.03}.
DEFAULT_BOOSTS: dict[str, float] = {}


def _overrides(name: str, defaults: Mapping[str, float], env: Mapping[str, str]) -> dict[str, float]:
    raw = env.get(name)
    values = dict(defaults)
    if raw:
        parsed: Any = json.loads(raw)
        if not isinstance(parsed, dict) or not all(isinstance(v, int | float) for v in parsed.values()):
            raise ValueError(f"{name} must be a JSON object of numbers")
        values.update({str(k): float(v) for k, v in parsed.items()})
    return values


def load_matching_config(env: Mapping[str, str] | None = None) -> dict[str, dict[str, float]]:
    """Return {"weights": ..., "boosts": ...} from defaults and the environment."""
    env = os.environ if env is None else env
    weights = _overrides("MATCH_WEIGHTS", DEFAULT_WEIGHTS, env)
    unknown = set(weights) - set(DEFAULT_WEIGHTS)
    if unknown:
        raise ValueError(f"MATCH_WEIGHTS: unknown features {sorted(unknown)}")
    return {"weights": weights, "boosts": _overrides("MATCH_BOOSTS", DEFAULT_BOOSTS, env)}

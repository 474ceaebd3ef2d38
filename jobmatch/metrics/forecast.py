"""Forecasts of monthly counts (new vacancies, new jobseekers) with a rolling-origin backtest (pure functions).

A series is a list of (month "YYYY-MM", count), consecutive months, oldest first. The models are exponential
smoothing (ETS, additive errors) from statsmodels:

- `ses`: simple exponential smoothing (level only);
- `holt_damped`: additive damped trend — the usual choice for short administrative series, where a straight
  trend carried forward overshoots;
- `holt`: additive (undamped) trend;
- `holt_winters`: additive trend and additive seasonality of 12 months, only offered with ≥ 24 months of
  training (two full years: with fewer, the seasonal terms are fitted on one value each).

and the benchmarks `naive` (last value) and `seasonal_naive` (the value 12 months earlier).

Backtest: rolling origin. At every origin t (from the minimum training window to the last month), each method
is fitted on months [0, t) and forecasts t, t+1, t+2 (horizons 1–3, as far as the data reaches). The minimum
training window is 6 months (`MIN_TRAIN`): a trend needs a few months to be told from noise; it is 12 months
when the benchmark is the seasonal naive (it needs a year behind every origin), and 24 when Holt-Winters is
tried (series of 27 months or more). All candidates are scored from the same origins.
The benchmark is the seasonal naive when the series has at least a year plus `MIN_ORIGINS` months, else the
naive. MASE divides the mean absolute error of the backtest by the in-sample mean absolute error of the
benchmark's one-step forecast over the whole series (lag 12 or 1), so the benchmark itself scores about 1
and a method below 1 beats it. MAPE (percent) is over the months with a non-zero count.

Method choice: the candidate (benchmarks included) with the lowest backtest MASE; ties go to the simpler one
(order of `CANDIDATES`). With too short a history for any backtest the naive forecast is published, labelled so.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

Series = list[tuple[str, int]]
HORIZON = 3
SEASON = 12
MIN_TRAIN = 6  # months before the first origin (12 when the benchmark is seasonal)
MIN_ORIGINS = 3  # backtest origins needed before the seasonal naive is used as the benchmark
SEASONAL_TRAIN = 24  # months of training before Holt-Winters (seasonal ETS) is a candidate
# Simplest first: a tie in MASE goes to the first.
CANDIDATES = ("naive", "seasonal_naive", "ses", "holt_damped", "holt", "holt_winters")


@dataclass
class Backtest:
    """Backtest figures of one method on one series."""

    method: str
    mase: float | None
    mape: float | None
    errors: int  # number of (origin, horizon) forecasts scored


@dataclass
class Forecast:
    """The chosen method's forecast of the next months, with its backtest and the benchmark's."""

    method: str
    months: list[str]
    values: list[float]
    benchmark: str
    backtest: Backtest | None
    benchmark_backtest: Backtest | None
    candidates: list[Backtest] = field(default_factory=list)


def next_months(month: str, n: int) -> list[str]:
    """Return the `n` months after `month` ("YYYY-MM")."""
    year, mon = int(month[:4]), int(month[5:7])
    out = []
    for _ in range(n):
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
        out.append(f"{year:04d}-{mon:02d}")
    return out


def _ets(train: np.ndarray, method: str, horizon: int) -> np.ndarray:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing  # heavy import: only when a model is fitted

    options: dict[str, Any] = {"ses": {}, "holt": {"trend": "add"},
                               "holt_damped": {"trend": "add", "damped_trend": True},
                               "holt_winters": {"trend": "add", "seasonal": "add",
                                                "seasonal_periods": SEASON}}[method]
    if np.ptp(train) == 0:  # a flat history: the optimiser has nothing to fit and every ETS gives the level
        return np.full(horizon, float(train[-1]))
    with warnings.catch_warnings():
        # Short series make the optimiser warn about convergence; the backtest judges the result instead.
        warnings.simplefilter("ignore")
        fitted = ExponentialSmoothing(train, initialization_method="estimated", **options).fit()
        return np.asarray(fitted.forecast(horizon), dtype=float)


def predict(values: Sequence[float], method: str, horizon: int = HORIZON) -> list[float]:
    """Forecast the next `horizon` values of a series with `method` (one of CANDIDATES), never below zero."""
    train = np.asarray(values, dtype=float)
    if len(train) == 0:
        return [0.0] * horizon
    if method == "naive":
        out = np.full(horizon, train[-1])
    elif method == "seasonal_naive":
        if len(train) < SEASON:
            raise ValueError("seasonal naive needs a year of history")
        out = np.array([train[len(train) - SEASON + (h % SEASON)] for h in range(horizon)])
    else:
        out = _ets(train, method, horizon)
    return [max(0.0, float(v)) for v in out]


def benchmark_for(n: int) -> str:
    """Return the benchmark for a series of `n` months: seasonal naive with a year plus a few origins, else naive."""
    return "seasonal_naive" if n >= SEASON + MIN_ORIGINS else "naive"


def min_train(n: int) -> int:
    """Return the minimum training window (months before the first backtest origin) for a series of `n` months:
    24 when Holt-Winters is a candidate, 12 when the benchmark is the seasonal naive, else `MIN_TRAIN`. Every
    candidate is scored from the same origins, so that their MASE compare."""
    if n >= SEASONAL_TRAIN + MIN_ORIGINS:
        return SEASONAL_TRAIN
    return SEASON if benchmark_for(n) == "seasonal_naive" else MIN_TRAIN


def mase_scale(values: Sequence[float], lag: int) -> float | None:
    """Return the in-sample mean absolute error of the lag-`lag` naive forecast (the MASE denominator)."""
    y = np.asarray(values, dtype=float)
    if len(y) <= lag:
        return None
    return float(np.mean(np.abs(y[lag:] - y[:-lag])))


def mase(errors: Sequence[float], scale: float | None) -> float | None:
    """Return the mean absolute scaled error: mean |error| ÷ scale. With a zero scale (a constant series), 0 when
    there is no error and None (undefined) otherwise."""
    if not errors or scale is None:
        return None
    mae = float(np.mean(np.abs(errors)))
    if scale == 0:
        return 0.0 if mae == 0 else None
    return mae / scale


def mape(errors: Sequence[float], actuals: Sequence[float]) -> float | None:
    """Return the mean absolute percentage error (percent) over the non-zero actuals; None when all are zero."""
    pairs = [(e, a) for e, a in zip(errors, actuals, strict=True) if a != 0]
    if not pairs:
        return None
    return float(np.mean([abs(e) / abs(a) for e, a in pairs]) * 100)


def backtest(values: Sequence[float], method: str, *, horizon: int = HORIZON,
             first_origin: int | None = None, scale_lag: int | None = None) -> Backtest:
    """Score `method` by rolling origin: fit on the months before each origin, forecast horizons 1..`horizon`.

    `first_origin` defaults to `min_train(len(values))`; the MASE scale uses the benchmark's lag (12 or 1)."""
    y = [float(v) for v in values]
    n = len(y)
    start = min_train(n) if first_origin is None else first_origin
    lag = scale_lag or (SEASON if benchmark_for(n) == "seasonal_naive" else 1)
    errors: list[float] = []
    actuals: list[float] = []
    for origin in range(start, n):
        steps = min(horizon, n - origin)
        if method == "seasonal_naive" and origin < SEASON:
            continue
        forecast = predict(y[:origin], method, steps)
        for h in range(steps):
            errors.append(forecast[h] - y[origin + h])
            actuals.append(y[origin + h])
    return Backtest(method, mase(errors, mase_scale(y, lag)), mape(errors, actuals), len(errors))


def candidates_for(n: int) -> tuple[str, ...]:
    """Return the methods tried on a series of `n` months."""
    allowed = set(CANDIDATES) - ({"holt_winters"} if n < SEASONAL_TRAIN + MIN_ORIGINS else set())
    if benchmark_for(n) != "seasonal_naive":
        allowed.discard("seasonal_naive")
    return tuple(m for m in CANDIDATES if m in allowed)


def _rank(result: Backtest) -> float:
    return math.inf if result.mase is None else result.mase


def forecast(series: Series, *, horizon: int = HORIZON, methods: Sequence[str] | None = None) -> Forecast:
    """Backtest the candidates on `series`, choose the lowest MASE, and forecast the next `horizon` months."""
    months = [m for m, _ in series]
    y = [float(c) for _, c in series]
    n = len(y)
    ahead = next_months(months[-1], horizon) if months else []
    bench = benchmark_for(n)
    if n <= min_train(n):  # no origin to score from: publish the naive forecast, unscored
        return Forecast("naive", ahead, predict(y, "naive", horizon), bench, None, None)
    results = [backtest(y, m, horizon=horizon) for m in (methods or candidates_for(n))]
    best = min(results, key=_rank)  # min keeps the first of equals: the simpler method
    benchmark = next((r for r in results if r.method == bench), None) or backtest(y, bench, horizon=horizon)
    chosen = best.method if best.mase is not None else "naive"
    return Forecast(chosen, ahead, predict(y, chosen, horizon), bench, best if best.mase is not None else None,
                    benchmark, results)


# --- Publication: the report's "forecast" section --------------------------------------------------------------

KINDS = ("new_vacancies", "new_jobseekers")  # demand and supply flows, as in the indicators of the same names
TOTAL = "total"  # the whole province
IMBALANCE = 2.0  # as in the occupation table: demand at least twice the supply is a shortage, and back
MIN_SIZE = 3  # below this many vacancies or people over the 3 months a group is too small to call
FORECAST_NOTE = (
    "Forecasts: exponential smoothing (statsmodels ETS: simple, damped or linear additive trend, and with ≥ 27 "
    "months additive 12-month seasonality), chosen per series by the lowest MASE of a rolling-origin backtest "
    "(horizons 1–3, at least 6 months of training, 12 against the seasonal naive); the naive or seasonal naive "
    "forecast is published when it did better. MASE < 1: better than the benchmark. A group whose history is "
    "mostly hidden small counts is not forecast; a forecast of 1 to k−1 is hidden like a small count. Projected "
    "shortage/surplus compares new vacancies with new jobseekers wanting the major group over the 3 months "
    "(a person may want several groups).")


def _small(value: int, k: int) -> bool:
    return 0 < value < k


def mostly_small(series: Series, k: int) -> bool:
    """Tell whether more than half of a history's months are small counts (1 to k-1): such a group's forecast
    would mostly echo hidden figures, so it is not published."""
    return bool(series) and sum(_small(c, k) for _, c in series) * 2 > len(series)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def publish_series(kind: str, group: str, series: Series, k: int, *, label_vi: str = "",
                   label_en: str = "") -> dict[str, Any]:
    """Forecast one series and return its row as published: values rounded to whole counts, a value of 1 to k-1
    null (named in `suppressed` by month), and the whole row withheld (`withheld`) when its history is mostly
    small counts."""
    row: dict[str, Any] = {"kind": kind, "group": group, "label_vi": label_vi, "label_en": label_en,
                           "history_months": len(series)}
    ahead = next_months(series[-1][0], HORIZON) if series else []
    if not series or mostly_small(series, k):
        return {**row, "withheld": True, "method": None, "months": ahead, "values": [None] * len(ahead),
                "suppressed": list(ahead), "benchmark": None, "mase": None, "benchmark_mase": None, "mape": None,
                "benchmark_mape": None, "backtest_forecasts": 0}
    result = forecast(series)
    values: list[int | None] = [round(v) for v in result.values]
    hidden = [m for m, v in zip(result.months, values, strict=True) if v is not None and _small(v, k)]
    values = [None if m in hidden else v for m, v in zip(result.months, values, strict=True)]
    scored, bench = result.backtest, result.benchmark_backtest
    return {**row, "withheld": False, "method": result.method, "months": result.months, "values": values,
            "suppressed": hidden, "benchmark": result.benchmark,
            "mase": _rounded(scored.mase) if scored else None,
            "benchmark_mase": _rounded(bench.mase) if bench else None,
            "mape": _rounded(scored.mape) if scored else None,
            "benchmark_mape": _rounded(bench.mape) if bench else None,
            "backtest_forecasts": scored.errors if scored else 0}


def project_balance(rows: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """Return, per major group, forecast demand (new vacancies) against supply (new jobseekers) summed over the
    forecast months, from the published figures only, and call it a shortage, surplus or balanced.

    As in the occupation table: a hidden supply month counts as at most k−1; a hidden (or withheld) demand is not
    classified (`not_classified`), since it could be of any size."""
    by_group: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        if row["group"] != TOTAL:
            by_group.setdefault(row["group"], {})[row["kind"]] = row
    out = []
    for group, kinds in sorted(by_group.items()):
        jobs, people = kinds.get("new_vacancies"), kinds.get("new_jobseekers")
        demand = None if jobs is None or None in jobs["values"] else sum(jobs["values"])
        supply = None if people is None or None in people["values"] else sum(people["values"])
        months = len((jobs or people or {}).get("months") or []) or HORIZON
        supply_bound = supply if supply is not None else (
            months * (k - 1) if people is None or people["withheld"] else
            sum(v if v is not None else k - 1 for v in people["values"]))
        if demand is None:
            status = "not_classified"
        elif demand >= MIN_SIZE and demand >= IMBALANCE * supply_bound:
            status = "shortage"
        elif supply is not None and supply >= MIN_SIZE and supply >= IMBALANCE * demand:
            status = "surplus"
        else:
            status = "balanced"
        label = (jobs or people or {})
        out.append({"group": group, "label_vi": label.get("label_vi", ""), "label_en": label.get("label_en", ""),
                    "demand": demand, "supply": supply, "status": status})
    return out


def section(histories: dict[str, dict[str, Series]], k: int,
            labels: dict[str, tuple[str, str]] | None = None) -> dict[str, Any]:
    """Return the report's forecast section from the monthly histories {kind: {group or "total": series}}:
    {"months", "history": {"from", "to", "months"}, "series": [row], "balance": [row], "note"}."""
    labels = labels or {}
    rows = []
    for kind in KINDS:
        groups = histories.get(kind, {})
        for group in sorted(groups, key=lambda g: (g != TOTAL, g)):
            vi, en = labels.get(group, ("Toàn tỉnh", "Province") if group == TOTAL else ("", ""))
            rows.append(publish_series(kind, group, groups[group], k, label_vi=vi, label_en=en))
    province = histories.get(KINDS[0], {}).get(TOTAL) or []
    months = next_months(province[-1][0], HORIZON) if province else []
    return {"months": months,
            "history": {"from": province[0][0] if province else None, "to": province[-1][0] if province else None,
                        "months": len(province)},
            "series": rows, "balance": project_balance(rows, k), "note": FORECAST_NOTE}

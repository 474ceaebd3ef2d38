"""Forecasts and their rolling-origin backtest on known series (jobmatch.metrics.forecast; pure, no node)."""

from __future__ import annotations

import math

import pytest

from jobmatch.metrics import forecast as fc
from jobmatch.reports.render import forecast_rows


def series(values: list[int], start: str = "2024-01") -> fc.Series:
    return list(zip([start, *fc.next_months(start, len(values) - 1)], values, strict=True))


def test_next_months_cross_the_year():
    assert fc.next_months("2026-11", 3) == ["2026-12", "2027-01", "2027-02"]


def test_mase_and_mape_by_hand():
    # Scale: mean |1-3|,|3-2| over the lag-1 differences = 1.5; errors 1, -2 -> MAE 1.5 -> MASE 1.
    assert fc.mase_scale([3, 1, 2], 1) == 1.5
    assert fc.mase([1, -2], 1.5) == 1.0
    assert fc.mape([1, -2], [4, 0]) == 25.0  # the zero actual is left out
    assert fc.mase([0, 0], 0.0) == 0.0 and fc.mase([1], 0.0) is None and fc.mape([1], [0]) is None


def test_a_constant_series_is_forecast_flat_with_no_error():
    result = fc.forecast(series([7] * 18))
    assert result.values == [7.0, 7.0, 7.0]
    assert result.months == ["2025-07", "2025-08", "2025-09"]
    assert result.backtest is not None and result.backtest.mase == 0.0 and result.backtest.mape == 0.0


def test_a_linear_trend_is_extrapolated_and_beats_the_benchmarks():
    values = [10 + 3 * i for i in range(18)]
    result = fc.forecast(series(values))
    assert result.method in ("holt", "holt_damped")
    assert result.values == pytest.approx([64, 67, 70], abs=1.0)
    assert result.benchmark == "seasonal_naive" and result.benchmark_backtest.mase == pytest.approx(1.0)
    assert result.backtest.mase < 0.05
    naive = fc.backtest(values, "naive")
    assert naive.mase > 0 and result.backtest.mase < naive.mase  # the trend model beats the naive too
    assert fc.backtest(values, "holt").mase < 1


def test_a_short_trend_is_scored_against_the_naive():
    values = [5, 6, 7, 8, 9, 10, 11, 12, 13]  # under a year: naive benchmark, 6 months of training
    assert fc.benchmark_for(len(values)) == "naive" and fc.min_train(len(values)) == fc.MIN_TRAIN
    result = fc.forecast(series(values))
    assert result.backtest.mase < 1 < result.benchmark_backtest.mase
    assert result.backtest.errors == 6  # origins 6, 7, 8 with 3, 2, 1 horizons left


def test_a_seasonal_series_is_forecast_with_its_season():
    values = [round(50 + 20 * math.sin(2 * math.pi * i / 12) + 0.5 * i) for i in range(36)]
    assert "holt_winters" in fc.candidates_for(36) and "holt_winters" not in fc.candidates_for(26)
    result = fc.forecast(series(values))
    assert result.benchmark == "seasonal_naive"
    assert result.backtest.mase < 1  # beats the seasonal naive
    assert result.method in ("holt_winters", "seasonal_naive")
    # Next months continue the cycle: January-March of the fourth year are near the first year's plus the trend.
    assert result.values == pytest.approx([values[i] + 18 for i in range(3)], abs=4)


def test_too_short_a_history_gets_the_naive_forecast_unscored():
    result = fc.forecast(series([3, 4, 5]))
    assert result.method == "naive" and result.values == [5.0, 5.0, 5.0] and result.backtest is None


def test_forecasts_never_go_below_zero():
    assert min(fc.predict([30, 25, 20, 15, 10, 5, 1], "holt", 3)) >= 0


def test_small_forecasts_and_mostly_small_histories_are_hidden():
    histories = {"new_vacancies": {"total": series([40 + i for i in range(12)]),
                                   "7": series([20 + i for i in range(12)]),
                                   "2": series([2, 1, 3, 0, 2, 1, 4, 2, 9, 1, 2, 3]),  # mostly 1-4: withheld
                                   "9": series([9, 8, 7, 6, 5, 5, 4, 4, 3, 3, 2, 2])},
                 "new_jobseekers": {"total": series([30] * 12), "7": series([5] * 12), "9": series([40] * 12)}}
    section = fc.section(histories, 5, {"7": ("Thợ", "Craft workers")})
    assert section["months"] == ["2025-01", "2025-02", "2025-03"] and section["history"]["months"] == 12
    rows = {(r["kind"], r["group"]): r for r in section["series"]}
    assert rows[("new_vacancies", "2")]["withheld"] and rows[("new_vacancies", "2")]["values"] == [None] * 3
    assert rows[("new_vacancies", "2")]["mase"] is None
    falling = rows[("new_vacancies", "9")]
    assert not falling["withheld"] and all(v is None or v == 0 or v >= 5 for v in falling["values"])
    assert set(falling["suppressed"]) == {m for m, v in zip(falling["months"], falling["values"], strict=True)
                                          if v is None}
    craft = rows[("new_vacancies", "7")]
    assert craft["label_en"] == "Craft workers" and craft["mase"] is not None and craft["benchmark"] == "naive"
    balance = {b["group"]: b for b in section["balance"]}
    assert balance["7"]["status"] == "shortage"  # ~100 new vacancies against 15 new jobseekers
    assert balance["2"]["status"] == "not_classified"  # demand withheld
    csv = list(forecast_rows(section))
    assert sum(r["section"] == "forecast" for r in csv) == 3 * len(section["series"])
    assert {r["value"] for r in csv if r["key"].startswith("new_vacancies/2/")} == {"[c]"}

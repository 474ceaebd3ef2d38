"""Rolling-origin backtest of the forecasts (jobmatch.metrics.forecast) on the registers loaded by `make run`.

    .venv/bin/python bench/forecast_backtest.py [--prefix jobmatch-] [--month YYYY-MM] [--markdown]

Reads the monthly new vacancies and new jobseekers, for the province and by ISCO-08 major group, up to `--month`
(default: the last complete month in local time), backtests every candidate method per series and prints, per
series, the chosen method, its MASE, the benchmark's (seasonal naive with ≥ 15 months of history, else naive)
and both MAPEs. A series withheld from the report (history mostly counts under MIN_CELL_SIZE) is still scored
here and marked `withheld`. Internal figures: MASE and MAPE are scale-free, no count is printed.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config.settings import load_settings
from jobmatch.metrics.compute import shift_month
from jobmatch.metrics.forecast import forecast, mostly_small
from jobmatch.metrics.series import MonthlySeries
from jobmatch.search.client import build_client


def fmt(value: float | None, digits: int = 2) -> str:
    """Format a figure for the table ("—" when undefined)."""
    return "—" if value is None else f"{value:.{digits}f}"


def main() -> None:
    """Run the backtest and print the table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prefix", default=None)
    parser.add_argument("--month", default=None, help="last month of history (default: last complete month)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    settings = load_settings()
    prefix = args.prefix or settings["INDEX_PREFIX"]
    tz = settings["TIMEZONE"]
    month = args.month or shift_month(datetime.now(ZoneInfo(tz)).strftime("%Y-%m"), -1)
    es = build_client({**settings, "ES_REQUEST_TIMEOUT": 60.0})
    k = settings["MIN_CELL_SIZE"]
    started = time.perf_counter()
    histories = MonthlySeries(es=es, prefix=prefix, tz=tz).histories(month)
    header = ("series", "months", "method", "model MASE", "benchmark", "benchmark MASE", "model MAPE %",
              "benchmark MAPE %", "scored")
    rows = []
    for kind, groups in histories.items():
        for group in sorted(groups, key=lambda g: (g != "total", g)):
            history = groups[group]
            if not history:
                continue
            result = forecast(history)
            model, bench = result.backtest, result.benchmark_backtest
            name = f"{kind}/{group}" + (" (withheld)" if mostly_small(history, k) else "")
            rows.append((name, str(len(history)), result.method, fmt(model.mase if model else None), result.benchmark,
                         fmt(bench.mase if bench else None), fmt(model.mape if model else None, 1),
                         fmt(bench.mape if bench else None, 1), str(model.errors if model else 0)))
    elapsed = time.perf_counter() - started
    if args.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(header)]
        print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
        for row in rows:
            print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    scored = [r for r in rows if r[3] != "—" and r[5] != "—"]
    better = sum(float(r[3]) < float(r[5]) for r in scored)
    print(f"\nprefix {prefix}, history up to {month}, k={k}: {len(rows)} series, model better than the benchmark "
          f"on {better} of {len(scored)} scored; {elapsed:.1f} s")


if __name__ == "__main__":
    main()

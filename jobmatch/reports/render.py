"""Turning a stored report into CSV rows and chart geometry for the HTML page (pure functions).

A figure hidden by the small-cell rule is written as the marker ("[c]") everywhere, never as a blank, so that a
reader can tell it from "nothing to compute" ("—" on the page, an empty cell in the CSV); a legend row or line
explains it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from jobmatch.metrics.disclosure import MARKER, legend

CSV_COLUMNS = ("section", "key", "label_vi", "label_en", "unit", "value", "previous_month", "mom_absolute",
               "mom_relative", "year_ago", "yoy_absolute", "yoy_relative", "target", "status", "definition")


def shown(row: Mapping[str, Any], field: str) -> Any:
    """Return a row's figure as published: the marker when the small-cell rule hid it, else the value."""
    return MARKER if field in (row.get("suppressed") or ()) else row.get(field)


def _change(row: Mapping[str, Any], field: str, part: str) -> Any:
    return MARKER if field in (row.get("suppressed") or ()) else row[field][part]


def csv_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield the indicators, the targets, the occupation balance and the skills as flat CSV rows, then the legend
    of the marker for hidden figures."""
    for ind in report["indicators"]:
        yield {"section": "indicator", "key": ind["key"], "label_vi": ind["label_vi"], "label_en": ind["label_en"],
               "unit": ind["unit"], "value": shown(ind, "value"), "previous_month": shown(ind, "previous_month"),
               "mom_absolute": _change(ind, "month_on_month", "absolute"),
               "mom_relative": _change(ind, "month_on_month", "relative"), "year_ago": shown(ind, "year_ago"),
               "yoy_absolute": _change(ind, "year_on_year", "absolute"),
               "yoy_relative": _change(ind, "year_on_year", "relative"), "definition": ind["definition"]}
    for target in report["targets"]:
        official = target.get("figure") or {}
        yield {"section": "target_2030", "key": target["key"], "label_vi": target["label_vi"],
               "label_en": target["label_en"], "value": official.get("value"), "target": target["target"],
               "status": target["status"],
               "definition": f"{target['figure_label_vi']}: " + (
                   f"{official['source']}, {official['year']}" if official else "no official figure entered")}
        register = target.get("register")
        if register:
            yield {"section": "target_2030_register", "key": register["indicator"], "label_vi": register["label_vi"],
                   "value": MARKER if register["suppressed"] else register["value"], "status": "not_comparable",
                   "definition": register["note"]}
    for kind in ("shortage", "surplus"):
        for row in report["occupations"][kind]:
            yield {"section": f"occupation_{kind}", "key": row["occupation_code"], "label_vi": row["title_vi"],
                   "label_en": row["title_en"], "value": shown(row, "demand"), "previous_month": None,
                   "definition": f"demand (open openings) {shown(row, 'demand')}; "
                                 f"supply (active jobseekers) {shown(row, 'supply')}"}
    for row in report["skills"]:
        yield {"section": "skill_demand", "key": row["skill"], "value": shown(row, "vacancies"),
               "definition": "open vacancies listing the skill as essential"}
    yield from forecast_rows(report.get("forecast"))
    k = (report.get("disclosure") or {}).get("min_cell_size")
    if k:
        yield {"section": "legend", "key": "suppressed", "value": MARKER, "definition": legend(k)}


def figure(value: float | None, digits: int = 2) -> str:
    """Format a backtest figure (MASE, MAPE) with `digits` decimals ("—" when there is none)."""
    return "—" if value is None else f"{value:.{digits}f}"


def backtest_text(row: Mapping[str, Any]) -> str:
    """Describe a forecast row's method and backtest in one line (CSV `definition`, HTML)."""
    if row["withheld"]:
        return "not forecast: history mostly small counts"
    return (f"method {row['method']}; backtest ({row['backtest_forecasts']} forecasts, horizons 1-3) MASE "
            f"{figure(row['mase'])} vs {row['benchmark']} {figure(row['benchmark_mase'])}; "
            f"MAPE {figure(row['mape'], 1)}% vs {figure(row['benchmark_mape'], 1)}%")


def forecast_value(row: Mapping[str, Any], position: int) -> Any:
    """Return a forecast row's value at `position` as published: the marker when hidden or withheld."""
    month = row["months"][position]
    return MARKER if row["withheld"] or month in (row.get("suppressed") or ()) else row["values"][position]


def forecast_rows(section: Mapping[str, Any] | None) -> Iterator[dict[str, Any]]:
    """Yield the forecast section as CSV rows: one per series and month (`forecast`), then the projected balance
    by major group (`forecast_balance`). Nothing for a report built before forecasts."""
    if not section:
        return
    for row in section["series"]:
        for position, month in enumerate(row["months"]):
            yield {"section": "forecast", "key": f"{row['kind']}/{row['group']}/{month}", "label_vi": row["label_vi"],
                   "label_en": row["label_en"], "unit": "count", "value": forecast_value(row, position),
                   "status": row["method"], "definition": backtest_text(row)}
    months = section["months"]
    for row in section["balance"]:
        yield {"section": "forecast_balance", "key": row["group"], "label_vi": row["label_vi"],
               "label_en": row["label_en"], "unit": "count", "value": shown_or_marker(row["demand"]),
               "status": row["status"],
               "definition": f"{months[0] if months else ''}..{months[-1] if months else ''}: demand (new "
                             f"vacancies) {shown_or_marker(row['demand'])}; supply (new jobseekers) "
                             f"{shown_or_marker(row['supply'])}"}


def shown_or_marker(value: Any) -> Any:
    """Return a figure, or the marker when it is hidden (None)."""
    return MARKER if value is None else value


def polyline(values: list[float | None], *, width: int = 320, height: int = 80, pad: int = 6) -> str:
    """Return SVG polyline points for a series (gaps skipped); empty when there is nothing to draw."""
    known = [v for v in values if v is not None]
    if not known or len(values) < 2:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / (len(values) - 1)
    points = [f"{pad + i * step:.1f},{height - pad - (v - low) / span * (height - 2 * pad):.1f}"
              for i, v in enumerate(values) if v is not None]
    return " ".join(points)


def bars(rows: list[dict[str, Any]], *, width: int = 260) -> list[dict[str, Any]]:
    """Return demand and supply bar lengths (px) scaled to the largest shown value among the rows; a hidden
    figure (None) gets no bar, so that its length cannot be measured."""
    top = max([v for r in rows for v in (r["demand"], r["supply"]) if v is not None] or [1]) or 1

    def length(value: int | None) -> int:
        return 0 if value is None else round(value / top * width)

    return [{**r, "demand_px": length(r["demand"]), "supply_px": length(r["supply"])} for r in rows]


def percent(value: float | None) -> str:
    """Format a share as a percentage with one decimal ("—" when unknown)."""
    return "—" if value is None else f"{value * 100:.1f}%"


def formatted(value: float | None, unit: str) -> str:
    """Format an indicator value for its unit."""
    if value is None:
        return "—"
    if unit in ("share", "rate"):
        return percent(value) if unit == "share" else f"{value * 100:.2f}%"
    return f"{value:,.0f}".replace(",", ".") if unit == "count" else f"{value:g}"


def delta(change: dict[str, float | None], unit: str) -> str:
    """Format a change: points for shares and rates, absolute and relative for counts and days."""
    absolute, relative = change.get("absolute"), change.get("relative")
    if absolute is None:
        return "—"
    if unit in ("share", "rate"):
        return f"{absolute * 100:+.1f} điểm %"
    text = f"{absolute:+g}"
    return text if relative is None else f"{text} ({relative * 100:+.0f}%)"


def cell(row: Mapping[str, Any], field: str, unit: str) -> str:
    """Format one figure of a report row for the page: the marker when hidden, a change or a value otherwise."""
    if field in (row.get("suppressed") or ()):
        return MARKER
    if field in ("month_on_month", "year_on_year"):
        return delta(row[field], unit)
    return formatted(row.get(field), unit)


def trend_point(report: Mapping[str, Any], key: str, position: int, unit: str) -> str:
    """Format the trend of `key` at `position` (0 first month, -1 last): the marker when that month hid it."""
    month = report["trends"]["months"][position]
    if month in (report["trends"].get("suppressed") or {}).get(key, ()):
        return MARKER
    return formatted(report["trends"]["series"][key][position], unit)

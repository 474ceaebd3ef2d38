"""Turning a stored report into CSV rows and chart geometry for the HTML page (pure functions)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

CSV_COLUMNS = ("section", "key", "label_vi", "label_en", "unit", "value", "previous_month", "mom_absolute",
               "mom_relative", "year_ago", "yoy_absolute", "yoy_relative", "target", "status", "definition")


def csv_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield the indicators, the targets, the occupation balance and the skills as flat CSV rows."""
    for ind in report["indicators"]:
        yield {"section": "indicator", "key": ind["key"], "label_vi": ind["label_vi"], "label_en": ind["label_en"],
               "unit": ind["unit"], "value": ind["value"], "previous_month": ind["previous_month"],
               "mom_absolute": ind["month_on_month"]["absolute"], "mom_relative": ind["month_on_month"]["relative"],
               "year_ago": ind["year_ago"], "yoy_absolute": ind["year_on_year"]["absolute"],
               "yoy_relative": ind["year_on_year"]["relative"], "definition": ind["definition"]}
    for target in report["targets"]:
        yield {"section": "target_2030", "key": target["key"], "label_vi": target["label_vi"],
               "label_en": target["label_en"], "value": target["actual"], "target": target["target"],
               "status": target["status"], "definition": target["definition"]}
    for kind in ("shortage", "surplus"):
        for row in report["occupations"][kind]:
            yield {"section": f"occupation_{kind}", "key": row["occupation_code"], "label_vi": row["title_vi"],
                   "label_en": row["title_en"], "value": row["demand"], "previous_month": None,
                   "definition": f"demand (open openings) {row['demand']}; supply (active jobseekers) {row['supply']}"}
    for row in report["skills"]:
        yield {"section": "skill_demand", "key": row["skill"], "value": row["vacancies"],
               "definition": "open vacancies listing the skill as essential"}


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
    """Return demand and supply bar lengths (px) scaled to the largest value among the rows."""
    top = max([max(r["demand"], r["supply"]) for r in rows] or [1]) or 1
    return [{**r, "demand_px": round(r["demand"] / top * width), "supply_px": round(r["supply"] / top * width)}
            for r in rows]


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

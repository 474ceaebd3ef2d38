"""The monthly labour-market report: indicators with month-on-month and year-on-year change, 12-month trends,
demand against supply by occupation, the most demanded skills, and the 2030 targets against actual figures.

`classify_occupations` and `target_status` are pure; `ReportBuilder` runs the queries. No Flask here.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from config.labour_market import TARGETS_2030
from jobmatch.metrics.compute import change, month_bounds, shift_month
from jobmatch.metrics.definitions import BY_KEY, INDICATORS
from jobmatch.metrics.service import DemandSupply, MetricsService
from jobmatch.reference import occupations
from jobmatch.reports.store import ReportStore, check_month

Document = dict[str, Any]
TREND_MONTHS = 12
IMBALANCE = 2.0  # demand at least twice the supply is a shortage; supply at least twice the demand a surplus
MIN_SIZE = 3  # below this many openings or people an occupation is too small to call
NOTES = (
    "Trained = holding a degree or certificate of elementary vocational level (sơ cấp) or above, as in the GSO "
    "labour force survey; short courses without a certificate do not count.",
    "The registered unemployment rate counts people registered with the employment service; it is not the "
    "survey-based unemployment rate the 2030 targets refer to, and is usually lower.",
    "Vacancy counts use each vacancy's current openings; a reopened vacancy counts as open from its first posting.",
    "Communes are those in force since 1 July 2025; `district` groupings use the pre-reform districts.",
)


def classify_occupations(rows: list[Document], *, top: int = 10) -> dict[str, list[Document]]:
    """Split occupations into shortages (demand ≥ 2× supply) and surpluses (supply ≥ 2× demand), largest first."""
    shortage = [r for r in rows if r["demand"] >= MIN_SIZE and r["demand"] >= IMBALANCE * r["supply"]]
    surplus = [r for r in rows if r["supply"] >= MIN_SIZE and r["supply"] >= IMBALANCE * r["demand"]]
    shortage.sort(key=lambda r: (-(r["demand"] - r["supply"]), r["occupation_code"]))
    surplus.sort(key=lambda r: (-(r["supply"] - r["demand"]), r["occupation_code"]))
    return {"shortage": shortage[:top], "surplus": surplus[:top]}


def target_status(op: str, bound: float, actual: float | None) -> str:
    """Return "met", "not_met" or "no_data" for an actual figure against a target."""
    if actual is None:
        return "no_data"
    if op == "<":
        return "met" if actual < bound else "not_met"
    if op == ">=":
        return "met" if actual >= bound else "not_met"
    raise ValueError(f"unknown comparison {op}")


def _titled(rows: list[Document]) -> list[Document]:
    table = occupations()
    return [{**row, "title_vi": table[row["occupation_code"]].label_vi if row["occupation_code"] in table else "",
             "title_en": table[row["occupation_code"]].title_en if row["occupation_code"] in table else ""}
            for row in rows]


class ReportBuilder:
    """Builds the report of one month from the registers."""

    def __init__(self, *, metrics: MetricsService, demand: DemandSupply, labour_force: Document, tz: str) -> None:
        self.metrics = metrics
        self.demand = demand
        self.labour_force = labour_force
        self.tz = tz

    def _month(self, month: str) -> Document:
        first, last = month_bounds(month)
        return self.metrics.compute(first, last)["total"]

    def build(self, month: str) -> Document:
        """Return the report of `month` ("YYYY-MM") as a JSON-ready dict."""
        months = [shift_month(month, -n) for n in range(TREND_MONTHS - 1, -1, -1)]
        by_month = {m: self._month(m) for m in months}
        year_ago = self._month(shift_month(month, -12))
        current, previous = by_month[month], by_month[shift_month(month, -1)]
        indicators = [{**asdict(ind), "value": current[ind.key], "previous_month": previous[ind.key],
                       "month_on_month": change(current[ind.key], previous[ind.key]),
                       "year_ago": year_ago[ind.key], "year_on_year": change(current[ind.key], year_ago[ind.key])}
                      for ind in INDICATORS]
        first, last = month_bounds(month)
        balance = _titled(self.demand.by_occupation(first, last))
        targets = [{"key": t["key"], "label_vi": t["label_vi"], "label_en": t["label_en"], "op": t["op"],
                    "target": t["value"], "indicator": t["indicator"], "actual": current.get(t["indicator"]),
                    "status": target_status(t["op"], t["value"], current.get(t["indicator"])),
                    "definition": BY_KEY[t["indicator"]].definition} for t in TARGETS_2030]
        return {
            "month": month, "from": first.isoformat(), "to": last.isoformat(), "timezone": self.tz,
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "indicators": indicators,
            "trends": {"months": months, "series": {ind.key: [by_month[m][ind.key] for m in months]
                                                    for ind in INDICATORS}},
            "occupations": {**classify_occupations(balance), "all": balance},
            "skills": self.demand.top_skills(first, last),
            "targets": targets, "labour_force": self.labour_force, "notes": list(NOTES),
        }


def generate(*, es: Any, prefix: str, tz: str, labour_force: Document, month: str, actor: str) -> Document:
    """Build the report of `month` and store it (replacing an earlier one); return it."""
    check_month(month)
    builder = ReportBuilder(metrics=MetricsService(es=es, prefix=prefix, tz=tz, labour_force=labour_force),
                            demand=DemandSupply(es=es, prefix=prefix, tz=tz), labour_force=labour_force, tz=tz)
    report = builder.build(month)
    ReportStore(es, prefix).save(month, report, actor=actor)
    return report

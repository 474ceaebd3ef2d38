"""The monthly labour-market report: indicators with month-on-month and year-on-year change, 12-month trends,
demand against supply by occupation, the most demanded skills, and the 2030 targets against actual figures.

Small counts are hidden as everywhere (jobmatch.metrics.disclosure): a hidden figure is null and named in its
row's `suppressed`; a change from or to a hidden figure is hidden too. The report records the threshold it was
built with (`disclosure`), and one built with a lower threshold (or before there was one) is not served.

`classify_occupations` and `check_publishable` are pure (the targets table:
jobmatch.reports.targets); `ReportBuilder` runs the queries.
No Flask here.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from config.labour_market import TARGETS_2030, labour_force_for
from jobmatch.errors import NotFound
from jobmatch.figures.service import FigureStore
from jobmatch.metrics import disclosure
from jobmatch.metrics.compute import change, month_bounds, shift_month
from jobmatch.metrics.definitions import INDICATORS
from jobmatch.metrics.forecast import section as forecast_section
from jobmatch.metrics.series import MonthlySeries
from jobmatch.metrics.service import DemandSupply, MetricsService
from jobmatch.reference import occupations
from jobmatch.reports.store import ReportStore, check_month
from jobmatch.reports.targets import target_rows

Document = dict[str, Any]
TREND_MONTHS = 12
IMBALANCE = 2.0  # demand at least twice the supply is a shortage; supply at least twice the demand a surplus
MIN_SIZE = 3  # below this many openings or people an occupation is too small to call
# Raised when the report's shape changes (2: official-figure targets, forecasts; 3: insured placements, openings
# as of the month): older stored reports are
# refused with the rebuild command, and `report --only-missing` rebuilds them.
REPORT_FORMAT = 3
NOTES = (
    "Trained = holding a degree or certificate of elementary vocational level (sơ cấp) or above, as in the GSO "
    "labour force survey; short courses without a certificate do not count.",
    "The registered unemployment rate counts people registered with the employment service; it is not the "
    "survey-based unemployment rate the 2030 targets refer to, and is usually lower.",
    "Vacancy counts use the openings as they stood in the month: openings added by reopening a vacancy count as "
    "new in the month of the reopening, and a month wholly between a vacancy's close and its reopening does not "
    "count it open, so a past month's figures never change after the fact.",
    "Placements into jobs with social insurance count the vacancy's stated social insurance (BHXH); they describe "
    "the centre's placements, not the labour force's coverage that the 60% target refers to.",
    "Communes are those in force since 1 July 2025; `district` groupings use the pre-reform districts.",
)


def classify_occupations(rows: list[Document], *, top: int = 10, min_cell_size: int = 1) -> dict[str, list[Document]]:
    """Split occupations into shortages (demand ≥ 2× supply) and surpluses (supply ≥ 2× demand), largest first.

    Works on the published figures only, so that being listed gives nothing hidden away. A hidden supply (None)
    is at most `min_cell_size` − 1 (the report hides supply only when it is small), so an occupation is a
    shortage when its demand is at least twice that; a hidden demand may be a complementary cell of any size,
    so such an occupation is not classified.
    """
    def supply_bound(row: Document) -> int:
        return row["supply"] if row["supply"] is not None else min_cell_size - 1

    shown = [r for r in rows if r["demand"] is not None]
    shortage = [r for r in shown if r["demand"] >= MIN_SIZE and r["demand"] >= IMBALANCE * supply_bound(r)]
    surplus = [r for r in shown if r["supply"] is not None and r["supply"] >= MIN_SIZE
               and r["supply"] >= IMBALANCE * r["demand"]]
    shortage.sort(key=lambda r: (-(r["demand"] - supply_bound(r)), r["occupation_code"]))
    surplus.sort(key=lambda r: (-(r["supply"] - r["demand"]), r["occupation_code"]))
    return {"shortage": shortage[:top], "surplus": surplus[:top]}


def is_current(report_format: int, built_with: int, min_cell_size: int) -> bool:
    """Tell whether a stored report can be served: built in this code's format and hiding at least as much."""
    return report_format >= REPORT_FORMAT and built_with >= min_cell_size


def check_publishable(report: Document, min_cell_size: int, month: str) -> Document:
    """Return `report` if it was built in the current format hiding counts below at least `min_cell_size`, else
    raise NotFound naming the command that rebuilds it."""
    if int(report.get("format") or 1) < REPORT_FORMAT:
        raise NotFound(f"the stored report of {month} was built by an older version (targets, forecasts changed): "
                       f"rebuild it with `flask --app wsgi jobmatch report --month {month}`")
    built_with = (report.get("disclosure") or {}).get("min_cell_size") or 0
    if built_with < min_cell_size:
        raise NotFound(f"the stored report of {month} was built without hiding counts below {min_cell_size}: "
                       f"rebuild it with `flask --app wsgi jobmatch report --month {month}`")
    return report


def hidden_fields(key: str, current: set[str], previous: set[str], year_ago: set[str]) -> list[str]:
    """Return which of an indicator row's figures are hidden, given the keys hidden in each month."""
    flags = {"value": key in current, "previous_month": key in previous, "year_ago": key in year_ago,
             "month_on_month": key in current | previous, "year_on_year": key in current | year_ago}
    return [name for name, hidden in flags.items() if hidden]


def _titled(rows: list[Document]) -> list[Document]:
    table = occupations()
    return [{**row, "title_vi": table[row["occupation_code"]].label_vi if row["occupation_code"] in table else "",
             "title_en": table[row["occupation_code"]].title_en if row["occupation_code"] in table else ""}
            for row in rows]


class ReportBuilder:
    """Builds the report of one month from the registers."""

    def __init__(self, *, metrics: MetricsService, demand: DemandSupply, labour_force: Document, tz: str,
                 series: MonthlySeries | None = None, figures: FigureStore | None = None) -> None:
        self.metrics = metrics
        self.figures = figures
        self.demand = demand
        self.series = series
        self.labour_force = labour_force
        self.tz = tz

    def _month(self, month: str) -> tuple[Document, set[str]]:
        first, last = month_bounds(month)
        result = self.metrics.compute(first, last)
        return result["total"], set(result["total_suppressed"])

    def build(self, month: str) -> Document:
        """Return the report of `month` ("YYYY-MM") as a JSON-ready dict."""
        k = self.metrics.min_cell_size
        months = [shift_month(month, -n) for n in range(TREND_MONTHS - 1, -1, -1)]
        by_month = {m: self._month(m) for m in months}
        (current, hidden_now), (previous, hidden_before) = by_month[month], by_month[shift_month(month, -1)]
        year_ago, hidden_year_ago = self._month(shift_month(month, -12))
        # A hidden figure is None, so change() leaves the changes to and from it None as well.
        indicators = [{**asdict(ind), "value": current[ind.key], "previous_month": previous[ind.key],
                       "month_on_month": change(current[ind.key], previous[ind.key]),
                       "year_ago": year_ago[ind.key], "year_on_year": change(current[ind.key], year_ago[ind.key]),
                       "suppressed": hidden_fields(ind.key, hidden_now, hidden_before, hidden_year_ago)}
                      for ind in INDICATORS]
        first, last = month_bounds(month)
        # Each vacancy has one occupation, so demand adds up to the open openings shown above: complementary
        # cells. A person may want several occupations and no supply total is shown: small cells only.
        balance = disclosure.suppress_rows(_titled(self.demand.by_occupation(first, last)), ("demand", "supply"), k,
                                           key="occupation_code", complementary=("demand",))
        skills = disclosure.suppress_rows(self.demand.top_skills(first, last), ("vacancies",), k, key="skill")
        year = int(month[:4])
        # Official figures of the month's year or before; register indicators only beside them (never judged).
        targets = target_rows(TARGETS_2030, self.figures.latest(year) if self.figures else {}, current, hidden_now)
        return {
            "format": REPORT_FORMAT, "month": month, "from": first.isoformat(), "to": last.isoformat(),
            "timezone": self.tz,
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "indicators": indicators,
            "trends": {"months": months, "series": {ind.key: [by_month[m][0][ind.key] for m in months]
                                                    for ind in INDICATORS},
                       "suppressed": {ind.key: hidden for ind in INDICATORS
                                      if (hidden := [m for m in months if ind.key in by_month[m][1]])}},
            "occupations": {**classify_occupations(balance, min_cell_size=k), "all": balance},
            "skills": skills,
            "targets": targets, "labour_force": labour_force_for(self.labour_force, year),
            "notes": [*NOTES, disclosure.legend(k)],
            "disclosure": disclosure.describe(k),
            **({"forecast": self._forecast(self.series, month, k)} if self.series is not None else {}),
        }

    @staticmethod
    def _forecast(series: MonthlySeries, month: str, k: int) -> Document:
        # The months after the report's month, from the histories up to it (jobmatch.metrics.forecast).
        table = occupations()
        labels = {code: (table[code].label_vi, table[code].title_en) for code in map(str, range(10)) if code in table}
        return forecast_section(series.histories(month), k, labels)


def generate(*, es: Any, prefix: str, tz: str, labour_force: Document, month: str, actor: str,
             min_cell_size: int = disclosure.DEFAULT_MIN_CELL_SIZE) -> Document:
    """Build the report of `month`, counts below `min_cell_size` hidden, and store it (replacing an earlier one);
    return it."""
    check_month(month)
    builder = ReportBuilder(metrics=MetricsService(es=es, prefix=prefix, tz=tz, labour_force=labour_force,
                                                   min_cell_size=min_cell_size),
                            demand=DemandSupply(es=es, prefix=prefix, tz=tz), labour_force=labour_force, tz=tz,
                            series=MonthlySeries(es=es, prefix=prefix, tz=tz), figures=FigureStore(es, prefix))
    report = builder.build(month)
    ReportStore(es, prefix).save(month, report, actor=actor)
    return report

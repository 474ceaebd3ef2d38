"""Turning a stored report into CSV rows and chart geometry for the HTML page (pure functions).

A figure hidden by the small-cell rule is written as the marker ("[c]") everywhere, never as a blank, so that a
reader can tell it from "nothing to compute" ("—" on the page, an empty cell in the CSV); a legend row or line
explains it.

The CSV (and the XLSX, which has the same rows) carries every table of the report's JSON, one `section` per
table so that a spreadsheet user can filter on it; `CSV_SECTIONS` says which sections carry which part of the
JSON, and a test checks that no part of the report is left without one.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from jobmatch.metrics.disclosure import MARKER, legend

CSV_COLUMNS = ("section", "key", "month", "label_vi", "label_en", "unit", "value", "previous_month", "mom_absolute",
               "mom_relative", "year_ago", "yoy_absolute", "yoy_relative", "demand", "supply", "target", "status",
               "source", "year", "definition")

# Which CSV sections carry each top-level part of the report JSON, in the order they are written. The report's
# own fields (month, period, time zone, generation time, shape version) go to one `report` row; `disclosure` is
# the `legend` row, always the last.
REPORT_FIELDS = ("format", "month", "from", "to", "timezone", "generated_at")
CSV_SECTIONS: dict[str, tuple[str, ...]] = {
    "indicators": ("indicator",),
    "trends": ("trend",),
    "targets": ("target_2030", "target_2030_register"),
    "occupations": ("occupation_shortage", "occupation_surplus", "occupation_all"),
    "skills": ("skill_demand",),
    "forecast": ("forecast", "forecast_balance"),
    "labour_force": ("labour_force",),
    "notes": ("note",),
    **{name: ("report",) for name in REPORT_FIELDS},
    "disclosure": ("legend",),
}
OCCUPATION_DEFINITION = ("demand = open openings of the occupation's vacancies; supply = active registered "
                         "jobseekers wanting the occupation (a person may want several)")
LABOUR_FORCE_PARTS = {"total": ("Lực lượng lao động từ 15 tuổi", "Labour force aged 15+"),
                      "urban": ("Lực lượng lao động thành thị", "Urban labour force aged 15+"),
                      "rural": ("Lực lượng lao động nông thôn", "Rural labour force aged 15+")}


def shown(row: Mapping[str, Any], field: str) -> Any:
    """Return a row's figure as published: the marker when the small-cell rule hid it, else the value."""
    return MARKER if field in (row.get("suppressed") or ()) else row.get(field)


def _change(row: Mapping[str, Any], field: str, part: str) -> Any:
    return MARKER if field in (row.get("suppressed") or ()) else row[field][part]


def _indicator_info(report: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {ind["key"]: ind for ind in report.get("indicators") or ()}


def trend_keys(report: Mapping[str, Any]) -> list[str]:
    """Return the keys of the report's trend series: in the order of its indicators, then any others."""
    series = (report.get("trends") or {}).get("series") or {}
    ordered = [key for key in _indicator_info(report) if key in series]
    return ordered + [key for key in series if key not in ordered]


def trend_value(report: Mapping[str, Any], key: str, position: int) -> Any:
    """Return the trend figure of `key` at `position` as published: the marker when that month hid it."""
    trends = report["trends"]
    if trends["months"][position] in (trends.get("suppressed") or {}).get(key, ()):
        return MARKER
    return trends["series"][key][position]


def indicator_rows(report: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield one row per indicator: the month's value, the previous month, a year ago and the changes."""
    for ind in report["indicators"]:
        yield {"section": "indicator", "key": ind["key"], "month": report.get("month"), "label_vi": ind["label_vi"],
               "label_en": ind["label_en"], "unit": ind["unit"], "value": shown(ind, "value"),
               "previous_month": shown(ind, "previous_month"),
               "mom_absolute": _change(ind, "month_on_month", "absolute"),
               "mom_relative": _change(ind, "month_on_month", "relative"), "year_ago": shown(ind, "year_ago"),
               "yoy_absolute": _change(ind, "year_on_year", "absolute"),
               "yoy_relative": _change(ind, "year_on_year", "relative"), "definition": ind["definition"]}


def trend_rows(report: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield the 12-month trends: one row per indicator and month, a hidden month as the marker."""
    info = _indicator_info(report)
    for key in trend_keys(report):
        ind = info.get(key, {})
        for position, month in enumerate(report["trends"]["months"]):
            yield {"section": "trend", "key": key, "month": month, "label_vi": ind.get("label_vi"),
                   "label_en": ind.get("label_en"), "unit": ind.get("unit"),
                   "value": trend_value(report, key, position)}


def target_rows(report: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield each 2030 target with the official figure it is judged on (value, source, year as columns), then
    the register indicator shown beside it, marked not comparable."""
    info = _indicator_info(report)
    for target in report["targets"]:
        official = target.get("figure")
        register = target.get("register")
        unit = info.get(register["indicator"], {}).get("unit") if register else None
        judged = f"judged on: {target.get('figure_label_vi') or target.get('figure_key')}"
        if official:
            judged += f" ({official.get('kind') or 'official'} figure" + (
                f", as of {official['as_of']})" if official.get("as_of") else ")")
        else:
            judged += " — no official figure entered"
        yield {"section": "target_2030", "key": target["key"], "month": None, "label_vi": target["label_vi"],
               "label_en": target["label_en"], "unit": unit or "share",
               "value": official["value"] if official else None, "target": target["target"],
               "status": target["status"], "source": official["source"] if official else None,
               "year": official["year"] if official else None,
               "definition": f"target {target['op']} {target['target']:g} ({target['target'] * 100:g}%; "
                             f"{target.get('target_source') or 'no source'}); "
                             + judged}
        if register:
            ind = info.get(register["indicator"], {})
            yield {"section": "target_2030_register", "key": register["indicator"], "month": report.get("month"),
                   "label_vi": register.get("label_vi") or ind.get("label_vi"), "label_en": ind.get("label_en"),
                   "unit": unit, "value": MARKER if register.get("suppressed") else register["value"],
                   "status": "not_comparable", "source": "jobmatch registers",
                   "definition": f"beside target {target['key']}: {register.get('note') or 'not comparable'}"}


def occupation_rows(report: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield the shortage and surplus lists, then the whole occupation balance, each with demand and supply as
    figures of their own."""
    for kind in ("shortage", "surplus", "all"):
        for row in report["occupations"].get(kind) or ():
            yield {"section": f"occupation_{kind}", "key": row["occupation_code"], "month": report.get("month"),
                   "label_vi": row["title_vi"], "label_en": row["title_en"], "unit": "count",
                   "demand": shown(row, "demand"), "supply": shown(row, "supply"),
                   "definition": OCCUPATION_DEFINITION}


def skill_rows(report: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield the most demanded skills."""
    for row in report["skills"]:
        yield {"section": "skill_demand", "key": row["skill"], "month": report.get("month"), "unit": "count",
               "value": shown(row, "vacancies"), "definition": "open vacancies listing the skill as essential"}


def labour_force_rows(report: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield the labour force the rates are divided by, with its source and year (the merged city's beside)."""
    force = report.get("labour_force") or {}
    place = force.get("unit_label")
    for part in [p for p in LABOUR_FORCE_PARTS if p in force] + [
            p for p, v in force.items() if p not in LABOUR_FORCE_PARTS and p != "year" and isinstance(v, int | float)
            and not isinstance(v, bool)]:
        vi, en = LABOUR_FORCE_PARTS.get(part, (part, part))
        yield {"section": "labour_force", "key": part, "label_vi": f"{vi} — {place}" if place else vi,
               "label_en": en, "unit": "count", "value": force[part], "source": force.get("source"),
               "year": force.get("year"),
               "definition": ("denominator of the registered unemployment rate" if part == "total" else
                              f"denominator of the {part} registered unemployment rate" if part in LABOUR_FORCE_PARTS
                              else "labour force figure as configured") + (
                   "" if force[part] is not None else "; none: not published for this area, not configured")}
    merged = force.get("merged_unit")
    if merged:
        yield {"section": "labour_force", "key": merged.get("unit") or "merged_unit", "label_vi": merged.get("label"),
               "label_en": "Labour force aged 15+ of the merged city (context)", "unit": "count",
               "value": merged.get("total"), "source": force.get("source"), "year": force.get("year"),
               "definition": merged.get("note")}


def note_rows(report: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield the report's notes, numbered."""
    for number, note in enumerate(report.get("notes") or (), start=1):
        yield {"section": "note", "key": str(number), "definition": note}


def report_row(report: Mapping[str, Any]) -> dict[str, Any]:
    """Return the row naming the report itself: its month, period, time zone and when it was built."""
    return {"section": "report", "key": "report", "month": report.get("month"),
            "label_vi": f"Báo cáo thị trường lao động tháng {report.get('month')}",
            "label_en": f"Labour-market report, {report.get('month')}", "source": "jobmatch",
            "definition": f"period {report.get('from')} – {report.get('to')} ({report.get('timezone')}); generated "
                          f"{report.get('generated_at')}; report format {report.get('format')}"}


def csv_rows(report: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Yield every table of the report as flat CSV rows, one `section` per table (CSV_SECTIONS): indicators,
    trends, targets, occupations, skills, forecast, labour force, notes, the report row, then the legend of the
    marker for hidden figures."""
    yield from indicator_rows(report)
    yield from trend_rows(report)
    yield from target_rows(report)
    yield from occupation_rows(report)
    yield from skill_rows(report)
    yield from forecast_rows(report.get("forecast"))
    yield from labour_force_rows(report)
    yield from note_rows(report)
    yield report_row(report)
    k = (report.get("disclosure") or {}).get("min_cell_size")
    if k:
        yield {"section": "legend", "key": "suppressed", "value": MARKER,
               "definition": legend(k) + " An empty cell: nothing to compute (e.g. a rate over zero). / Ô trống: "
                                         "không có gì để tính."}


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
    by major group (`forecast_balance`, demand and supply as their own figures). Nothing for a report built
    before forecasts."""
    if not section:
        return
    for row in section["series"]:
        for position, month in enumerate(row["months"]):
            yield {"section": "forecast", "key": f"{row['kind']}/{row['group']}/{month}", "month": month,
                   "label_vi": row["label_vi"], "label_en": row["label_en"], "unit": "count",
                   "value": forecast_value(row, position), "status": row["method"], "definition": backtest_text(row)}
    months = section["months"]
    for row in section["balance"]:
        yield {"section": "forecast_balance", "key": row["group"], "label_vi": row["label_vi"],
               "label_en": row["label_en"], "unit": "count", "demand": shown_or_marker(row["demand"]),
               "supply": shown_or_marker(row["supply"]), "status": row["status"],
               "definition": f"{months[0] if months else ''}..{months[-1] if months else ''}: demand = forecast new "
                             "vacancies, supply = forecast new jobseekers, summed over the months"}


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


def _thousands(value: float) -> str:
    return f"{value:,.0f}".replace(",", ".")


def percent(value: float | None) -> str:
    """Format a share as a percentage with one decimal ("—" when unknown)."""
    return "—" if value is None else f"{value * 100:.1f}%"


def formatted(value: float | None, unit: str) -> str:
    """Format an indicator value for its unit ("—" only for None: 0 is a figure)."""
    if value is None:
        return "—"
    if unit in ("share", "rate"):
        return percent(value) if unit == "share" else f"{value * 100:.2f}%"
    return _thousands(value) if unit == "count" else f"{value:g}"


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
    value = trend_value(report, key, position)
    return MARKER if value == MARKER else formatted(value, unit)


# ---- Charts: server-side SVG geometry (the page's CSP allows no scripts and nothing external) ----

# What a count counts, for the y axis: (Vietnamese, English). Other count indicators count people.
COUNT_NOUNS: dict[str, tuple[str, str]] = {
    "new_vacancies": ("vị trí việc làm", "vacancies"), "open_vacancies": ("vị trí việc làm", "vacancies"),
    "vacancies_filled": ("vị trí việc làm", "vacancies"), "new_openings": ("chỉ tiêu tuyển dụng", "openings"),
    "open_openings": ("chỉ tiêu tuyển dụng", "openings"), "referrals": ("lượt giới thiệu", "referrals"),
}
UNIT_NOUNS = {"share": ("%", "%"), "rate": ("%", "%"), "days": ("ngày", "days")}
CHART = {"width": 480, "height": 250, "top": 30, "right": 16, "bottom": 44, "left": 58}


def unit_label(key: str, unit: str) -> tuple[str, str]:
    """Return what a chart's y axis measures, in Vietnamese and English ("người" / "people" for most counts)."""
    if unit == "count":
        return COUNT_NOUNS.get(key) or next((noun for part, noun in (
            ("vacanc", ("vị trí việc làm", "vacancies")), ("opening", ("chỉ tiêu tuyển dụng", "openings")),
            ("referral", ("lượt giới thiệu", "referrals"))) if part in key), ("người", "people"))
    return UNIT_NOUNS.get(unit, (unit, unit))


def nice_number(value: float, *, round_: bool = True) -> float:
    """Return a "nice" number (1, 2, 5 or 10 times a power of ten) near `value` (> 0): the nearest when
    `round_`, else the smallest not below it."""
    exponent = math.floor(math.log10(value))
    fraction = value / 10 ** exponent
    if round_:
        nice = 1 if fraction < 1.5 else 2 if fraction < 3 else 5 if fraction < 7 else 10
    else:
        nice = 1 if fraction <= 1 else 2 if fraction <= 2 else 5 if fraction <= 5 else 10
    return nice * 10 ** exponent


def ticks(low: float, high: float, *, count: int = 5, min_step: float = 0.0) -> list[float]:
    """Return evenly spaced nice tick values covering [low, high] (about `count` of them), steps at least
    `min_step` (1 for counts: no "2.5 people")."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + (abs(low) or 1)
    step = max(nice_number(nice_number(high - low, round_=False) / max(count - 1, 1)), min_step)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [_clean(i * step) for i in range(first, last + 1)]


def _clean(value: float) -> float:
    # 0.30000000000000004 -> 0.3, so that labels and tests read as written
    return float(f"{value:.12g}")


def scale(value: float, domain: tuple[float, float], span: tuple[float, float]) -> float:
    """Map `value` linearly from `domain` onto `span` (pixels; a span may run backwards, as a y axis does)."""
    (d0, d1), (r0, r1) = domain, span
    return r0 if d1 == d0 else r0 + (value - d0) / (d1 - d0) * (r1 - r0)


def tick_label(value: float, unit: str, step: float) -> str:
    """Format a y-axis tick: percentages with as many decimals as the step needs, counts with thousands dots."""
    if unit in ("share", "rate"):
        digits = max(0, -math.floor(math.log10(step * 100) + 1e-9)) if step > 0 else 0
        return f"{value * 100:.{digits}f}%"
    if unit == "count":
        return _thousands(value)
    return f"{value:g}"


def month_label(month: str) -> tuple[str, str]:
    """Return an x-axis label for "YYYY-MM": ("T11", "2025"), Vietnamese style (tháng 11)."""
    year, number = month.split("-")
    return f"T{int(number)}", year


def segments(xs: Sequence[float], ys: Sequence[float | None]) -> list[str]:
    """Return SVG polyline point lists for the runs of known values; a None breaks the line (no bridging over a
    hidden or missing month). A lone point makes no segment (it is drawn as a dot)."""
    runs: list[list[str]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            runs.append([])
        else:
            runs[-1].append(f"{x:.1f},{y:.1f}")
    return [" ".join(run) for run in runs if len(run) >= 2]


def line_chart(months: Sequence[str], values: Sequence[Any], *, unit: str, key: str = "",
               target: Mapping[str, Any] | None = None, forecast_from: int | None = None,
               size: Mapping[str, int] = CHART) -> dict[str, Any]:
    """Return the geometry of a line chart of monthly figures: axes, ticks, lines, dots, gaps, target line.

    `values` are as published: a number, the marker (hidden: a gap marked "[c]") or None (nothing to compute: a
    gap marked "—"). `target` ({"value", "label"}) adds a dashed horizontal line inside the y range. From
    `forecast_from` on, the values are forecasts: drawn dashed, after a vertical divider. Counts and shares
    start at 0, so that the height of a line is not exaggerated.
    """
    width, height = size["width"], size["height"]
    x0, x1 = size["left"], width - size["right"]
    y0, y1 = height - size["bottom"], size["top"]  # y0: the bottom of the plot
    known = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    bounds = [*known, *([float(target["value"])] if target else [])]
    low, high = (min(0.0, *bounds), max(bounds)) if bounds else (0.0, 1.0)
    y_ticks = ticks(low, high, min_step=1.0 if unit == "count" else 0.0)
    domain = (y_ticks[0], y_ticks[-1])
    step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 1.0
    n = len(months)
    xs = [(x0 + x1) / 2] if n == 1 else [x0 + i * (x1 - x0) / (n - 1) for i in range(n)]
    ys = [scale(float(v), domain, (y0, y1)) if isinstance(v, int | float) and not isinstance(v, bool) else None
          for v in values]
    ahead = n if forecast_from is None else forecast_from
    actual = segments(xs[:ahead], ys[:ahead])
    # The forecast line starts from the last actual month when that one is shown, so that the two join.
    start = ahead - 1 if ahead > 0 and forecast_from is not None and ys[ahead - 1] is not None else ahead
    forecast = segments(xs[start:], ys[start:]) if forecast_from is not None else []
    x_ticks = []
    for i, month in enumerate(months):
        short, year = month_label(month)
        # More than 12 months: every other label may be left out where space is short (the phone's CSS does), the
        # newest month and each January always kept.
        x_ticks.append({"x": round(xs[i], 1), "label": short,
                        "year": year if i == 0 or month.endswith("-01") else "",
                        "minor": n > 12 and (n - 1 - i) % 2 == 1 and not month.endswith("-01")})
    label_vi, label_en = unit_label(key, unit)
    chart: dict[str, Any] = {
        "width": width, "height": height, "plot": {"x0": x0, "x1": x1, "y0": y0, "y1": y1},
        "y_ticks": [{"y": round(scale(t, domain, (y0, y1)), 1), "label": tick_label(t, unit, step)}
                    for t in y_ticks],
        "x_ticks": x_ticks, "lines": actual, "forecast_lines": forecast,
        "dots": [{"x": round(x, 1), "y": round(y, 1), "month": m, "forecast": forecast_from is not None and
                  i >= forecast_from, "text": formatted(values[i], unit)}
                 for i, (x, y, m) in enumerate(zip(xs, ys, months, strict=True)) if y is not None],
        "gaps": [{"x": round(xs[i], 1), "month": months[i], "text": MARKER if v == MARKER else "—"}
                 for i, v in enumerate(values) if ys[i] is None],
        "unit_vi": label_vi, "unit_en": label_en, "target": None, "divider": None,
    }
    if forecast_from is not None and 0 < forecast_from < n:
        chart["divider"] = round((xs[forecast_from - 1] + xs[forecast_from]) / 2, 1)
    if target:
        y = scale(float(target["value"]), domain, (y0, y1))
        chart["target"] = {"y": round(y, 1), "label": target["label"],
                           "label_y": round(y - 5 if y - 14 > y1 else y + 13, 1)}
    return chart


def target_line(report: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    """Return the 2030 target to draw on the chart of indicator `key`, or None.

    A line is drawn only where the report's targets table places `key` beside a target as its register
    indicator: the target is defined on an official figure of the labour force (survey or administrative), not
    on the registers, so the label says so and the line is grey context, never a pass mark. Indicators that no
    target names get no line (nothing comparable to draw).
    """
    for row in report.get("targets") or ():
        register = row.get("register") or {}
        if register.get("indicator") == key:
            sign = "≥" if row["op"] == ">=" else "<"
            return {"value": row["target"], "op": row["op"], "key": row["key"],
                    "short": f"Đường nét đứt: mục tiêu 2030 {sign} {row['target'] * 100:g}%, đánh giá bằng số liệu "
                             f"chính thức ({row.get('figure_label_vi') or row.get('figure_key')}), không phải số "
                             "liệu đăng ký: chỉ để tham khảo. / Dashed: the 2030 target, judged on an official "
                             "figure; not directly comparable.",
                    "label": f"mục tiêu 2030 {sign} {row['target'] * 100:g}% — không so sánh trực tiếp",
                    "note": f"Mục tiêu 2030 ({row['label_vi']}) được đánh giá bằng số liệu chính thức: "
                            f"{row.get('figure_label_vi') or row.get('figure_key')}; đường này chỉ để tham khảo, "
                            "số liệu đăng ký không so sánh trực tiếp được. / The 2030 target is judged on an "
                            "official figure (survey or administrative), not on the registers: this register series "
                            "is not directly comparable."}
    return None


def describe_series(title: str, months: Sequence[str], values: Sequence[Any], unit: str) -> str:
    """Return a sentence describing a chart for screen readers: span, first and last figures, range, gaps."""
    known = [(m, v) for m, v in zip(months, values, strict=True) if isinstance(v, int | float)
             and not isinstance(v, bool)]
    hidden = [m for m, v in zip(months, values, strict=True) if v == MARKER]
    parts = [f"{title}, {months[0]} – {months[-1]}." if months else f"{title}."]
    if known:
        low = min(known, key=lambda p: p[1])
        high = max(known, key=lambda p: p[1])
        parts.append(f"Thấp nhất {formatted(low[1], unit)} ({low[0]}), cao nhất {formatted(high[1], unit)} "
                     f"({high[0]}); tháng cuối {formatted(values[-1], unit) if values[-1] != MARKER else MARKER}.")
    if hidden:
        parts.append(f"Ẩn ({MARKER}): {', '.join(hidden)}.")
    return " ".join(parts)


def trend_charts(report: Mapping[str, Any], keys: Sequence[str]) -> list[dict[str, Any]]:
    """Return the page's trend charts, one per key present in the report: labels, geometry, the data table."""
    info = _indicator_info(report)
    months = report["trends"]["months"]
    charts = []
    for key in keys:
        if key not in (report["trends"].get("series") or {}):
            continue
        ind = info.get(key, {"label_vi": key, "label_en": key, "unit": "count"})
        values = [trend_value(report, key, i) for i in range(len(months))]
        target = target_line(report, key)
        chart = line_chart(months, values, unit=ind["unit"], key=key, target=target)
        charts.append({"key": key, "title_vi": ind["label_vi"], "title_en": ind["label_en"], "unit": ind["unit"],
                       "svg": chart, "target": target,
                       "desc": describe_series(ind["label_vi"], months, values, ind["unit"])
                       + (f" {target['note']}" if target else ""),
                       "table": [{"month": m, "text": formatted_or_marker(v, ind["unit"])}
                                 for m, v in zip(months, values, strict=True)]})
    return charts


def formatted_or_marker(value: Any, unit: str) -> str:
    """Format a published figure for the page: the marker as is, None as "—", 0 as 0."""
    return MARKER if value == MARKER else formatted(value, unit)


def forecast_charts(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return one chart per forecast kind of the province (group `total`): the 12 months of actual figures
    from the trends (when the report has that indicator), then the forecast months, dashed."""
    section = report.get("forecast")
    if not section:
        return []
    info = _indicator_info(report)
    trends = report["trends"]
    charts = []
    for row in section["series"]:
        if row["group"] != "total":
            continue
        kind = row["kind"]
        history = trends["months"] if kind in trends.get("series", {}) else []
        past = [trend_value(report, kind, i) for i in range(len(history))]
        ahead = [forecast_value(row, i) for i in range(len(row["months"]))]
        months, values = [*history, *row["months"]], [*past, *ahead]
        ind = info.get(kind, {})
        title = ind.get("label_vi") or kind
        chart = line_chart(months, values, unit="count", key=kind, forecast_from=len(history))
        charts.append({"key": f"forecast-{kind}", "title_vi": f"{title} — dự báo {len(row['months'])} tháng",
                       "title_en": f"{ind.get('label_en') or kind}, forecast", "unit": "count", "svg": chart,
                       "target": None,
                       "desc": describe_series(title, months, values, "count") + (
                           f" Dự báo từ {row['months'][0]} ({backtest_text(row)})." if row["months"] else ""),
                       "table": [{"month": m, "text": formatted_or_marker(v, "count"),
                                  "forecast": i >= len(history)} for i, (m, v) in enumerate(zip(months, values,
                                                                                                strict=True))]})
    return charts

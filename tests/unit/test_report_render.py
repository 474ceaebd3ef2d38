"""The monthly report's CSV covers every table of its JSON, and the page's chart geometry (no server)."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict

import pytest

from jobmatch.http import csv_download
from jobmatch.metrics.compute import change
from jobmatch.metrics.definitions import BY_KEY
from jobmatch.metrics.disclosure import MARKER, describe
from jobmatch.reports import render
from jobmatch.reports.build import REPORT_FORMAT
from jobmatch.reports.schemas import ReportOut

MONTHS = ["2026-08", "2026-09", "2026-10", "2026-11"]


def _indicator(key: str, value, previous, year_ago, suppressed=()) -> dict:
    return {**asdict(BY_KEY[key]), "value": value, "previous_month": previous, "year_ago": year_ago,
            "month_on_month": change(value, previous), "year_on_year": change(value, year_ago),
            "suppressed": list(suppressed)}


def _forecast_row(kind: str, group: str, values, suppressed=(), withheld=False) -> dict:
    return {"kind": kind, "group": group, "label_vi": "Toàn tỉnh" if group == "total" else "Thợ may",
            "label_en": "Province" if group == "total" else "Machine operators", "history_months": 4,
            "withheld": withheld, "method": None if withheld else "ses", "months": ["2026-12", "2027-01", "2027-02"],
            "values": values, "suppressed": list(suppressed), "benchmark": None if withheld else "naive",
            "mase": None if withheld else 0.5, "benchmark_mase": None if withheld else 1.0,
            "mape": None if withheld else 10.0, "benchmark_mape": None if withheld else 20.0,
            "backtest_forecasts": 0 if withheld else 6}


def full_report() -> dict:
    """A report with every section of the JSON, hidden figures, zeros and nothing-to-compute figures in each."""
    return {
        "format": REPORT_FORMAT, "month": "2026-11", "from": "2026-11-01", "to": "2026-11-30",
        "timezone": "Asia/Ho_Chi_Minh", "generated_at": "2026-12-01T01:00:00+00:00",
        "indicators": [_indicator("placements", None, 12, 0, ["value", "month_on_month", "year_on_year"]),
                       _indicator("placement_rate", 0.25, None, 0.0),
                       _indicator("new_openings", 0, 0, 7),
                       _indicator("pwd_employment_rate", None, None, None,
                                  ["value", "previous_month", "year_ago", "month_on_month", "year_on_year"])],
        "trends": {"months": MONTHS,
                   "series": {"placements": [12, 0, None, None], "placement_rate": [0.2, None, 0.0, 0.25],
                              "new_openings": [7, 9, 0, 0], "pwd_employment_rate": [0.5, None, None, None]},
                   "suppressed": {"placements": ["2026-10", "2026-11"],
                                  "pwd_employment_rate": ["2026-09", "2026-10", "2026-11"]}},
        "occupations": {
            "shortage": [{"occupation_code": "7212", "title_vi": "Thợ hàn", "title_en": "Welders", "demand": 12,
                          "supply": None, "suppressed": ["supply"]}],
            "surplus": [{"occupation_code": "5223", "title_vi": "Bán hàng", "title_en": "Shop sales", "demand": 0,
                         "supply": 9, "suppressed": []}],
            "all": [{"occupation_code": "0110", "title_vi": "Sĩ quan", "title_en": "Officers", "demand": None,
                     "supply": 7, "suppressed": ["demand"]},
                    {"occupation_code": "5223", "title_vi": "Bán hàng", "title_en": "Shop sales", "demand": 0,
                     "supply": 9, "suppressed": []},
                    {"occupation_code": "7212", "title_vi": "Thợ hàn", "title_en": "Welders", "demand": 12,
                     "supply": None, "suppressed": ["supply"]}]},
        "skills": [{"skill": "may", "vacancies": None, "suppressed": ["vacancies"]},
                   {"skill": "=hàn", "vacancies": 6, "suppressed": []}],
        "targets": [
            {"key": "disability_employment", "label_vi": "40% NKT có việc làm", "label_en": "PWD", "op": ">=",
             "target": 0.4, "target_source": "50-CTr/TU", "figure_key": "pwd_employment_rate",
             "figure_label_vi": "Tỷ lệ NKT có việc làm", "figure": None, "status": "no_data",
             "register": {"indicator": "pwd_employment_rate", "label_vi": "NKT", "value": None,
                          "suppressed": True, "definition": "d", "comparable": False, "note": "not comparable"}},
            {"key": "unemployment_general", "label_vi": "Thất nghiệp dưới 3%", "label_en": "Unemployment < 3%",
             "op": "<", "target": 0.03, "target_source": "50-CTr/TU", "figure_key": "unemployment_rate",
             "figure_label_vi": "Tỷ lệ thất nghiệp (điều tra)",
             "figure": {"value": 0.021, "year": 2025, "as_of": None, "source": "GSO LFS 2025", "kind": "survey"},
             "status": "met", "register": None}],
        "labour_force": {"total": 614100, "urban": None, "rural": None, "year": 2021, "unit": "soc_trang",
                         "unit_label": "Sóc Trăng", "source": "GSO labour force survey 2021 (preliminary)",
                         "merged_unit": {"unit": "can_tho", "label": "Cần Thơ", "total": 1592500, "note": "sum"}},
        "notes": ["Trained = sơ cấp or above.", "-a note that looks like a formula"],
        "disclosure": describe(5),
        "forecast": {"months": ["2026-12", "2027-01", "2027-02"],
                     "history": {"from": "2026-08", "to": "2026-11", "months": 4},
                     "series": [_forecast_row("new_vacancies", "total", [10, 0, None], ["2027-02"]),
                                _forecast_row("new_vacancies", "8", [None, None, None], withheld=True)],
                     "balance": [{"group": "8", "label_vi": "Thợ may", "label_en": "Machine operators",
                                  "demand": None, "supply": 6, "status": "not_classified"}],
                     "note": "Forecasts: exponential smoothing."},
    }


def csv_table(report: dict) -> list[dict[str, str]]:
    """Return the report's CSV as the download writes it, read back."""
    text = csv_download(render.csv_rows(report), render.CSV_COLUMNS, "r.csv").get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def published(value) -> str:
    """A figure as the CSV writes it: the marker as is, None as an empty cell, 0 as "0"."""
    return "" if value is None else str(value)


def test_every_part_of_the_report_json_has_csv_sections():
    # The schema documents every part of the report: a new one must be given CSV rows (CSV_SECTIONS).
    parts = {field.data_key or name for name, field in ReportOut().fields.items()}
    assert parts == set(render.CSV_SECTIONS), "map each part of the report JSON to CSV sections"
    report = full_report()
    assert set(report) == set(render.CSV_SECTIONS)
    written = {row["section"] for row in csv_table(report)}
    assert written == {s for sections in render.CSV_SECTIONS.values() for s in sections}


def test_every_row_of_every_table_is_in_the_csv_with_the_same_figure():
    report = full_report()
    rows = csv_table(report)
    assert list(rows[0]) == list(render.CSV_COLUMNS)
    by = {(r["section"], r["key"], r["month"]): r for r in rows}
    assert len(by) == len(rows)  # section, key and month name a row

    for ind in report["indicators"]:
        row = by[("indicator", ind["key"], "2026-11")]
        for field, column in (("value", "value"), ("previous_month", "previous_month"), ("year_ago", "year_ago")):
            assert row[column] == (MARKER if field in ind["suppressed"] else published(ind[field]))
        assert row["mom_absolute"] == (MARKER if "month_on_month" in ind["suppressed"]
                                       else published(ind["month_on_month"]["absolute"]))
    trends = report["trends"]
    for key, series in trends["series"].items():
        for month, value in zip(trends["months"], series, strict=True):
            hidden = month in trends["suppressed"].get(key, ())
            assert by[("trend", key, month)]["value"] == (MARKER if hidden else published(value)), (key, month)
            assert by[("trend", key, month)]["unit"] == BY_KEY[key].unit
    assert sum(r["section"] == "trend" for r in rows) == len(trends["series"]) * len(trends["months"])
    for kind in ("shortage", "surplus", "all"):
        listed = [r for r in rows if r["section"] == f"occupation_{kind}"]
        assert [r["key"] for r in listed] == [o["occupation_code"] for o in report["occupations"][kind]]
        for row, occupation in zip(listed, report["occupations"][kind], strict=True):
            for field in ("demand", "supply"):
                expected = MARKER if field in occupation["suppressed"] else published(occupation[field])
                assert row[field] == expected, (kind, occupation["occupation_code"], field)
    skills = {r["key"]: r["value"] for r in rows if r["section"] == "skill_demand"}
    assert skills == {"may": MARKER, "'=hàn": "6"}  # a formula-looking cell is escaped
    for target in report["targets"]:
        row = by[("target_2030", target["key"], "")]
        official = target["figure"] or {}
        assert (row["value"], row["source"], row["year"]) == (
            published(official.get("value")), published(official.get("source")), published(official.get("year")))
        assert (row["target"], row["status"]) == (str(target["target"]), target["status"])
        if target["register"]:
            register = by[("target_2030_register", target["register"]["indicator"], "2026-11")]
            assert register["value"] == MARKER and register["status"] == "not_comparable"
    forecast = report["forecast"]
    for series in forecast["series"]:
        for position, month in enumerate(series["months"]):
            value = by[("forecast", f"{series['kind']}/{series['group']}/{month}", month)]["value"]
            hidden = series["withheld"] or month in series["suppressed"]
            assert value == (MARKER if hidden else published(series["values"][position]))
    balance = by[("forecast_balance", "8", "")]
    assert (balance["demand"], balance["supply"], balance["status"]) == (MARKER, "6", "not_classified")
    force = report["labour_force"]
    total = by[("labour_force", "total", "")]
    assert (total["value"], total["source"], total["year"]) == ("614100", force["source"], "2021")
    assert by[("labour_force", "urban", "")]["value"] == ""  # not published: empty, not [c]
    assert by[("labour_force", "can_tho", "")]["value"] == "1592500"
    assert [r["definition"] for r in rows if r["section"] == "note"] == [
        "Trained = sơ cấp or above.", "'-a note that looks like a formula"]
    report_row = by[("report", "report", "2026-11")]
    assert "2026-11-01" in report_row["definition"] and "2026-12-01T01:00:00+00:00" in report_row["definition"]
    assert rows[-1]["section"] == "legend" and rows[-1]["value"] == MARKER and "fewer than 5" in rows[-1]["definition"]


def test_zero_is_a_figure_and_none_is_nothing_to_compute():
    rows = list(render.csv_rows(full_report()))
    openings = next(r for r in rows if r["section"] == "indicator" and r["key"] == "new_openings")
    assert (openings["value"], openings["previous_month"], openings["mom_absolute"]) == (0, 0, 0)
    assert openings["mom_relative"] is None  # over a base of 0
    rate = next(r for r in rows if r["section"] == "indicator" and r["key"] == "placement_rate")
    assert rate["previous_month"] is None and rate["year_ago"] == 0.0
    assert render.formatted(0, "count") == "0" and render.formatted(0.0, "share") == "0.0%"
    assert render.formatted(0.0, "rate") == "0.00%" and render.formatted(0, "days") == "0"
    assert render.formatted(None, "count") == "—" and render.formatted_or_marker(MARKER, "count") == MARKER
    assert render.delta({"absolute": 0, "relative": None}, "count") == "+0"
    assert render.delta({"absolute": 0.0, "relative": None}, "share") == "+0.0 điểm %"
    assert render.delta({"absolute": None, "relative": None}, "count") == "—"
    assert render.cell({"value": 0, "suppressed": []}, "value", "count") == "0"
    assert render.trend_point(full_report(), "placement_rate", 2, "share") == "0.0%"
    assert render.trend_point(full_report(), "placement_rate", 1, "share") == "—"


@pytest.mark.parametrize(("value", "rounded", "ceiling"), [
    (1, 1, 1), (1.4, 1, 2), (2.6, 2, 5), (3, 5, 5), (7, 10, 10), (0.023, 0.02, 0.05), (440, 500, 500),
])
def test_nice_numbers(value, rounded, ceiling):
    assert render.nice_number(value) == pytest.approx(rounded)
    assert render.nice_number(value, round_=False) == pytest.approx(ceiling)


def test_ticks_cover_the_range_with_nice_steps():
    assert render.ticks(0, 37) == [0, 10, 20, 30, 40]
    assert render.ticks(0, 1450) == [0, 500, 1000, 1500]
    assert render.ticks(0, 0.023) == [0, 0.01, 0.02, 0.03]
    assert render.ticks(0, 0.0042) == [0, 0.001, 0.002, 0.003, 0.004, 0.005]
    assert render.ticks(0, 3, min_step=1) == [0, 1, 2, 3]  # no half people
    assert render.ticks(0, 0) == [0, 0.2, 0.4, 0.6, 0.8, 1]  # flat at zero: still an axis
    assert render.ticks(5, 5)[0] <= 5 <= render.ticks(5, 5)[-1]
    assert render.ticks(37, 0) == render.ticks(0, 37)


def test_scales_and_labels():
    assert render.scale(0, (0, 40), (200, 30)) == 200 and render.scale(40, (0, 40), (200, 30)) == 30
    assert render.scale(10, (0, 40), (200, 30)) == pytest.approx(157.5)
    assert render.scale(3, (3, 3), (200, 30)) == 200
    assert render.tick_label(0.015, "rate", 0.005) == "1.5%" and render.tick_label(0.2, "share", 0.1) == "20%"
    assert render.tick_label(1500, "count", 500) == "1.500" and render.tick_label(30, "days", 10) == "30"
    assert render.month_label("2026-01") == ("T1", "2026")
    assert render.unit_label("placements", "count") == ("người", "people")
    assert render.unit_label("new_vacancies", "count") == ("vị trí việc làm", "vacancies")
    assert render.unit_label("placements_insured", "count") == ("người", "people")  # an indicator added later
    assert render.unit_label("median_days_to_fill", "days") == ("ngày", "days")
    assert render.unit_label("insured_share_placements", "share") == ("%", "%")


def test_segments_break_at_gaps_and_skip_lone_points():
    assert render.segments([0, 10, 20, 30, 40], [5, 6, None, 7, None]) == ["0.0,5.0 10.0,6.0"]
    assert render.segments([0, 10, 20], [1, 2, 3]) == ["0.0,1.0 10.0,2.0 20.0,3.0"]
    assert render.segments([0, 10], [None, None]) == []


def test_a_line_chart_has_axes_gaps_for_hidden_months_and_zero_at_the_bottom():
    chart = render.line_chart(MONTHS, [12, 0, MARKER, None], unit="count", key="placements")
    plot = chart["plot"]
    assert [t["label"] for t in chart["y_ticks"]] == ["0", "5", "10", "15"]
    assert chart["y_ticks"][0]["y"] == plot["y0"] and chart["y_ticks"][-1]["y"] == plot["y1"]
    assert [t["label"] for t in chart["x_ticks"]] == ["T8", "T9", "T10", "T11"]
    assert [t["year"] for t in chart["x_ticks"]] == ["2026", "", "", ""]
    assert chart["x_ticks"][0]["x"] == plot["x0"] and chart["x_ticks"][-1]["x"] == plot["x1"]
    zero = next(d for d in chart["dots"] if d["month"] == "2026-09")
    assert zero["y"] == plot["y0"] and zero["text"] == "0"  # 0 is drawn, at the axis
    assert [(g["month"], g["text"]) for g in chart["gaps"]] == [("2026-10", MARKER), ("2026-11", "—")]
    assert len(chart["lines"]) == 1 and chart["target"] is None and chart["divider"] is None
    assert (chart["unit_vi"], chart["unit_en"]) == ("người", "people")
    empty = render.line_chart(MONTHS, [MARKER] * 4, unit="share")
    assert empty["lines"] == [] and empty["dots"] == [] and len(empty["gaps"]) == 4


def test_the_target_line_sits_in_the_y_range_and_a_forecast_joins_the_actual_line():
    chart = render.line_chart(MONTHS, [0.1, 0.2, 0.15, 0.12], unit="share", target={"value": 0.4, "label": "t"})
    assert chart["target"]["y"] == chart["plot"]["y1"]  # 40% is the top tick
    assert chart["y_ticks"][-1]["label"] == "40%"
    months = [*MONTHS, "2026-12", "2027-01"]
    chart = render.line_chart(months, [5, 6, 7, 8, 9, 10], unit="count", forecast_from=4)
    assert len(chart["lines"]) == 1 and len(chart["lines"][0].split()) == 4
    assert len(chart["forecast_lines"]) == 1 and len(chart["forecast_lines"][0].split()) == 3  # from the last actual
    assert chart["plot"]["x0"] < chart["divider"] < chart["plot"]["x1"]
    assert [d["forecast"] for d in chart["dots"]] == [False] * 4 + [True] * 2
    assert chart["x_ticks"][4]["year"] == "" and chart["x_ticks"][5]["year"] == "2027"


def test_a_target_line_only_on_the_register_indicator_a_target_names_and_labelled_not_comparable():
    report = full_report()
    line = render.target_line(report, "pwd_employment_rate")
    assert line["value"] == 0.4 and "không so sánh trực tiếp" in line["label"] and "≥ 40%" in line["label"]
    assert "Tỷ lệ NKT có việc làm" in line["note"]
    assert render.target_line(report, "placements") is None
    # The survey unemployment target has no register indicator beside it in this report: no line anywhere.
    assert all(render.target_line(report, key) is None for key in report["trends"]["series"]
               if key != "pwd_employment_rate")


def test_trend_charts_carry_a_description_and_the_same_figures_as_a_table():
    report = full_report()
    charts = render.trend_charts(report, ("placements", "pwd_employment_rate", "not_in_this_report"))
    assert [c["key"] for c in charts] == ["placements", "pwd_employment_rate"]
    placements, pwd = charts
    assert placements["title_vi"] == BY_KEY["placements"].label_vi
    assert [row["text"] for row in placements["table"]] == ["12", "0", MARKER, MARKER]
    assert "Ẩn ([c]): 2026-10, 2026-11" in placements["desc"] and "cao nhất 12" in placements["desc"]
    assert pwd["svg"]["target"] is not None and "không so sánh" in pwd["desc"]
    assert placements["svg"]["target"] is None


def test_forecast_charts_continue_the_trend_dashed():
    charts = render.forecast_charts(full_report())
    assert [c["key"] for c in charts] == ["forecast-new_vacancies"]  # the province only, not the groups
    chart = charts[0]
    assert [row["month"] for row in chart["table"]][-3:] == ["2026-12", "2027-01", "2027-02"]
    assert [row["text"] for row in chart["table"]][-3:] == ["10", "0", MARKER]
    assert chart["svg"]["divider"] is None  # no new_vacancies trend in this report: the forecast alone
    assert render.forecast_charts({**full_report(), "forecast": None}) == []

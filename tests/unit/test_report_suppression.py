"""The monthly report's handling of hidden figures: classification, CSV rows, page helpers, schema (no server)."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from jobmatch.errors import NotFound
from jobmatch.metrics.compute import change
from jobmatch.metrics.definitions import BY_KEY
from jobmatch.metrics.disclosure import MARKER, describe
from jobmatch.reports import render
from jobmatch.reports.build import REPORT_FORMAT, check_publishable, classify_occupations, hidden_fields, is_current
from jobmatch.reports.schemas import ReportOut


def test_a_change_is_hidden_when_either_side_is():
    assert hidden_fields("placements", {"placements"}, set(), set()) == [
        "value", "month_on_month", "year_on_year"]
    assert hidden_fields("placements", set(), {"placements"}, set()) == ["previous_month", "month_on_month"]
    assert hidden_fields("placements", set(), set(), {"placements"}) == ["year_ago", "year_on_year"]
    assert hidden_fields("placements", {"referrals"}, set(), set()) == []


@pytest.mark.parametrize(("stored", "configured", "served"), [
    (None, 5, False), (1, 5, False), (5, 5, True), (10, 5, True), (1, 1, True),
])
def test_only_reports_built_with_at_least_the_configured_threshold_are_served(stored, configured, served):
    report = {"format": REPORT_FORMAT, "month": "2026-11", **({"disclosure": describe(stored)} if stored else {})}
    if served:
        assert check_publishable(report, configured, "2026-11") is report
    else:
        with pytest.raises(NotFound, match="rebuild it"):
            check_publishable(report, configured, "2026-11")


def test_occupations_are_classified_on_the_published_figures_only():
    rows = [{"occupation_code": "7212", "demand": 8, "supply": None},  # supply 1–4: 8 ≥ 2 × 4 whatever it is
            {"occupation_code": "7213", "demand": 7, "supply": None},  # 7 < 2 × 4: cannot be called
            {"occupation_code": "9211", "demand": None, "supply": 40},  # demand hidden: could be anything
            {"occupation_code": "5223", "demand": 0, "supply": None},  # supply 1–4: too small to call a surplus
            {"occupation_code": "8153", "demand": 1, "supply": 12}]
    result = classify_occupations(rows, min_cell_size=5)
    assert [r["occupation_code"] for r in result["shortage"]] == ["7212"]
    assert [r["occupation_code"] for r in result["surplus"]] == ["8153"]


def _report() -> dict:
    ind = BY_KEY["placements"]
    share = BY_KEY["placement_rate"]
    return {
        "format": REPORT_FORMAT, "month": "2026-11", "from": "2026-11-01", "to": "2026-11-30",
        "timezone": "Asia/Ho_Chi_Minh",
        "generated_at": "2026-12-01T01:00:00+00:00",
        "indicators": [
            {**asdict(ind), "value": None, "previous_month": 12, "year_ago": 0, "month_on_month": change(None, 12),
             "year_on_year": change(None, 0), "suppressed": ["value", "month_on_month", "year_on_year"]},
            {**asdict(share), "value": 0.25, "previous_month": None, "year_ago": None,
             "month_on_month": change(0.25, None), "year_on_year": change(0.25, None), "suppressed": []}],
        "trends": {"months": ["2026-10", "2026-11"],
                   "series": {"placements": [12, None], "placement_rate": [0.2, 0.25]},
                   "suppressed": {"placements": ["2026-11"]}},
        "occupations": {"shortage": [], "surplus": [], "all": [
            {"occupation_code": "0110", "title_vi": "Sĩ quan", "title_en": "Officers", "demand": None, "supply": 7,
             "suppressed": ["demand"]}]},
        "skills": [{"skill": "may", "vacancies": None, "suppressed": ["vacancies"]},
                   {"skill": "hàn", "vacancies": 6, "suppressed": []}],
        "targets": [{"key": "disability_employment", "label_vi": "NKT", "label_en": "PWD", "op": ">=", "target": 0.4,
                     "target_source": "50-CTr/TU", "figure_key": "pwd_employment_rate", "figure_label_vi": "NKT",
                     "figure": None, "status": "no_data",
                     "register": {"indicator": "pwd_employment_rate", "label_vi": "NKT", "value": None,
                                  "suppressed": True, "definition": "d", "comparable": False, "note": "n"}}],
        "labour_force": {"total": 1000}, "notes": ["n"], "disclosure": describe(5),
    }


def test_csv_rows_show_the_marker_not_a_blank_and_end_with_the_legend():
    rows = list(render.csv_rows(_report()))
    placements = rows[0]
    assert (placements["value"], placements["previous_month"], placements["year_ago"]) == (MARKER, 12, 0)
    assert placements["mom_absolute"] == placements["yoy_relative"] == MARKER
    rate = rows[1]
    assert rate["value"] == 0.25 and rate["previous_month"] is None and rate["mom_absolute"] is None  # no data
    target = next(r for r in rows if r["section"] == "target_2030")
    assert target["value"] is None and target["status"] == "no_data"  # no official figure entered
    register = next(r for r in rows if r["section"] == "target_2030_register")
    assert register["value"] == MARKER and register["status"] == "not_comparable"
    skills = {r["key"]: r["value"] for r in rows if r["section"] == "skill_demand"}
    assert skills == {"may": MARKER, "hàn": 6}
    assert rows[-1]["section"] == "legend" and rows[-1]["value"] == MARKER and "fewer than 5" in rows[-1]["definition"]


def test_page_helpers_tell_hidden_from_missing():
    report = _report()
    placements, rate = report["indicators"]
    assert render.cell(placements, "value", "count") == MARKER
    assert render.cell(placements, "previous_month", "count") == "12"
    assert render.cell(placements, "month_on_month", "count") == MARKER
    assert render.cell(rate, "previous_month", "share") == "—" and render.cell(rate, "value", "share") == "25.0%"
    assert render.trend_point(report, "placements", -1, "count") == MARKER
    assert render.trend_point(report, "placements", 0, "count") == "12"
    bars = render.bars([{"demand": None, "supply": 7}, {"demand": 14, "supply": None}], width=100)
    assert [(b["demand_px"], b["supply_px"]) for b in bars] == [(0, 50), (100, 0)]


def test_the_report_schema_keeps_nulls_and_whole_counts():
    dumped = ReportOut().dump(_report())
    placements = dumped["indicators"][0]
    assert placements["value"] is None and placements["previous_month"] == 12
    assert isinstance(placements["previous_month"], int) and placements["suppressed"][0] == "value"
    assert dumped["trends"]["series"]["placements"] == [12, None] and dumped["from"] == "2026-11-01"
    assert dumped["occupations"]["all"][0]["demand"] is None and dumped["targets"][0]["register"]["value"] is None
    assert ReportOut().validate(dumped) == {}


def test_a_report_stored_by_an_older_version_is_refused_with_the_rebuild_command():

    with pytest.raises(NotFound, match="jobmatch report --month 2026-10"):
        check_publishable({**_report(), "format": REPORT_FORMAT - 1}, 5, "2026-10")
    assert check_publishable({**_report(), "format": REPORT_FORMAT}, 5, "2026-10")
    assert is_current(REPORT_FORMAT, 5, 5) and not is_current(1, 5, 5) and not is_current(REPORT_FORMAT, 1, 5)

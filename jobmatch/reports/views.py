"""Monthly reports: JSON and CSV under the API (token needed), and a public HTML page with charts.

The HTML page is public on purpose: it holds province-level aggregates only (the kind the Department
publishes), no record of any person, so it can be linked from the job exchange's website.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint as FlaskBlueprint
from flask import Response, render_template
from flask_smorest import Blueprint
from marshmallow import Schema

from jobmatch.auth.guard import roles
from jobmatch.extensions import state
from jobmatch.http import csv_download
from jobmatch.metrics.definitions import BY_KEY
from jobmatch.records.fields import choice
from jobmatch.reports import render
from jobmatch.reports.store import ReportStore, check_month

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Monthly labour-market reports")
pages = FlaskBlueprint("report_pages", __name__)
TREND_KEYS = ("new_jobseekers", "registered_unemployed", "new_openings", "placements", "placement_rate",
              "vacancy_fill_rate", "trained_share_jobseekers", "pwd_employment_rate", "median_days_to_placement")


class FormatArgs(Schema):
    format = choice(("json", "csv"), load_default="json")


def _store() -> ReportStore:
    app_state = state()
    return ReportStore(app_state.es, app_state.prefix)


@blp.route("/monthly", methods=["GET"])
@roles("admin", "counsellor", "analyst")
def list_reports() -> Any:
    """The months that have a report, newest first."""
    return {"months": _store().months()}


@blp.route("/monthly/<month>", methods=["GET"])
@roles("admin", "counsellor", "analyst")
@blp.arguments(FormatArgs, location="query")
def get_report(args: dict[str, Any], month: str) -> Any:
    """The stored report of a month (`YYYY-MM`): JSON, or `format=csv` for a spreadsheet."""
    report = _store().get(check_month(month))
    if args["format"] == "csv":
        return csv_download(render.csv_rows(report), render.CSV_COLUMNS, f"labour-market-{month}.csv")
    return report


@pages.route("/reports/<month>")
def report_page(month: str) -> Any:
    """The report of a month as a printable HTML page with trend charts."""
    report = _store().get(check_month(month))
    html = render_template("report.html", r=report, trend_keys=TREND_KEYS, by_key=BY_KEY, fmt=render.formatted,
                           pct=render.percent, delta=render.delta, line=render.polyline, bars=render.bars)
    return Response(html, mimetype="text/html")

"""Monthly reports: JSON and CSV under the API (token needed), and a public HTML page with charts.

The HTML page is public on purpose: it holds province-level aggregates only (the kind the Department
publishes), no record of any person, so it can be linked from the job exchange's website. Every format hides
small counts the same way for every reader (jobmatch.metrics.disclosure); a report stored with a lower
threshold than MIN_CELL_SIZE is not served at all.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint as FlaskBlueprint
from flask import Response, render_template
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from jobmatch.auth.guard import roles
from jobmatch.extensions import state
from jobmatch.http import XLSX_MIMETYPE, csv_download, xlsx_download
from jobmatch.metrics.disclosure import MARKER
from jobmatch.records.fields import choice
from jobmatch.reports import render
from jobmatch.reports.build import check_publishable
from jobmatch.reports.schemas import ReportOut
from jobmatch.reports.store import MONTH, ReportStore, check_month

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Monthly labour-market reports")
pages = FlaskBlueprint("report_pages", __name__)
TREND_KEYS = ("new_jobseekers", "registered_unemployed", "new_openings", "placements", "placement_rate",
              "referral_success_rate", "vacancy_fill_rate", "trained_share_jobseekers", "pwd_employment_rate",
              "insured_share_placements", "median_days_to_placement")


# Columns Excel must keep as text: occupation codes such as "0110" lose their leading zero as numbers.
# Months ("2026-10") too: Excel would turn them into dates.
XLSX_TEXT_COLUMNS = ("section", "key", "month", "label_vi", "label_en", "unit", "status", "source", "definition")
FORMATS = ("JSON by default; `format=csv`: UTF-8 with a BOM; `format=xlsx`: one sheet, codes as text. CSV and XLSX "
           "carry every table of the JSON, one `section` per table (indicator, trend, target_2030, "
           "target_2030_register, occupation_shortage, occupation_surplus, occupation_all, skill_demand, forecast, "
           "forecast_balance, labour_force, note, report, legend). Hidden figures are null in JSON and `[c]` in CSV "
           "and XLSX; nothing to compute is null and an empty cell.")


class FormatArgs(Schema):
    format = choice(("json", "csv", "xlsx"), load_default="json",
                    metadata={"description": "`json`, `csv` (UTF-8 with BOM) or `xlsx` (Excel; codes kept as text)."})


def _store() -> ReportStore:
    app_state = state()
    return ReportStore(app_state.es, app_state.prefix)


def _report(month: str) -> dict[str, Any]:
    """Return the stored report of `month` if it hides small counts as configured now."""
    report = _store().get(check_month(month))
    return check_publishable(report, int(state().settings["MIN_CELL_SIZE"]), month)


class ReportLink(Schema):
    month = fields.String(metadata={"description": "`YYYY-MM`."})
    json = fields.String(metadata={"description": "This API's URL of the report (CSV and XLSX with `format`)."})
    page = fields.String(metadata={"description": "The public HTML page of the report."})


class ReportMonths(Schema):
    months = fields.List(fields.String(), metadata={"description": "`YYYY-MM`, newest first."})
    reports = fields.List(fields.Nested(ReportLink), metadata={"description": "The same months with their links."})


def _links(months: list[str]) -> list[dict[str, str]]:
    return [{"month": m, "json": f"/api/v1/reports/monthly/{m}", "page": f"/reports/{m}"} for m in months]


@blp.route("/monthly", methods=["GET"])
@roles("admin", "counsellor", "analyst")
@blp.response(200, ReportMonths)
def list_reports() -> Any:
    """Every month that has a report, newest first, with links to each."""
    months = _store().months()
    return {"months": months, "reports": _links(months)}


@blp.route("/monthly/<month>", methods=["GET"], parameters=[
    {"in": "path", "name": "month", "required": True, "description": "`YYYY-MM`; anything else is a 422.",
     "schema": {"type": "string", "pattern": MONTH.pattern}}])
@roles("admin", "counsellor", "analyst")
@blp.arguments(FormatArgs, location="query")
@blp.response(200, ReportOut, description=FORMATS)
@blp.alt_response(200, schema={"type": "string"}, content_type="text/csv", success=True, description=FORMATS)
@blp.alt_response(200, schema={"type": "string", "format": "binary"}, content_type=XLSX_MIMETYPE, success=True,
                  description=FORMATS)
def get_report(args: dict[str, Any], month: str) -> Any:
    """The stored report of a month (`YYYY-MM`): JSON, or `format=csv` / `format=xlsx` for a spreadsheet.

    Small counts are hidden for every role: null in JSON with the row's `suppressed` naming the figures, and
    `[c]` in CSV and XLSX, explained by the `legend` row (see `disclosure` and docs/metrics.md).
    """
    report = _report(month)
    if args["format"] == "csv":
        return csv_download(render.csv_rows(report), render.CSV_COLUMNS, f"labour-market-{month}.csv")
    if args["format"] == "xlsx":
        return xlsx_download(render.csv_rows(report), render.CSV_COLUMNS, f"labour-market-{month}.xlsx",
                             text_columns=XLSX_TEXT_COLUMNS, sheet=f"labour-market-{month}")
    return report


@pages.route("/reports/")
def report_index() -> Any:
    """Every stored monthly report, newest first, linking each page (public like the pages themselves)."""
    return Response(render_template("reports_index.html", items=_links(_store().months())), mimetype="text/html")


@pages.route("/reports/<month>")
def report_page(month: str) -> Any:
    """The report of a month as a printable HTML page with trend charts."""
    report = _report(month)
    html = render_template("report.html", r=report, charts=render.trend_charts(report, TREND_KEYS),
                           forecasts=render.forecast_charts(report), pct=render.percent, fmt=render.formatted,
                           units={i["key"]: i["unit"] for i in report["indicators"]}, cell=render.cell,
                           fvalue=lambda row, i: render.formatted_or_marker(render.forecast_value(row, i), "count"),
                           marker=MARKER, bars=render.bars)
    return Response(html, mimetype="text/html")

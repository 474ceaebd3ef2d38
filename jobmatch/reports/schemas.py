"""The monthly report as the API returns it (JSON), every figure that the small-cell rule can hide nullable."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from jobmatch.metrics.definitions import INDICATORS
from jobmatch.metrics.schemas import Disclosure

ROW_FIGURES = ("value", "previous_month", "year_ago", "month_on_month", "year_on_year")


class Figure(fields.Float):
    """A number as stored: a count stays an integer, a share a fraction (documented as `number`)."""

    def _format_num(self, value: Any) -> Any:
        return value if isinstance(value, int) and not isinstance(value, bool) else float(value)


def _hidden(names: tuple[str, ...], description: str) -> fields.List:
    return fields.List(fields.String(validate=validate.OneOf(names)), required=True,
                       metadata={"description": description})


class Change(Schema):
    absolute = Figure(required=True, allow_none=True)
    relative = fields.Float(required=True, allow_none=True, metadata={"description": "Null when the base is 0."})


class ReportIndicator(Schema):
    key = fields.String(required=True)
    label_vi = fields.String(required=True)
    label_en = fields.String(required=True)
    definition = fields.String(required=True)
    unit = fields.String(required=True, validate=validate.OneOf(("count", "share", "days", "rate")))
    value = Figure(required=True, allow_none=True)
    previous_month = Figure(required=True, allow_none=True)
    year_ago = Figure(required=True, allow_none=True)
    month_on_month = fields.Nested(Change, required=True)
    year_on_year = fields.Nested(Change, required=True)
    suppressed = _hidden(ROW_FIGURES, "Figures of this row hidden (null) by the small-cell rule; a change is "
                                      "hidden when either side is.")


class Trends(Schema):
    months = fields.List(fields.String(), required=True)
    series = fields.Dict(keys=fields.String(), values=fields.List(Figure(allow_none=True)), required=True,
                         metadata={"description": "Per indicator, one figure per month (null: none or hidden)."})
    suppressed = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True,
                             metadata={"description": "Per indicator, the months whose figure is hidden."})


class OccupationRow(Schema):
    occupation_code = fields.String(required=True)
    title_vi = fields.String(required=True)
    title_en = fields.String(required=True)
    demand = fields.Integer(required=True, allow_none=True, metadata={"description": "Open openings."})
    supply = fields.Integer(required=True, allow_none=True,
                            metadata={"description": "Active registered jobseekers wanting the occupation."})
    suppressed = _hidden(("demand", "supply"), "Figures hidden (null) by the small-cell rule.")


class Occupations(Schema):
    shortage = fields.List(fields.Nested(OccupationRow), required=True)
    surplus = fields.List(fields.Nested(OccupationRow), required=True)
    all = fields.List(fields.Nested(OccupationRow), required=True)


class SkillRow(Schema):
    skill = fields.String(required=True)
    vacancies = fields.Integer(required=True, allow_none=True)
    suppressed = _hidden(("vacancies",), "Figures hidden (null) by the small-cell rule.")


class OfficialFigure(Schema):
    value = fields.Float(required=True)
    year = fields.Integer(required=True)
    as_of = fields.String(allow_none=True)
    source = fields.String(required=True)
    kind = fields.String(validate=validate.OneOf(("survey", "administrative")))


class RegisterBeside(Schema):
    indicator = fields.String(required=True, validate=validate.OneOf([i.key for i in INDICATORS]))
    label_vi = fields.String()
    value = fields.Float(required=True, allow_none=True)
    suppressed = fields.Boolean()
    definition = fields.String()
    comparable = fields.Boolean(metadata={"description": "Always false: registers are not the labour force."})
    note = fields.String()


class Target(Schema):
    key = fields.String(required=True)
    label_vi = fields.String(required=True)
    label_en = fields.String(required=True)
    op = fields.String(required=True, validate=validate.OneOf(("<", ">=")))
    target = fields.Float(required=True)
    target_source = fields.String()
    figure_key = fields.String(required=True, metadata={"description": "The official figure it is judged on."})
    figure_label_vi = fields.String()
    figure = fields.Nested(OfficialFigure, allow_none=True, required=True, metadata={
        "description": "The newest figure entered for the report's year or before (PUT /api/v1/figures); null: none."})
    status = fields.String(required=True, validate=validate.OneOf(("met", "not_met", "no_data")),
                           metadata={"description": "From the official figure only; no_data when none is entered."})
    register = fields.Nested(RegisterBeside, allow_none=True, required=True, metadata={
        "description": "The nearest register indicator, for context; never judged against the target."})


class ForecastRow(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("new_vacancies", "new_jobseekers")))
    group = fields.String(required=True, metadata={"description": "`total` (the province) or an ISCO-08 major group."})
    label_vi = fields.String(required=True)
    label_en = fields.String(required=True)
    history_months = fields.Integer(required=True)
    withheld = fields.Boolean(required=True, metadata={"description": "History mostly small counts: not forecast."})
    method = fields.String(required=True, allow_none=True)
    months = fields.List(fields.String(), required=True)
    values = fields.List(fields.Integer(allow_none=True), required=True,
                         metadata={"description": "Forecast per month; null when hidden (1 to k−1) or withheld."})
    suppressed = fields.List(fields.String(), required=True, metadata={"description": "Months hidden."})
    benchmark = fields.String(required=True, allow_none=True, validate=validate.OneOf(("naive", "seasonal_naive")))
    mase = fields.Float(required=True, allow_none=True, metadata={"description": "Backtest MASE of the method."})
    benchmark_mase = fields.Float(required=True, allow_none=True)
    mape = fields.Float(required=True, allow_none=True, metadata={"description": "Backtest MAPE, percent."})
    benchmark_mape = fields.Float(required=True, allow_none=True)
    backtest_forecasts = fields.Integer(required=True)


class ForecastBalance(Schema):
    group = fields.String(required=True)
    label_vi = fields.String(required=True)
    label_en = fields.String(required=True)
    demand = fields.Integer(required=True, allow_none=True, metadata={"description": "Forecast new vacancies."})
    supply = fields.Integer(required=True, allow_none=True, metadata={"description": "Forecast new jobseekers."})
    status = fields.String(required=True, validate=validate.OneOf(("shortage", "surplus", "balanced",
                                                                   "not_classified")))


class Forecast(Schema):
    months = fields.List(fields.String(), required=True)
    history = fields.Dict(required=True)
    series = fields.List(fields.Nested(ForecastRow), required=True)
    balance = fields.List(fields.Nested(ForecastBalance), required=True)
    note = fields.String(required=True)


class ReportOut(Schema):
    format = fields.Integer(metadata={"description": "Shape version of the report (jobmatch.reports.build)."})
    month = fields.String(required=True)
    from_ = fields.String(required=True, attribute="from", data_key="from")
    to = fields.String(required=True)
    timezone = fields.String(required=True)
    generated_at = fields.String(required=True)
    indicators = fields.List(fields.Nested(ReportIndicator), required=True)
    trends = fields.Nested(Trends, required=True)
    occupations = fields.Nested(Occupations, required=True)
    skills = fields.List(fields.Nested(SkillRow), required=True)
    targets = fields.List(fields.Nested(Target), required=True)
    labour_force = fields.Dict(required=True)
    notes = fields.List(fields.String(), required=True)
    disclosure = fields.Nested(Disclosure, required=True)
    forecast = fields.Nested(Forecast, metadata={"description": "Next 3 months (absent in reports built before it)."})

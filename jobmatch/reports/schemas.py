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


class Target(Schema):
    key = fields.String(required=True)
    label_vi = fields.String(required=True)
    label_en = fields.String(required=True)
    op = fields.String(required=True, validate=validate.OneOf(("<", ">=")))
    target = fields.Float(required=True)
    indicator = fields.String(required=True, validate=validate.OneOf([i.key for i in INDICATORS]))
    actual = fields.Float(required=True, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(("met", "not_met", "no_data", "suppressed")),
                           metadata={"description": "`suppressed`: the actual figure is hidden (small count)."})
    definition = fields.String(required=True)


class ReportOut(Schema):
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

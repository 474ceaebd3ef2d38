"""Query arguments and the answer of the metrics endpoint."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from jobmatch.metrics.definitions import DIMENSIONS, INDICATORS
from jobmatch.records.fields import choice

MAX_SPAN_DAYS = 366 * 5


class MetricsArgs(Schema):
    from_ = fields.Date(required=True, data_key="from", metadata={"description": "First day (local time)."})
    to = fields.Date(required=True, metadata={"description": f"Last day, inclusive: not before `from`, at most "
                                                             f"{MAX_SPAN_DAYS} days after it (else 422)."})
    group_by = choice(tuple(DIMENSIONS), load_default=None,
                      metadata={"description": "Break down by one dimension; `district` is the pre-reform "
                                               "district, `occupation_major` the ISCO-08/VSCO major group."})

    @validates_schema
    def _span(self, data: dict, **_: object) -> None:
        if data["to"] < data["from_"]:
            raise ValidationError("must not be before `from`", "to")
        if (data["to"] - data["from_"]).days > MAX_SPAN_DAYS:
            raise ValidationError(f"a period is at most {MAX_SPAN_DAYS} days", "to")


# Every indicator can be null: nothing to compute (a rate over zero), a dimension that does not apply (vacancies
# have no gender), or hidden because it is a small count or derived from one (listed under `suppressed`).
IndicatorValues = Schema.from_dict(
    {i.key: (fields.Integer if i.unit == "count" else fields.Float)(
        allow_none=True, metadata={"description": f"{i.label_en} ({i.unit}). {i.definition}"}) for i in INDICATORS},
    name="IndicatorValues")


def suppressed_list(description: str) -> fields.List:
    """Return the field listing the indicators hidden by the small-cell rule."""
    return fields.List(fields.String(validate=validate.OneOf([i.key for i in INDICATORS])), required=True,
                       metadata={"description": description})


class Disclosure(Schema):
    min_cell_size = fields.Integer(required=True, metadata={"description": "k: counts of 1 to k-1 are hidden."})
    marker = fields.String(required=True, metadata={"description": "What CSV, XLSX and HTML show for a hidden "
                                                                   "figure."})
    rule = fields.String(required=True, metadata={"description": "The rule in words (Vietnamese / English)."})


class MetricsGroup(Schema):
    key = fields.String(required=True, metadata={"description": "The group, e.g. a commune code, `urban`, `25-34`."})
    values = fields.Nested(IndicatorValues, required=True)
    suppressed = suppressed_list("Indicators of this group hidden (null): a count of 1 to k-1, derived from one, "
                                 "or hidden as well so that the total minus the other groups cannot give one back.")


class MetricsOut(Schema):
    from_ = fields.String(required=True, attribute="from", data_key="from")
    to = fields.String(required=True)
    group_by = fields.String(required=True, allow_none=True)
    total = fields.Nested(IndicatorValues, required=True, metadata={"description": "The whole province."})
    total_suppressed = suppressed_list("Province indicators hidden (null) because the count is itself 1 to k-1 "
                                       "or derived from such a count; never hidden to protect a group.")
    groups = fields.List(fields.Nested(MetricsGroup), required=True)
    disclosure = fields.Nested(Disclosure, required=True)
    indicators = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True,
                             metadata={"description": "Every indicator's labels, definition and unit."})
    labour_force = fields.Dict(required=True, metadata={"description": "Denominators of the unemployment rates."})

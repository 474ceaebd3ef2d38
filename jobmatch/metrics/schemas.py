"""Query arguments of the metrics endpoint."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates_schema

from jobmatch.metrics.definitions import DIMENSIONS
from jobmatch.records.fields import choice

MAX_SPAN_DAYS = 366 * 5


class MetricsArgs(Schema):
    from_ = fields.Date(required=True, data_key="from", metadata={"description": "First day (local time)."})
    to = fields.Date(required=True, metadata={"description": "Last day, inclusive."})
    group_by = choice(tuple(DIMENSIONS), load_default=None,
                      metadata={"description": "Break down by one dimension; `district` is the pre-reform "
                                               "district, `occupation_major` the ISCO-08/VSCO major group."})

    @validates_schema
    def _span(self, data: dict, **_: object) -> None:
        if data["to"] < data["from_"]:
            raise ValidationError("must not be before `from`", "to")
        if (data["to"] - data["from_"]).days > MAX_SPAN_DAYS:
            raise ValidationError(f"a period is at most {MAX_SPAN_DAYS} days", "to")

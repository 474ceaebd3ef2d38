"""Schemas of the official figures API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from jobmatch.records.fields import StrictSchema, Text


class FigureIn(StrictSchema):
    value = fields.Float(required=True, allow_nan=False, validate=validate.Range(min=0, max=1), metadata={
        "description": "A share or rate between 0 and 1 (0.027 = 2.7%)."})
    source = Text(required=True, max_length=300, metadata={
        "description": "Where the figure comes from (publication, table, agency), for readers of the report."})
    as_of = fields.Date(load_default=None, allow_none=True,
                        metadata={"description": "The date it refers to; default 31 December."})
    note = Text(load_default=None, allow_none=True, max_length=500)


class FigureOut(Schema):
    key = fields.String()
    year = fields.Integer()
    area_code = fields.String()
    value = fields.Float()
    source = fields.String()
    as_of = fields.String()
    note = fields.String()
    entered_by = fields.String()
    entered_at = fields.String()


class FigureListArgs(Schema):
    key = fields.String(load_default=None)


class FigureList(Schema):
    items = fields.List(fields.Nested(FigureOut))
    known = fields.Dict(metadata={"description": "Every figure that can be entered: label, kind, unit, source hint."})

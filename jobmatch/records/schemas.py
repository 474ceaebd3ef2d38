"""Schemas shared by the three registers' HTTP layers: listing arguments, pages, closing."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from jobmatch.records.fields import StrictSchema, Text


class ListArgs(Schema):
    """Query arguments every listing accepts."""

    q = fields.String(load_default=None, validate=validate.Length(min=1, max=200),
                      metadata={"description": "Full text; diacritics optional ('tho han' finds 'thợ hàn')."})
    size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.String(load_default=None, metadata={"description": "`next_cursor` of the previous page."})
    include_closed = fields.Boolean(load_default=False)


class CloseSchema(StrictSchema):
    """Why a record is closed."""

    reason = Text(required=True, max_length=500)


class PageMeta(Schema):
    total = fields.Integer()
    next_cursor = fields.String(allow_none=True)

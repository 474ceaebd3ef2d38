"""Schemas of the audit log API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from jobmatch.records.schemas import PageMeta


class AuditListArgs(Schema):
    actor = fields.String(load_default=None, metadata={"description": "Token id of the caller"})
    role = fields.String(load_default=None, validate=validate.OneOf(("admin", "counsellor", "analyst", "employer")))
    action = fields.String(load_default=None, validate=validate.OneOf(
        ("read", "list", "export", "create", "update", "close", "erase")))
    record_kind = fields.String(load_default=None)
    record_id = fields.String(load_default=None, metadata={"description": "Entries that name this record"})
    employer_id = fields.String(load_default=None)
    since = fields.DateTime(load_default=None)
    until = fields.DateTime(load_default=None)
    size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    cursor = fields.String(load_default=None)


class AuditEntry(Schema):
    at = fields.String()
    actor = fields.String()
    role = fields.String()
    employer_id = fields.String()
    action = fields.String()
    record_kind = fields.String()
    record_ids = fields.List(fields.String())
    record_count = fields.Integer()
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields",
                          metadata={"description": "Names of the personal fields read or written; never values"})
    route = fields.String()
    method = fields.String()
    status = fields.Integer()
    reason = fields.String()
    request_id = fields.String()


class AuditPage(PageMeta):
    items = fields.List(fields.Nested(AuditEntry))

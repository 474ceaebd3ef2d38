"""Employer input and output schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from jobmatch.records.fields import LocationSchema, StrictSchema, Text, choice, tax_code
from jobmatch.records.schemas import ListArgs, PageMeta
from jobmatch.records.vocab import EMPLOYER_SIZES
from jobmatch.reference import INDUSTRIES

PHONE = validate.Regexp(r"^\+?[0-9][0-9 .-]{7,14}$", error="not a phone number")


class ContactSchema(StrictSchema):
    person = Text(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True, validate=PHONE)
    email = fields.Email(load_default=None, allow_none=True)


class EmployerIn(StrictSchema):
    """An employer as a counsellor or an import registers it."""

    external_id = fields.String(load_default=None, validate=validate.Length(min=1, max=64),
                                metadata={"description": "Id in the source system; makes re-imports idempotent."})
    source = fields.String(load_default="api", validate=validate.Length(min=1, max=32))
    name = Text(required=True)
    tax_code = tax_code(required=True)
    industry = choice(tuple(INDUSTRIES), required=True, metadata={"description": "VSIC 2018 section letter."})
    size = choice(EMPLOYER_SIZES, load_default=None, allow_none=True)
    address = fields.Nested(LocationSchema, required=True)
    contact = fields.Nested(ContactSchema, load_default=None, allow_none=True)


class EmployerOut(Schema):
    employer_id = fields.String()
    external_id = fields.String(allow_none=True)
    source = fields.String()
    name = fields.String()
    tax_code = fields.String()
    industry = fields.String()
    size = fields.String(allow_none=True)
    status = fields.String()
    address = fields.Dict()
    contact = fields.Dict(allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()
    closed_at = fields.String(allow_none=True)
    close_reason = fields.String(allow_none=True)


class EmployerListArgs(ListArgs):
    industry = choice(tuple(INDUSTRIES), load_default=None)
    commune_code = fields.String(load_default=None)


class EmployerPage(PageMeta):
    items = fields.List(fields.Nested(EmployerOut))

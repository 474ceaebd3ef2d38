"""Look-up request and response schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class SuggestArgs(Schema):
    """What was typed so far."""

    q = fields.String(required=True, validate=validate.Length(min=1, max=200),
                      metadata={"description": "Vietnamese or English, with or without diacritics."})
    size = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class OccupationSuggestion(Schema):
    code = fields.String(metadata={"description": "ISCO-08 / VSCO 2020 unit group."})
    title_vi = fields.String()
    title_en = fields.String()
    confidence = fields.Float(metadata={"description": "0..1; titles are auto-coded from 0.55 up."})
    matched = fields.String(metadata={"description": "The name of the group that matched."})


class CommuneSuggestion(Schema):
    commune_code = fields.String(metadata={"description": "Current commune (since 1 July 2025)."})
    name = fields.String()
    matched = fields.String(metadata={"description": "The name that matched, with its pre-2025 unit when old."})
    kind = fields.String(metadata={"description": "current, pre_2025_commune or pre_2025_district."})
    score = fields.Float()


class SkillSuggestion(Schema):
    skill = fields.String()
    source = fields.String(metadata={"description": "register (used in vacancies or jobseekers) or esco."})
    used = fields.Integer(metadata={"description": "How many records carry it."})
    score = fields.Float()


class OccupationSuggestions(Schema):
    items = fields.List(fields.Nested(OccupationSuggestion))


class CommuneSuggestions(Schema):
    items = fields.List(fields.Nested(CommuneSuggestion))


class SkillSuggestions(Schema):
    items = fields.List(fields.Nested(SkillSuggestion))

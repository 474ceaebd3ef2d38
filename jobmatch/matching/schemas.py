"""Match request and response schemas."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from jobmatch.records.fields import LONG_TEXT, StrictSchema, Text, choice, choices, occupation_code, texts
from jobmatch.records.vocab import ACCOMMODATIONS, PRIORITY_GROUPS, TRAINING_LEVELS, WORK_MODES


class MatchArgs(Schema):
    """Query arguments of the match endpoints."""

    size = fields.Integer(load_default=10, validate=validate.Range(min=1, max=100))
    commune_code = fields.String(load_default=None)
    distance_km = fields.Float(load_default=None, validate=validate.Range(min=0.5, max=300))
    min_training_level = choice(TRAINING_LEVELS, load_default=None)
    accessible_only = fields.Boolean(load_default=False,
                                     metadata={"description": "Only workplaces offering accommodations."})
    priority_groups = fields.List(choice(PRIORITY_GROUPS), load_default=list)
    work_mode = choice(WORK_MODES, load_default=None)
    explain = fields.Boolean(load_default=False, metadata={"description": "Add each result's score breakdown."})


class MatchSearchIn(StrictSchema):
    """An ad-hoc profile or free text, e.g. from a walk-in conversation."""

    target = choice(("jobs", "workers"), required=True, metadata={"description": "What to find."})
    text = Text(required=True, max_length=LONG_TEXT)
    commune_code = fields.String(load_default=None)
    occupation_code = occupation_code(load_default=None)
    skills = texts(load_default=list)
    training_level = choice(TRAINING_LEVELS, load_default=None)
    certificates = texts(load_default=list)
    max_commute_km = fields.Float(load_default=None, validate=validate.Range(min=0, max=500))
    accommodations = choices(ACCOMMODATIONS, load_default=list,
                             metadata={"description": "Needed (target jobs) or offered (target workers)."})


class ReasonSchema(Schema):
    vi = fields.String()
    en = fields.String()
    status = fields.String(metadata={"description": "met, partly_met or not_met."})


class FlagSchema(Schema):
    code = fields.String(metadata={"description": "The requirement: certificate, commute, training_level."})
    vi = fields.String()
    en = fields.String()


class UnderstoodSchema(Schema):
    field = fields.String(metadata={"description": "The profile field the text set."})
    value = fields.Raw()
    label = fields.String(metadata={"description": "What was understood, in Vietnamese."})
    span = fields.List(fields.Integer(), metadata={"description": "[start, end) in the text."})
    text = fields.String()
    use = fields.String(metadata={"description": "filter (narrows the list) or preference (only ranks)."})


class MatchSchema(Schema):
    worker_id = fields.String()
    job_id = fields.String()
    score = fields.Float()
    reasons = fields.List(fields.Nested(ReasonSchema))
    flags = fields.List(fields.Nested(FlagSchema), metadata={
        "description": "Requirements the stated profile may not meet (free-text search keeps such results)."})
    distance_km = fields.Float(allow_none=True, metadata={"description": "Commute distance, when places are known."})
    worker = fields.Dict()
    job = fields.Dict()
    breakdown = fields.Dict()


class MatchList(Schema):
    items = fields.List(fields.Nested(MatchSchema))
    excluded = fields.Dict(keys=fields.String(), values=fields.Integer(), metadata={
        "description": "Per hard constraint, how many retrieved candidates it excluded."})
    understood = fields.List(fields.Nested(UnderstoodSchema), metadata={
        "description": "Free-text search only: what was read from the text."})

"""Request and response schemas of referrals and placements."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from jobmatch.placements.lifecycle import FOLLOW_UP_MONTHS, INITIAL, STATUSES
from jobmatch.records.fields import StrictSchema, Text, choice
from jobmatch.records.schemas import PageMeta

AT_DOC = {"description": "When it happened: ISO 8601 date or date-time, local time (TIMEZONE) when no offset is "
                         "given; default now. Not in the future, not before the placement's last event."}


class PlacementIn(StrictSchema):
    job_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    worker_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    status = choice(INITIAL, load_default="referred",
                    metadata={"description": "`proposed` (suggested to the person) or `referred` (sent to the "
                                             "employer)."})
    reason = Text(load_default=None, max_length=500)
    session_id = fields.String(load_default=None, validate=validate.Length(min=1, max=100),
                               metadata={"description": "The job exchange session the referral came from."})
    at = fields.DateTime(load_default=None, metadata=AT_DOC)


class TransitionIn(StrictSchema):
    to = choice(STATUSES, required=True)
    reason = Text(load_default=None, max_length=500)
    at = fields.DateTime(load_default=None, metadata=AT_DOC)


class FollowUpIn(StrictSchema):
    follow_up = choice(tuple(FOLLOW_UP_MONTHS), required=True,
                       metadata={"description": "`m3` or `m6`: 3 or 6 months after the hire."})
    still_employed = fields.Boolean(required=True)
    note = Text(load_default=None, max_length=500)
    at = fields.DateTime(load_default=None, metadata=AT_DOC)


class PlacementListArgs(Schema):
    job_id = fields.String(load_default=None)
    worker_id = fields.String(load_default=None)
    employer_id = fields.String(load_default=None)
    session_id = fields.String(load_default=None)
    status = choice(STATUSES, load_default=None)
    follow_up_due = fields.Date(load_default=None, metadata={
        "description": "Only hired placements with a follow-up due on or before this date and not yet recorded."})
    size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.String(load_default=None)


class EventOut(Schema):
    seq = fields.Integer()
    kind = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    follow_up = fields.String(allow_none=True)
    still_employed = fields.Boolean(allow_none=True)
    at = fields.String()
    recorded_at = fields.String()
    actor = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)


class PlacementOut(Schema):
    placement_id = fields.String()
    job_id = fields.String()
    worker_id = fields.String()
    employer_id = fields.String(allow_none=True)
    session_id = fields.String(allow_none=True)
    status = fields.String()
    seq = fields.Integer()
    proposed_at = fields.String(allow_none=True)
    referred_at = fields.String(allow_none=True)
    interviewed_at = fields.String(allow_none=True)
    offered_at = fields.String(allow_none=True)
    hired_at = fields.String(allow_none=True)
    rejected_at = fields.String(allow_none=True)
    withdrawn_at = fields.String(allow_none=True)
    ended_at = fields.String(allow_none=True)
    days_to_placement = fields.Integer(allow_none=True)
    filled_vacancy = fields.Boolean(allow_none=True)
    days_to_fill = fields.Integer(allow_none=True)
    effects_applied = fields.Boolean()
    follow_ups = fields.Dict()
    history = fields.List(fields.Nested(EventOut))
    created_at = fields.String()
    updated_at = fields.String()


class PlacementPage(PageMeta):
    items = fields.List(fields.Nested(PlacementOut))

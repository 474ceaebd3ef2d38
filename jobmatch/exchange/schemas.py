"""Request and response schemas of job exchange sessions."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from jobmatch.matching.schemas import ReasonSchema
from jobmatch.records.fields import LocationSchema, StrictSchema, Text, WholeNumber, choice
from jobmatch.records.schemas import PageMeta

MODES = ("onsite", "online")
SESSION_STATUSES = ("planned", "held", "cancelled")


class SessionIn(StrictSchema):
    external_id = fields.String(load_default=None, validate=validate.Length(min=1, max=64),
                                metadata={"description": "Id in the source system; makes repeats idempotent."})
    source = fields.String(load_default="api", validate=validate.Length(min=1, max=32))
    title = Text(required=True)
    date = fields.Date(required=True)
    mode = choice(MODES, required=True, metadata={"description": "`onsite` (at a venue) or `online`."})
    venue_name = Text(load_default=None)
    venue = fields.Nested(LocationSchema, load_default=None, allow_none=True)
    employer_ids = fields.List(fields.String(validate=validate.Length(min=1, max=100)), required=True,
                               validate=validate.Length(min=1, max=200))
    job_ids = fields.List(fields.String(validate=validate.Length(min=1, max=100)), required=True,
                          validate=validate.Length(min=1, max=500))
    status = choice(SESSION_STATUSES, load_default="planned")

    @validates_schema
    def _venue_for_onsite(self, data: dict, **_: object) -> None:
        if data.get("mode") == "onsite" and not data.get("venue"):
            raise ValidationError("an on-site session needs a venue (commune)", "venue")
        for name in ("employer_ids", "job_ids"):
            if len(set(data.get(name) or [])) != len(data.get(name) or []):
                raise ValidationError("lists an id twice", name)


class AttendanceIn(StrictSchema):
    jobseekers = fields.List(fields.String(validate=validate.Length(min=1, max=100)), load_default=list,
                             validate=validate.Length(max=5000),
                             metadata={"description": "Jobseekers who came (invited or not)."})
    employers = fields.List(fields.String(validate=validate.Length(min=1, max=100)), load_default=list,
                            validate=validate.Length(max=500))
    walk_ins = WholeNumber(load_default=0, validate=validate.Range(min=0, max=100_000),
                              metadata={"description": "Unregistered visitors counted at the door."})


class InvitationArgs(Schema):
    format = choice(("json", "csv", "xlsx", "html"), load_default="json")
    per_vacancy = fields.Integer(load_default=None, validate=validate.Range(min=1, max=100))
    max_per_person = fields.Integer(load_default=None, validate=validate.Range(min=1, max=20))


class SessionListArgs(Schema):
    date_from = fields.Date(load_default=None)
    date_to = fields.Date(load_default=None)
    status = choice(SESSION_STATUSES, load_default=None)
    size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.String(load_default=None)


class SessionOut(Schema):
    session_id = fields.String()
    external_id = fields.String(allow_none=True)
    source = fields.String()
    title = fields.String()
    date = fields.String()
    mode = fields.String()
    venue_name = fields.String(allow_none=True)
    venue = fields.Dict(allow_none=True)
    employer_ids = fields.List(fields.String())
    job_ids = fields.List(fields.String())
    status = fields.String()
    attendance = fields.Dict(allow_none=True)
    outcomes = fields.Dict(metadata={"description": "From placements made at the session: referred, interviewed, "
                                                    "offered, hired, by people."})
    created_at = fields.String()
    updated_at = fields.String()
    closed_at = fields.String(allow_none=True)


class SessionPage(PageMeta):
    items = fields.List(fields.Nested(SessionOut))


class InvitedVacancy(Schema):
    job_id = fields.String()
    title = fields.String()
    employer_id = fields.String()
    score = fields.Float()
    reasons = fields.List(fields.Nested(ReasonSchema))


class InvitedPerson(Schema):
    worker_id = fields.String()
    full_name = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    commune = fields.String(allow_none=True)
    vacancies = fields.List(fields.Nested(InvitedVacancy), metadata={"description": "Best first."})


class InvitationList(Schema):
    session_id = fields.String()
    people = fields.Integer(metadata={"description": "How many people are invited."})
    invitations = fields.List(fields.Nested(InvitedPerson))

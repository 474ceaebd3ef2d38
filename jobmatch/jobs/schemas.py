"""Vacancy input and output schemas."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from jobmatch.records.fields import (
    LONG_TEXT,
    LocationSchema,
    StrictSchema,
    Text,
    WholeNumber,
    check_unique,
    choice,
    choices,
    occupation_code,
    texts,
)
from jobmatch.records.schemas import ListArgs, PageMeta
from jobmatch.records.vocab import (
    ACCOMMODATIONS,
    CONTRACT_TYPES,
    DEMAND_LEVELS,
    JOB_STATUSES,
    LANGUAGES,
    SHIFTS,
    TRAINING_LEVELS,
    WORK_MODES,
)
from jobmatch.reference import INDUSTRIES

MAX_SALARY = 500_000_000  # VND per month; far above any local wage, catches typing an annual figure


class PhysicalDemandsSchema(StrictSchema):
    """How much each task demand the job needs (none, light, moderate, heavy)."""

    lifting = choice(DEMAND_LEVELS, load_default="none")
    standing = choice(DEMAND_LEVELS, load_default="none")
    fine_motor = choice(DEMAND_LEVELS, load_default="none")
    vision = choice(DEMAND_LEVELS, load_default="none")
    hearing = choice(DEMAND_LEVELS, load_default="none")


class JobIn(StrictSchema):
    """A vacancy as an employer, a counsellor or an import submits it."""

    external_id = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    source = fields.String(load_default="api", validate=validate.Length(min=1, max=32))
    employer_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    title = Text(required=True)
    description = Text(load_default=None, allow_none=True, max_length=LONG_TEXT)
    occupation_code = occupation_code(load_default=None, metadata={
        "description": "4-digit VSCO 2020 / ISCO-08 code. Left out, it is coded from the title when the autocoder "
                       "is confident enough (stored in `occupation_coding`), else 422 with `candidates`."})
    industry = choice(tuple(INDUSTRIES), load_default=None, allow_none=True)
    workplace = fields.Nested(LocationSchema, required=True)
    work_mode = choice(WORK_MODES, load_default="on_site")
    contract_type = choice(CONTRACT_TYPES, load_default="indefinite")
    hours_per_week = fields.Float(load_default=None, allow_none=True, validate=validate.Range(min=1, max=72))
    social_insurance = fields.Boolean(load_default=None, allow_none=True, metadata={
        "description": "The employer pays compulsory social insurance (BHXH) for this job; null when not stated. "
                       "Counted by the report's placements into insured jobs."})
    shifts = choices(SHIFTS, load_default=list)
    openings = WholeNumber(load_default=1, validate=validate.Range(min=1, max=10_000))
    salary_min = WholeNumber(load_default=None, allow_none=True, validate=validate.Range(min=0, max=MAX_SALARY))
    salary_max = WholeNumber(load_default=None, allow_none=True, validate=validate.Range(min=0, max=MAX_SALARY))
    min_training_level = choice(TRAINING_LEVELS, load_default="none")
    certificates = texts(load_default=list, metadata={"description": "Named certificates the job requires."})
    essential_skills = texts(load_default=list)
    optional_skills = texts(load_default=list)
    min_experience_years = fields.Float(load_default=0, validate=validate.Range(min=0, max=50))
    languages = choices(LANGUAGES, load_default=list)
    physical_demands = fields.Nested(PhysicalDemandsSchema, load_default=dict)
    accommodations = choices(ACCOMMODATIONS, load_default=list,
                             metadata={"description": "What the workplace offers people with disabilities."})
    status = choice(("draft", "open"), load_default="open",
                    metadata={"description": "New vacancies are draft or open; closing sets filled/closed."})
    posted_at = fields.Date(load_default=None, allow_none=True)
    expires_at = fields.Date(load_default=None, allow_none=True)

    @validates_schema
    def _check(self, data: dict[str, Any], **_: Any) -> None:
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            raise ValidationError("salary_min must not be above salary_max", "salary_min")
        posted, expires = data.get("posted_at"), data.get("expires_at")
        if posted and expires and expires < posted:
            raise ValidationError("expires_at must not be before posted_at", "expires_at")
        check_unique(data, ("shifts", "certificates", "essential_skills", "optional_skills", "languages",
                            "accommodations"))


class JobOut(Schema):
    job_id = fields.String()
    external_id = fields.String(allow_none=True)
    source = fields.String()
    employer_id = fields.String()
    title = fields.String()
    description = fields.String(allow_none=True)
    occupation_code = fields.String()
    occupation_coding = fields.Dict(metadata={
        "description": "How the code was set: manual, or auto with confidence, matched name and candidates."})
    occupation = fields.Dict()
    industry = fields.String(allow_none=True)
    workplace = fields.Dict()
    work_mode = fields.String()
    contract_type = fields.String()
    hours_per_week = fields.Float(allow_none=True)
    social_insurance = fields.Boolean(allow_none=True)
    shifts = fields.List(fields.String())
    openings = fields.Integer()
    salary_min = fields.Integer(allow_none=True)
    salary_max = fields.Integer(allow_none=True)
    min_training_level = fields.String()
    certificates = fields.List(fields.String())
    essential_skills = fields.List(fields.String())
    optional_skills = fields.List(fields.String())
    min_experience_years = fields.Float()
    languages = fields.List(fields.String())
    physical_demands = fields.Dict()
    accommodations = fields.List(fields.String())
    status = fields.String()
    posted_at = fields.String(allow_none=True)
    expires_at = fields.String(allow_none=True)
    created_at = fields.String()
    updated_at = fields.String()
    closed_at = fields.String(allow_none=True)
    close_reason = fields.String(allow_none=True)
    filled = fields.Integer(metadata={"description": "Openings filled by hires recorded as placements."})
    filled_by = fields.List(fields.String(), metadata={"description": "The placements that filled them."})
    filled_at = fields.String(allow_none=True)
    reopened_at = fields.String(allow_none=True)
    posted_openings = fields.Integer(allow_none=True, metadata={
        "description": "Openings at posting, when the vacancy was reopened since (else `openings`)."})
    reopenings = fields.List(fields.Dict(), metadata={
        "description": "Openings changes {at, openings (the new total), added, kind: reopen | edit}: a reopening, "
                       "or an edit of openings after the posting day; new openings count at `at`."})
    hires = fields.List(fields.Dict(), metadata={"description": "The hires {placement_id, hired_at}, by hire date."})
    status_history = fields.List(fields.Dict(), metadata={
        "description": "Status changes {at, from, to, reason, by}: expiry, close, fill, reopening."})
    closed_periods = fields.List(fields.Dict(), metadata={
        "description": "Days a reopened vacancy was closed {gte, lt}; statistics do not count it open then."})


class JobReopenSchema(StrictSchema):
    openings = WholeNumber(required=True, validate=validate.Range(min=1, max=10_000),
                              metadata={"description": "Openings in total, more than those already filled."})
    reason = Text(required=True, max_length=500)
    at = fields.DateTime(load_default=None, metadata={
        "description": "When the openings were added (local time if no offset; default now). Not in the future, "
                       "not before the vacancy was filled or closed: the new openings count in this month."})
    expires_at = fields.Date(load_default=None, metadata={
        "description": "New expiry date; required when the vacancy has expired (it must then lie after the "
                       "reopening)."})


class JobCloseSchema(StrictSchema):
    reason = Text(required=True, max_length=500)
    status = choice(("filled", "closed", "expired"), load_default="closed")


class JobListArgs(ListArgs):
    status = choice(JOB_STATUSES, load_default=None)
    employer_id = fields.String(load_default=None)
    occupation_code = fields.String(load_default=None, validate=validate.Regexp(r"^\d{1,4}$"),
                                    metadata={"description": "1–4 digits: a major group down to a unit group."})
    commune_code = fields.String(load_default=None)
    district_code = fields.String(load_default=None, metadata={"description": "Pre-reform district code."})
    industry = choice(tuple(INDUSTRIES), load_default=None)
    work_mode = choice(WORK_MODES, load_default=None)
    accommodation = choice(ACCOMMODATIONS, load_default=None)


class JobPage(PageMeta):
    items = fields.List(fields.Nested(JobOut))

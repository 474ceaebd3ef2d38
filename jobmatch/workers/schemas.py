"""Jobseeker input and output schemas. Disability is functional limitations and needs, never a diagnosis."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from jobmatch.records.fields import (
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
    EMPLOYMENT_STATUSES,
    ERASURE_REASONS,
    ETHNICITIES,
    FUNCTIONAL_LIMITATIONS,
    GENDERS,
    LANGUAGES,
    PRIORITY_GROUPS,
    TRAINING_LEVELS,
    UI_STATUSES,
    WORK_MODES,
)

MIN_WORKING_AGE = 15  # Labour Code 2019: workers are 15 or older
OLDEST_BIRTH_YEAR = 1930
YOUNGEST_WORK_AGE = 13  # Labour Code 2019 Art. 143-145: from 13 only light work; earlier jobs are not experience


class PersonalSchema(StrictSchema):
    """Who the person is. Shown to counsellors only; never indexed for search except the name."""

    full_name = Text(required=True)
    national_id = fields.String(load_default=None, allow_none=True,
                                validate=validate.Regexp(r"^\d{12}$", error="a citizen ID (CCCD) is 12 digits"))
    phone = fields.String(load_default=None, allow_none=True,
                          validate=validate.Regexp(r"^\+?[0-9][0-9 .-]{7,14}$", error="not a phone number"))
    email = fields.Email(load_default=None, allow_none=True)


class CertificateSchema(StrictSchema):
    name = Text(required=True)
    issuer = Text(load_default=None, allow_none=True)
    year = WholeNumber(load_default=None, allow_none=True, validate=validate.Range(min=1950, max=2100))
    level = choice(TRAINING_LEVELS, load_default=None, allow_none=True)


class WorkHistorySchema(StrictSchema):
    title = Text(required=True)
    occupation_code = occupation_code(load_default=None, allow_none=True)
    employer = Text(load_default=None, allow_none=True)
    from_year = WholeNumber(required=True, validate=validate.Range(min=1950, max=2100))
    to_year = WholeNumber(load_default=None, allow_none=True, validate=validate.Range(min=1950, max=2100))

    @validates_schema
    def _years(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("to_year") is not None and data["to_year"] < data["from_year"]:
            raise ValidationError("to_year must not be before from_year", "to_year")


class DisabilitySchema(StrictSchema):
    """What the person finds hard to do and what a workplace must offer; never a medical diagnosis."""

    functional_limitations = choices(FUNCTIONAL_LIMITATIONS, load_default=list)
    accommodations_needed = choices(ACCOMMODATIONS, load_default=list)


class ConsentSchema(StrictSchema):
    store_disability = fields.Boolean(load_default=False,
                                      metadata={"description": "Consent to store disability information "
                                                               "(sensitive data, Decree 13/2023/NĐ-CP)."})
    show_to_employers = fields.Boolean(load_default=False,
                                       metadata={"description": "Consent to show the profile (without contact, ID "
                                                                "or disability) to employers."})
    recorded_at = fields.DateTime(load_default=None, allow_none=True)


class WorkerIn(StrictSchema):
    """A jobseeker as a counsellor registers them."""

    external_id = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    source = fields.String(load_default="api", validate=validate.Length(min=1, max=32))
    personal = fields.Nested(PersonalSchema, required=True)
    birth_year = WholeNumber(required=True)
    gender = choice(GENDERS, load_default="unspecified")
    ethnicity = choice(ETHNICITIES, load_default=None, allow_none=True)
    residence = fields.Nested(LocationSchema, required=True)
    max_commute_km = fields.Float(load_default=None, allow_none=True, validate=validate.Range(min=0, max=500))
    general_education = choice(("none", "primary", "lower_secondary", "upper_secondary"), load_default=None,
                               allow_none=True)
    training_level = choice(TRAINING_LEVELS, load_default="none")
    certificates = fields.List(fields.Nested(CertificateSchema), load_default=list,
                               validate=validate.Length(max=30))
    skills = texts(load_default=list)
    work_history = fields.List(fields.Nested(WorkHistorySchema), load_default=list,
                               validate=validate.Length(max=30))
    desired_occupations = fields.List(occupation_code(), load_default=list, validate=validate.Length(max=5))
    desired_salary_min = WholeNumber(load_default=None, allow_none=True,
                                        validate=validate.Range(min=0, max=500_000_000))
    desired_work_modes = choices(WORK_MODES, load_default=list)
    available_from = fields.Date(load_default=None, allow_none=True)
    registered_at = fields.Date(load_default=None, allow_none=True,
                                metadata={"description": "Day of registration at the centre (default: today)."})
    employment_status = choice(EMPLOYMENT_STATUSES, load_default="unemployed")
    last_contact_at = fields.Date(load_default=None, allow_none=True, metadata={
        "description": "Day of the latest contact with the centre (default: registration day; a counsellor's edit "
                       "moves it to that day). Without contact for JOBSEEKER_LAPSE_DAYS a registration lapses."})
    ui_status = choice(UI_STATUSES, load_default="none")
    priority_groups = choices(PRIORITY_GROUPS, load_default=list)
    languages = choices(LANGUAGES, load_default=list)
    disability = fields.Nested(DisabilitySchema, load_default=None, allow_none=True)
    consent = fields.Nested(ConsentSchema, load_default=dict)

    @validates_schema
    def _check(self, data: dict[str, Any], **_: Any) -> None:
        year = date.today().year
        birth_year = data.get("birth_year")
        if birth_year is not None and not OLDEST_BIRTH_YEAR <= birth_year <= year - MIN_WORKING_AGE:
            raise ValidationError(f"must be between {OLDEST_BIRTH_YEAR} and {year - MIN_WORKING_AGE} "
                                  f"(workers are {MIN_WORKING_AGE} or older)", "birth_year")
        registered = data.get("registered_at")
        if registered and registered > date.today() + timedelta(days=1):  # a day of slack for time zones
            raise ValidationError("must not be in the future", "registered_at")
        for item in data.get("work_history") or []:
            for key in ("from_year", "to_year"):
                if (item.get(key) or 0) > year:
                    raise ValidationError({key: [f"must not be after {year}"]}, "work_history")
            if birth_year is not None and item["from_year"] < birth_year + YOUNGEST_WORK_AGE:
                # Experience cannot start before the person could work: such a row would inflate experience.
                raise ValidationError({"from_year": [f"must not be before {birth_year + YOUNGEST_WORK_AGE} "
                                                     f"(age {YOUNGEST_WORK_AGE}, born {birth_year})"]},
                                      "work_history")
        disability = data.get("disability")
        has_details = bool(disability and (disability.get("functional_limitations")
                                           or disability.get("accommodations_needed")))
        if has_details and not (data.get("consent") or {}).get("store_disability"):
            raise ValidationError("disability details need consent.store_disability = true", "disability")
        check_unique(data, ("skills", "desired_occupations"))


class WorkerOut(Schema):
    worker_id = fields.String()
    external_id = fields.String(allow_none=True)
    source = fields.String()
    personal = fields.Dict(allow_none=True, metadata={
        "description": "Counsellors and admins only; null once a closed jobseeker's data was erased."})
    birth_year = fields.Integer()
    gender = fields.String()
    ethnicity = fields.String(allow_none=True)
    residence = fields.Dict()
    max_commute_km = fields.Float(allow_none=True)
    general_education = fields.String(allow_none=True)
    training_level = fields.String()
    certificates = fields.List(fields.Dict())
    skills = fields.List(fields.String())
    work_history = fields.List(fields.Dict())
    experience_years = fields.Float()
    desired_occupations = fields.List(fields.String())
    desired_salary_min = fields.Integer(allow_none=True)
    desired_work_modes = fields.List(fields.String())
    available_from = fields.String(allow_none=True)
    registered_at = fields.String()
    employment_status = fields.String()
    last_contact_at = fields.String(allow_none=True)
    registration_status = fields.String(metadata={"description": "active, or inactive once lapsed (no contact "
                                                                 "for JOBSEEKER_LAPSE_DAYS) until reactivated."})
    lapsed_at = fields.String(allow_none=True)
    lapse_reason = fields.String(allow_none=True)
    inactive_periods = fields.List(fields.Dict(), metadata={
        "description": "Lapses as date ranges: gte the lapse day, lt the reactivation day (open while inactive)."})
    status_history = fields.List(fields.Dict(), metadata={
        "description": "Status changes: at, from, to, reason, by."})
    placed_at = fields.String(allow_none=True)
    placement_id = fields.String(allow_none=True)
    ui_status = fields.String()
    priority_groups = fields.List(fields.String())
    languages = fields.List(fields.String())
    disability = fields.Dict(allow_none=True, metadata={"description": "Counsellors and admins only."})
    consent = fields.Dict()
    created_at = fields.String()
    updated_at = fields.String()
    closed_at = fields.String(allow_none=True)
    erased_at = fields.String(metadata={"description": "Set when the person's data was erased on request."})
    erasure_reason = fields.String()
    close_reason = fields.String(allow_none=True)


class WorkerListArgs(ListArgs):
    employment_status = choice(EMPLOYMENT_STATUSES, load_default=None)
    commune_code = fields.String(load_default=None)
    district_code = fields.String(load_default=None)
    training_level = choice(TRAINING_LEVELS, load_default=None)
    occupation_code = fields.String(load_default=None, validate=validate.Regexp(r"^\d{1,4}$"))
    priority_group = choice(PRIORITY_GROUPS, load_default=None)


class WorkerPage(PageMeta):
    items = fields.List(fields.Nested(WorkerOut))


class ReactivateIn(StrictSchema):
    """Why a lapsed registration is active again (the contact that brought the person back)."""

    reason = Text(required=True, max_length=500)


class ErasureIn(StrictSchema):
    """Why a person's data is erased: a fixed list, so the audit log records a reason without free text."""

    reason = choice(ERASURE_REASONS, required=True, metadata={
        "description": "data_subject_request (the person asked), consent_withdrawn, retention_expired, "
                       "unlawful_processing"})

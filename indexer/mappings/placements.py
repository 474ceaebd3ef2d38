"""Referrals of jobseekers to vacancies: current state, stage dates and the facts metrics group by.

A placement is the projection of its events (`placement_events`): the state a fold of the event log gives,
plus a snapshot of the person's and the vacancy's attributes taken at referral, so that statistics keep the
commune, training level or occupation the pair had at the time even if the records change later.
"""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import keyword, strict_index

VERSION = 2  # v2: `worker.trained`; the vacancy's district, area, training level, social insurance


def build(_model: object) -> dict[str, Any]:
    """Return the create-index body."""
    date = {"type": "date"}
    follow_up = {"properties": {"due": date, "recorded_at": date, "still_employed": {"type": "boolean"}}}
    return strict_index({
        "placement_id": keyword(), "job_id": keyword(), "worker_id": keyword(), "employer_id": keyword(),
        "session_id": keyword(),
        "status": keyword(), "seq": {"type": "integer"},
        "proposed_at": date, "referred_at": date, "interviewed_at": date, "offered_at": date,
        "hired_at": date, "rejected_at": date, "withdrawn_at": date, "ended_at": date,
        "days_to_placement": {"type": "integer"},   # registration → hire
        "filled_vacancy": {"type": "boolean"},       # this hire filled the vacancy's last opening
        "days_to_fill": {"type": "integer"},         # posting → that hire
        "effects_applied": {"type": "boolean"},      # the hire has been applied to the person and the vacancy
        "follow_ups": {"properties": {"m3": follow_up, "m6": follow_up}},
        "worker": {"properties": {
            "commune_code": keyword(), "district_code": keyword(), "urban": {"type": "boolean"},
            "gender": keyword(), "birth_year": {"type": "short"}, "ethnicity": keyword(),
            "training_level": keyword(), "trained": {"type": "boolean"}, "has_disability": {"type": "boolean"},
            "priority_groups": keyword(),
            "registered_at": date}},
        "job": {"properties": {"occupation_code": keyword(), "occupation_major": keyword(), "industry": keyword(),
                               "commune_code": keyword(), "district_code": keyword(), "urban": {"type": "boolean"},
                               "training_level": keyword(), "social_insurance": {"type": "boolean"},
                               "posted_at": date}},
        "created_at": date, "updated_at": date, "created_by": keyword(),
    })

"""Jobseekers, by pseudonymous id. Personal data and disability sit in their own objects, unsearchable."""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import (
    audit_fields,
    keyword,
    location,
    search_fields,
    strict_index,
    vector_field,
    vi_text,
)

VERSION = 6  # v6: lifecycle (last_contact_at, registration_status, lapse, inactive_periods, status_history)


def build(model: Any) -> dict[str, Any]:
    """Return the create-index body; the vector size comes from the embedding model."""
    unsearchable = {"type": "keyword", "index": False, "doc_values": False}
    return strict_index({
        "worker_id": keyword(),
        # Contact and ID are stored for counsellors but never indexed: no query can find a person by them.
        "personal": {"properties": {"full_name": vi_text(), "national_id": unsearchable,
                                    "phone": unsearchable, "email": unsearchable}},
        "birth_year": {"type": "short"},
        "gender": keyword(),
        "ethnicity": keyword(),
        "residence": location(),
        "max_commute_km": {"type": "float"},
        "general_education": keyword(),
        "training_level": keyword(),
        "training_rank": {"type": "byte"},
        "certificates": {"properties": {"name": keyword(), "issuer": {"type": "text", "index": False},
                                        "year": {"type": "short"}, "level": keyword()}},
        "skills": keyword(),
        "work_history": {"properties": {"title": {"type": "text", "index": False}, "occupation_code": keyword(),
                                        "employer": {"type": "text", "index": False},
                                        "from_year": {"type": "short"}, "to_year": {"type": "short"}}},
        "work_history_codes": keyword(),  # per past job: its code, auto-coded from the title when confident, or ""
        "experience_years": {"type": "float"},
        "desired_occupations": keyword(),
        "desired_occupation_groups": keyword(),
        "desired_salary_min": {"type": "long"},
        "desired_work_modes": keyword(),
        "available_from": {"type": "date"},
        "registered_at": {"type": "date"},
        "employment_status": keyword(),
        "placed_at": {"type": "date"},
        "placement_id": keyword(),
        "status_before_placement": keyword(),
        "ui_status": keyword(),
        # Lifecycle (jobmatch.records.lifecycle): a lapse and its reactivation stay as dated history.
        "last_contact_at": {"type": "date"},
        "registration_status": keyword(),
        "lapsed_at": {"type": "date"},
        "lapse_reason": keyword(),
        "inactive_periods": {"type": "date_range", "format": "yyyy-MM-dd"},
        "status_history": {"type": "object", "enabled": False},
        "priority_groups": keyword(),
        "languages": keyword(),
        "disability": {"properties": {"functional_limitations": keyword(), "accommodations_needed": keyword()}},
        "has_disability": {"type": "boolean"},
        "erased_at": {"type": "date"}, "erasure_reason": keyword(),
        "consent": {"properties": {"store_disability": {"type": "boolean"},
                                   "show_to_employers": {"type": "boolean"}, "recorded_at": {"type": "date"}}},
        **search_fields(),
        "embedding_text": {"type": "text", "index": False},
        "embedding_basis": keyword(),  # "text", or "unserved_text": a language the model does not read
        "embedding": vector_field(model.dims),
        **audit_fields(),
    }, analysis=True)

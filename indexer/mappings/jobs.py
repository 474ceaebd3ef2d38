"""Vacancies: occupation, workplace, conditions, requirements, task demands, accommodations, embedding."""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import (
    audit_fields,
    keyword,
    location,
    occupation,
    search_fields,
    strict_index,
    vector_field,
    vi_text,
)

VERSION = 6  # v6: social insurance, status history, closed periods of reopened vacancies


def build(model: Any) -> dict[str, Any]:
    """Return the create-index body; the vector size comes from the embedding model."""
    demand = keyword()
    return strict_index({
        "job_id": keyword(),
        "employer_id": keyword(),
        "title": vi_text(raw=True),
        "description": vi_text(),
        "occupation_code": keyword(),
        "occupation_coding": {"properties": {"method": keyword(), "confidence": {"type": "float"},
                                             "matched": {"type": "keyword", "index": False},
                                             "candidates": {"type": "object", "enabled": False}}},
        "occupation": occupation(),
        "industry": keyword(),
        "workplace": location(),
        "work_mode": keyword(),
        "contract_type": keyword(),
        "social_insurance": {"type": "boolean"},
        "hours_per_week": {"type": "float"},
        "shifts": keyword(),
        "openings": {"type": "integer"},
        "salary_min": {"type": "long"},
        "salary_max": {"type": "long"},
        "min_training_level": keyword(),
        "min_training_rank": {"type": "byte"},
        "certificates": keyword(),
        "essential_skills": keyword(),
        "optional_skills": keyword(),
        "min_experience_years": {"type": "float"},
        "languages": keyword(),
        "physical_demands": {"properties": {"lifting": demand, "standing": demand, "fine_motor": demand,
                                            "vision": demand, "hearing": demand}},
        "accommodations": keyword(),
        "status": keyword(),
        "posted_at": {"type": "date"},
        "expires_at": {"type": "date"},
        "filled": {"type": "integer"},
        "filled_by": keyword(),
        "filled_at": {"type": "date"},
        "reopened_at": {"type": "date"},
        "reopen_reason": {"type": "text", "index": False},
        # Old documents lack these three: fills then read hire dates from the placements, new openings `openings`.
        "hires": {"properties": {"placement_id": keyword(), "hired_at": {"type": "date"}}},
        "posted_openings": {"type": "integer"},
        "reopenings": {"type": "nested", "properties": {"at": {"type": "date"}, "openings": {"type": "integer"},
                                                        "added": {"type": "integer"}, "kind": keyword()}},
        # A reopened vacancy's closed gaps (calendar days, like workers' inactive_periods): months wholly inside
        # one do not count it open. The history itself is kept for readers only.
        "closed_periods": {"type": "date_range", "format": "yyyy-MM-dd"},
        "status_history": {"type": "object", "enabled": False},
        **search_fields(),
        "embedding_text": {"type": "text", "index": False},
        "embedding_basis": keyword(),  # "text", or "unserved_text": a language the model does not read
        "embedding": vector_field(model.dims),
        **audit_fields(),
    }, analysis=True)

"""Valid request bodies for the registers, to be varied by each test."""

from __future__ import annotations

import uuid
from typing import Any

COMMUNE = "phuong-soc-trang"  # Phường Sóc Trăng, formed from the wards of the former city
LEGACY_WARD = "31498"  # Phường 5, Thành phố Sóc Trăng (pre-2025)


def unique() -> str:
    return uuid.uuid4().hex[:10]


def employer(**overrides: Any) -> dict[str, Any]:
    body = {"name": "Công ty TNHH Thủy sản Sóc Trăng", "tax_code": "2200123456", "industry": "C", "size": "medium",
            "address": {"commune_code": COMMUNE, "address": "12 Lê Lợi"},
            "contact": {"person": "Chị Lan", "phone": "0299 3822 123", "email": "hr@example.vn"}}
    body.update(overrides)
    return body


def job(employer_id: str, **overrides: Any) -> dict[str, Any]:
    body = {"employer_id": employer_id, "title": "Thợ hàn điện", "description": "Hàn kết cấu thép nhà xưởng.",
            "occupation_code": "7212", "workplace": {"legacy_ward_code": LEGACY_WARD},
            "contract_type": "fixed_term", "openings": 3, "salary_min": 7_000_000, "salary_max": 9_000_000,
            "min_training_level": "so_cap", "certificates": ["Chứng chỉ hàn"],
            "essential_skills": ["hàn hồ quang", "đọc bản vẽ"], "optional_skills": ["hàn MIG"],
            "physical_demands": {"lifting": "moderate", "standing": "heavy"},
            "accommodations": ["flexible_hours"]}
    body.update(overrides)
    return body


def worker(**overrides: Any) -> dict[str, Any]:
    body = {"personal": {"full_name": "Thạch Thị Sa Rết", "national_id": "094123456789", "phone": "0912345678"},
            "birth_year": 1995, "gender": "female", "ethnicity": "khmer",
            "residence": {"commune_code": COMMUNE}, "max_commute_km": 15, "training_level": "trung_cap",
            "certificates": [{"name": "Chứng chỉ may công nghiệp", "issuer": "Trường Cao đẳng nghề Sóc Trăng",
                              "year": 2015, "level": "so_cap"}],
            "skills": ["may công nghiệp", "vận hành máy may"],
            "work_history": [{"title": "Công nhân may", "occupation_code": "8153", "from_year": 2016,
                              "to_year": 2022}],
            "desired_occupations": ["8153"], "employment_status": "unemployed",
            "priority_groups": ["ethnic_minority"],
            "consent": {"show_to_employers": True}}
    body.update(overrides)
    return body

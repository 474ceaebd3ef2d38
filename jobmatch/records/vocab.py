"""Controlled vocabularies of the registers (codes are English; labels for people live in the UI and docs)."""

from __future__ import annotations

# Vocational training ladder (Luật Giáo dục nghề nghiệp) then higher education; rank orders them.
TRAINING_LEVELS = ("none", "so_cap", "trung_cap", "cao_dang", "dai_hoc", "sau_dai_hoc")
TRAINING_RANK = {level: rank for rank, level in enumerate(TRAINING_LEVELS)}
TRAINING_LABELS_VI = {"none": "chưa qua đào tạo", "so_cap": "sơ cấp", "trung_cap": "trung cấp",
                      "cao_dang": "cao đẳng", "dai_hoc": "đại học", "sau_dai_hoc": "sau đại học"}

WORK_MODES = ("on_site", "remote", "hybrid")
CONTRACT_TYPES = ("indefinite", "fixed_term", "seasonal", "part_time", "apprenticeship", "daily")
SHIFTS = ("day", "night", "rotating", "weekend")
JOB_STATUSES = ("draft", "open", "filled", "closed", "expired")
EMPLOYER_STATUSES = ("active", "closed")
EMPLOYER_SIZES = ("micro", "small", "medium", "large")  # Decree 80/2021/NĐ-CP size classes

PHYSICAL_DEMANDS = ("lifting", "standing", "fine_motor", "vision", "hearing")
DEMAND_LEVELS = ("none", "light", "moderate", "heavy")
ACCOMMODATIONS = ("step_free_access", "accessible_toilet", "sign_language", "flexible_hours", "remote_work",
                  "assistive_technology", "transport")
# Functional limitations, never diagnoses: each says which task demand it may conflict with.
FUNCTIONAL_LIMITATIONS = ("mobility", "lifting", "standing", "fine_motor", "vision", "hearing", "speech",
                          "learning", "stamina")

GENDERS = ("female", "male", "other", "unspecified")
ETHNICITIES = ("kinh", "khmer", "hoa", "other")
EMPLOYMENT_STATUSES = ("unemployed", "employed_looking", "student", "placed")
UI_STATUSES = ("none", "applied", "receiving", "ended")  # unemployment insurance (bảo hiểm thất nghiệp)
PRIORITY_GROUPS = ("meritorious_family", "poor_household", "near_poor_household", "ethnic_minority",
                   "returning_migrant", "demobilised_soldier", "youth")
LANGUAGES = ("vi", "km", "zh", "en", "ko", "ja")
# Why a person's data is erased (Decree 13/2023/NĐ-CP Art. 16): a fixed list keeps free text out of the audit log.
ERASURE_REASONS = ("data_subject_request", "consent_withdrawn", "retention_expired", "unlawful_processing")

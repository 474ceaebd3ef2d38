"""Who may see what of a record (pure functions over the caller's role)."""

from __future__ import annotations

from typing import Any

from jobmatch.auth.tokens import Principal

INTERNAL_FIELDS = ("embedding", "embedding_text", "embedding_basis", "search_text", "search_text_folded",
                   "search_words", "input_hash")
# What an employer never sees of a jobseeker: contact and ID, disability (sensitive data), and the
# attributes that invite discrimination.
# Birth year (age is a discrimination ground, Labour Code 2019 Art. 3(8)) and languages (Khmer points to
# ethnicity) are hidden too; a language the vacancy states may be matched, the list is never shown (docs/privacy.md).
HIDDEN_FROM_EMPLOYERS = ("personal", "disability", "has_disability", "consent", "gender", "ethnicity",
                         "priority_groups", "ui_status", "external_id", "source", "created_by", "closed_by",
                         "birth_year", "languages", "status_before_placement")


def public_view(source: dict[str, Any]) -> dict[str, Any]:
    """Drop the fields that are only for search and bookkeeping."""
    return {k: v for k, v in source.items() if k not in INTERNAL_FIELDS}


def worker_view(source: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """Return what `principal` may see of a jobseeker."""
    view = public_view(source)
    if principal.role == "employer":
        view = {k: v for k, v in view.items() if k not in HIDDEN_FROM_EMPLOYERS}
        if view.get("residence"):
            view["residence"] = {k: view["residence"].get(k) for k in ("province", "commune_code", "commune",
                                                                        "urban")}
    return view


def sees_all_workers(principal: Principal) -> bool:
    """Tell whether the caller works with full jobseeker records (counsellors and admins)."""
    return principal.role in ("admin", "counsellor")

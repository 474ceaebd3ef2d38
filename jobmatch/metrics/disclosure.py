"""Statistical disclosure control: small counts are hidden in every published aggregate (pure functions).

The rule, with k = MIN_CELL_SIZE (default 5); docs/metrics.md says the same for readers:

1. Primary suppression. A count of 1 to k-1 is hidden (null, listed under `suppressed`). Zero is shown: an
   empty cell names nobody, and hiding zeros would also hide the real gaps the Department plans for.
2. Derived values. A rate, share or median is hidden when any count it is computed from is hidden, including
   counts the reader never sees (the trained among the active, the employed among people with disabilities),
   because rate × shown denominator gives the count back. A share of a subset also depends on its complement
   (denominator − numerator): "48 of 50 trained" names the 2 who are not.
3. Complementary suppression. Within one dimension, for each count, when exactly one group is hidden and the
   total is shown, the total minus the other groups would give it back; so the group with the smallest
   non-zero value of that count (ties: the first key) is hidden too. Two or more hidden groups only give
   their sum away, which does not name anyone. A zero is never a partner: when the groups add up to a shown
   total of k or more, another group has someone; when they do not add up to it, subtracting gives nothing.
   When the total of a count is itself hidden, every group that has anyone is small too: no partner needed.
4. The whole-province total follows rule 1 (a total of 1 to k-1 is hidden too) but is never hidden to protect
   a group: it is the figure the Department publishes.

Everyone reads the same figures: admins, counsellors and analysts included; raw small counts are never served.
Known limit: two overlapping periods can be differenced (1–31 October minus 1–30 October); the API answers any
period, so this rule protects one table at a time, not every combination of queries.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from typing import Any

from config.settings import MIN_CELL_SIZE_DEFAULT
from jobmatch.metrics.definitions import INDICATORS

MARKER = "[c]"  # shown for a hidden figure in CSV, XLSX and HTML (ONS-style "confidential")
DEFAULT_MIN_CELL_SIZE = MIN_CELL_SIZE_DEFAULT

# Counts the reader never sees directly but can work out from a share and its shown denominator:
# name -> (whole, part); the complement is whole - part.
COMPLEMENTS: dict[str, tuple[str, str]] = {
    "active_untrained": ("active_jobseekers", "active_trained"),
    "active_never_trained": ("active_jobseekers", "active_trained_any"),
    "placements_untrained": ("placements", "placements_trained"),
    "pwd_not_employed": ("pwd_base", "pwd_employed"),
    "placements_uninsured": ("placements_insurance_known", "placements_insured"),
}

# What every derived indicator is computed from (raw counts of jobmatch.metrics.service and COMPLEMENTS).
# A count indicator depends on itself.
DERIVED_INPUTS: dict[str, tuple[str, ...]] = {
    "placement_rate": ("placements", "active_jobseekers"),
    "referral_success_rate": ("placements", "referrals"),
    "vacancy_fill_rate": ("placements", "placements_by_vacancy", "open_openings"),
    "insured_share_placements": ("placements_insured", "placements_insurance_known", "placements_uninsured"),
    "median_days_to_placement": ("placements",),
    "median_days_to_fill": ("vacancies_filled",),
    "trained_share_jobseekers": ("active_trained", "active_jobseekers", "active_untrained"),
    "trained_any_share_jobseekers": ("active_trained_any", "active_jobseekers", "active_never_trained"),
    "trained_share_placements": ("placements_trained", "placements", "placements_untrained"),
    "pwd_employment_rate": ("pwd_employed", "pwd_base", "pwd_not_employed"),
    "registered_unemployment_rate": ("registered_unemployed",),  # ÷ the published labour force
    "registered_unemployment_rate_urban": ("registered_unemployed_urban",),
}
INPUTS: dict[str, tuple[str, ...]] = {
    ind.key: DERIVED_INPUTS.get(ind.key, (ind.key,)) for ind in INDICATORS}


def legend(k: int) -> str:
    """Return the one-line explanation of the marker, in Vietnamese and English, for CSV, XLSX and HTML."""
    return (f"{MARKER}: số liệu được ẩn để bảo vệ danh tính — dưới {k} người (1–{k - 1}), tính từ số đó, hoặc ẩn "
            f"thêm để không suy ra được từ tổng. 0 vẫn hiển thị. / hidden to protect identities: fewer than {k} "
            f"(1–{k - 1}), derived from such a count, or hidden as well so that it cannot be worked out from the "
            "total. Zero is shown.")


def describe(k: int) -> dict[str, Any]:
    """Return the rule as published next to the figures (JSON `disclosure`)."""
    return {"min_cell_size": k, "marker": MARKER, "rule": legend(k)}


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_small(value: Any, k: int) -> bool:
    """Tell whether a count must be hidden on its own: 1 ≤ value < k (zero, None and non-counts are not)."""
    return _is_count(value) and 0 < value < k


def with_complements(counts: Mapping[str, Any]) -> dict[str, Any]:
    """Return the raw counts plus the complements (COMPLEMENTS) that shares give away."""
    extended = dict(counts)
    for name, (whole, part) in COMPLEMENTS.items():
        if _is_count(counts.get(whole)) and _is_count(counts.get(part)):
            extended[name] = counts[whole] - counts[part]
    return extended


def small_cells(counts: Mapping[str, Any], k: int) -> set[str]:
    """Return the names of the counts to hide on their own (primary suppression)."""
    return {name for name, value in counts.items() if is_small(value, k)}


def partner(column: Mapping[str, Any], hidden: set[str]) -> str | None:
    """Return the group to hide along with the only hidden one of a column (complementary suppression): the
    smallest non-zero count among the groups not hidden, ties broken by key; None when no other group has anyone.
    """
    candidates = sorted((value, key) for key, value in column.items()
                        if key not in hidden and _is_count(value) and value > 0)
    return candidates[0][1] if candidates else None


def suppress_groups(groups: Mapping[str, Mapping[str, Any]], k: int, *,
                    shown_totals: Container[str] | None = None) -> dict[str, set[str]]:
    """Return, per group, the names of the counts to hide: the small ones, and where the total is shown their
    partners.

    `groups` maps each group's key to its counts (name -> int; other values such as distributions are ignored).
    `shown_totals` names the counts whose total the reader sees (None: all of them). Complementary suppression
    runs once per count name: its partner is hidden for that count only.
    """
    hidden = {key: small_cells(counts, k) for key, counts in groups.items()}
    names = sorted({name for counts in groups.values() for name, value in counts.items() if _is_count(value)})
    for name in names:
        alone = [key for key in groups if name in hidden[key]]
        if len(alone) != 1 or (shown_totals is not None and name not in shown_totals):
            continue
        pick = partner({key: counts.get(name) for key, counts in groups.items()}, {alone[0]})
        if pick is not None:
            hidden[pick].add(name)
    return hidden


def hide(values: Mapping[str, Any], hidden_counts: Iterable[str],
         inputs: Mapping[str, tuple[str, ...]] = INPUTS) -> tuple[dict[str, Any], list[str]]:
    """Return the indicator values with every value that depends on a hidden count set to None, and the keys
    hidden that way (in `values` order). A value that is None anyway (nothing to compute) is not listed."""
    hidden = set(hidden_counts)
    shown = dict(values)
    suppressed = []
    for key, value in values.items():
        if value is not None and hidden.intersection(inputs.get(key, (key,))):
            shown[key] = None
            suppressed.append(key)
    return shown, suppressed


def suppress_rows(rows: list[Mapping[str, Any]], columns: tuple[str, ...], k: int, *, key: str,
                  complementary: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Return table rows with small counts in `columns` set to None and listed in each row's `suppressed`.

    Columns named in `complementary` add up to a total the reader sees, so they get complementary suppression;
    the others (a person counted under several rows, or no total shown) only primary suppression. `key` names
    each row's identifying column.
    """
    table = {row[key]: {column: row.get(column) for column in columns} for row in rows}
    hidden = {row_key: small_cells(counts, k) for row_key, counts in table.items()}
    for column in complementary:
        one_column = {row_key: {column: counts[column]} for row_key, counts in table.items()}
        for row_key, names in suppress_groups(one_column, k).items():
            hidden[row_key] |= names
    out = []
    for row in rows:
        names = hidden[row[key]]
        out.append({**row, **dict.fromkeys(names), "suppressed": [c for c in columns if c in names]})
    return out

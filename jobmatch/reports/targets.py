"""The 2030 targets table: each target judged only on the official figure of the same kind, never on a register
proxy. Pure functions, so what the table claims is easy to test."""

from __future__ import annotations

from typing import Any

from config.labour_market import FIGURES
from jobmatch.metrics.definitions import BY_KEY

Document = dict[str, Any]
NOT_COMPARABLE = ("register, not comparable: counts registered jobseekers, not the labour force the target is "
                  "defined on")


def target_status(op: str, bound: float, actual: float | None) -> str:
    """Return "met", "not_met" or "no_data" for an official figure against a target."""
    if actual is None:
        return "no_data"
    met = actual < bound if op == "<" else actual >= bound
    return "met" if met else "not_met"


def target_rows(targets: tuple[Document, ...], figures: dict[str, Document], register: dict[str, Any],
                hidden: set[str]) -> list[Document]:
    """Return one row per target: the bound, the latest official figure entered (with source and year) and its
    status, and beside it the nearest register indicator, marked not comparable and never given a status.

    `figures` are the latest entered figures by key (jobmatch.figures), `register` this month's indicators,
    `hidden` the indicators withheld by the small-cell rule.
    """
    rows = []
    for t in targets:
        figure = figures.get(t["figure"])
        official = None if figure is None else {
            "value": figure["value"], "year": figure["year"], "as_of": figure.get("as_of"),
            "source": figure["source"], "kind": FIGURES[t["figure"]]["kind"]}
        row: Document = {
            "key": t["key"], "label_vi": t["label_vi"], "label_en": t["label_en"], "op": t["op"],
            "target": t["value"], "target_source": t["source"], "figure_key": t["figure"],
            "figure_label_vi": FIGURES[t["figure"]]["label_vi"], "figure": official,
            "status": target_status(t["op"], t["value"], official["value"] if official else None),
            "register": None}
        if t.get("register"):
            indicator = t["register"]
            row["register"] = {"indicator": indicator, "label_vi": BY_KEY[indicator].label_vi,
                               "value": None if indicator in hidden else register.get(indicator),
                               "suppressed": indicator in hidden, "definition": BY_KEY[indicator].definition,
                               "comparable": False, "note": NOT_COMPARABLE}
        rows.append(row)
    return rows

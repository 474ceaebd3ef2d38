"""Stored monthly reports: one document per month, replaced when the month is built again."""

from __future__ import annotations

import re
from typing import Any

from indexer.naming import alias_name
from jobmatch.errors import NotFound, ValidationFailed
from jobmatch.metrics.compute import shift_month
from jobmatch.records.service import now_iso

MONTH = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$")


def check_month(month: str, *, field: str = "month") -> str:
    """Return `month` if it is "YYYY-MM", else raise ValidationFailed naming the field."""
    if not MONTH.match(month):
        raise ValidationFailed.on_field(field, "must be YYYY-MM, e.g. 2026-10", location="path",
                                        message="invalid month")
    return month


def month_range(first: str, last: str) -> list[str]:
    """Return every "YYYY-MM" month from `first` to `last`, both included; ValidationFailed if `last` < `first`."""
    check_month(first, field="from")
    check_month(last, field="to")
    if last < first:
        raise ValidationFailed.on_field("to", f"must not be before {first}", location="query", message="invalid range")
    months = [first]
    while months[-1] < last:
        months.append(shift_month(months[-1], 1))
    return months


class ReportStore:
    """Save and fetch monthly reports."""

    def __init__(self, es: Any, prefix: str) -> None:
        self.es = es
        self.index = alias_name(prefix, "reports")

    def save(self, month: str, content: dict[str, Any], *, actor: str) -> None:
        """Store (or replace) the report of a month; one write, so a reader sees the old or the new whole."""
        self.es.index(index=self.index, id=month, refresh="wait_for",
                      document={"month": month, "generated_at": now_iso(), "generated_by": actor,
                                "content": content})

    def get(self, month: str) -> dict[str, Any]:
        """Return the stored report of a month, or raise NotFound."""
        found = self.es.options(ignore_status=404).get(index=self.index, id=check_month(month))
        if not found.get("found"):
            raise NotFound(f"no report for {month}: run `flask --app wsgi jobmatch report --month {month}`")
        return found["_source"]["content"]

    def months(self) -> list[str]:
        """Return the months that have a report, newest first."""
        response = self.es.search(index=self.index, size=500, _source=False, sort=[{"month": "desc"}])
        return [hit["_id"] for hit in response["hits"]["hits"]]

    def built_with(self) -> dict[str, tuple[int, int]]:
        """Return, per stored month, (report format, small-cell threshold) it was built with, to tell which
        stored reports the current code can still serve."""
        response = self.es.search(index=self.index, size=500, sort=[{"month": "desc"}],
                                  source_includes=["content.format", "content.disclosure.min_cell_size"])
        return {hit["_id"]: (int((hit["_source"].get("content") or {}).get("format") or 1),
                             int(((hit["_source"].get("content") or {}).get("disclosure") or {}).get(
                                 "min_cell_size") or 0))
                for hit in response["hits"]["hits"]}

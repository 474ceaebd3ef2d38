"""Monthly count series from Elasticsearch, for the forecasts: new vacancies (by `posted_at`, drafts excluded)
and new jobseekers (by `registered_at`), for the province and by ISCO-08 major group, in local months.

One search per index: a `date_histogram` by calendar month in the local time zone with a `terms` aggregation on
the major group inside it. No Flask here.
"""

from __future__ import annotations

from typing import Any

from indexer.naming import alias_name
from jobmatch.metrics.compute import month_bounds, shift_month
from jobmatch.metrics.definitions import DIMENSIONS
from jobmatch.metrics.forecast import TOTAL, Series
from jobmatch.metrics.service import MAX_GROUPS, Period

HISTORY_MONTHS = 36  # longer histories add little to a 3-month forecast and slow the backtest down
SOURCES = {"new_vacancies": ("jobs", "posted_at"), "new_jobseekers": ("workers", "registered_at")}


def months_between(first: str, last: str) -> list[str]:
    """Return every "YYYY-MM" from `first` to `last`, both included (empty when `last` < `first`)."""
    out = []
    month = first
    while month <= last:
        out.append(month)
        month = shift_month(month, 1)
    return out


class MonthlySeries:
    """Reads the monthly flows the forecasts are made from."""

    def __init__(self, *, es: Any, prefix: str, tz: str) -> None:
        self.es = es
        self.prefix = prefix
        self.tz = tz

    def read(self, kind: str, last_month: str, months: int = HISTORY_MONTHS) -> dict[str, Series]:
        """Return {"total": series, major group: series} of `kind` ("new_vacancies" or "new_jobseekers") for the
        `months` months up to `last_month`, starting at the first month with any record (the months before the
        register was in use are not zeros of the market), every month present (zeros included)."""
        index, field = SOURCES[kind]
        first_day, _ = month_bounds(shift_month(last_month, -(months - 1)))
        _, last_day = month_bounds(last_month)
        period = Period(first_day, last_day, self.tz)
        query: dict[str, Any] = {"bool": {"filter": [period.within(field)]}}
        if index == "jobs":
            query["bool"]["must_not"] = [{"term": {"status": "draft"}}]
        terms: dict[str, Any] = {"field": DIMENSIONS["occupation_major"][index], "size": MAX_GROUPS}
        if index == "workers":
            terms["include"] = "[0-9]"  # the wanted groups are stored at every level: keep the major groups
        response = self.es.search(
            index=alias_name(self.prefix, index), size=0, track_total_hits=False, query=query,
            aggs={"months": {"date_histogram": {"field": field, "calendar_interval": "month", "time_zone": self.tz,
                                                "format": "yyyy-MM", "min_doc_count": 0},
                             "aggs": {"groups": {"terms": terms}}}})
        counts: dict[str, dict[str, int]] = {}
        for bucket in response["aggregations"]["months"]["buckets"]:
            month = bucket["key_as_string"]
            counts.setdefault(TOTAL, {})[month] = bucket["doc_count"]
            for group in bucket["groups"]["buckets"]:
                counts.setdefault(str(group["key"]), {})[month] = group["doc_count"]
        started = sorted(m for m, c in counts.get(TOTAL, {}).items() if c > 0)
        if not started:
            return {TOTAL: []}
        span = months_between(started[0], last_month)
        return {group: [(m, by_month.get(m, 0)) for m in span] for group, by_month in counts.items()}

    def histories(self, last_month: str, months: int = HISTORY_MONTHS) -> dict[str, dict[str, Series]]:
        """Return {kind: {"total" or major group: series}} for both kinds."""
        return {kind: self.read(kind, last_month, months) for kind in SOURCES}

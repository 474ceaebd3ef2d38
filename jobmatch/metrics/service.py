"""Labour-market indicators over a period, optionally by a dimension, from Elasticsearch aggregations.

Three searches (jobseekers, vacancies, placements), each with one `filter` aggregation per count, wrapped in a
`terms` (or, for age bands, `range`) aggregation when grouping. Days to placement and to fill are counted per
value so that medians are exact. Dates are calendar days in the local time zone. Small counts, and what is
derived from them, are hidden before anything leaves (jobmatch.metrics.disclosure). No Flask here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from config.labour_market import labour_force_for
from indexer.naming import alias_name
from jobmatch.metrics import disclosure
from jobmatch.metrics.compute import derive
from jobmatch.metrics.definitions import AGE_BANDS, DIMENSIONS, TRAINED_LEVELS
from jobmatch.records.vocab import GENDERS, TRAINING_LEVELS

Document = dict[str, Any]
Counted = tuple[dict[str, Any], dict[str, dict[str, Any]]]  # (whole province, per group)
MAX_GROUPS = 500  # communes of the province are ~100; occupations by major group 10


class Period:
    """Calendar days [first, last] and the range queries over them."""

    def __init__(self, first: date, last: date, tz: str) -> None:
        self.first, self.last, self.tz = first, last, tz
        self.after_last = last + timedelta(days=1)

    def _range(self, field: str, **bounds: date) -> Document:
        return {"range": {field: {**{k: v.isoformat() for k, v in bounds.items()}, "format": "yyyy-MM-dd",
                                  "time_zone": self.tz}}}

    def within(self, field: str) -> Document:
        """The field's date falls in the period."""
        return self._range(field, gte=self.first, lt=self.after_last)

    def by_end(self, field: str) -> Document:
        """The field's date is on or before the last day."""
        return self._range(field, lt=self.after_last)

    def before_start(self, field: str) -> Document:
        """The field's date is before the first day."""
        return self._range(field, lt=self.first)

    def covers(self, field: str, *, whole: bool = True) -> Document:
        """A date range of the field (e.g. a lapse) covers the whole period, or with whole=False its last day.

        Range fields hold calendar days (UTC midnight), so the bounds are days too, without a time zone."""
        start = self.first if whole else self.last
        return {"range": {field: {"gte": start.isoformat(), "lte": self.last.isoformat(), "relation": "contains",
                                  "format": "yyyy-MM-dd"}}}


def _all(*clauses: Document, none: tuple[Document, ...] = ()) -> Document:
    return {"bool": {"filter": list(clauses), "must_not": list(none)}}


def _any(*clauses: Document) -> Document:
    return {"bool": {"should": list(clauses), "minimum_should_match": 1}}


def worker_counts(p: Period) -> dict[str, Document]:
    """Named filters over jobseekers."""
    # A lapse (jobmatch.records.lifecycle) removes a person from the months it covers whole, even if reactivated.
    active = _all(p.by_end("registered_at"), none=(p.before_start("closed_at"), p.before_start("placed_at"),
                                                   p.covers("inactive_periods")))
    unemployed_at_end = {"bool": {"should": [
        {"term": {"employment_status": "unemployed"}},
        {"bool": {"filter": [{"term": {"employment_status": "placed"}},
                             {"term": {"status_before_placement": "unemployed"}}]}}], "minimum_should_match": 1}}
    unemployed = _all(p.by_end("registered_at"), unemployed_at_end,
                      none=(p.by_end("closed_at"), p.by_end("placed_at"),
                            p.covers("inactive_periods", whole=False)))
    pwd_base = _all(p.by_end("registered_at"), {"term": {"has_disability": True}},
                    none=(p.before_start("closed_at"), p.covers("inactive_periods")))
    return {
        "new_jobseekers": p.within("registered_at"),
        "active_jobseekers": active,
        "registered_unemployed": unemployed,
        "registered_unemployed_urban": _all(unemployed, {"term": {"residence.urban": True}}),
        "active_trained": _all(active, _any({"terms": {"training_level": list(TRAINED_LEVELS)}},
                                            {"terms": {"certificates.level": list(TRAINED_LEVELS)}})),
        "active_trained_any": _all(active, _any({"terms": {"training_level": list(TRAINED_LEVELS)}},
                                                {"exists": {"field": "certificates.name"}})),
        "pwd_registered": _all(active, {"term": {"has_disability": True}}),
        "pwd_base": pwd_base,
        "pwd_employed": _all(pwd_base, p.by_end("placed_at")),
    }


def job_counts(p: Period) -> dict[str, Document]:
    """Named filters over vacancies (drafts never count)."""
    draft = {"term": {"status": "draft"}}
    return {
        "new_vacancies": _all(p.within("posted_at"), none=(draft,)),
        "open_vacancies": _all(p.by_end("posted_at"), none=(draft, p.before_start("closed_at"),
                                                           p.before_start("expires_at"), p.covers("closed_periods"))),
    }


def placement_counts(p: Period) -> dict[str, Document]:
    """Named filters over placements."""
    hired = p.within("hired_at")
    return {
        "referrals": p.within("referred_at"),
        "placements": hired,
        # `worker.trained` (level or certificate) since placements v2; older ones carry the level only.
        "placements_trained": _all(hired, _any({"term": {"worker.trained": True}}, _all(
            {"terms": {"worker.training_level": list(TRAINED_LEVELS)}},
            none=({"exists": {"field": "worker.trained"}},)))),
        "pwd_placements": _all(hired, {"term": {"worker.has_disability": True}}),
        "vacancies_filled": _all(hired, {"term": {"filled_vacancy": True}}),
        "placements_insured": _all(hired, {"term": {"job.social_insurance": True}}),
        "placements_insurance_known": _all(hired, {"exists": {"field": "job.social_insurance"}}),
    }


JOB_COUNTS = ("new_vacancies", "open_vacancies", "new_openings", "open_openings")
BY_VACANCY = ("placements_by_vacancy", "vacancies_filled", "days_to_fill")  # grouped by the vacancy's attribute
DAY_COUNTS = ("days_to_placement", "days_to_fill")
# Groups every table shows, even when nobody is in one (0, not missing); other dimensions show what occurs.
KNOWN_GROUPS: dict[str, tuple[str, ...]] = {
    "training_level": TRAINING_LEVELS, "gender": GENDERS, "urban_rural": ("urban", "rural"),
    "age_band": tuple(key for key, _, _ in AGE_BANDS)}


def complete_groups(dimension: str, grouped: dict[str, dict[str, Any]],
                    names: dict[str, Sequence[str]]) -> dict[str, dict[str, Any]]:
    """Return the groups with every count their dimension applies to: 0 where a group has nobody (a group seen
    in one index only, or a known value nobody has), missing (null) where the dimension does not apply to the
    count's index (vacancies by gender). Pure."""
    complete = {key: dict(counts) for key, counts in grouped.items()}
    for key in KNOWN_GROUPS.get(dimension, ()):
        complete.setdefault(key, {})
    for counts in complete.values():
        for index, counted in names.items():
            if DIMENSIONS[dimension][index] is None:
                continue
            for name in counted:
                counts.setdefault(name, {} if name in DAY_COUNTS else 0)
    return complete


def later_openings(p: Period) -> Document:
    """The `later` aggregation: openings added by reopenings after the period's last day. Open openings as they
    stood on the last day are the current openings minus these, so a reopening never changes a past month."""
    return {"later": {"nested": {"path": "reopenings"}, "aggs": {"after": {
        "filter": {"bool": {"must_not": [p.by_end("reopenings.at")]}},
        "aggs": {"added": {"sum": {"field": "reopenings.added"}}}}}}}


def _grouping(dimension: str, index: str, year: int) -> Document | None:
    field = DIMENSIONS[dimension][index]
    if field is None:
        return None
    if dimension == "age_band":
        ranges = [{"key": key, "from": year - high, "to": year - low + 1} if high is not None else
                  {"key": key, "to": year - low + 1} for key, low, high in AGE_BANDS]
        return {"range": {"field": field, "ranges": ranges}}
    terms: Document = {"field": field, "size": MAX_GROUPS}
    if dimension == "occupation_major" and index == "workers":
        terms["include"] = "[0-9]"  # the person's wanted/held groups at every level: keep the major groups
    if dimension != "urban_rural":
        terms["missing"] = "unknown"
    return {"terms": terms}


def _read(bucket: Document, filters: dict[str, Document], values: dict[str, str]) -> dict[str, Any]:
    counts: dict[str, Any] = {name: bucket[name]["doc_count"] for name in filters}
    for name, source in values.items():
        counts[name] = {b["key"]: b["doc_count"] for b in bucket[source][name]["buckets"]}
    return counts


def _key(bucket: Document) -> str:
    key = bucket.get("key_as_string", bucket["key"])
    return {"true": "urban", "false": "rural", "1": "urban", "0": "rural"}.get(str(key), str(key))


def published(total: dict[str, Any], grouped: dict[str, dict[str, Any]], *, labour_force: dict[str, Any],
              group_by: str | None, min_cell_size: int) -> Document:
    """Return the indicators of the province and of each group from their raw counts, as they may be published:
    {"total", "total_suppressed", "groups": [{"key", "values", "suppressed"}], "disclosure"}. Pure."""
    k = min_cell_size
    # The province total is hidden only where it is small itself; groups also get complementary cells, for the
    # counts whose total is shown.
    total_counts = disclosure.with_complements(total)
    hidden_total = disclosure.small_cells(total_counts, k)
    total_values, total_suppressed = disclosure.hide(derive(total, labour_force), hidden_total)
    hidden = disclosure.suppress_groups({key: disclosure.with_complements(c) for key, c in grouped.items()}, k,
                                        shown_totals=set(total_counts) - hidden_total)
    # Placements grouped by the vacancy (occupation, industry) are not the people counted as active jobseekers.
    by_person = group_by is None or str(DIMENSIONS[group_by]["placements"]).startswith("worker.")
    groups = []
    for key, counts in sorted(grouped.items()):
        area = key if group_by == "urban_rural" else "none"
        derived = derive(counts, labour_force, area)
        if not by_person:
            derived["placement_rate"] = None
        values, suppressed = disclosure.hide(derived, hidden[key])
        groups.append({"key": key, "values": values, "suppressed": suppressed})
    return {"total": total_values, "total_suppressed": total_suppressed, "groups": groups,
            "disclosure": disclosure.describe(k)}


class MetricsService:
    """Computes the indicators for a period."""

    def __init__(self, *, es: Any, prefix: str, tz: str, labour_force: dict[str, Any],
                 min_cell_size: int = disclosure.DEFAULT_MIN_CELL_SIZE) -> None:
        self.es = es
        self.prefix = prefix
        self.tz = tz
        self.labour_force = labour_force
        self.min_cell_size = min_cell_size

    def _search(self, index: str, filters: dict[str, Document], group: Document | None, *,
                values: dict[str, str] | None = None, extra: Document | None = None) -> Counted:
        aggs: Document = {name: {"filter": query} for name, query in filters.items()}
        aggs.update(extra or {})
        body: Document = dict(aggs)
        if group is not None:
            body["groups"] = {**group, "aggs": aggs}
        response = self.es.search(index=alias_name(self.prefix, index), size=0, aggs=body,
                                  track_total_hits=False)["aggregations"]
        total = _read(response, filters, values or {})
        groups = {}
        if group is not None:
            for bucket in response["groups"]["buckets"]:
                groups[_key(bucket)] = _read(bucket, filters, values or {})
        return total, groups

    def compute(self, first: date, last: date, group_by: str | None = None) -> Document:
        """Return {"total": indicators, "total_suppressed", "groups": [{"key", "values", "suppressed"}],
        "disclosure"} for the period, small counts hidden (null, their keys under `suppressed`)."""
        period = Period(first, last, self.tz)
        year = last.year
        results: list[Counted] = []
        workers = worker_counts(period)
        results.append(self._search("workers", workers, _grouping(group_by, "workers", year) if group_by else None))
        jobs = job_counts(period)
        results.append(self._jobs(jobs, group_by, year, period))
        placements = placement_counts(period)
        results.append(self._placements(placements, group_by, year))
        if group_by:
            # Fills and hires into vacancies are counted by the vacancy's group, not the person's.
            for counts in results[-1][1].values():
                for name in BY_VACANCY:
                    counts.pop(name, None)
            by_vacancy = _grouping(group_by, "placements_by_vacancy", year)
            if by_vacancy is not None:
                hired = self._search("placements", {"placements_by_vacancy": placements["placements"],
                                                    "vacancies_filled": placements["vacancies_filled"]}, by_vacancy,
                                     values={"days_to_fill": "days_to_fill"},
                                     extra={"days_to_fill": self._day_counts(placements)["days_to_fill"]})[1]
                # Its groups add up to the province's placements: the total makes complementary cells apply.
                results.append(({"placements_by_vacancy": results[-1][0]["placements"]}, hired))
        total: dict[str, Any] = {}
        grouped: dict[str, dict[str, Any]] = {}
        for part_total, part_groups in results:
            total.update(part_total)
            for key, counts in part_groups.items():
                grouped.setdefault(key, {}).update(counts)
        if group_by:
            by_person = [name for name in [*placements, *DAY_COUNTS] if name not in BY_VACANCY]
            grouped = complete_groups(group_by, grouped, {"workers": list(workers), "jobs": JOB_COUNTS,
                                                          "placements": by_person,
                                                          "placements_by_vacancy": BY_VACANCY})
        return {"from": first.isoformat(), "to": last.isoformat(), "group_by": group_by,
                **published(total, grouped, labour_force=labour_force_for(self.labour_force, year),
                            group_by=group_by, min_cell_size=self.min_cell_size)}

    def _jobs(self, filters: dict[str, Document], group_by: str | None,
              year: int, period: Period) -> Counted:
        # Openings are summed inside the vacancy filter they belong to (new_vacancies -> new_openings).
        nested = {name: {"filter": query, "aggs": {name.replace("vacancies", "openings"): {
            "sum": {"field": "openings"}}}} for name, query in filters.items()}
        # New openings are dated: a posting's own (`posted_openings` once reopened, else `openings`) in its posting
        # month, a reopening's added ones in the reopening's month, so a past month never changes after the fact.
        nested["new_vacancies"]["aggs"] = {
            "posted": {"sum": {"field": "posted_openings"}},
            "never_reopened": {"filter": {"bool": {"must_not": {"exists": {"field": "posted_openings"}}}},
                               "aggs": {"openings": {"sum": {"field": "openings"}}}}}
        nested["reopenings"] = {"nested": {"path": "reopenings"}, "aggs": {"in_period": {
            "filter": period.within("reopenings.at"), "aggs": {"added": {"sum": {"field": "reopenings.added"}}}}}}
        nested["open_vacancies"]["aggs"].update(later_openings(period))
        group = _grouping(group_by, "jobs", year) if group_by else None
        body: Document = dict(nested)
        if group is not None:
            body["groups"] = {**group, "aggs": nested}
        response = self.es.search(index=alias_name(self.prefix, "jobs"), size=0, aggs=body,
                                  track_total_hits=False)["aggregations"]

        def read(bucket: Document) -> dict[str, Any]:
            return {"new_vacancies": bucket["new_vacancies"]["doc_count"],
                    "open_vacancies": bucket["open_vacancies"]["doc_count"],
                    "new_openings": int(bucket["new_vacancies"]["posted"]["value"]
                                        + bucket["new_vacancies"]["never_reopened"]["openings"]["value"]
                                        + bucket["reopenings"]["in_period"]["added"]["value"]),
                    "open_openings": int(bucket["open_vacancies"]["open_openings"]["value"]
                                         - bucket["open_vacancies"]["later"]["after"]["added"]["value"])}
        groups = {_key(b): read(b) for b in response["groups"]["buckets"]} if group is not None else {}
        return read(response), groups

    @staticmethod
    def _day_counts(filters: dict[str, Document]) -> Document:
        # Days counted per value, so that medians are exact (compute.median_from_counts).
        return {"days_to_placement": {"filter": filters["placements"], "aggs": {"days_to_placement": {
                    "terms": {"field": "days_to_placement", "size": 10_000}}}},
                "days_to_fill": {"filter": filters["vacancies_filled"], "aggs": {"days_to_fill": {
                    "terms": {"field": "days_to_fill", "size": 10_000}}}}}

    def _placements(self, filters: dict[str, Document], group_by: str | None,
                    year: int) -> Counted:
        return self._search("placements", filters, _grouping(group_by, "placements", year) if group_by else None,
                            values={"days_to_placement": "days_to_placement", "days_to_fill": "days_to_fill"},
                            extra=self._day_counts(filters))


class DemandSupply:
    """What the labour market asks for against what the registers offer, by occupation and by skill."""

    def __init__(self, *, es: Any, prefix: str, tz: str) -> None:
        self.es = es
        self.prefix = prefix
        self.tz = tz

    def by_occupation(self, first: date, last: date, size: int = 200) -> list[Document]:
        """Return, per ISCO-08 unit group, open openings (demand) and active jobseekers wanting it (supply)."""
        period = Period(first, last, self.tz)
        jobs = self.es.search(index=alias_name(self.prefix, "jobs"), size=0, track_total_hits=False,
                              query=job_counts(period)["open_vacancies"],
                              aggs={"occ": {"terms": {"field": "occupation_code", "size": size},
                                            "aggs": {"openings": {"sum": {"field": "openings"}},
                                                     **later_openings(period)}}})
        workers = self.es.search(index=alias_name(self.prefix, "workers"), size=0, track_total_hits=False,
                                 query=worker_counts(period)["active_jobseekers"],
                                 aggs={"occ": {"terms": {"field": "desired_occupations", "size": size}}})
        rows: dict[str, Document] = {}
        for bucket in jobs["aggregations"]["occ"]["buckets"]:
            rows.setdefault(bucket["key"], {"demand": 0, "supply": 0})["demand"] = int(
                bucket["openings"]["value"] - bucket["later"]["after"]["added"]["value"])
        for bucket in workers["aggregations"]["occ"]["buckets"]:
            rows.setdefault(bucket["key"], {"demand": 0, "supply": 0})["supply"] = bucket["doc_count"]
        return [{"occupation_code": code, **values} for code, values in sorted(rows.items())]

    def top_skills(self, first: date, last: date, size: int = 15) -> list[Document]:
        """Return the essential skills most often asked for by the vacancies open in the period."""
        response = self.es.search(index=alias_name(self.prefix, "jobs"), size=0, track_total_hits=False,
                                  query=job_counts(Period(first, last, self.tz))["open_vacancies"],
                                  aggs={"skills": {"terms": {"field": "essential_skills", "size": size}}})
        return [{"skill": b["key"], "vacancies": b["doc_count"]} for b in response["aggregations"]["skills"]["buckets"]]

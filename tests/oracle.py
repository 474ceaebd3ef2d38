"""A second computation of the labour-market indicators, from the raw register records, in pandas.

Written from the indicator definitions only (`jobmatch.metrics.definitions`, the README), never from
`jobmatch/metrics/service.py`, `compute.py` or `disclosure.py`: the integration test
`tests/integration/test_metrics_oracle.py` compares the two. Dates are calendar days in the local time zone;
stored date-times (with an offset, or UTC) are converted to the local date before any comparison. Ranges
(`inactive_periods`, `closed_periods`) are calendar-day ranges {gte, lt}, `lt` exclusive and optional (open).

Read as: `open_openings` as of the period's last day (posted openings plus the `added` of every reopening dated
on or before it); `closed_periods` of reopened vacancies; `placements_insured` / `insured_share_placements` from
the placement's `job.social_insurance` snapshot. By group, a count follows the population it counts (people by
the person, vacancies, openings and fills by the vacancy), None where the dimension does not apply to it.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from typing import Any

import pandas as pd
from elasticsearch import Elasticsearch, helpers

from config.labour_market import labour_force_for

TRAINED = frozenset({"so_cap", "trung_cap", "cao_dang", "dai_hoc", "sau_dai_hoc"})  # sơ cấp or higher (GSO)
Period = tuple[date, date]
Range = tuple[date | None, date | None]

# Which population each count counts: the index whose attribute groups it.
COUNT_POPULATION: dict[str, str] = {
    "new_jobseekers": "workers", "active_jobseekers": "workers", "registered_unemployed": "workers",
    "pwd_registered": "workers",
    "new_vacancies": "jobs", "new_openings": "jobs", "open_vacancies": "jobs", "open_openings": "jobs",
    "vacancies_filled": "jobs",
    "referrals": "people", "placements": "people", "pwd_placements": "people", "placements_insured": "people",
}
# How a group reads each population (None: the dimension does not apply to it).
GROUP_FIELDS: dict[str, dict[str, str | None]] = {
    "commune": {"workers": "commune", "jobs": "commune", "people": "worker_commune", "vacancy": "job_commune"},
    "gender": {"workers": "gender", "jobs": None, "people": "worker_gender", "vacancy": None},
    "training_level": {"workers": "training_level", "jobs": "min_training_level",
                       "people": "worker_training_level", "vacancy": "job_min_training_level"},
}


# --- reading the records -------------------------------------------------------------------------------------
def local_day(value: Any, tz: tzinfo) -> date | None:
    """Return the local calendar day of a stored date ("YYYY-MM-DD", already local) or date-time (with an offset;
    a naive one is UTC); None when missing."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value
    else:
        text = str(value)
        if "T" not in text and " " not in text.strip():
            return date.fromisoformat(text[:10])
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(tz).date()


def instant(value: str) -> datetime:
    """Return a stored date-time as an aware UTC datetime (naive: UTC), to order the events of one vacancy."""
    moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def ranges(values: Iterable[Mapping[str, Any]] | None, tz: tzinfo) -> list[Range]:
    """Return date ranges {gte, lt} as (first day, first day after) pairs of local days."""
    return [(local_day(r.get("gte"), tz), local_day(r.get("lt"), tz)) for r in values or []]


def covers_whole(periods: list[Range], first: date, last: date) -> bool:
    """Tell whether one of the ranges covers every day of [first, last]."""
    return any((gte is None or gte <= first) and (lt is None or lt > last) for gte, lt in periods)


def covers_day(periods: list[Range], day: date) -> bool:
    """Tell whether one of the ranges contains `day`."""
    return any((gte is None or gte <= day) and (lt is None or day < lt) for gte, lt in periods)


def scan(es: Elasticsearch, index: str) -> list[dict[str, Any]]:
    """Return every document of `index` (match_all, without the embedding vector)."""
    return [h["_source"] | {"_id": h["_id"]} for h in helpers.scan(
        es, index=index, query={"query": {"match_all": {}}, "_source": {"excludes": ["embedding"]}})]


def _ts(day: date | None) -> pd.Timestamp:
    return pd.Timestamp(day) if day is not None else pd.NaT


def worker_rows(docs: list[dict[str, Any]], tz: tzinfo) -> pd.DataFrame:
    """One row per jobseeker with the local days and attributes the definitions use."""
    rows = []
    for doc in docs:
        residence = doc.get("residence") or {}
        certificates = doc.get("certificates") or []
        level = doc.get("training_level")
        registered_as = doc.get("status_before_placement") if doc.get("employment_status") == "placed" \
            else doc.get("employment_status")
        rows.append({
            "worker_id": doc.get("worker_id") or doc["_id"],
            "registered": _ts(local_day(doc.get("registered_at"), tz)),
            "closed": _ts(local_day(doc.get("closed_at"), tz)),
            "placed": _ts(local_day(doc.get("placed_at"), tz)),
            "inactive": ranges(doc.get("inactive_periods"), tz),
            "registered_as": registered_as,
            "training_level": level,
            "trained": level in TRAINED or any(c.get("level") in TRAINED for c in certificates),
            "trained_any": (level not in (None, "none")) or bool(certificates),
            "disability": bool(doc.get("has_disability")),
            "disability_consented": bool((doc.get("consent") or {}).get("store_disability")),
            "urban": residence.get("urban"),
            "commune": residence.get("commune_code"),
            "gender": doc.get("gender"),
        })
    return pd.DataFrame(rows)


def job_rows(docs: list[dict[str, Any]], tz: tzinfo) -> pd.DataFrame:
    """One row per vacancy: posting, closing and expiry days, openings at posting and their dated changes."""
    rows = []
    for doc in docs:
        posted = local_day(doc.get("posted_at"), tz) if doc.get("status") != "draft" else None
        rows.append({
            "job_id": doc.get("job_id") or doc["_id"],
            "posted": _ts(posted),
            "closed": _ts(local_day(doc.get("closed_at"), tz)),
            "expires": _ts(local_day(doc.get("expires_at"), tz)),
            "closed_periods": ranges(doc.get("closed_periods"), tz),
            "posted_openings": int(doc.get("posted_openings") or doc.get("openings") or 1),
            # (local day, openings added, instant, openings after) of each reopening, in time order
            "reopenings": sorted(((local_day(r["at"], tz), int(r.get("added") or 0), instant(r["at"]),
                                   r.get("openings")) for r in doc.get("reopenings") or [] if r.get("at")),
                                 key=lambda r: r[2]),
            "commune": (doc.get("workplace") or {}).get("commune_code"),
            "min_training_level": doc.get("min_training_level"),
        })
    return pd.DataFrame(rows)


def placement_rows(docs: list[dict[str, Any]], workers: pd.DataFrame, tz: tzinfo) -> pd.DataFrame:
    """One row per referral: referral and hire days, the person's and the vacancy's snapshot attributes."""
    registered = dict(zip(workers["worker_id"], workers["registered"], strict=True))
    # Trained when referred: the person's level or a recorded certificate's (the demo's people do not change after
    # referral, so their record is their state then).
    trained = dict(zip(workers["worker_id"], workers["trained"], strict=True))
    rows = []
    for doc in docs:
        person, job = doc.get("worker") or {}, doc.get("job") or {}
        hired = doc.get("hired_at") if doc.get("status") == "hired" else None
        reg = registered.get(doc.get("worker_id"))
        if reg is None or pd.isna(reg):
            reg = _ts(local_day(person.get("registered_at"), tz))
        rows.append({
            "placement_id": doc.get("placement_id") or doc["_id"],
            "job_id": doc.get("job_id"), "worker_id": doc.get("worker_id"),
            "referred": _ts(local_day(doc.get("referred_at"), tz)),
            "hired": _ts(local_day(hired, tz)),
            "hired_instant": instant(hired) if hired else None,
            "worker_registered": reg,
            "worker_commune": person.get("commune_code"), "worker_gender": person.get("gender"),
            "worker_training_level": person.get("training_level"),
            "worker_trained": bool(trained.get(doc.get("worker_id"), person.get("training_level") in TRAINED)),
            "worker_disability": bool(person.get("has_disability")),
            "job_commune": job.get("commune_code"),
            "job_min_training_level": job.get("training_level"),  # the vacancy's min_training_level
            "job_social_insurance": job.get("social_insurance"),
            # what the writer stored (diagnostics only: never used by the indicators above)
            "stored_filled_vacancy": bool(doc.get("filled_vacancy")),
            "stored_days_to_fill": doc.get("days_to_fill"),
        })
    return pd.DataFrame(rows)


# --- fills ---------------------------------------------------------------------------------------------------
def fill_events(jobs: pd.DataFrame, placements: pd.DataFrame) -> pd.DataFrame:
    """Return one row per hire that took a vacancy's last opening (job_id, placement_id, fill day, posting day).

    Replays each vacancy's hires in time order (equal times by placement id) with its openings: the posted
    openings, raised by each reopening at its time (a reopening at the same instant as a hire comes first).
    The hire that brings the hires up to the openings fills it; after a reopening adds openings, the hire
    taking the new last opening fills it again.
    """
    hires = placements[placements["hired_instant"].notna()]
    by_job = {job_id: group for job_id, group in hires.groupby("job_id")}
    rows = []
    for job in jobs.itertuples():
        group = by_job.get(job.job_id)
        if group is None:
            continue
        timeline = [(at, 0, "", added) for _, added, at, _ in job.reopenings]
        timeline += [(h.hired_instant, 1, h.placement_id, h.hired) for h in group.itertuples()]
        timeline.sort(key=lambda item: item[:3])
        openings, hired, filled = job.posted_openings, 0, False
        for _, kind, pid, value in timeline:
            if kind == 0:
                openings += value
            else:
                hired += 1
                if hired >= openings and not filled:
                    rows.append({"job_id": job.job_id, "placement_id": pid, "day": value, "posted": job.posted})
            filled = hired >= openings
    frame = pd.DataFrame(rows, columns=["job_id", "placement_id", "day", "posted"])
    return frame.astype({"day": "datetime64[ns]", "posted": "datetime64[ns]"})


# --- the indicators ------------------------------------------------------------------------------------------
def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def _median(values: Iterable[Any]) -> float | None:
    values = [v for v in values if v is not None and not pd.isna(v)]
    return float(statistics.median(values)) if values else None


def _in(days: pd.Series, first: date, last: date) -> pd.Series:
    return (days >= pd.Timestamp(first)) & (days <= pd.Timestamp(last))


@dataclass
class Oracle:
    """The registers as DataFrames and the indicators computed from them."""

    workers: pd.DataFrame
    jobs: pd.DataFrame
    placements: pd.DataFrame
    fills: pd.DataFrame
    labour_force: Mapping[str, Any]

    @classmethod
    def load(cls, es: Elasticsearch, prefix: str, tz: tzinfo, labour_force: Mapping[str, Any]) -> Oracle:
        """Read `{prefix}workers`, `{prefix}jobs` and `{prefix}placements` in full into DataFrames."""
        workers = worker_rows(scan(es, f"{prefix}workers"), tz)
        jobs = job_rows(scan(es, f"{prefix}jobs"), tz)
        placements = placement_rows(scan(es, f"{prefix}placements"), workers, tz)
        return cls(workers, jobs, placements, fill_events(jobs, placements), labour_force)

    # masks of one period ---------------------------------------------------------------------------------------
    def active(self, first: date, last: date) -> pd.Series:
        """Active registered jobseekers: registered by the last day, neither closed nor placed before the first,
        not lapsed for the whole period."""
        w = self.workers
        lapsed = w["inactive"].map(lambda p: covers_whole(p, first, last)).astype(bool)
        return ((w["registered"] <= pd.Timestamp(last)) & ~(w["closed"] < pd.Timestamp(first))
                & ~(w["placed"] < pd.Timestamp(first)) & ~lapsed)

    def unemployed(self, last: date) -> pd.Series:
        """Registered unemployed at the last day: registered, not closed, placed or lapsed on it, registered as
        unemployed."""
        w, day = self.workers, pd.Timestamp(last)
        lapsed = w["inactive"].map(lambda p: covers_day(p, last)).astype(bool)
        return ((w["registered"] <= day) & ~(w["closed"] <= day) & ~(w["placed"] <= day) & ~lapsed
                & (w["registered_as"] == "unemployed"))

    def pwd_base(self, first: date, last: date) -> pd.Series:
        """People with a recorded disability registered by the last day, not closed before the first day nor
        lapsed for the whole period (placed people included)."""
        w = self.workers
        lapsed = w["inactive"].map(lambda p: covers_whole(p, first, last)).astype(bool)
        return w["disability"] & (w["registered"] <= pd.Timestamp(last)) & ~(w["closed"] < pd.Timestamp(first)) \
            & ~lapsed

    def open_jobs(self, first: date, last: date) -> pd.Series:
        """Open vacancies: posted by the last day, neither closed nor expired before the first day, and not
        inside a closed gap (closed_periods) for the whole period."""
        j = self.jobs
        gap = j["closed_periods"].map(lambda p: covers_whole(p, first, last)).astype(bool)
        return ((j["posted"] <= pd.Timestamp(last)) & ~(j["closed"] < pd.Timestamp(first))
                & ~(j["expires"] < pd.Timestamp(first)) & ~gap)

    def openings_at(self, day: date) -> pd.Series:
        """Each vacancy's openings on `day`: posted openings plus those added by reopenings on or before it."""
        return self.jobs["posted_openings"] + self.jobs["reopenings"].map(
            lambda items: sum(added for at, added, _, _ in items if at <= day))

    def added_in(self, first: date, last: date) -> pd.Series:
        """Openings each vacancy gained by reopenings dated in the period."""
        return self.jobs["reopenings"].map(lambda items: sum(added for at, added, _, _ in items
                                                             if first <= at <= last))

    # the indicators ---------------------------------------------------------------------------------------------
    def counts(self, first: date, last: date) -> dict[str, dict[str, Any]]:
        """Return, per count, the population it counts (`frame`: the rows, `weight`: what each row adds)."""
        w, j, p, f = self.workers, self.jobs, self.placements, self.fills
        active = self.active(first, last)
        posted = _in(j["posted"], first, last)
        open_now = self.open_jobs(first, last)
        hired = _in(p["hired"], first, last)
        filled = _in(f["day"], first, last)
        openings_new = j["posted_openings"].where(posted, 0) + self.added_in(first, last)
        return {
            "new_jobseekers": {"frame": w[_in(w["registered"], first, last)]},
            "active_jobseekers": {"frame": w[active]},
            "registered_unemployed": {"frame": w[self.unemployed(last)]},
            "pwd_registered": {"frame": w[active & w["disability"] & w["disability_consented"]]},
            "new_vacancies": {"frame": j[posted]},
            "new_openings": {"frame": j[openings_new > 0], "weight": openings_new[openings_new > 0]},
            "open_vacancies": {"frame": j[open_now]},
            "open_openings": {"frame": j[open_now], "weight": self.openings_at(last)[open_now]},
            "vacancies_filled": {"frame": j.set_index("job_id").loc[f.loc[filled, "job_id"]].reset_index()},
            "referrals": {"frame": p[_in(p["referred"], first, last)]},
            "placements": {"frame": p[hired]},
            "pwd_placements": {"frame": p[hired & p["worker_disability"]]},
            "placements_insured": {"frame": p[hired & (p["job_social_insurance"] == True)]},  # noqa: E712
        }

    def total(self, first: date, last: date) -> dict[str, Any]:
        """Return every indicator of the period [first, last] for the whole province."""
        w, p, f = self.workers, self.placements, self.fills
        counts = {key: int(spec["weight"].sum()) if "weight" in spec else len(spec["frame"])
                  for key, spec in self.counts(first, last).items()}
        active = self.active(first, last)
        hired = _in(p["hired"], first, last)
        filled = _in(f["day"], first, last)
        unemployed = self.unemployed(last)
        base = self.pwd_base(first, last)
        force = labour_force_for(self.labour_force, last.year)
        insured_known = p.loc[hired, "job_social_insurance"].notna().sum()
        hires = p[hired]
        return {
            **counts,
            "placement_rate": _ratio(counts["placements"], counts["active_jobseekers"]),
            "referral_success_rate": _ratio(counts["placements"], counts["referrals"]),
            "vacancy_fill_rate": _ratio(counts["placements"], counts["open_openings"]),
            "median_days_to_placement": _median((hires["hired"] - hires["worker_registered"]).dt.days),
            "median_days_to_fill": _median((f.loc[filled, "day"] - f.loc[filled, "posted"]).dt.days),
            "trained_share_jobseekers": _ratio(int((active & w["trained"]).sum()), counts["active_jobseekers"]),
            "trained_any_share_jobseekers": _ratio(int((active & w["trained_any"]).sum()),
                                                   counts["active_jobseekers"]),
            "trained_share_placements": _ratio(int(hires["worker_trained"].sum()), counts["placements"]),
            "pwd_employment_rate": _ratio(int((base & (w["placed"] <= pd.Timestamp(last))).sum()), int(base.sum())),
            "registered_unemployment_rate": _ratio(counts["registered_unemployed"], force.get("total")),
            "registered_unemployment_rate_urban": _ratio(int((unemployed & (w["urban"] == True)).sum()),  # noqa: E712
                                                         force.get("urban")),
            "insured_share_placements": _ratio(counts["placements_insured"], int(insured_known)),
        }

    def stored_fills(self, first: date, last: date) -> dict[str, Any]:
        """Diagnostics: vacancies_filled and median_days_to_fill as the placements' stored `filled_vacancy` and
        `days_to_fill` give them (what a reader of those flags gets), to tell a wrong flag from a wrong query."""
        p = self.placements
        flagged = p[_in(p["hired"], first, last) & p["stored_filled_vacancy"]]
        return {"vacancies_filled": len(flagged), "median_days_to_fill": _median(flagged["stored_days_to_fill"])}

    def stored_fills_by(self, first: date, last: date, column: str) -> dict[str, int]:
        """Diagnostics: the stored-flag fills of the period counted per value of a placement column."""
        p = self.placements
        flagged = p[_in(p["hired"], first, last) & p["stored_filled_vacancy"]]
        return {str(k): int(v) for k, v in flagged.groupby(flagged[column].astype("string")).size().items()}

    def groups(self, first: date, last: date, dimension: str) -> dict[str, dict[str, Any]]:
        """Return per group of `dimension` every count (None where the dimension does not apply to the counted
        population, 0 where it applies but the group has nobody) and `vacancy_fill_rate` (placements into the
        group's vacancies ÷ its open openings; None where the dimension does not apply to vacancies)."""
        fields = GROUP_FIELDS[dimension]
        specs = self.counts(first, last)
        per_count: dict[str, pd.Series | None] = {}
        for key, spec in specs.items():
            column = fields[COUNT_POPULATION[key]]
            if column is None:
                per_count[key] = None
                continue
            frame = spec["frame"]
            weight = spec.get("weight", pd.Series(1, index=frame.index))
            per_count[key] = weight.groupby(frame[column].astype("string")).sum()
        hired = _in(self.placements["hired"], first, last)
        vacancy_column = fields["vacancy"]
        into = None if vacancy_column is None else \
            self.placements[hired].groupby(self.placements.loc[hired, vacancy_column].astype("string")).size()
        keys: set[str] = set()
        for series in [*per_count.values(), into]:
            if series is not None:
                keys |= {str(k) for k in series.index}
        result: dict[str, dict[str, Any]] = {}
        for group in sorted(keys):
            values = {key: None if series is None else int(series.get(group, 0))
                      for key, series in per_count.items()}
            values["vacancy_fill_rate"] = None if into is None else _ratio(int(into.get(group, 0)),
                                                                           values["open_openings"])
            result[group] = values
        return result


def month_bounds(month: str) -> Period:
    """Return the first and last day of "YYYY-MM"."""
    first = date.fromisoformat(f"{month}-01")
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def months_between(first: str, last: str) -> list[str]:
    """Return every "YYYY-MM" from `first` to `last`, both included."""
    year, month = map(int, first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def same(expected: Any, actual: Any, tolerance: float = 1e-9) -> bool:
    """Tell whether two indicator values agree: both None, equal integers, or floats within `tolerance`."""
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, int) and isinstance(actual, int) and not isinstance(expected, bool):
        return expected == actual
    return abs(float(expected) - float(actual)) <= tolerance


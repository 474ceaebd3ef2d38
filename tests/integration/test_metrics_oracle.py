"""Every labour-market indicator of every demo month, computed twice: by the service (Elasticsearch
aggregations) and by an independent pandas oracle over the raw records (tests/oracle.py), written from the
indicator definitions only. Counts must be equal, rates, shares and medians equal within 1e-9, and both None
where there is nothing to compute.

The demo is the session's shared load (tests/integration/conftest.py): registers, referral history, the
register lifecycle as of 2026-11-01, and a few back-dated edits the demo lacks (vacancies reopened after a closed
gap, openings raised, jobseekers reactivated). Run with `-s` to see the comparison tables; a difference in
vacancies_filled or median_days_to_fill is annotated when the service's value is what the placements' stored
`filled_vacancy` / `days_to_fill` flags give (a wrong flag, not a wrong query).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from elasticsearch import helpers

from config.labour_market import load_labour_force
from jobmatch import demo
from jobmatch.metrics.definitions import INDICATORS
from jobmatch.metrics.service import DemandSupply, MetricsService
from jobmatch.reports.build import ReportBuilder
from tests.integration.conftest import DEMO_TODAY
from tests.oracle import COUNT_POPULATION, GROUP_FIELDS, Oracle, month_bounds, months_between, same

TZ = "Asia/Ho_Chi_Minh"
LAST_MONTH = "2026-10"
MONTHS = months_between(min("2025-06", demo.first_month(DEMO_TODAY)), LAST_MONTH)
UNITS = {i.key: i.unit for i in INDICATORS}
# The labour force as the app holds it (config/labour_market.py, no LABOUR_FORCE override): the service and the
# report pick each period's year from it (labour_force_for), and so does the oracle.
LABOUR_FORCE = load_labour_force({})


@pytest.fixture(scope="module")
def oracle(es, demo_prefix, demo_written) -> Oracle:
    return Oracle.load(es, demo_prefix, ZoneInfo(TZ), LABOUR_FORCE)


@pytest.fixture(scope="module")
def service(es, demo_prefix, demo_written) -> MetricsService:
    return MetricsService(es=es, prefix=demo_prefix, tz=TZ, labour_force=LABOUR_FORCE, min_cell_size=1)


def agree(key: str, expected: Any, actual: Any) -> bool:
    """Counts: equal integers (or both None); everything else within 1e-9 (or both None)."""
    if UNITS.get(key, "count") == "count" and expected is not None:
        return isinstance(actual, int) and not isinstance(actual, bool) and actual == expected
    return same(expected, actual)


def table(compared: Counter, equal: Counter, title: str) -> str:
    """Return a short text table: per indicator, how many months were compared and how many agreed."""
    lines = [title, f"{'indicator':<36} {'compared':>8} {'equal':>6}"]
    lines += [f"{key:<36} {compared[key]:>8} {equal[key]:>6}" for key in compared]
    lines.append(f"{'all':<36} {sum(compared.values()):>8} {sum(equal.values()):>6}")
    return "\n".join(lines)


def test_the_oracle_computes_every_indicator(oracle):
    first, last = month_bounds(LAST_MONTH)
    computed = oracle.total(first, last)
    missing = [i.key for i in INDICATORS if i.key not in computed]
    assert not missing, f"indicators the oracle does not compute (add them to tests/oracle.py): {missing}"
    not_yet = sorted(set(computed) - {i.key for i in INDICATORS})
    if not_yet:
        print(f"\noracle computes indicators not (yet) in INDICATORS: {not_yet}")


def test_every_indicator_of_every_month_equals_the_oracle(oracle, service):
    compared, equal, differ = Counter(), Counter(), []
    for month in MONTHS:
        first, last = month_bounds(month)
        expected, actual = oracle.total(first, last), service.compute(first, last)["total"]
        for indicator in INDICATORS:
            key = indicator.key
            compared[key] += 1
            if agree(key, expected.get(key), actual.get(key)):
                equal[key] += 1
            else:
                differ.append((key, month, expected.get(key), actual.get(key)))
    print("\n" + table(compared, equal, f"service vs oracle, {MONTHS[0]}..{MONTHS[-1]}, min_cell_size=1"))
    for key, month, want, got in differ:
        stored = oracle.stored_fills(*month_bounds(month)).get(key, "-")
        note = "  (= the stored filled_vacancy/days_to_fill flags)" if agree(key, stored, got) else ""
        print(f"  differs: {key} {month} oracle={want!r} service={got!r}{note}")
    assert not differ, f"{len(differ)} of {sum(compared.values())} values differ (key, month, oracle, service): " \
                       f"{differ[:20]}"


def test_the_data_has_something_to_compare(oracle):
    # The comparison means little over empty months: most months have registrations, postings and referrals.
    busy = [m for m in MONTHS if (v := oracle.total(*month_bounds(m)))["new_jobseekers"]
            and v["new_vacancies"] and v["referrals"]]
    assert len(busy) >= len(MONTHS) - 2
    assert sum(oracle.total(*month_bounds(m))["placements"] for m in MONTHS) > 10


def test_the_edits_reach_the_compared_months(oracle):
    # tests/integration/conftest.py reopens vacancies (added openings, closed gaps) and reactivates jobseekers.
    jobs, workers = oracle.jobs, oracle.workers
    assert (jobs["reopenings"].map(len) > 0).sum() >= 5 and (jobs["closed_periods"].map(len) > 0).sum() >= 3
    assert (workers["inactive"].map(lambda periods: any(lt is not None for _, lt in periods))).sum() >= 3
    # ... and they change what is compared: months a reopened vacancy is out of (its gap), months a reactivated
    # person counts again, months whose open openings differ from the vacancies' openings today.
    no_gaps = Oracle(workers, jobs.assign(closed_periods=[[] for _ in range(len(jobs))]), oracle.placements,
                     oracle.fills, LABOUR_FORCE)
    never_back = Oracle(workers.assign(inactive=workers["inactive"].map(lambda p: [(gte, None) for gte, _ in p[:1]])),
                        jobs, oracle.placements, oracle.fills, LABOUR_FORCE)
    bounds = [month_bounds(m) for m in MONTHS]
    assert sum(int((no_gaps.open_jobs(*b) & ~oracle.open_jobs(*b)).sum()) for b in bounds) >= 2
    assert sum(int((oracle.active(*b) & ~never_back.active(*b)).sum()) for b in bounds) >= 3
    assert (oracle.openings_at(month_bounds(LAST_MONTH)[1]) != oracle.openings_at(DEMO_TODAY.replace(year=2027))).any()


def test_placement_snapshots_carry_the_vacancy_attributes(es, demo_prefix, demo_written):
    # Placements are filtered and grouped by the vacancy as it was at referral (`job` snapshot): social
    # insurance (placements_insured), training level and commune (vacancy_fill_rate by group). In the demo the
    # vacancies never change after posting, so each snapshot must equal its vacancy's record.
    jobs = {h["_id"]: h["_source"] for h in helpers.scan(es, index=f"{demo_prefix}jobs",
                                                         query={"_source": {"excludes": ["embedding"]}})}
    wrong = Counter()
    for hit in helpers.scan(es, index=f"{demo_prefix}placements"):
        snapshot, job = hit["_source"].get("job") or {}, jobs[hit["_source"]["job_id"]]
        for field, value in (("social_insurance", job.get("social_insurance")),
                             ("training_level", job.get("min_training_level")),
                             ("commune_code", (job.get("workplace") or {}).get("commune_code"))):
            if snapshot.get(field) != value:
                wrong[field] += 1
    assert not wrong, f"placements whose job snapshot differs from the vacancy, by field: {dict(wrong)}"


def test_urban_rate_with_a_configured_labour_force(es, demo_prefix, oracle):
    # LABOUR_FORCE set by hand (with an urban figure) applies to every period as given.
    config = load_labour_force({"LABOUR_FORCE": json.dumps({"total": 600_000, "urban": 150_000,
                                                            "rural": 450_000, "year": 2025, "source": "test"})})
    configured = Oracle(oracle.workers, oracle.jobs, oracle.placements, oracle.fills, config)
    service = MetricsService(es=es, prefix=demo_prefix, tz=TZ, labour_force=config, min_cell_size=1)
    differ = []
    for month in MONTHS:
        first, last = month_bounds(month)
        expected, actual = configured.total(first, last), service.compute(first, last)["total"]
        for key in ("registered_unemployment_rate", "registered_unemployment_rate_urban"):
            if not agree(key, expected[key], actual[key]):
                differ.append((key, month, expected[key], actual[key]))
    assert not differ
    assert any(configured.total(*month_bounds(m))["registered_unemployment_rate_urban"] for m in MONTHS)


@pytest.mark.parametrize("dimension", ["commune", "gender", "training_level"])
def test_group_counts_of_the_last_month_equal_the_oracle(oracle, service, dimension):
    first, last = month_bounds(LAST_MONTH)
    expected = oracle.groups(first, last, dimension)
    answer = service.compute(first, last, group_by=dimension)
    actual = {g["key"]: g["values"] for g in answer["groups"]}
    keys = [k for k in COUNT_POPULATION if k in UNITS] + ["vacancy_fill_rate"]

    def nobody(key: str) -> Any:  # an oracle group that does not appear: nobody in it
        if key == "vacancy_fill_rate":
            return None
        return None if GROUP_FIELDS[dimension][COUNT_POPULATION[key]] is None else 0

    # The oracle's groups add up to its total (every demo record has the attribute), where the dimension applies.
    total = oracle.total(first, last)
    for key in keys[:-1]:
        if GROUP_FIELDS[dimension][COUNT_POPULATION[key]] is not None:
            assert sum(g[key] for g in expected.values()) == total[key], (dimension, key)
    compared, equal, differ = Counter(), Counter(), []
    for group in sorted(set(expected) | set(actual)):
        for key in keys:
            want = expected[group][key] if group in expected else nobody(key)
            got = actual[group].get(key) if group in actual else "(no group)"
            compared[key] += 1
            # A group nobody is in may be left out by the service.
            if (agree(key, want, got) if got != "(no group)" else not want):
                equal[key] += 1
            else:
                differ.append((group, key, want, got))
    print("\n" + table(compared, equal, f"groups by {dimension}, {LAST_MONTH} (compared = groups)"))
    # Diagnostics: would the service's vacancies_filled be the stored fill flags counted by the person?
    by_person = oracle.stored_fills_by(first, last, GROUP_FIELDS[dimension]["people"])
    for group, key, want, got in differ[:40]:
        note = "  (= stored fill flags by the person's attribute)" \
            if key == "vacancies_filled" and got == by_person.get(group, 0) else ""
        print(f"  differs: group {group} {key} oracle={want!r} service={got!r}{note}")
    assert not differ, f"{len(differ)} group values differ (group, key, oracle, service): {differ[:20]}"


def test_the_published_report_shows_the_oracle_values(es, demo_prefix, oracle):
    metrics = MetricsService(es=es, prefix=demo_prefix, tz=TZ, labour_force=LABOUR_FORCE, min_cell_size=5)
    builder = ReportBuilder(metrics=metrics, demand=DemandSupply(es=es, prefix=demo_prefix, tz=TZ),
                            labour_force=LABOUR_FORCE, tz=TZ)
    report = builder.build(LAST_MONTH)
    year_ago = f"{int(LAST_MONTH[:4]) - 1}{LAST_MONTH[4:]}"
    previous = MONTHS[MONTHS.index(LAST_MONTH) - 1]
    months = {LAST_MONTH, previous, year_ago, *report["trends"]["months"]}
    by_month = {m: oracle.total(*month_bounds(m)) for m in months}
    shown, differ = 0, []
    for row in report["indicators"]:
        for field, month in (("value", LAST_MONTH), ("previous_month", previous), ("year_ago", year_ago)):
            if row[field] is not None:
                shown += 1
                if not agree(row["key"], by_month[month][row["key"]], row[field]):
                    differ.append((row["key"], field, by_month[month][row["key"]], row[field]))
    for key, series in report["trends"]["series"].items():
        for month, value in zip(report["trends"]["months"], series, strict=True):
            if value is not None:
                shown += 1
                if not agree(key, by_month[month][key], value):
                    differ.append((key, f"trend {month}", by_month[month][key], value))
    print(f"\nreport {LAST_MONTH} (min_cell_size 5): {shown} published values compared, {shown - len(differ)} equal")
    assert shown > len(INDICATORS)
    assert not differ, differ[:20]


def test_months_cover_the_demo() -> None:
    assert MONTHS[0] <= "2025-06" and MONTHS[-1] == LAST_MONTH and date.fromisoformat(f"{MONTHS[0]}-01") < DEMO_TODAY

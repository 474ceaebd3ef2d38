"""The demo generator: deterministic, realistic shares, and every record valid for import."""

import json
from collections import Counter
from datetime import date, timedelta

from jobmatch import demo, reference
from jobmatch.imports import import_file
from tests.conftest import RUN_PREFIX

TODAY = date(2026, 11, 1)


def load(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_same_seed_same_records(tmp_path):
    a = demo.generate(tmp_path / "a", employers_count=5, jobs_count=20, workers_count=50, today=TODAY)
    b = demo.generate(tmp_path / "b", employers_count=5, jobs_count=20, workers_count=50, today=TODAY)
    for kind in a:
        assert a[kind].read_bytes() == b[kind].read_bytes()


def test_shares_resemble_the_province(tmp_path):
    paths = demo.generate(tmp_path, employers_count=50, jobs_count=200, workers_count=4000, today=TODAY)
    workers = load(paths["workers"])
    ethnic = Counter(w["ethnicity"] for w in workers)
    assert 0.25 < ethnic["khmer"] / len(workers) < 0.35 and ethnic["hoa"] > 0
    disabled = sum(1 for w in workers if "disability" in w) / len(workers)
    assert 0.03 < disabled < 0.07
    untrained = sum(1 for w in workers if w["training_level"] == "none") / len(workers)
    assert 0.3 < untrained < 0.7
    wards = reference.legacy_wards()
    assert all(w["residence"]["legacy_ward_code"] in wards for w in workers)
    urban = sum(wards[w["residence"]["legacy_ward_code"]].urban for w in workers) / len(workers)
    assert 0.3 < urban < 0.6
    sectors = Counter(e["industry"] for e in load(paths["employers"]))
    assert {"A", "C", "F", "G", "H"} <= set(sectors)
    names = " ".join(w["personal"]["full_name"] for w in workers)
    assert "Thạch" in names and "Nguyễn" in names


def test_every_demo_record_imports_cleanly(tmp_path, es, indices, embedder):
    paths = demo.generate(tmp_path, employers_count=8, jobs_count=30, workers_count=120, today=TODAY, seed=7)
    for kind in demo.iter_kinds():
        stats = import_file(paths[kind], kind, es=es, prefix=RUN_PREFIX, embedder=embedder, progress=False)
        assert stats.rejected == 0, stats.first_rejects
        assert stats.created + stats.unchanged == stats.read


def test_no_one_is_placed_without_a_placement_and_contacts_are_dated(tmp_path):
    paths = demo.generate(tmp_path, employers_count=5, jobs_count=20, workers_count=500, today=TODAY)
    workers = load(paths["workers"])
    assert not [w for w in workers if w["employment_status"] == "placed"]  # only a placement places anyone
    assert all(w["registered_at"] <= w["last_contact_at"] <= TODAY.isoformat() for w in workers)


def test_loaded_demo_follows_the_register_lifecycle(tmp_path, es, embedder):
    from jobmatch.placements import history
    from jobmatch.records import lifecycle
    from tests.conftest import isolated_app

    lapse_days = 180
    paths = demo.generate(tmp_path, employers_count=8, jobs_count=40, workers_count=150, today=TODAY, seed=11)
    with isolated_app(es, embedder, "demo-lifecycle") as (_, prefix):
        for kind in demo.iter_kinds():
            stats = import_file(paths[kind], kind, es=es, prefix=prefix, embedder=embedder, progress=False)
            assert stats.rejected == 0, stats.first_rejects
        history.write(es, prefix, today=TODAY, seed=11)
        settled = demo.settle(es, prefix, today=TODAY, lapse_days=lapse_days)
        assert settled["expired_vacancies"] > 0 and settled["lapsed_jobseekers"] > 0
        jobs = [h["_source"] for h in es.search(index=f"{prefix}jobs", size=100)["hits"]["hits"]]
        assert not [j for j in jobs if lifecycle.vacancy_expiry(j, TODAY)]  # no open vacancy past expiry
        for job in (j for j in jobs if j["status"] == "expired"):
            assert job["closed_at"] == job["expires_at"]
        people = [h["_source"] for h in es.search(index=f"{prefix}workers", size=500)["hits"]["hits"]]
        hired = {h["_source"]["worker_id"] for h in es.search(
            index=f"{prefix}placements", size=1000, query={"term": {"status": "hired"}})["hits"]["hits"]}
        assert {p["worker_id"] for p in people if p["employment_status"] == "placed"} <= hired
        lapsed = [p for p in people if p.get("registration_status") == "inactive"]
        assert lapsed and all(date.fromisoformat(p["lapsed_at"]) == lifecycle.last_contact(p)
                              + timedelta(days=lapse_days) for p in lapsed)
        assert not [p for p in people if lifecycle.lapse_date(p, TODAY, lapse_days)]  # nothing left to lapse

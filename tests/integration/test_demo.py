"""The demo generator: deterministic, realistic shares, and every record valid for import."""

import json
from collections import Counter
from datetime import date

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

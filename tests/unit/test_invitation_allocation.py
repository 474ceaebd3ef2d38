"""Choosing whom to invite to a job exchange session (pure)."""

from jobmatch.exchange.service import allocate


def ranked(*ids):
    return [{"worker_id": i} for i in ids]


def test_each_person_at_most_n_times_and_each_vacancy_at_most_k():
    chosen = allocate({"j1": ranked("a", "b", "c", "d"), "j2": ranked("a", "b", "e"), "j3": ranked("a", "f")},
                      per_vacancy=2, max_per_person=1)
    assert chosen == {"a": ["j1"], "b": ["j1"], "f": ["j3"], "e": ["j2"]}  # j2 loses a and b to j1
    assert all(len(jobs) <= 1 for jobs in chosen.values())


def test_rounds_by_rank_share_a_strong_candidate_fairly():
    chosen = allocate({"j1": ranked("a", "b"), "j2": ranked("a", "c"), "j3": ranked("a", "d")},
                      per_vacancy=1, max_per_person=2)
    assert chosen == {"a": ["j1", "j2"], "d": ["j3"]}


def test_nothing_to_allocate():
    assert allocate({}, per_vacancy=3, max_per_person=2) == {}
    assert allocate({"j1": []}, per_vacancy=3, max_per_person=2) == {}

"""The scheduler's lease against the real node: one holder among contenders, take-over after expiry, stale
holders refused, release, and the scheduler following the lease. Short TTLs keep it quick."""

import threading
import time
import uuid

import pytest

from indexer import aliases
from indexer.mappings import definition
from jobmatch.leases import Lease, LeaseIndexMissing
from jobmatch.reports.scheduler import SingleScheduler, build_scheduler

pytestmark = pytest.mark.es

TTL = 1.5


@pytest.fixture()
def prefix(es):
    """A private prefix holding only the leases index, deleted afterwards."""
    value = f"jmtest-lease-{uuid.uuid4().hex[:8]}-"
    aliases.create_index(es, value, definition("leases"), None, with_alias=True)
    yield value
    aliases.delete_prefix(es, value)


def contenders(es, prefix, count=2, ttl=TTL):
    return [Lease(es, prefix, "scheduler", ttl=ttl, holder=f"test-host:{n}:{uuid.uuid4().hex[:6]}")
            for n in range(count)]


def wait_until(condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_of_two_contenders_exactly_one_holds(es, prefix):
    first, second = contenders(es, prefix)
    assert first.acquire() is True and first.held()
    assert second.acquire() is False and not second.held()
    assert second.seen.holder == first.holder
    stored = es.get(index=f"{prefix}leases", id="scheduler")["_source"]
    assert stored["holder"] == first.holder and stored["name"] == "scheduler"
    assert stored["acquired_at"] <= stored["renewed_at"] < stored["expires_at"]


def test_contenders_racing_for_a_free_lease_never_both_win(es, prefix):
    for _round in range(5):
        leases = contenders(es, prefix, count=4)
        barrier = threading.Barrier(len(leases))
        won = [False] * len(leases)

        def race(n, leases=leases, barrier=barrier, won=won):
            barrier.wait()
            won[n] = leases[n].acquire()

        threads = [threading.Thread(target=race, args=(n,)) for n in range(len(leases))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(won) == 1
        assert sum(lease.held() for lease in leases) == 1
        next(lease for lease in leases if lease.held()).release()


def test_racing_for_an_expired_lease_never_both_win(es, prefix):
    holder, *watchers = contenders(es, prefix, count=4)
    assert holder.acquire()
    assert not any(w.acquire() for w in watchers)  # they start watching this version
    time.sleep(TTL + 0.1)
    barrier = threading.Barrier(len(watchers))
    won = [False] * len(watchers)

    def race(n):
        barrier.wait()
        won[n] = watchers[n].acquire()

    threads = [threading.Thread(target=race, args=(n,)) for n in range(len(watchers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(won) == 1


def test_a_holder_that_stops_renewing_is_taken_over_after_the_ttl(es, prefix):
    first, second = contenders(es, prefix)
    assert first.acquire()
    taken_at = time.monotonic()
    assert not second.acquire()
    # Renewals keep it: the watcher sees each new version and starts its count again.
    for _ in range(3):
        time.sleep(first.renew_every)
        assert first.renew() and not second.acquire()
    renewed_at = time.monotonic()
    assert taken_at < renewed_at
    # Then silence: the holder stops believing before the watcher may take over.
    assert wait_until(lambda: not first.held(), TTL)
    assert time.monotonic() - renewed_at < TTL
    assert not second.acquire()
    assert wait_until(second.acquire, TTL + 1.0)
    assert time.monotonic() - renewed_at >= TTL
    assert second.held() and not first.held()


def test_a_stale_holder_cannot_renew_after_a_take_over(es, prefix):
    first, second = contenders(es, prefix)
    assert first.acquire() and not second.acquire()
    assert wait_until(second.acquire, TTL + 1.0)
    assert first.renew() is False and not first.held()
    assert first.acquire() is False  # nor take it back while the new holder renews
    assert second.renew() and second.held()
    stored = es.get(index=f"{prefix}leases", id="scheduler")["_source"]
    assert stored["holder"] == second.holder


def test_a_released_lease_is_taken_at_once(es, prefix):
    first, second = contenders(es, prefix)
    assert first.acquire() and not second.acquire()
    assert first.release() is True and not first.held()
    assert second.acquire() is True  # no TTL to wait
    assert first.release() is False  # releasing what another holds does nothing
    assert second.held()


def test_a_missing_leases_index_is_reported_and_not_created(es):
    prefix = f"jmtest-lease-{uuid.uuid4().hex[:8]}-"
    lease = Lease(es, prefix, "scheduler", ttl=TTL)
    with pytest.raises(LeaseIndexMissing, match="indices upgrade"):
        lease.acquire()
    assert not es.indices.exists(index=f"{prefix}leases")


def single(es, prefix, runs=None):
    lease = Lease(es, prefix, "scheduler", ttl=TTL, holder=f"test-worker:{uuid.uuid4().hex[:6]}")

    def factory(guard):
        if runs is not None:
            runs.append(lease.holder)
        return build_scheduler(tz="Asia/Ho_Chi_Minh", monthly_report=lambda: None, repair=lambda: None,
                               guard=guard)

    return SingleScheduler(lease, factory, retry_seconds=0.2)


def test_only_the_holder_runs_the_scheduler_and_stops_it_when_the_lease_is_lost(es, prefix):
    worker = single(es, prefix)
    try:
        worker.step()
        assert worker.running and worker.scheduler.running
        thief = contenders(es, prefix, count=1)[0]
        assert not thief.acquire()
        # The worker is frozen (no steps): its jobs refuse to run once its lease is near its end ...
        assert wait_until(lambda: not worker.lease.held(), TTL)
        job = worker.scheduler.get_job("repair_placements").func
        assert job.guard() is False
        assert wait_until(thief.acquire, TTL + 1.0)
        # ... and when it wakes up, its renewal fails and it shuts its scheduler down.
        worker.step()
        assert not worker.running
        worker.step()
        assert not worker.running  # it stands by while the other renews
    finally:
        worker.stop()


def test_workers_hand_the_scheduler_over_on_death_and_on_stop(es, prefix):
    runs = []
    workers = [single(es, prefix, runs) for _ in range(3)]
    for worker in workers:
        worker.start()
    try:
        assert wait_until(lambda: sum(w.running for w in workers) == 1, 3.0)
        time.sleep(TTL)  # through several renewals: still exactly one, and the same one
        assert sum(w.running for w in workers) == 1 and len(runs) == 1

        # Death without a word: the loop stops, nothing is released (as kill -9 would leave it).
        dead = next(w for w in workers if w.running)
        dead._stop.set()
        dead._thread.join()
        died_at = time.monotonic()
        assert wait_until(lambda: not dead.lease.held(), TTL)
        dead._shutdown()
        others = [w for w in workers if w is not dead]
        assert wait_until(lambda: sum(w.running for w in others) == 1, TTL + 0.2 + 1.5)
        took = time.monotonic() - died_at
        assert took <= TTL + 0.2 + 1.5, took

        # A clean stop releases: the last one takes over at the next try, no TTL to wait.
        holder = next(w for w in others if w.running)
        last = next(w for w in others if w is not holder)
        stopped_at = time.monotonic()
        holder.stop()
        assert wait_until(lambda: last.running, 1.5)
        assert time.monotonic() - stopped_at < TTL
        assert len(runs) == 3
    finally:
        for worker in workers:
            worker.stop()


def test_the_app_scheduler_contends_for_the_lease_under_its_prefix(es, prefix):
    from jobmatch import create_app
    from jobmatch.reports.scheduler import for_app

    app = create_app({"INDEX_PREFIX": prefix, "STARTUP_CHECKS": False, "SCHEDULER_LEASE_TTL_SECONDS": TTL,
                      "SCHEDULER_LEASE_RETRY_SECONDS": 0.2})
    first, second = for_app(app), for_app(app)
    try:
        first.step()
        second.step()
        assert first.running and not second.running
        assert first.lease.index == f"{prefix}leases" and first.lease.ttl == TTL
        # catch_up ran at start (and, with no reports index under this prefix, left its retry behind)
        jobs = {job.id for job in first.scheduler.get_jobs()}
        assert {"monthly_report", "repair_placements", "housekeeping", "lifecycle"} <= jobs <= {
            "monthly_report", "repair_placements", "housekeeping", "lifecycle", "catch_up", "catch_up_retry"}
        first.stop()
        second.step()
        assert second.running
    finally:
        first.stop()
        second.stop()

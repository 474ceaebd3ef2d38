"""Fault injection on a real node of the module's own (tests/faults/conftest.py): the API answers outages with a
fast 503 and Retry-After, never a 500 or a hang, and loses no write it acknowledged.

Slow (one node start, one restart, a freeze of REQUEST_TIMEOUT): about two minutes. Run alone, with the figures:
`.venv/bin/python -m pytest tests/faults -q -s`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from jobmatch import errors
from jobmatch.auth.tokens import Principal
from jobmatch.extensions import state
from jobmatch.placements.service import PlacementService
from tests import factories
from tests.faults.conftest import REQUEST_TIMEOUT

pytestmark = [pytest.mark.slow, pytest.mark.es, pytest.mark.model]

WRITERS = 6
KINDS = {"workers": "worker_id", "jobs": "job_id"}
SEWING = {"occupation_code": "8153", "title": "Công nhân may", "certificates": [], "min_training_level": "none",
          "essential_skills": ["may công nghiệp"], "optional_skills": [], "physical_demands": {},
          "accommodations": []}


def report(title: str, **figures: object) -> None:
    """Print one test's measurements (shown with `pytest -s`)."""
    print(f"\n[faults] {title}: " + ", ".join(f"{key}={value}" for key, value in figures.items()), flush=True)


def assert_unavailable(response, what: str) -> None:
    """A storage outage answers 503 with Retry-After and the house error body."""
    body = response.get_json()
    assert response.status_code == 503, f"{what}: {response.status_code} {body}"
    assert response.headers.get("Retry-After", "").isdigit(), f"{what}: no Retry-After"
    assert body["status"] == 503 and body["code"] == "unavailable" and body["message"], body


def new_record(world, kind: str) -> dict:
    """Return a valid body for a new jobseeker or vacancy."""
    return factories.worker() if kind == "workers" else factories.job(world.employer_id)


@dataclass(frozen=True)
class Outcome:
    """One API write as a writer thread saw it."""

    kind: str
    began: float
    ended: float
    status: int
    record_id: str | None
    retry_after: str | None
    code: str | None


def test_kill_9_mid_write_loses_no_acknowledged_write(world, fault_node):
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(number: int) -> None:
        client = world.app.test_client()
        turn = number
        while not stop.is_set():
            kind = ("workers", "jobs")[turn % 2]
            turn += 1
            began = time.monotonic()
            response = client.post(f"/api/v1/{kind}", json=new_record(world, kind), headers=world.headers)
            body = response.get_json(silent=True) or {}
            outcome = Outcome(kind, began, time.monotonic(), response.status_code, body.get(KINDS[kind]),
                              response.headers.get("Retry-After"), body.get("code"))
            with lock:
                outcomes.append(outcome)
            if not 200 <= response.status_code < 300:
                time.sleep(0.1)  # a client backing off; also leaves the 2 cores to the restarting node

    def acked(after: float = 0.0) -> list[Outcome]:
        with lock:
            return [o for o in outcomes if 200 <= o.status < 300 and o.record_id and o.began >= after]

    threads = [threading.Thread(target=writer, args=(n,), daemon=True) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    try:
        began = time.monotonic()
        while (len(acked()) < 4 * WRITERS or time.monotonic() < began + 3) and time.monotonic() < began + 30:
            time.sleep(0.05)
        assert len(acked()) >= 4 * WRITERS, "the writers did not get going before the kill"
        killed_at = time.monotonic()
        fault_node.kill()
        time.sleep(3)  # the writers keep writing to a dead node
        restarted_at = time.monotonic()
        start_seconds = fault_node.start()
        deadline = time.monotonic() + 60
        while not acked(after=killed_at) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(2)  # and a little more traffic on the recovered node
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    after_kill = acked(after=killed_at)
    assert after_kill, "no write succeeded within 60 s of restarting the node"
    recovered_at = min(o.ended for o in after_kill)
    # Begun once the node was gone and answered before it wrote again: these met the outage and nothing else.
    down = [o for o in outcomes if o.began > killed_at and o.ended < recovered_at]
    failed = [o for o in outcomes if not 200 <= o.status < 300]
    writes = acked()
    found = 0
    for kind in KINDS:
        ids = [o.record_id for o in writes if o.kind == kind]
        docs = world.es.mget(index=f"{world.prefix}{kind}", ids=ids, source=False)["docs"] if ids else []
        missing = [doc["_id"] for doc in docs if not doc.get("found")]
        assert not missing, f"{len(missing)} acknowledged {kind} writes lost after kill -9: {missing[:5]}"
        found += sum(1 for doc in docs if doc.get("found"))
    report("kill -9 mid-write", writers=WRITERS, requests=len(outcomes), acknowledged=len(writes),
           acknowledged_after_restart=len(after_kill), found_after_restart=found,
           codes_while_down=dict(Counter(o.status for o in down)),
           codes_overall=dict(Counter(o.status for o in outcomes)), node_start_s=f"{start_seconds:.1f}",
           recovery_s=f"{recovered_at - restarted_at:.1f} (restart -> first successful write)")
    assert down, "no request was answered while the node was down"
    assert all(o.status == 503 for o in down), Counter(o.status for o in down)
    assert all(o.status == 503 and (o.retry_after or "").isdigit() and o.code == "unavailable" for o in failed), \
        Counter((o.status, o.code) for o in failed)
    assert found == len(writes)


def test_write_block_answers_503_fast_and_readyz_names_it(world, monkeypatch, caplog):
    client = world.app.test_client()
    indices = f"{world.prefix}*"
    monkeypatch.setattr(errors, "_last_logged", {})  # the once-a-minute log starts afresh for this test
    world.es.indices.put_settings(index=indices, settings={"index.blocks.read_only_allow_delete": True})
    try:
        timings = {}
        with caplog.at_level(logging.WARNING, logger="jobmatch.errors"):
            for attempt in range(3):
                for kind in KINDS:
                    began = time.monotonic()
                    response = client.post(f"/api/v1/{kind}", json=new_record(world, kind), headers=world.headers)
                    timings[f"{kind}#{attempt}"] = time.monotonic() - began
                    assert_unavailable(response, f"{kind} write under read_only_allow_delete")
                    assert "write block" in response.get_json()["message"]
        lines = [r for r in caplog.records if "write_block" in r.getMessage()]
        assert len(lines) == 1, [r.getMessage() for r in lines]
        assert "read-only-allow-delete" in lines[0].getMessage()
        began = time.monotonic()
        ready = client.get("/readyz")
        readyz_seconds = time.monotonic() - began
        body = ready.get_json()
        assert ready.status_code == 503, body
        blocked = body["write_blocks"][f"{world.prefix}workers"]
        assert blocked["blocks"] == ["index.blocks.read_only_allow_delete"] and blocked["reindexing"] is False
        assert any(f"{world.prefix}workers" in r and "read_only_allow_delete" in r for r in body["reasons"])
        assert client.get("/healthz").status_code == 200  # liveness stays up: restarting would not help

        # A plain write block that no reindex holds fails as fast.
        world.es.indices.put_settings(index=indices, settings={"index.blocks.read_only_allow_delete": None,
                                                               "index.blocks.write": True})
        began = time.monotonic()
        plain = client.post("/api/v1/workers", json=factories.worker(), headers=world.headers)
        plain_seconds = time.monotonic() - began
        assert_unavailable(plain, "write under index.blocks.write")
        assert client.get("/readyz").get_json()["write_blocks"][f"{world.prefix}jobs"]["blocks"] == [
            "index.blocks.write"]
    finally:
        world.es.indices.put_settings(index=indices, settings={"index.blocks.read_only_allow_delete": None,
                                                               "index.blocks.write": None})
    slowest = max(timings.values())
    report("write block", blocked_writes=len(timings), slowest_blocked_write_s=f"{slowest:.3f}",
           median_blocked_write_s=f"{sorted(timings.values())[len(timings) // 2]:.3f}",
           plain_write_block_s=f"{plain_seconds:.3f}", readyz_blocked_s=f"{readyz_seconds:.3f}",
           log_lines=len(lines))
    assert slowest < 5.0 and plain_seconds < 5.0, "a blocked write must fail fast, not wait for the block to go"
    after = client.post("/api/v1/workers", json=factories.worker(), headers=world.headers)
    assert after.status_code == 201, after.get_json()
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.get_json()
    assert ready.get_json()["write_blocks"] == {}


def test_frozen_node_answers_503_within_the_request_timeout(world, fault_node):
    client = world.app.test_client()
    existing = client.post("/api/v1/workers", json=factories.worker(), headers=world.headers).get_json()["worker_id"]
    calls = {
        "POST /api/v1/workers": lambda c: c.post("/api/v1/workers", json=factories.worker(), headers=world.headers),
        "GET /api/v1/workers/<id>": lambda c: c.get(f"/api/v1/workers/{existing}", headers=world.headers),
        "POST /api/v1/jobs": lambda c: c.post("/api/v1/jobs", json=factories.job(world.employer_id),
                                              headers=world.headers),
        "GET /readyz": lambda c: c.get("/readyz"),
    }
    results: dict[str, tuple[float, object]] = {}

    def call(name: str) -> None:
        began = time.monotonic()
        response = calls[name](world.app.test_client())
        results[name] = (time.monotonic() - began, response)

    fault_node.freeze()
    try:
        threads = [threading.Thread(target=call, args=(name,), daemon=True) for name in calls]
        for thread in threads:
            thread.start()
        began = time.monotonic()
        live = client.get("/healthz")
        healthz_seconds = time.monotonic() - began
        for thread in threads:
            thread.join(timeout=4 * REQUEST_TIMEOUT)
        assert not any(thread.is_alive() for thread in threads), "a request hung on the frozen node"
    finally:
        thawed_at = time.monotonic()
        fault_node.thaw()
    recovery = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        response = client.post("/api/v1/workers", json=factories.worker(), headers=world.headers)
        if response.status_code == 201:
            recovery = time.monotonic() - thawed_at
            break
        time.sleep(0.2)
    report("stall (SIGSTOP)", request_timeout_s=REQUEST_TIMEOUT,
           **{name.replace(" ", "_"): f"{seconds:.2f}s->{answer.status_code}"
              for name, (seconds, answer) in results.items()},
           healthz_s=f"{healthz_seconds:.3f}", recovery_s=recovery and f"{recovery:.2f} (SIGCONT -> first write)")
    assert live.status_code == 200 and healthz_seconds < 1.0
    for name, (seconds, answer) in results.items():
        if name == "GET /readyz":
            assert answer.status_code == 503 and answer.get_json()["elasticsearch"]["reachable"] is False
        else:
            assert_unavailable(answer, name)
        assert seconds < REQUEST_TIMEOUT + 2.0, f"{name} took {seconds:.1f}s on a frozen node"
    assert recovery is not None, "no write succeeded within 60 s of SIGCONT"


def test_repair_applies_a_hire_whose_consequences_were_cut_off(world):
    """The node died after the hire event was stored and before the placement, the person and the vacancy
    were updated: the event is written the way PlacementService._append writes it and nothing else."""
    client = world.app.test_client()
    job = client.post("/api/v1/jobs", json=factories.job(world.employer_id, openings=1, posted_at="2026-09-01",
                                                         **SEWING), headers=world.headers).get_json()
    person = client.post("/api/v1/workers", json=factories.worker(registered_at="2026-08-01"),
                         headers=world.headers).get_json()
    created = client.post("/api/v1/placements", json={"job_id": job["job_id"], "worker_id": person["worker_id"],
                                                      "at": "2026-10-01"}, headers=world.headers)
    assert created.status_code == 201, created.get_json()
    placement, etag = created.get_json(), created.headers["ETag"]
    for to in ("interviewed", "offered"):
        moved = client.post(f"/api/v1/placements/{placement['placement_id']}/transitions",
                            json={"to": to, "at": "2026-10-05"}, headers={**world.headers, "If-Match": etag})
        assert moved.status_code == 200, moved.get_json()
        placement, etag = moved.get_json(), moved.headers["ETag"]
    pid = placement["placement_id"]
    service = PlacementService(es=world.es, prefix=world.prefix, principal=Principal("faults", "admin"),
                               tz=state(world.app).tz)
    service._append(pid, placement["seq"] + 1, {"kind": "transition", "from_status": "offered", "to_status": "hired",
                                                "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                                                "reason": None})
    # Straight from the node, not through the API (whose GET repairs on read).
    stored = world.es.get(index=f"{world.prefix}placements", id=pid)["_source"]
    assert stored["status"] == "offered"

    result = world.app.test_cli_runner().invoke(args=["jobmatch", "placements", "repair"])
    assert result.exit_code == 0, result.output

    placement = world.es.get(index=f"{world.prefix}placements", id=pid)["_source"]
    worker = world.es.get(index=f"{world.prefix}workers", id=person["worker_id"])["_source"]
    vacancy = world.es.get(index=f"{world.prefix}jobs", id=job["job_id"])["_source"]
    report("repair afterwards", cli=result.output.strip(), placement=placement["status"],
           effects_applied=placement.get("effects_applied"), jobseeker=worker.get("employment_status"),
           vacancy=vacancy.get("status"))
    assert placement["status"] == "hired" and placement["effects_applied"] is True, (
        f"repair left the placement {placement['status']} (seq {placement.get('seq')}) although its events end in "
        f"a hire: it must find every hire whose events and placement disagree ({result.output.strip()})")
    assert worker["employment_status"] == "placed" and worker["placement_id"] == pid
    assert vacancy["status"] == "filled" and vacancy["filled_by"] == [pid]

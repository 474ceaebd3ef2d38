"""A throw-away Elasticsearch node for the fault tests, and an app wired to it.

The node is the project's own distribution (scripts/esnode.py: same fetch, JDK choice, config and start), on
port 9251 with its data, logs and pid file in a temporary directory, so that killing, freezing or blocking it
never touches the shared node on 9200. It starts once per module; it is stopped and its directory removed at the
end, whatever happened. When it cannot start, the tests fail with the launcher's reason: they never skip.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from elasticsearch import Elasticsearch
from flask import Flask

from config.settings import load_settings
from indexer.aliases import ensure
from indexer.mappings import DEFINITIONS, ModelInfo
from jobmatch import create_app
from jobmatch.extensions import state
from jobmatch.search.client import build_client
from scripts import esnode
from tests import factories
from tests.conftest import auth, issue_tokens

FAULT_PORT = 9251  # transport on 9351; the shared node keeps 9200/9300
FAULT_HEAP = "768m"  # enough for a few hundred small records; the machine's memory stays with the shared node
REQUEST_TIMEOUT = 5.0  # the app's ES_REQUEST_TIMEOUT here: a frozen node must cost a request no more than this


@dataclass
class FaultNode:
    """The module's own node: start it, kill it, freeze and thaw it, stop it."""

    settings: dict[str, Any]
    layout: esnode.Layout

    @property
    def url(self) -> str:
        """Return the node's HTTP address."""
        return f"http://127.0.0.1:{self.settings['ES_PORT']}"

    def pid(self) -> int | None:
        """Return the node's pid, or None when it is not running."""
        return esnode.read_pid(self.layout)

    def start(self) -> float:
        """Start the node on its data directory (no-op when it already answers); return the seconds it took."""
        began = time.monotonic()
        try:
            esnode.start(self.settings, self.layout)
        except esnode.LauncherError as exc:
            pytest.fail(f"the fault-injection node on {self.url} did not start: {exc}", pytrace=False)
        return time.monotonic() - began

    def kill(self) -> None:
        """SIGKILL the node, as a crash or the OOM killer would, and wait until it is gone."""
        pid = self.pid()
        assert pid is not None, "the fault node is not running"
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not Path(f"/proc/{pid}").exists(), f"pid {pid} survived SIGKILL"

    def freeze(self) -> None:
        """SIGSTOP the node: it keeps its port and accepts connections but answers nothing."""
        pid = self.pid()
        assert pid is not None, "the fault node is not running"
        os.kill(pid, signal.SIGSTOP)

    def thaw(self) -> None:
        """SIGCONT the node (harmless when it is not frozen)."""
        pid = self.pid()
        if pid is not None:
            os.kill(pid, signal.SIGCONT)

    def stop(self) -> None:
        """Stop the node for good (thawed first: a stopped process would ignore SIGTERM until killed)."""
        self.thaw()
        esnode.stop(self.settings, self.layout)


@pytest.fixture(scope="module")
def fault_node() -> Iterator[FaultNode]:
    """The module's node, started once; stopped and its temporary directory removed afterwards."""
    settings = load_settings(overrides={"ES_PORT": FAULT_PORT, "ES_HEAP": FAULT_HEAP})
    home = esnode.layout_for(settings["ES_VERSION"])  # where the project's distribution already is
    tmp = Path(tempfile.mkdtemp(prefix="jobmatch-faults-"))
    node: FaultNode | None = None
    try:
        tmp.chmod(0o755)  # as root the node runs as its own user, who must reach its data directory
        node = FaultNode(settings, esnode.Layout(home.root, home.version, state=tmp / "elasticsearch"))
        node.start()
        yield node
    finally:
        try:
            if node is not None:
                node.stop()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(autouse=True)
def node_is_up(fault_node: FaultNode) -> FaultNode:
    """Each test begins with the node running and thawed, whatever the previous test left behind."""
    fault_node.thaw()
    fault_node.start()
    return fault_node


@dataclass
class World:
    """An app on the fault node with its indices, tokens and one employer."""

    app: Flask
    es: Elasticsearch
    prefix: str
    tokens: dict[str, str]
    employer_id: str

    @property
    def headers(self) -> dict[str, str]:
        """Return a counsellor's Authorization header."""
        return auth(self.tokens["counsellor"])


@pytest.fixture(scope="module")
def world(fault_node: FaultNode, embedder: Any) -> Iterator[World]:
    """Create the indices on the fault node and an app using them (the session's loaded model is shared)."""
    prefix = f"jmfault-{uuid.uuid4().hex[:6]}-"
    overrides = {"ES_URL": fault_node.url, "INDEX_PREFIX": prefix, "STARTUP_CHECKS": False,
                 "ES_REQUEST_TIMEOUT": REQUEST_TIMEOUT}
    es = build_client(load_settings(overrides=overrides))
    ensure(es, prefix, DEFINITIONS, lambda: ModelInfo(embedder.name, embedder.dimension), embedder.name)
    app = create_app(overrides)
    app.config["TESTING"] = True
    state(app).embedder = embedder
    tokens = issue_tokens(es, prefix)
    created = app.test_client().post("/api/v1/employers", json=factories.employer(name="Chế biến thủy sản Trần Đề"),
                                     headers=auth(tokens["counsellor"]))
    assert created.status_code == 201, created.get_json()
    yield World(app, es, prefix, tokens, created.get_json()["employer_id"])
    es.close()

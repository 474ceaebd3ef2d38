"""Shared fixtures. Heavy things (the Elasticsearch client, the model, the app) are session-scoped.

Every test run uses its own index prefix (`jmtest-<random>-`) on the real node and deletes those indices at the
end. When the node does not answer, tests that need it fail with the reason; they never skip.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from elasticsearch import Elasticsearch
from flask import Flask

from config.settings import es_url, load_settings
from indexer.aliases import delete_prefix, ensure
from indexer.mappings import DEFINITIONS, ModelInfo
from jobmatch import create_app
from jobmatch.auth.tokens import TokenStore
from jobmatch.embeddings import Embedder
from jobmatch.extensions import state
from jobmatch.search.client import build_client, cluster_version

RUN_PREFIX = f"jmtest-{uuid.uuid4().hex[:8]}-"


@pytest.fixture(scope="session")
def settings() -> dict:
    """Settings for the test run: a unique index prefix, no start-up checks."""
    return load_settings(overrides={"INDEX_PREFIX": RUN_PREFIX, "STARTUP_CHECKS": False})


@pytest.fixture(scope="session")
def es(settings) -> Iterator[Elasticsearch]:
    """The real Elasticsearch node; fails the test (not skips) when it does not answer."""
    client = build_client(settings)
    try:
        cluster_version(client)
    except Exception as exc:  # any failure: its repr goes into the message
        pytest.fail(f"Elasticsearch at {es_url(settings)} is not reachable ({exc!r}); run tests with `make test`",
                    pytrace=False)
    yield client
    delete_prefix(client, RUN_PREFIX)
    client.close()


@pytest.fixture(scope="session")
def embedder(settings) -> Embedder:
    """The real embedding model, loaded once per test session."""
    model = Embedder(settings["EMBEDDING_MODEL"], batch_size=settings["EMBEDDING_BATCH_SIZE"])
    model.load()
    return model


@pytest.fixture(scope="session")
def indices(es, settings, embedder) -> list:
    """Create all indices under the run's prefix."""
    return ensure(es, RUN_PREFIX, DEFINITIONS, lambda: ModelInfo(embedder.name, embedder.dimension), embedder.name)


@pytest.fixture(scope="session")
def app(es, indices, embedder):
    """The app wired to the test prefix, sharing the session's loaded model."""
    application = create_app({"INDEX_PREFIX": RUN_PREFIX, "STARTUP_CHECKS": False})
    application.config["TESTING"] = True
    state(application).embedder = embedder
    return application


@pytest.fixture()
def client(app):
    """A Flask test client."""
    return app.test_client()


def issue_tokens(es: Elasticsearch, prefix: str) -> dict[str, str]:
    """Create one live token per role under `prefix` (the employer one bound to employer `emp-1`)."""
    store = TokenStore(es, prefix)
    issued = {}
    for role in ("admin", "counsellor", "analyst"):
        issued[role], _ = store.create(role=role, label=f"test {role}")
    issued["employer"], _ = store.create(role="employer", employer_id="emp-1", label="test employer")
    return issued


@pytest.fixture(scope="session")
def tokens(es, indices) -> dict[str, str]:
    """One live token per role (the employer one bound to employer `emp-1`)."""
    return issue_tokens(es, RUN_PREFIX)


@contextmanager
def isolated_app(es: Elasticsearch, embedder: Embedder, name: str) -> Iterator[tuple[Flask, str]]:
    """An app on its own index prefix, for tests whose counts or candidate lists must not see other tests'
    records; its indices are deleted afterwards."""
    prefix = f"jmtest-{name}-{uuid.uuid4().hex[:6]}-"
    ensure(es, prefix, DEFINITIONS, lambda: ModelInfo(embedder.name, embedder.dimension), embedder.name)
    application = create_app({"INDEX_PREFIX": prefix, "STARTUP_CHECKS": False})
    application.config["TESTING"] = True
    state(application).embedder = embedder
    try:
        yield application, prefix
    finally:
        delete_prefix(es, prefix)


def auth(token: str) -> dict[str, str]:
    """Return the Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}

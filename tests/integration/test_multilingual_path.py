"""A model given as a local path that declares Vietnamese: records and queries are embedded as written (real
node; the "multilingual" model is a local copy of the packaged one, which is all the code path needs)."""

from __future__ import annotations

import shutil
import uuid

import pytest

from indexer.aliases import delete_prefix, ensure
from indexer.mappings import DEFINITIONS, ModelInfo
from jobmatch import create_app
from jobmatch.embeddings import Embedder, resolve_model_path
from jobmatch.extensions import state
from tests import factories
from tests.conftest import auth, issue_tokens


@pytest.fixture(scope="module")
def multilingual(es, tmp_path_factory):
    """An app whose EMBEDDING_MODEL is a local directory serving vi and en, on its own index prefix."""
    path = tmp_path_factory.mktemp("models") / "local-vi-en"
    shutil.copytree(resolve_model_path("sentence-transformers/all-MiniLM-L6-v2"), path)
    embedder = Embedder(str(path), languages="vi,en")
    prefix = f"jmtest-multi-{uuid.uuid4().hex[:6]}-"
    ensure(es, prefix, DEFINITIONS, lambda: ModelInfo(embedder.name, embedder.dimension), embedder.name)
    app = create_app({"INDEX_PREFIX": prefix, "STARTUP_CHECKS": False, "EMBEDDING_MODEL": str(path),
                      "EMBEDDING_LANGUAGES": "vi,en"})
    app.config["TESTING"] = True
    state(app).embedder = embedder
    try:
        yield app, prefix, embedder
    finally:
        delete_prefix(es, prefix)


def test_vietnamese_text_is_embedded_as_written(es, multilingual):
    app, prefix, embedder = multilingual
    assert embedder.name == "local-vi-en" and embedder.languages == {"vi", "en"}
    client = app.test_client()
    headers = auth(issue_tokens(es, prefix)["counsellor"])
    employer_id = client.post("/api/v1/employers", json=factories.employer(), headers=headers).get_json()["employer_id"]
    job = client.post("/api/v1/jobs", json=factories.job(employer_id, title="Tuyển thợ hàn khung thép"),
                      headers=headers).get_json()
    stored = es.get(index=f"{prefix}jobs", id=job["job_id"])["_source"]
    assert "Tuyển thợ hàn khung thép" in stored["embedding_text"] and stored["embedding_basis"] == "text"
    mapping = es.indices.get_mapping(index=f"{prefix}jobs")
    assert next(iter(mapping.body.values()))["mappings"]["_meta"]["jobmatch"]["embedding_model"] == "local-vi-en"

    result = client.post("/api/v1/matches/search?explain=true", headers=headers,
                         json={"target": "jobs", "text": "tìm việc hàn khung thép"}).get_json()
    first = result["items"][0]
    assert first["job_id"] == job["job_id"]
    assert "semantic" in first["breakdown"]["features"]  # the vector side read the Vietnamese query itself

"""Health probes, OpenAPI document and the offline Swagger UI."""

import uuid

from indexer import aliases
from indexer.mappings import ModelInfo, definition
from jobmatch import create_app
from jobmatch.extensions import state
from tests.conftest import isolated_app


def test_healthz_is_always_up(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_reports_version_indices_and_model(client):
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["status"] == "ready"
    assert body["elasticsearch"]["version"].split(".")[0] == "9"
    assert all(entry["present"] for entry in body["indices"].values())
    assert body["model"] == {"name": "sentence-transformers/all-MiniLM-L6-v2", "dims": 384, "loaded": True}


def test_readyz_is_503_with_reasons_when_indices_are_missing(es, embedder):
    app = create_app({"INDEX_PREFIX": f"jmtest-missing-{uuid.uuid4().hex[:6]}-", "STARTUP_CHECKS": False})
    state(app).embedder = embedder
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert any("is missing" in reason for reason in response.get_json()["reasons"])


def test_readyz_names_write_blocked_indices_but_not_a_reindex_in_progress(es, embedder):
    with isolated_app(es, embedder, "blocks") as (app, prefix):
        client = app.test_client()
        current = aliases.read_state(es, prefix, definition("workers")).index
        es.indices.put_settings(index=current, settings={"index.blocks.read_only_allow_delete": True})
        try:
            response = client.get("/readyz")
            body = response.get_json()
            assert response.status_code == 503, body
            assert body["write_blocks"] == {f"{prefix}workers": {
                "index": current, "blocks": ["index.blocks.read_only_allow_delete"], "reindexing": False}}
            assert any("refuses writes" in reason and f"{prefix}workers" in reason for reason in body["reasons"])
            assert client.get("/healthz").status_code == 200
            # What a reindex holds: a write block on the current index while its newer target fills.
            es.indices.put_settings(index=current, settings={"index.blocks.read_only_allow_delete": None,
                                                             "index.blocks.write": True})
            aliases.create_index(es, prefix, definition("workers"), ModelInfo(embedder.name, embedder.dimension),
                                 with_alias=False)
            response = client.get("/readyz")
            assert response.status_code == 200, response.get_json()
            assert response.get_json()["write_blocks"][f"{prefix}workers"]["reindexing"] is True
        finally:
            es.indices.put_settings(index=current, settings={"index.blocks.read_only_allow_delete": None,
                                                             "index.blocks.write": None})


def test_readyz_is_503_when_elasticsearch_is_unreachable():
    app = create_app({"ES_URL": "http://127.0.0.1:9", "ES_REQUEST_TIMEOUT": 1.0, "STARTUP_CHECKS": False})
    response = app.test_client().get("/readyz")
    body = response.get_json()
    assert response.status_code == 503
    assert body["elasticsearch"]["reachable"] is False
    assert "elasticsearch is not reachable" in body["reasons"]
    assert "embedding model not loaded yet" in body["reasons"]


def test_openapi_documents_routes_and_bearer_auth(client):
    spec = client.get("/openapi.json").get_json()
    assert spec["info"]["title"] == "jobmatch"
    assert "/api/v1/tokens" in spec["paths"] and "/api/v1/me" in spec["paths"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert spec["paths"]["/healthz"]["get"]["security"] == []
    token_schema = spec["components"]["schemas"]["TokenCreate"]
    assert token_schema["properties"]["role"]["enum"] == ["admin", "counsellor", "employer", "analyst"]


def test_docs_page_and_its_assets_are_served_locally(client):
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/docs/assets/swagger-ui-bundle.js" in html
    asset = client.get("/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.data) > 100_000
    assert client.get("/docs/assets/nope.js").status_code == 404


def test_openapi_describes_the_error_shape_actually_sent(client):
    schemas = client.get("/openapi.json").get_json()["components"]["schemas"]
    error = schemas["ErrorBody"]["properties"]
    assert error["status"]["type"] == "integer" and error["code"]["type"] == "string"
    assert schemas["WorkerOut"]["properties"]["personal"]["nullable"] is True

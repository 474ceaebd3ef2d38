"""`GET /healthz` (the process is up) and `GET /readyz` (it can serve)."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from jobmatch.extensions import state
from jobmatch.health.checks import readiness

blp = Blueprint("health", __name__, description="Liveness and readiness probes (no token needed)")


class LivenessSchema(Schema):
    status = fields.String()


class ReadinessSchema(Schema):
    status = fields.String()
    elasticsearch = fields.Dict()
    indices = fields.Dict()
    model = fields.Dict()
    write_blocks = fields.Dict(metadata={"description": "Aliases whose index refuses writes: {alias: {index, blocks, "
                                                        "reindexing}}; a reindex's brief block keeps the app ready"})
    reasons = fields.List(fields.String())


@blp.route("/healthz", methods=["GET"])
@blp.response(200, LivenessSchema)
@blp.doc(security=[])
def healthz() -> Any:
    """Answer as long as the process runs."""
    return {"status": "ok"}


@blp.route("/readyz", methods=["GET"])
@blp.response(200, ReadinessSchema)
@blp.alt_response(503, schema=ReadinessSchema, description="Not ready; `reasons` says why")
@blp.doc(security=[])
def readyz() -> Any:
    """Report whether Elasticsearch, the indices and the model are ready; 503 with reasons when not."""
    app_state = state()
    ready, report = readiness(app_state.es, app_state.embedder, app_state.prefix)
    return report, (200 if ready else 503)

"""jobmatch: job matching for the employment service centre. `create_app` builds the Flask app."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

from config.labour_market import load_labour_force
from config.matching import load_matching_config
from config.settings import load_settings
from jobmatch import docs, errors, http, segmentation, web
from jobmatch.audit import http as audit_http
from jobmatch.audit.views import blp as audit_blp
from jobmatch.auth import guard
from jobmatch.auth.views import blp as tokens_blp
from jobmatch.cli import jobmatch_cli
from jobmatch.embeddings import Embedder
from jobmatch.employers.views import blp as employers_blp
from jobmatch.exchange.views import blp as exchange_blp
from jobmatch.extensions import EXT_KEY, AppState, JsonApi
from jobmatch.figures.views import blp as figures_blp
from jobmatch.health.views import blp as health_blp
from jobmatch.jobs.views import blp as jobs_blp
from jobmatch.lookups.views import blp as lookups_blp
from jobmatch.matching.views import blp as matches_blp
from jobmatch.metrics.views import blp as metrics_blp
from jobmatch.placements.views import blp as placements_blp
from jobmatch.reports.views import blp as reports_blp
from jobmatch.reports.views import pages as report_pages
from jobmatch.search.client import build_client
from jobmatch.workers.views import blp as workers_blp

OPENAPI_CONFIG: dict[str, Any] = {
    "API_TITLE": "jobmatch",
    "API_VERSION": "v1",
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "docs",
    "OPENAPI_SWAGGER_UI_URL": docs.ASSETS_URL,
    "API_SPEC_OPTIONS": {
        "info": {"description": "Job matching for the employment service centre (Sóc Trăng, Thành phố Cần Thơ)."},
        "security": [{"bearerAuth": []}],
        "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}},
    },
}


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings → shared objects → error handlers → auth guard → blueprints → web app → CLI."""
    settings = load_settings(overrides=overrides)
    logging.basicConfig(level=settings["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The transport logs every request URL at INFO (too big, and URLs carry record ids): keep only its errors.
    # Its retries log a traceback per failed attempt: during an outage that was one per request; the storage
    # error handler logs one line per kind of failure a minute instead (jobmatch.errors).
    logging.getLogger("elastic_transport").setLevel(logging.ERROR)

    app = Flask(__name__, static_folder=None)  # the web app serves its own static files (jobmatch/web/static)
    app.config.update(settings)
    app.config.update(OPENAPI_CONFIG)
    app.json.ensure_ascii = False  # Vietnamese stays readable in responses

    segmentation.configure(settings["TEXT_SEGMENTER"])
    app.extensions[EXT_KEY] = AppState(
        settings=settings,
        es=build_client(settings),
        embedder=Embedder(settings["EMBEDDING_MODEL"], batch_size=settings["EMBEDDING_BATCH_SIZE"],
                          device=settings["EMBEDDING_DEVICE"], precision=settings["EMBEDDING_PRECISION"],
                          languages=settings["EMBEDDING_LANGUAGES"]),
        matching=load_matching_config(),
        labour_force=load_labour_force(),
    )

    api = JsonApi(app)
    errors.register_error_handlers(app)
    guard.init_app(app)
    http.init_app(app)
    audit_http.init_app(app)
    api.register_blueprint(health_blp)
    api.register_blueprint(tokens_blp)
    for blueprint in (employers_blp, jobs_blp, workers_blp, matches_blp, placements_blp, exchange_blp,
                      metrics_blp, reports_blp, lookups_blp, audit_blp, figures_blp):
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)
    app.register_blueprint(report_pages)
    web.init_app(app)  # after every JSON route: its error pages wrap jobmatch.errors' handlers
    app.cli.add_command(jobmatch_cli)
    return app

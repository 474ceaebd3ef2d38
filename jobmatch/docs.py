"""Serve the Swagger UI assets from the swagger-ui-bundle package, so /docs works without internet access."""

from __future__ import annotations

from flask import Blueprint, Response, abort, send_from_directory

ASSETS_URL = "/docs/assets/"

bp = Blueprint("docs_assets", __name__)


@bp.route(ASSETS_URL + "<path:filename>")
def swagger_asset(filename: str) -> Response:
    """Return one Swagger UI file (JS, CSS, icons)."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        abort(404)
    return send_from_directory(swagger_ui_path, filename, max_age=86400)

"""Rendering the web app's pages: one helper, so that every page gets the same headers."""

from __future__ import annotations

from typing import Any

from flask import Response, g, render_template


def page(template: str, status: int = 200, headers: dict[str, str] | None = None, **context: Any) -> Response:
    """Render one of the web app's templates as an HTML response (with the web app's security headers)."""
    g.web_page = True  # jobmatch.web gives these pages their stricter Content-Security-Policy
    response = Response(render_template(template, **context), status=status, mimetype="text/html")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response

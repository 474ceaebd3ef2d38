"""Error pages for browsers: the same errors as jobmatch.errors, as HTML pages in the reader's language.

The JSON error shape stays for the API (/api/...) and every other JSON endpoint (health, OpenAPI); pages of the
web app, the public report pages and paths that match no route get HTML. One decision (`wants_html`), made for
every error handler the app has, so that no kind of error slips back to JSON on a page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from elastic_transport import TransportError
from elasticsearch import ApiError
from flask import Flask, Response, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from jobmatch import errors
from jobmatch.http import API_PREFIX
from jobmatch.web.render import page

HTML_BLUEPRINTS = ("web", "report_pages")  # blueprints whose routes are pages


def wants_html() -> bool:
    """Tell whether this request's errors are rendered as pages: not the API, and a page or an unknown path."""
    if request.path.startswith(("/api/", API_PREFIX)):
        return False
    return request.url_rule is None or request.blueprint in HTML_BLUEPRINTS


def _texts(status: int) -> tuple[str, str]:
    """Return the title and explanation of an error page."""
    if status == 400:
        return _("The request could not be processed"), _(
            "The form has expired or was not sent correctly. Reload the page and try again.")
    if status == 403:
        return _("Access denied"), _("Your account does not have permission to open this page.")
    if status == 404:
        return _("Page not found"), _("The page you are looking for does not exist or has been moved.")
    if status == 405:
        return _("Not allowed"), _("This page cannot be used this way.")
    if status == 503:
        return _("Service temporarily unavailable"), _(
            "The system is temporarily unavailable. Please try again in a few minutes.")
    if status >= 500:
        return _("Something went wrong"), _(
            "An unexpected error occurred. Please try again; if it keeps happening, contact the administrator.")
    return _("The request could not be processed"), _("Please check what you entered and try again.")


def error_page(status: int, headers: dict[str, str] | None = None) -> Response:
    """Render the error page of a status."""
    title, text = _texts(status)
    return page("web/error.html", status=status, headers=headers, status_code=status, title=title, text=text)


def _html_http(error: HTTPException) -> Any:
    status = error.code or 500
    headers = {}
    if status == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    if isinstance(error, CSRFError):
        status = 400
    return error_page(status, headers)


def _html_app_error(error: errors.AppError) -> Any:
    return error_page(error.status)


def _html_storage(error: Exception) -> Any:
    json_response, status = errors.storage_error_response(error)  # logs it once a minute, decides 503 or 500
    headers = {"Retry-After": json_response.headers["Retry-After"]} if "Retry-After" in json_response.headers else {}
    return error_page(status, headers)


def _html_unexpected(error: Exception) -> Any:
    errors.unexpected_error_response(error)  # logs the traceback, as for the API
    return error_page(500)


def _either(json_handler: Callable[[Any], Any], html_handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def handle(error: Any) -> Any:
        return html_handler(error) if wants_html() else json_handler(error)

    return handle


def init_app(app: Flask) -> None:
    """Replace each error handler of jobmatch.errors by one that renders a page for browser paths."""
    app.register_error_handler(errors.AppError, _either(errors.app_error_response, _html_app_error))
    app.register_error_handler(TransportError, _either(errors.storage_error_response, _html_storage))
    app.register_error_handler(ApiError, _either(errors.storage_error_response, _html_storage))
    app.register_error_handler(HTTPException, _either(errors.http_exception_response, _html_http))
    app.register_error_handler(Exception, _either(errors.unexpected_error_response, _html_unexpected))

"""HTTP helpers shared by the register blueprints: ETag headers, If-Match, raw PATCH bodies, pages."""

from __future__ import annotations

from typing import Any

from flask import request

from jobmatch.records.repository import Page, Stored


def with_etag(stored: Stored, body: Any, status: int = 200) -> tuple[Any, int, dict[str, str]]:
    """Return a view result carrying the record's ETag."""
    return body, status, {"ETag": stored.etag}


def if_match() -> str | None:
    """Return the If-Match header of the current request."""
    return request.headers.get("If-Match")


def patch_body() -> Any:
    """Return the raw JSON body of a PATCH (validated later, merged with the stored record)."""
    return request.get_json()


def page_body(page: Page, view: Any = None) -> dict[str, Any]:
    """Return a listing page as a JSON-ready dict."""
    items = [view(item.source) if view else item.source for item in page.items]
    return {"items": items, "total": page.total, "next_cursor": page.next_cursor}


PATCH_DOC = {"description": "Send only the fields to change (top-level fields are replaced whole) with "
                            "`If-Match: <ETag from GET>`; 412 if the record changed meanwhile, 428 without If-Match.",
             "parameters": [{"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"}}]}

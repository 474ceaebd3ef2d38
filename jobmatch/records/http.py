"""HTTP helpers shared by the register blueprints: ETag headers, If-Match, raw PATCH bodies, pages."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema

from jobmatch.records.repository import ETAG_PATTERN, Page, Stored


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


IF_MATCH_PARAMETER = {"in": "header", "name": "If-Match", "required": True,
                      "description": "The ETag from your last GET of the record (`*` is not accepted: 400).",
                      "schema": {"type": "string", "pattern": ETAG_PATTERN}}
PATCH_DOC = {"description": "Send only the fields to change (top-level fields are replaced whole) with "
                            "`If-Match: <ETag from GET>`; 412 if the record changed meanwhile, 428 without If-Match.",
             "parameters": [IF_MATCH_PARAMETER]}


def patch_schema(schema_cls: type[Schema]) -> type[Schema]:
    """Return a schema class that documents a PATCH body (never loads one): the fields of `schema_cls`, none
    required, unknown ones refused, and null, which removes a field, allowed on the fields a record may lack."""

    class PatchBody(schema_cls):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(partial=True, **kwargs)
            for field in self.fields.values():
                if not field.required:
                    field.allow_none = True

    # The document names the component after this: EmployerInPatch, JobInPatch, ...
    PatchBody.__name__ = PatchBody.__qualname__ = f"{schema_cls.__name__}Patch"
    return PatchBody


def patch_doc(schema_cls: type[Schema]) -> dict[str, Any]:
    """Return the OpenAPI doc of a PATCH route: the If-Match header and the changes (see `patch_schema`)."""
    body = {"required": True, "description": "The fields to change, each valid as on creation; external_id and "
                                             "source cannot change; the merged record must be valid as a whole.",
            "content": {"application/json": {"schema": patch_schema(schema_cls)}}}
    return {**PATCH_DOC, "requestBody": body}

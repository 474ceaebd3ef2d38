"""Employers: derived fields, access rules and listing filters."""

from __future__ import annotations

from datetime import date
from typing import Any

from jobmatch.auth.tokens import Principal
from jobmatch.employers.schemas import EmployerIn
from jobmatch.errors import NotFound
from jobmatch.records.repository import Page, Stored
from jobmatch.records.service import Document, RecordService, ResourceSpec, term_filters
from jobmatch.reference import INDUSTRIES


def _derive(doc: Document, today: date) -> Document:
    return {"status": "active"}


def _search_text(doc: Document) -> str:
    industry_vi, industry_en = INDUSTRIES[doc["industry"]]
    return " ".join([doc["name"], industry_vi, industry_en, doc["address"]["commune"]])


SPEC = ResourceSpec(name="employers", id_field="employer_id", id_prefix="emp", schema=EmployerIn,
                    derive=_derive, search_text=_search_text, location_fields=("address",))


class EmployerService:
    """Employer records as seen by one caller."""

    def __init__(self, *, es: Any, prefix: str, principal: Principal) -> None:
        self.records = RecordService(SPEC, es=es, prefix=prefix, embedder=None)
        self.principal = principal

    def _own_only(self, stored: Stored) -> None:
        if self.principal.role == "employer" and stored.id != self.principal.employer_id:
            raise NotFound(f"no record with id {stored.id}")

    def create(self, data: Document) -> tuple[Stored, bool]:
        """Register an employer (idempotent for a repeated external id)."""
        return self.records.create(data, actor=self.principal.token_id)

    def get(self, employer_id: str) -> Stored:
        """Return an employer; an employer token sees only its own."""
        stored = self.records.get(employer_id)
        self._own_only(stored)
        return stored

    def patch(self, employer_id: str, changes: dict[str, Any], etag: str | None) -> Stored:
        """Change fields, guarded by the ETag."""
        return self.records.patch(employer_id, changes, etag=etag, actor=self.principal.token_id,
                                  allowed=self._own_only)

    def close(self, employer_id: str, reason: str) -> Stored:
        """Mark the employer closed with a reason."""
        return self.records.close(employer_id, reason=reason, actor=self.principal.token_id,
                                  updates={"status": "closed"})

    def list(self, args: dict[str, Any]) -> Page:
        """Return a page of employers matching the listing arguments."""
        filters: list[Document] = []
        if self.principal.role == "employer":
            filters.append({"term": {"employer_id": self.principal.employer_id}})
        filters += term_filters(args, {"industry": "industry", "commune_code": "address.commune_code"})
        return self.records.list(filters=filters, text=args.get("q"), text_fields=["name", "search_text"],
                                 size=args["size"], cursor=args.get("cursor"),
                                 include_closed=args.get("include_closed", False))

"""Storage of the audit log: append an entry, list entries for admins, delete entries past retention.

No Flask here; the HTTP layer (jobmatch.audit.http) decides what to record for each request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from elasticsearch import Elasticsearch

from indexer.naming import alias_name
from jobmatch.records.repository import Page, Repository
from jobmatch.search.purge import delete_matching

Document = dict[str, Any]
MAX_IDS = 200  # a page of records at most; longer lists keep the count only beyond this
# Fields of a jobseeker that are personal or sensitive (Decree 13/2023/NĐ-CP): their names are what an audit
# entry lists. Values never are.
PERSONAL_FIELDS = ("personal", "disability", "has_disability", "gender", "ethnicity", "priority_groups",
                   "birth_year", "languages", "residence", "consent", "work_history")


@dataclass
class Access:
    """One access to note: what kind of record, which ids, which personal fields, and why (erasures)."""

    action: str  # read | list | export | create | update | close | erase
    record_kind: str
    record_ids: list[str]
    fields: list[str] = field(default_factory=list)
    reason: str | None = None


def personal_fields(views: list[Document]) -> list[str]:
    """Return the personal or sensitive field names present (non-empty) in records as returned, sorted.

    `personal` is listed by its parts (personal.full_name, personal.phone, ...), the most sensitive level.
    """
    names: set[str] = set()
    for view in views:
        for key in PERSONAL_FIELDS:
            value = view.get(key)
            if value in (None, "", [], {}, False):
                continue
            if key == "personal" and isinstance(value, dict):
                names.update(f"personal.{part}" for part, v in value.items() if v not in (None, ""))
            else:
                names.add(key)
    return sorted(names)


def entry(access: Access, *, actor: str, role: str, employer_id: str | None, route: str, method: str,
          status: int, request_id: str | None, now: datetime | None = None) -> Document:
    """Return the document stored for one access (pure, so that "no values" is easy to test)."""
    ids = list(dict.fromkeys(access.record_ids))
    doc: Document = {"at": (now or datetime.now(UTC)).isoformat(timespec="milliseconds"), "actor": actor,
                     "role": role, "action": access.action, "record_kind": access.record_kind,
                     "record_ids": ids[:MAX_IDS], "record_count": len(ids), "fields": sorted(set(access.fields)),
                     "route": route, "method": method, "status": status}
    if employer_id:
        doc["employer_id"] = employer_id
    if access.reason:
        doc["reason"] = access.reason
    if request_id:
        doc["request_id"] = request_id
    return doc


class AuditLog:
    """The audit index: appended to, never updated; read by admins; trimmed by retention."""

    def __init__(self, es: Elasticsearch, prefix: str) -> None:
        self.es = es
        self.alias = alias_name(prefix, "audit")
        self.repo = Repository(es, self.alias, refresh=False)

    def append(self, doc: Document) -> None:
        """Store one entry (an auto id: entries are never rewritten)."""
        self.es.index(index=self.alias, document=doc, op_type="create", refresh=False)

    def search(self, args: Document) -> Page:
        """Return entries newest first, filtered by actor, role, action, kind, record id and time span."""
        filters: list[Document] = [{"term": {name: args[arg]}} for arg, name in (
            ("actor", "actor"), ("role", "role"), ("action", "action"), ("record_kind", "record_kind"),
            ("record_id", "record_ids"), ("employer_id", "employer_id")) if args.get(arg)]
        span = {op: args[key].isoformat() for key, op in (("since", "gte"), ("until", "lte")) if args.get(key)}
        if span:
            filters.append({"range": {"at": span}})
        self.es.indices.refresh(index=self.alias)  # entries are written without refresh; admins read rarely
        return self.repo.search(query={"bool": {"filter": filters}}, sort=[{"at": "desc"}, {"_doc": "desc"}],
                                size=args["size"], cursor=args.get("cursor"))

    def purge(self, retention_days: int, now: datetime | None = None) -> int:
        """Delete entries older than the retention period; return how many were deleted."""
        cutoff = (now or datetime.now(UTC)) - timedelta(days=retention_days)
        return delete_matching(self.es, self.alias, {"range": {"at": {"lt": cutoff.isoformat()}}})

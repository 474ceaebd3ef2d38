"""Store and read official figures: one per (figure, year, area), replaced when entered again. No Flask here."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError

from config.labour_market import FIGURES
from indexer.naming import alias_name
from jobmatch.errors import ValidationFailed

Document = dict[str, Any]
PROVINCE = "province"  # the whole province (current unit: Thành phố Cần Thơ, former Sóc Trăng area)


def figure_id(key: str, year: int, area_code: str) -> str:
    """Return the one id a figure has, so entering it again replaces it (idempotent)."""
    return f"{key}:{year}:{area_code}"


def check_figure(key: str, value: float) -> None:
    """Refuse an unknown figure or a value outside its unit, naming the field."""
    if key not in FIGURES:
        raise ValidationFailed.on_field("key", "must be one of " + ", ".join(sorted(FIGURES)), location="path")
    if not 0 <= value <= 1:
        raise ValidationFailed.on_field("value", "is a share or rate between 0 and 1 (e.g. 0.027 for 2.7%)")


class FigureStore:
    """The `figures` index."""

    def __init__(self, es: Elasticsearch, prefix: str) -> None:
        self.es = es
        self.alias = alias_name(prefix, "figures")

    def set(self, *, key: str, year: int, value: float, source: str, as_of: date | None, actor: str,
            area_code: str = PROVINCE, note: str | None = None) -> Document:
        """Store a figure with its source and the date it refers to; return it as stored."""
        check_figure(key, value)
        doc: Document = {"key": key, "year": year, "area_code": area_code, "value": value, "source": source,
                         "as_of": (as_of or date(year, 12, 31)).isoformat(), "entered_by": actor,
                         "entered_at": datetime.now(UTC).isoformat(timespec="seconds")}
        if note:
            doc["note"] = note
        self.es.index(index=self.alias, id=figure_id(key, year, area_code), document=doc, refresh="wait_for")
        return doc

    def get(self, key: str, year: int, area_code: str = PROVINCE) -> Document | None:
        """Return one figure, or None."""
        try:
            return self.es.get(index=self.alias, id=figure_id(key, year, area_code))["_source"]
        except NotFoundError:
            return None

    def list(self, key: str | None = None) -> list[Document]:
        """Return every figure (of one key), newest year first."""
        query = {"term": {"key": key}} if key else {"match_all": {}}
        response = self.es.search(index=self.alias, query=query, size=1000,
                                  sort=[{"key": "asc"}, {"year": "desc"}, {"area_code": "asc"}])
        return [hit["_source"] for hit in response["hits"]["hits"]]

    def latest(self, up_to_year: int, area_code: str = PROVINCE) -> dict[str, Document]:
        """Return, per figure, the newest one for a year up to `up_to_year` (what a report of that year uses)."""
        response = self.es.search(index=self.alias, size=0, query={"bool": {"filter": [
            {"term": {"area_code": area_code}}, {"range": {"year": {"lte": up_to_year}}}]}},
            aggs={"by": {"terms": {"field": "key", "size": 100},
                         "aggs": {"top": {"top_hits": {"size": 1, "sort": [{"year": "desc"}]}}}}})
        return {b["key"]: b["top"]["hits"]["hits"][0]["_source"] for b in response["aggregations"]["by"]["buckets"]}

"""Pieces shared by several index definitions: settings, Vietnamese analysis, locations, vectors."""

from __future__ import annotations

from typing import Any

# One shard: the province's registers are tens of thousands of records, far below what a shard holds well.
# No replicas by default so a single development node is green; production raises it with the settings API.
BASE_SETTINGS: dict[str, Any] = {"number_of_shards": 1, "number_of_replicas": 0}

# Vietnamese is written in syllables separated by spaces, and most words are two syllables ("thợ hàn",
# "công nhân"): the standard tokenizer yields syllables, and a shingle filter adds syllable bigrams so that
# whole words score above scattered syllables. Diacritic folding is done before indexing (jobmatch.text.fold)
# into `search_text_folded`, because the integration-test distribution lacks the asciifolding filter.
VI_ANALYSIS: dict[str, Any] = {
    "filter": {
        "vi_bigrams": {"type": "shingle", "min_shingle_size": 2, "max_shingle_size": 2,
                       "output_unigrams": False},
    },
    "analyzer": {
        "vi_text": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase"]},
        "vi_bigram": {"type": "custom", "tokenizer": "standard", "filter": ["lowercase", "vi_bigrams"]},
    },
}


def vector_field(dims: int) -> dict[str, Any]:
    """Return a cosine dense_vector with an int8-quantised HNSW graph (4x less memory than float)."""
    return {"type": "dense_vector", "dims": dims, "index": True, "similarity": "cosine",
            "index_options": {"type": "int8_hnsw"}}


def audit_fields() -> dict[str, Any]:
    """Return the timestamps and bookkeeping every record carries."""
    return {"created_at": {"type": "date"}, "updated_at": {"type": "date"}, "created_by": {"type": "keyword"},
            "closed_at": {"type": "date"}, "close_reason": {"type": "text", "index": False},
            "closed_by": {"type": "keyword"}, "input_hash": {"type": "keyword", "index": False},
            "external_id": {"type": "keyword"}, "source": {"type": "keyword"}}


def vi_text(*, raw: bool = False) -> dict[str, Any]:
    """Return a Vietnamese text field with a syllable-bigram sub-field (and a keyword one when `raw`)."""
    subfields: dict[str, Any] = {"bigram": {"type": "text", "analyzer": "vi_bigram"}}
    if raw:
        subfields["raw"] = {"type": "keyword", "ignore_above": 256}
    return {"type": "text", "analyzer": "vi_text", "fields": subfields}


def search_fields() -> dict[str, Any]:
    """Return the composed full-text field, its folded copy and its word-segmented copy.

    `search_words` holds the text with each word's syllables joined by "_" (segmented in Python by the
    configured library); the standard tokenizer keeps such a word whole, so words match as words.
    """
    return {"search_text": vi_text(), "search_text_folded": vi_text(),
            "search_words": {"type": "text", "analyzer": "vi_text"}}


def keyword() -> dict[str, Any]:
    """Return a keyword field."""
    return {"type": "keyword"}


def location() -> dict[str, Any]:
    """Return a place: current province and commune, the pre-reform units, urban flag, coordinates."""
    return {"properties": {
        "province": keyword(), "commune_code": keyword(), "commune": keyword(), "urban": {"type": "boolean"},
        "address": {"type": "text", "index": False},
        "legacy": {"properties": {"province": keyword(), "district_code": keyword(), "district": keyword(),
                                  "ward_code": keyword(), "ward": keyword()}},
        "location": {"type": "geo_point"},
        "location_source": keyword(),  # given, legacy_ward or commune_centroid: how exact the point is
    }}


def occupation() -> dict[str, Any]:
    """Return an occupation with its ISCO-08 hierarchy levels for proximity and group-by."""
    return {"properties": {"code": keyword(), "minor": keyword(), "sub_major": keyword(), "major": keyword(),
                           "title_vi": vi_text(), "title_en": {"type": "text"}}}


def strict_index(properties: dict[str, Any], *, analysis: bool = False) -> dict[str, Any]:
    """Return a create-index body whose mapping rejects fields it does not declare."""
    settings: dict[str, Any] = {"index": dict(BASE_SETTINGS)}
    if analysis:
        settings["analysis"] = VI_ANALYSIS
    return {"settings": settings, "mappings": {"dynamic": "strict", "properties": properties}}

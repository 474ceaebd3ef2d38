"""Deleting the documents a query finds, on any Elasticsearch distribution.

`_delete_by_query` lives in the reindex module, which not every distribution has (the integration-test build the
project develops against lacks it), so retention jobs scan and bulk-delete instead.
"""

from __future__ import annotations

from typing import Any

from elasticsearch import helpers


def delete_matching(es: Any, index: str, query: dict[str, Any]) -> int:
    """Delete every document of `index` (an alias or index name) that `query` matches; return how many.

    A refresh first, so that documents written in the last second are found too.
    """
    es.indices.refresh(index=index)
    found = helpers.scan(es, index=index, _source=False, query={"query": query})
    deleted, _ = helpers.bulk(es, ({"_op_type": "delete", "_index": hit["_index"], "_id": hit["_id"]}
                                   for hit in found), refresh=True, raise_on_error=False)
    return int(deleted)

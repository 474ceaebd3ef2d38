"""Build the Elasticsearch client from settings and ask the cluster who it is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from elasticsearch import ApiError, Elasticsearch, TransportError

from config.settings import es_url


def build_client(settings: Mapping[str, Any]) -> Elasticsearch:
    """Return a client for ES_URL (or the local node) with the configured credentials; connects lazily."""
    kwargs: dict[str, Any] = {
        "request_timeout": settings["ES_REQUEST_TIMEOUT"],
        # A timeout is not retried: on a single node the retry waits on the same stalled node (with 2 retries a
        # frozen node held each request for three timeouts), and a retried write that did land answers 409/412
        # to its own writer.
        "retry_on_timeout": False,
        # Refused connections are retried (cheap, and a pooled keep-alive connection may have been closed).
        "max_retries": 2,
        # Not 429 (the client's default retries it at once, no back-off): Elasticsearch answers 429 for the disk
        # flood-stage block as well as for overload, and neither clears in milliseconds. The API answers 503 with
        # Retry-After instead, so callers back off.
        "retry_on_status": (502, 503, 504),
    }
    if settings["ES_API_KEY"]:
        kwargs["api_key"] = settings["ES_API_KEY"]
    elif settings["ES_USERNAME"]:
        kwargs["basic_auth"] = (settings["ES_USERNAME"], settings["ES_PASSWORD"] or "")
    if settings["ES_CA_CERT"]:
        kwargs["ca_certs"] = settings["ES_CA_CERT"]
    return Elasticsearch(es_url(settings), **kwargs)


def cluster_version(es: Elasticsearch) -> str:
    """Return the Elasticsearch version; raises the client's errors when the cluster does not answer.

    The integration-test distribution has no `GET /` handler, so fall back to the local node's info.
    """
    try:
        return str(es.info()["version"]["number"])
    except ApiError as exc:
        if exc.status_code not in (404, 405):
            raise
    nodes = es.nodes.info(node_id="_local", filter_path="nodes.*.version")["nodes"]
    return str(next(iter(nodes.values()))["version"])


__all__ = ["ApiError", "TransportError", "build_client", "cluster_version"]

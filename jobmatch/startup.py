"""Checks run before the API serves: refuse to start on indices embedded with another model."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from elasticsearch import ApiError, TransportError

from indexer.aliases import check_models
from indexer.mappings import DEFINITIONS
from jobmatch.embeddings import model_identity
from jobmatch.errors import StartupError
from jobmatch.search.client import build_client

log = logging.getLogger(__name__)


def verify_indices(settings: Mapping[str, Any]) -> None:
    """Raise StartupError when an index holds vectors from another model than EMBEDDING_MODEL.

    An unreachable cluster is only logged: the API starts and `/readyz` answers 503 until it is back.
    """
    if not settings["STARTUP_CHECKS"]:
        return
    es = build_client(settings)
    try:
        problems = check_models(es, settings["INDEX_PREFIX"], DEFINITIONS, model_identity(settings["EMBEDDING_MODEL"]))
    except (ApiError, TransportError) as exc:
        log.warning("could not check index models at start-up (%s); /readyz will report", type(exc).__name__)
        return
    finally:
        es.close()
    if problems:
        raise StartupError("\n".join(problems))

"""Index definitions as code: settings, analyzers and mappings, one module per index.

Each definition has a version; changing a mapping means raising the version so that `indices upgrade` builds a
new physical index and swaps the alias. Vector dimensions and the model name come from the embedder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from indexer.mappings import (
    audit,
    employers,
    exchange_sessions,
    figures,
    jobs,
    leases,
    login_attempts,
    placement_events,
    placements,
    reports,
    tokens,
    users,
    web_sessions,
    workers,
)

Body = dict[str, Any]


@dataclass(frozen=True)
class ModelInfo:
    """The embedding model an index is built for."""

    name: str
    dims: int


@dataclass(frozen=True)
class IndexDefinition:
    """One logical index: its name, mapping version and a builder for the create-index body."""

    name: str
    version: int
    build: Callable[[ModelInfo | None], Body]
    embedded: bool  # has a dense_vector field, so it depends on the embedding model

    def body(self, model: ModelInfo | None) -> Body:
        """Return the create-index body with `_meta` recording version and model."""
        if self.embedded and model is None:
            raise ValueError(f"index {self.name} needs the embedding model's dimensions")
        body = self.build(model)
        meta: dict[str, Any] = {"index": self.name, "version": self.version}
        if self.embedded and model is not None:
            meta.update(embedding_model=model.name, embedding_dims=model.dims)
        body.setdefault("mappings", {})["_meta"] = {"jobmatch": meta}
        return body


DEFINITIONS: tuple[IndexDefinition, ...] = (
    IndexDefinition("tokens", tokens.VERSION, tokens.build, embedded=False),
    IndexDefinition("employers", employers.VERSION, employers.build, embedded=False),
    IndexDefinition("jobs", jobs.VERSION, jobs.build, embedded=True),
    IndexDefinition("workers", workers.VERSION, workers.build, embedded=True),
    IndexDefinition("placements", placements.VERSION, placements.build, embedded=False),
    IndexDefinition("placement_events", placement_events.VERSION, placement_events.build, embedded=False),
    IndexDefinition("exchange_sessions", exchange_sessions.VERSION, exchange_sessions.build, embedded=False),
    IndexDefinition("reports", reports.VERSION, reports.build, embedded=False),
    IndexDefinition("audit", audit.VERSION, audit.build, embedded=False),
    IndexDefinition("leases", leases.VERSION, leases.build, embedded=False),
    IndexDefinition("figures", figures.VERSION, figures.build, embedded=False),
    IndexDefinition("users", users.VERSION, users.build, embedded=False),
    IndexDefinition("login_attempts", login_attempts.VERSION, login_attempts.build, embedded=False),
    IndexDefinition("web_sessions", web_sessions.VERSION, web_sessions.build, embedded=False),
)


def definition(name: str) -> IndexDefinition:
    """Return the definition called `name`."""
    for item in DEFINITIONS:
        if item.name == name:
            return item
    raise KeyError(name)

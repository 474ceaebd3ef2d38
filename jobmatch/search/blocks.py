"""Write blocks: which of our indices refuse writes, and whether a refused write should wait or fail at once.

Elasticsearch refuses a write to a blocked index with a `cluster_block_exception`. On 9.5 (measured) the disk
flood-stage block `index.blocks.read_only_allow_delete` answers HTTP 429 and `index.blocks.write` /
`index.blocks.read_only` answer 403. A reindex (`indexer.aliases.rebuild`) holds `index.blocks.write` on the old
index for the seconds it needs to catch up and swap the alias, and writers wait that one out. Every other block
lasts until someone frees disk or lifts it, so waiting only holds a request thread: the API answers 503 at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from elasticsearch import ApiError, Elasticsearch

from indexer.naming import parse_physical

# The index settings that stop writes (index.blocks.read and .metadata do not).
WRITE_BLOCK_SETTINGS = ("index.blocks.read_only_allow_delete", "index.blocks.read_only", "index.blocks.write")
# How Elasticsearch names the block `index.blocks.write` sets; the add-block API (what a reindex calls) first
# holds it as "moving to block index write (api)" while it verifies the shards.
REINDEX_BLOCKS = ("index write (api)", "moving to block index write (api)")
_INDEX = re.compile(r"index \[(?P<index>[^\]]+)\] blocked by")
_BLOCK = re.compile(r"\[(?P<level>[A-Z_]+)/(?P<id>\d+)/(?P<description>[^\]]*)\]")


@dataclass(frozen=True)
class Block:
    """A refused write: the concrete index (None for a cluster-wide block) and the blocks Elasticsearch named."""

    index: str | None
    descriptions: tuple[str, ...]
    reason: str

    @property
    def is_reindex_kind(self) -> bool:
        """Tell whether only `index.blocks.write` on one index refuses the write (what a reindex sets)."""
        return self.index is not None and bool(self.descriptions) and all(
            d in REINDEX_BLOCKS for d in self.descriptions)


def parse_block(error: ApiError) -> Block | None:
    """Return the block an Elasticsearch error reports, or None when it is not a cluster_block_exception."""
    body = error.body if isinstance(error.body, Mapping) else {}
    detail = body.get("error") if isinstance(body.get("error"), Mapping) else {}
    if detail.get("type") != "cluster_block_exception":
        return None
    reason = str(detail.get("reason") or "")
    index = _INDEX.search(reason)
    return Block(index.group("index") if index else None,
                 tuple(m.group("description") for m in _BLOCK.finditer(reason)), reason)


def _stamp(index: str) -> str:
    # Physical names end in a UTC creation stamp (indexer.naming): a later stamp is a later index.
    return index.rsplit("-", 1)[-1].ljust(20, "0")


def reindex_holds(es: Elasticsearch, alias: str, blocked_index: str) -> bool:
    """Tell whether `index.blocks.write` on `blocked_index` (behind `alias`) is a reindex's, which ends by itself.

    True when the alias has already moved off the blocked index (the swap happened meanwhile, so a retry goes to
    the new one) or a physical index of the alias newer than the blocked one exists without the alias: the
    reindex's target, filled while the source is blocked. One `GET <alias>-v*/_alias` call.
    """
    response: dict[str, Any] = es.indices.get_alias(index=f"{alias}-v*").body
    aliased = {name for name, entry in response.items() if alias in (entry.get("aliases") or {})}
    if not aliased:  # not an alias over our physical indices: nothing of ours will lift the block
        return False
    if blocked_index not in aliased:
        return True
    return any(name not in aliased and (parse_physical(name) or ("", 0))[0] == alias
               and _stamp(name) > _stamp(blocked_index) for name in response)


def write_blocks(es: Elasticsearch, prefix: str) -> dict[str, list[str]]:
    """Return {physical index: [write-block settings set to true]} for the indices under `prefix` that have one,
    from one settings call filtered to the block settings (indices without any are left out)."""
    response: dict[str, Any] = es.indices.get_settings(index=f"{prefix}*", name=",".join(WRITE_BLOCK_SETTINGS),
                                                       flat_settings=True).body
    found = {index: sorted(name for name, value in (entry.get("settings") or {}).items() if str(value) == "true")
             for index, entry in response.items()}
    return {index: names for index, names in found.items() if names}

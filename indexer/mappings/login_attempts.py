"""Recent failed sign-ins, one document per throttling key (a username or a client address), shared by every
API worker and host. Only the failure times of the last window are kept; nothing older matters.

The document id is `<kind>:<SHA-256 of the key>`, so plain usernames and addresses stay out of this index and
the id length is bounded whatever a client sends (a pseudonym, not anonymisation: short keys can be guessed).
"""

from __future__ import annotations

from typing import Any

from indexer.mappings.common import keyword, strict_index

VERSION = 1


def build(_model: object) -> dict[str, Any]:
    """Return the create-index body."""
    return strict_index({
        "kind": keyword(),  # user | ip
        "failures": {"type": "date", "format": "epoch_millis"},  # recent attempts not (yet) successful, oldest first
        "updated_at": {"type": "date"},
    })

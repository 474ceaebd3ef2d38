"""Names of aliases and of the versioned physical indices behind them."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_PHYSICAL = re.compile(r"^(?P<alias>.+)-v(?P<version>\d+)-(?P<stamp>\d{14}\d*)$")


def alias_name(prefix: str, name: str) -> str:
    """Return the alias the API reads and writes, e.g. `jobmatch-jobs`."""
    return f"{prefix}{name}"


def physical_name(prefix: str, name: str, version: int, now: datetime | None = None) -> str:
    """Return a new physical index name, e.g. `jobmatch-jobs-v2-20261122193000123456`."""
    now = now or datetime.now(UTC)
    return f"{alias_name(prefix, name)}-v{version}-{now.strftime('%Y%m%d%H%M%S%f')}"


def parse_physical(index: str) -> tuple[str, int] | None:
    """Split a physical name into (alias, version), or None when it is not one of ours."""
    match = _PHYSICAL.match(index)
    if not match:
        return None
    return match.group("alias"), int(match.group("version"))

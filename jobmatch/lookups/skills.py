"""Skill type-ahead: the Vietnamese skills used in the registers and the ESCO skills of the taxonomy.

Registers are where Vietnamese skill names live (ESCO has none in Vietnamese), so the suggestions read the
skills vacancies and jobseekers carry (a terms aggregation, refreshed every few minutes) beside the English
ESCO skills linked to ISCO-08 unit groups.
"""

from __future__ import annotations

import csv
import threading
import time
from functools import cache
from typing import Any

from indexer.naming import alias_name
from jobmatch import reference
from jobmatch.lookups.index import NameIndex

REFRESH_SECONDS = 300.0  # new skills typed into the registers show up within five minutes
REGISTER_SKILLS = 3000  # most used skills per field: the long tail is mostly typos


@cache
def esco_skills() -> tuple[str, ...]:
    """Return the ESCO skill labels linked to any unit group (English)."""
    with open(reference.DATA / "occupation_skills.csv", encoding="utf-8", newline="") as handle:
        return tuple(sorted({row["skill"] for row in csv.DictReader(handle)}))


class SkillSuggester:
    """Suggest skills as a person types; one per process, its register vocabulary refreshed periodically."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: dict[str, tuple[float, list[tuple[str, str, int]], NameIndex]] = {}

    def _register_skills(self, es: Any, prefix: str) -> list[tuple[str, int]]:
        fields = {"jobs": ["essential_skills", "optional_skills"], "workers": ["skills"]}
        counts: dict[str, int] = {}
        for index, names in fields.items():
            aggs = {name: {"terms": {"field": name, "size": REGISTER_SKILLS}} for name in names}
            response = es.search(index=alias_name(prefix, index), size=0, aggs=aggs, track_total_hits=False)
            for name in names:
                for bucket in response["aggregations"][name]["buckets"]:
                    counts[bucket["key"]] = counts.get(bucket["key"], 0) + bucket["doc_count"]
        return sorted(counts.items())

    def _vocabulary(self, es: Any, prefix: str) -> tuple[list[tuple[str, str, int]], NameIndex]:
        with self._lock:
            built = self._built.get(prefix)
            if built is None or time.monotonic() - built[0] > REFRESH_SECONDS:
                entries = [(name, "register", n) for name, n in self._register_skills(es, prefix)]
                entries += [(name, "esco", 0) for name in esco_skills()]
                built = (time.monotonic(), entries, NameIndex([e[0] for e in entries]))
                self._built[prefix] = built
            return built[1], built[2]

    def suggest(self, query: str, *, es: Any, prefix: str, size: int = 10) -> list[dict[str, object]]:
        """Return skills matching what was typed, best first (register skills win ties by use)."""
        entries, index = self._vocabulary(es, prefix)
        hits = index.search(query, size=size * 3)
        ranked = sorted(hits, key=lambda h: (-round(h.score, 2), -entries[h.position][2], entries[h.position][0]))
        return [{"skill": entries[h.position][0], "source": entries[h.position][1], "used": entries[h.position][2],
                 "score": round(h.score, 3)} for h in ranked[:size]]


SUGGESTER = SkillSuggester()

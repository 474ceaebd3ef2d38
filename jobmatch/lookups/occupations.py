"""The occupation autocoder: a free-text job title → ranked ISCO-08 unit groups with a confidence.

Names come from `occupation_labels.csv` (VSCO 2020 titles, everyday Vietnamese names and aliases, ESCO English
labels). A title is cleaned of what is not the occupation (recruiting words, pay, place, counts), matched
against every name with the fuzzy index, and each unit group scores by its best name. Pure functions over the
reference tables; the index is built once per process.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np

from jobmatch import reference
from jobmatch.lookups.index import NameIndex
from jobmatch.lookups.places import find_places
from jobmatch.text import fold_chars

# Recruiting words, pay, counts and places say nothing about the occupation; they are removed before matching.
_NOISE = [re.compile(p) for p in (
    r"\([^)]*\d[^)]*\)",  # "(lương 7tr)", "(02 người)"
    r"(?:luong|thu nhap|muc luong)\b.*$",  # pay and everything after it
    r"\b(?:tai|o|khu vuc|dia diem)\s+(?:tp|thanh pho|thi xa|huyen|xa|phuong|kcn|khu cong nghiep|quan)\b.*$",
    r"\b(?:can tuyen gap|tuyen gap|can gap|can tuyen|tuyen dung|tuyen|can|gap|hot|urgent|hiring)\b",
    r"\b(?:so luong lon|so luong|nhieu|lam ngay|di lam ngay|nam nu|nam/nu|nam|nu)\b",
    r"\b\d+\s*(?:nguoi|ban|slot|vi tri)?\b",
)]
# Below this a title is not auto-coded: the caller gets the best three to choose from. On the dev titles
# 0.55 codes 84% of titles at 92% precision (0.65: 69% at 95%); a wrong auto-code stays reviewable.
CONFIDENT = 0.55
COMMON_PRIOR = 0.01  # breaks ties only: far below any real difference between two names


@dataclass(frozen=True)
class Suggestion:
    """A unit group suggested for a title, with the name that matched and a confidence in 0..1."""

    code: str
    title_vi: str
    title_en: str
    confidence: float
    matched: str

    def as_dict(self) -> dict[str, object]:
        """Return the JSON form."""
        return {"code": self.code, "title_vi": self.title_vi, "title_en": self.title_en,
                "confidence": round(self.confidence, 3), "matched": self.matched}


def clean_title(title: str) -> str:
    """Return the part of a posted title that names the occupation (accents kept where it had them)."""
    text = unicodedata.normalize("NFC", title)
    folded = fold_chars(text)
    keep = list(text)
    spans = [match.span() for pattern in _NOISE for match in pattern.finditer(folded)]
    spans += [span for _, span in find_places(text, folded, [])]  # "tại Vĩnh Châu", "KCN An Nghiệp"
    for start, end in spans:
        for i in range(start, end):
            keep[i] = " "
    cleaned = " ".join("".join(keep).replace("-", " ").replace("/", " ").split())
    return cleaned or title


def confidence(best: float, second: float) -> float:
    """Return how sure a suggestion is: its similarity, discounted when a rival scores close to or above it."""
    if best <= 0:
        return 0.0
    margin = max(0.0, (best - second) / best)
    return float(min(1.0, best * (0.6 + 0.8 * margin)))


class Autocoder:
    """Suggest ISCO-08 unit groups for free-text titles."""

    def __init__(self, labels: list[tuple[str, str]]) -> None:
        """`labels` are (unit group code, name) pairs, several per code."""
        order = sorted(range(len(labels)), key=lambda i: labels[i][0])
        self.codes = np.asarray([labels[i][0] for i in order])
        self.labels = [labels[i][1] for i in order]
        self.index = NameIndex(self.labels)
        self.unique, self.starts = np.unique(self.codes, return_index=True)
        # Ties between groups sharing a name ("receptionist", "sales executive" in ESCO) go to the group the
        # centre sees most: those with an everyday Vietnamese name (jobmatch/reference: title_vi_common).
        common = {code for code, unit in reference.occupations().items() if unit.title_vi_common}
        self.prior = np.asarray([COMMON_PRIOR if code in common else 0.0 for code in self.unique], dtype=np.float32)

    def suggest(self, title: str, size: int = 5) -> list[Suggestion]:
        """Return the best unit groups for a title, best first."""
        cleaned = clean_title(title)
        scores = self.index.scores(cleaned)
        if not scores.size or scores.max() <= 0:
            return []
        best_per_code = np.maximum.reduceat(scores, self.starts) + self.prior
        order = np.argsort(-best_per_code, kind="stable")[: max(size, 2)]
        top = [(self.unique[i], float(best_per_code[i])) for i in order if best_per_code[i] > 0]
        result = []
        for rank, (code, score) in enumerate(top[:size]):
            rival = top[rank + 1][1] if rank + 1 < len(top) else 0.0
            group = int(np.searchsorted(self.unique, code))
            start, end = self.starts[group], (self.starts[group + 1] if group + 1 < len(self.starts) else len(scores))
            matched = self.labels[start + int(np.argmax(scores[start:end]))]
            unit = reference.unit_group(str(code))
            result.append(Suggestion(str(code), unit.label_vi if unit else "", unit.title_en if unit else "",
                                     confidence(score, rival if rank == 0 else top[0][1]), matched))
        return result

    def code(self, title: str) -> tuple[Suggestion | None, list[Suggestion]]:
        """Return (the confident best suggestion or None, the best three)."""
        suggestions = self.suggest(title, size=3)
        best = suggestions[0] if suggestions and suggestions[0].confidence >= CONFIDENT else None
        return best, suggestions


@cache
def autocoder() -> Autocoder:
    """Return the process-wide autocoder built from the reference labels."""
    with open(reference.DATA / "occupation_labels.csv", encoding="utf-8", newline="") as handle:
        labels = [(row["code"], row["label"]) for row in csv.DictReader(handle)]
    return Autocoder(labels)


def suggest_occupations(text: str) -> list[tuple[str, str, float, str]]:
    """Return (code, Vietnamese title, confidence, matched name) for free text, as walk-in understanding uses it."""
    return [(s.code, s.title_vi, s.confidence, s.matched) for s in autocoder().suggest(text, size=3)]

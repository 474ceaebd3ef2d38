"""A fuzzy name index: what a person types, with or without diacritics or with typos, against many names.

Each name and each query becomes a TF-IDF vector over four kinds of features: folded syllables, folded
syllable pairs (Vietnamese words are mostly two syllables, so a pair is a word), accented syllables (so
"may" and "máy" agree only when typed alike) and folded character trigrams (typos). Rare features weigh
more, so "nhân viên" counts for little and "hàn" for much. Pure Python over scikit-learn; no server.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from jobmatch.text import fold, has_diacritics

_WORD = re.compile(r"[^\W_]+")


def features(text: str) -> list[str]:
    """Return the features of a name or query (see the module docstring)."""
    accented = [w.lower() for w in _WORD.findall(unicodedata.normalize("NFC", text))]
    folded = [fold(w) for w in accented]
    out = [f"w:{w}" for w in folded]
    out += [f"p:{a}_{b}" for a, b in pairwise(folded)]
    if has_diacritics(text):  # typed with accents, every syllable's exact form counts: "may" is not "máy"
        out += [f"a:{w}" for w in accented] + [f"q:{a}_{b}" for a, b in pairwise(accented)]
    for word in folded:
        padded = f" {word} "
        out += [f"c:{padded[i:i + 3]}" for i in range(len(padded) - 2)]
    return out


@dataclass(frozen=True)
class Hit:
    """One matched name: its position in the index and the cosine similarity."""

    position: int
    score: float


class NameIndex:
    """Cosine similarity between a query and every name, over the features above."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = list(names)
        self.vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, norm="l2", dtype=np.float32)
        self.matrix = self.vectorizer.fit_transform(self.names)

    def scores(self, query: str) -> np.ndarray:
        """Return the cosine similarity of the query to every name (0 where nothing is shared)."""
        vector = self.vectorizer.transform([query])
        return np.asarray((self.matrix @ vector.T).todense()).ravel()

    def search(self, query: str, size: int = 10) -> list[Hit]:
        """Return the best names for the query, best first."""
        scores = self.scores(query)
        if not scores.size:
            return []
        top = np.argsort(-scores, kind="stable")[:size]
        return [Hit(int(i), float(scores[i])) for i in top if scores[i] > 0]

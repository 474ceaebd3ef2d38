"""Vietnamese text helpers: NFC normalisation and diacritic folding (pure functions).

Folding is done here rather than in Elasticsearch because the integration-test distribution has no
`asciifolding` filter; documents carry a folded copy of their searchable text, and queries are folded the same
way, so "tho han" finds "thợ hàn" on every cluster.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_D = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC (one code point per accented letter), stripped."""
    return unicodedata.normalize("NFC", text).strip()


_INVISIBLE = str.maketrans({c: None for c in "\u200b\u2060\ufeff\u200e\u200f\u00ad"})


def clean(text: str) -> str:
    """Return NFC text with runs of white space folded to one space and invisible characters removed (a title
    of only a zero-width space is blank)."""
    return _SPACES.sub(" ", nfc(text.translate(_INVISIBLE)))


@lru_cache(maxsize=65536)  # skill and certificate names repeat across every pair the matcher scores
def fold(text: str) -> str:
    """Return `text` without diacritics, lower-cased: 'Thợ Hàn Điện' -> 'tho han dien'."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return clean(stripped).lower()


def has_diacritics(text: str) -> bool:
    """Tell whether any letter carries a Vietnamese diacritic (or is đ): the text was typed with accents."""
    return any(ch in "đĐ" or unicodedata.normalize("NFD", ch) != ch for ch in text if ch.isalpha())


def fold_chars(text: str) -> str:
    """Fold diacritics and case character by character, so spans in the folded text are spans in `text`.

    `text` must be NFC: every Vietnamese letter is then one code point and folds to one letter.
    """
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
        else:
            out.append(unicodedata.normalize("NFD", ch)[0].lower() if ch.isalpha() else ch.lower())
    return "".join(out)

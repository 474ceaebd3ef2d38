"""Which language a text is in, and what an embedding model that does not serve it should read instead.

The default model (all-MiniLM-L6-v2) was trained on English: Vietnamese text gives it noise (docs/benchmarks.md,
the Vietnamese harness). So a record or query in a language the model does not serve is embedded through the
English titles and ESCO skills of its occupations, which the model does understand; with a multilingual
model (`EMBEDDING_LANGUAGES=vi,en`) the text itself is embedded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from jobmatch import reference
from jobmatch.text import fold, has_diacritics

_WORD = re.compile(r"[a-z]+")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Frequent syllables of Vietnamese job talk, folded: typed without accents they are still Vietnamese.
VI_SYLLABLES = _words(
    "viec lam tuyen can nhan vien cong tho luong trieu nguoi khong co va cua cho tai o em anh chi muon tim ban hang "
    "phu ho xay dung may mac han dien lai xe tai giao ke toan van phong bao ve nuoi tom ca bep phuc vu quan an nghe "
    "hoc bang trung cap cao dang dai so kinh nghiem nam gan xa phuong thi huyen thanh ngay dem tre gia dinh quan ly "
    "ky thuat sua chua che bien dong goi kho truong giao day nha may cty ty "
)
EN_WORDS = _words(
    "the and of for with in to a an job jobs work worker workers looking want wants need needs as at on near driver "
    "cook teacher nurse welder electrician sales shop farm factory office assistant manager engineer clerk labourer "
    "laborer operator mechanic english part time full license licence experience years "
)
SKILLS_FOR_EMBEDDING = 8  # ESCO essential skills per unit group: enough to place it, short enough to embed fast


def detect(text: str) -> str:
    """Return "vi" or "en": diacritics or Vietnamese syllables say Vietnamese, else English."""
    if has_diacritics(text):
        return "vi"
    words = _WORD.findall(fold(text))
    vi = sum(1 for w in words if w in VI_SYLLABLES)
    en = sum(1 for w in words if w in EN_WORDS)
    return "vi" if vi > en else "en"


def served(text: str, languages: Iterable[str]) -> bool:
    """Tell whether the model serves the language the text is written in."""
    return detect(text) in set(languages)


def taxonomy_text(codes: Iterable[str]) -> str:
    """Return English occupation titles and their ESCO essential skills: what an English model reads instead."""
    skills = reference.occupation_skills()
    parts = []
    for code in dict.fromkeys(c for c in codes if c):
        unit = reference.unit_group(code)
        if unit is None:
            continue
        essential = skills.get(code, {}).get("essential", [])[:SKILLS_FOR_EMBEDDING]
        parts.append(f"{unit.title_en}: {', '.join(essential)}" if essential else unit.title_en)
    return ". ".join(parts)

"""Vietnamese word segmentation: "công nhân may mặc" → "công_nhân may_mặc", so words match, not syllables.

Vietnamese writes a space between syllables, not words: "viên" in "nhân viên" (staff) and in "lập trình viên"
(programmer) is the same syllable. A segmenter joins the syllables of each word with "_", and Elasticsearch's
standard tokenizer keeps "lập_trình_viên" as one token (the underscore joins letters in Unicode word breaking),
so the index's own analysis stays real. `TEXT_SEGMENTER` picks the library (both ship their models in their
PyPI packages); `syllables` turns segmentation off. The choice was measured on the Vietnamese relevance
harness (docs/benchmarks.md). Text typed without diacritics is left as syllables: both segmenters were
trained on accented text and mis-join folded syllables.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import lru_cache

from jobmatch.text import has_diacritics

log = logging.getLogger(__name__)
SEGMENTERS = ("pyvi", "underthesea", "syllables")
_lock = threading.Lock()
_loaded: dict[str, Callable[[str], str]] = {}
_method = {"current": "pyvi"}  # set once from TEXT_SEGMENTER by the app factory (configure)


def configure(method: str) -> None:
    """Choose the segmenter for this process (from TEXT_SEGMENTER, at start-up)."""
    if method not in SEGMENTERS:
        raise ValueError(f"unknown segmenter {method!r}; expected one of {SEGMENTERS}")
    _method["current"] = method


def current() -> str:
    """Return the segmenter in use."""
    return _method["current"]


def _load(method: str) -> Callable[[str], str]:
    """Import a segmenter once (their CRF models load on first use)."""
    with _lock:
        if method not in _loaded:
            if method == "pyvi":
                from pyvi import ViTokenizer

                _loaded[method] = ViTokenizer.tokenize
            elif method == "underthesea":
                from underthesea import word_tokenize

                _loaded[method] = lambda text: word_tokenize(text, format="text")
            else:
                _loaded[method] = lambda text: text
        return _loaded[method]


def segment(text: str) -> str:
    """Return `text` with the syllables of each word joined by "_" (unchanged without diacritics)."""
    return segment_with(text, _method["current"])


@lru_cache(maxsize=16384)  # vacancy titles and skills repeat across records and queries
def segment_with(text: str, method: str) -> str:
    """Return `text` segmented by `method`."""
    if method == "syllables" or not text or not has_diacritics(text):
        return text
    return _load(method)(text)

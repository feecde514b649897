"""Dutch lexical analysis and the BM25 index persisted beside the Chroma collection."""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import numpy as np

_RE_TOKEN = re.compile(r"[a-z0-9]+")
# Words that carry no topic in questions or documents, on top of the standard Dutch list.
_EXTRA_STOPWORDS = {"wel", "eigenlijk", "precies", "graag", "mag", "moet", "kan", "kun", "kunnen", "moeten",
                    "mogen", "zegt", "staat", "zijn", "worden", "wordt", "heeft", "hebben", "gaat", "ga", "welk",
                    "welke", "wanneer", "waarom", "hoeveel", "hoe", "wie", "wat", "waar", "jij", "jullie", "u",
                    "ik", "we", "wij", "ze", "zij", "die", "dat", "dit", "deze", "er", "daar", "hier", "nog",
                    "ook", "al", "of", "en", "een", "de", "het", "the", "a", "an", "of", "to", "and", "is"}


def fold_accents(text: str) -> str:
    """``beïnvloeding`` → ``beinvloeding``: accents stripped, everything else kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_DUTCH

    return frozenset(fold_accents(w) for w in STOPWORDS_DUTCH) | _EXTRA_STOPWORDS


@functools.lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("dutch")


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)


def tokenize(text: str) -> list[str]:
    """Lower-cased, accent-folded, stop-word-free Dutch stems; digits kept (years, percentages)."""
    words = _RE_TOKEN.findall(fold_accents(text.lower()))
    stop = stopwords()
    return [stem(w) for w in words if w not in stop and (len(w) > 1 or w.isdigit())]


class LexicalIndex:
    """BM25 (bm25s) over chunk texts, rows aligned with the store's chunk list."""

    def __init__(self, retriever, size: int):
        self._retriever = retriever
        self.size = size

    @classmethod
    def build(cls, texts: list[str]) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.index([tokenize(t) or ["_"] for t in texts], show_progress=False)
        return cls(retriever, len(texts))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(folder), show_progress=False)
        (folder / "size.txt").write_text(str(self.size))

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25.load(str(folder), show_progress=False)
        return cls(retriever, int((folder / "size.txt").read_text()))

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk for the query tokens (zeros when none is known)."""
        if not query_tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(query_tokens), dtype=np.float32)

"""The BM25 index persisted beside the Chroma collection, with the term statistics of the build.

Text analysis itself (stems, compounds, typos) is the language package's (``nl.text``); the index records the
stemmer it was built with and computes, once at build time, what answering needs about its terms: the
analysed tokens of every chunk and of its titles, and the document frequency of every term.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nl.text import ANALYSIS_VERSION, LEGACY_STEMMER, STEMMER, Analyzer, build_vocabulary


@dataclass
class TermStats:
    """Document frequencies of stems over the indexed chunks."""

    df: dict[str, int]
    n_docs: int

    def idf(self, term: str) -> float:
        return math.log(1 + (self.n_docs - self.df.get(term, 0) + 0.5) / (self.df.get(term, 0) + 0.5))

    @classmethod
    def of(cls, rows: list[list[str]]) -> "TermStats":
        df: dict[str, int] = {}
        for toks in rows:
            for t in set(toks):
                df[t] = df.get(t, 0) + 1
        return cls(df, len(rows))


class LexicalIndex:
    """BM25 (bm25s) over chunk texts, rows aligned with the store's chunk list, with its term statistics."""

    def __init__(self, retriever, size: int, analyzer: Analyzer, row_tokens: list[list[str]],
                 title_tokens: list[list[str]], sentence_tokens: list[list[str]] | None = None):
        self._retriever = retriever
        self.size = size
        self.analyzer = analyzer
        self.row_tokens = row_tokens
        self.title_tokens = [set(t) for t in title_tokens]
        # analysed stems of every indexed sentence, by its sentence-vector row
        self.sentence_tokens = [frozenset(t) for t in sentence_tokens or []]
        self.stats = TermStats.of(row_tokens)
        self.analysis_version = ANALYSIS_VERSION

    @classmethod
    def build(cls, texts: list[str], titles: list[str] | None = None, sentences: list[str] | None = None,
              stemmer: str = STEMMER) -> "LexicalIndex":
        import bm25s

        analyzer = Analyzer(build_vocabulary(texts, stemmer), stemmer)
        rows = [analyzer.tokens(t) for t in texts]
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.index([r or ["_"] for r in rows], show_progress=False)
        title_rows = [analyzer.tokens(t) for t in (titles or [""] * len(texts))]
        sentence_rows = [analyzer.tokens(t) for t in sentences or []]
        return cls(retriever, len(texts), analyzer, rows, title_rows, sentence_rows)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(folder), show_progress=False)
        (folder / "size.txt").write_text(str(self.size))
        (folder / "vocabulary.json").write_text(json.dumps(sorted(self.analyzer.vocabulary)), encoding="utf-8")
        (folder / "stemmer.txt").write_text(self.analyzer.stemmer)
        (folder / "analysis.txt").write_text(str(self.analysis_version))
        (folder / "tokens.json").write_text(json.dumps({"rows": self.row_tokens,
                                                        "titles": [sorted(t) for t in self.title_tokens],
                                                        "sentences": [sorted(t) for t in self.sentence_tokens]}),
                                            encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, texts: list[str] | None = None, titles: list[str] | None = None,
             sentences: list[str] | None = None) -> "LexicalIndex":
        """Load a saved index; an index saved before its statistics were stored has them computed from
        ``texts``, ``titles`` and ``sentences``."""
        import bm25s

        retriever = bm25s.BM25.load(str(folder), show_progress=False)
        vocabulary = frozenset(json.loads((folder / "vocabulary.json").read_text(encoding="utf-8")))
        stemmer_file = folder / "stemmer.txt"
        stemmer = stemmer_file.read_text().strip() if stemmer_file.exists() else LEGACY_STEMMER
        analyzer = Analyzer(vocabulary, stemmer)
        size = int((folder / "size.txt").read_text())
        tokens_file = folder / "tokens.json"
        data = json.loads(tokens_file.read_text(encoding="utf-8")) if tokens_file.exists() else {}
        rows = data.get("rows") or [analyzer.tokens(t) for t in texts or [""] * size]
        title_rows = data.get("titles") or [analyzer.tokens(t) for t in titles or [""] * size]
        sentence_rows = data.get("sentences") or [analyzer.tokens(t) for t in sentences or []]
        index = cls(retriever, size, analyzer, rows, title_rows, sentence_rows)
        version = folder / "analysis.txt"
        index.analysis_version = int(version.read_text().strip()) if version.exists() else 1
        return index

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk for the query tokens (zeros when none is known)."""
        if not query_tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(query_tokens), dtype=np.float32)

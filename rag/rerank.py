"""Second-stage reranking of the fused top candidates.

With a sentence-transformers ``CrossEncoder`` on disk (``VRAAGBAAK_RERANKER``) that model scores the pairs;
otherwise a cheap heuristic re-scores the fused candidates by score (not rank): dense similarity of the chunk,
its BM25 score and the similarity of its best sentence. Coverage, title and phrase features are computed
alongside for the refusal decision. All scoring functions are pure.
"""

from __future__ import annotations

import numpy as np

from index_store.lexical import TermStats
from rag.retrieve import Candidate

def coverage(query: list[str], passage: set[str], stats: TermStats) -> float:
    """Share of the query's idf mass present in the passage."""
    terms = set(query)
    total = sum(stats.idf(t) for t in terms)
    return sum(stats.idf(t) for t in terms if t in passage) / total if total else 0.0


def bigram_hits(query: list[str], passage: list[str]) -> float:
    """Share of the query's consecutive term pairs that also occur consecutively in the passage."""
    pairs = {(a, b) for a, b in zip(query, query[1:]) if a != b}
    if not pairs:
        return 0.0
    found = set(zip(passage, passage[1:]))
    return len(pairs & found) / len(pairs)


def minmax(values: np.ndarray) -> np.ndarray:
    """Scaled to [0, 1] (all zeros when the values are equal)."""
    lo, hi = float(values.min()), float(values.max())
    return (values - lo) / (hi - lo) if hi > lo else np.zeros_like(values)


def heuristic_scores(cands: list[Candidate], query: list[str], tokens: list[list[str]],
                     title_tokens: list[set[str]], stats: TermStats,
                     weights: tuple[float, float, float] = (0.5, 1.0, 1.0)) -> list[float]:
    """Rerank scores for the candidates (higher is better); also fills ``Candidate.features`` with the
    query-term coverage, section-title match and phrase (bigram) match used by the refusal decision."""
    if not cands:
        return []
    w_dense, w_bm25, w_sentence = weights
    dense = minmax(np.array([c.dense for c in cands]))
    bm25 = np.array([c.bm25 for c in cands])
    bm25 = bm25 / bm25.max() if bm25.max() > 0 else bm25
    sent = minmax(np.array([c.sentence for c in cands]))
    out = []
    for i, c in enumerate(cands):
        toks = tokens[c.row]
        c.features = {"coverage": coverage(query, set(toks), stats), "title": coverage(query, title_tokens[c.row], stats),
                      "bigram": bigram_hits(query, toks)}
        out.append(float(w_dense * dense[i] + w_bm25 * bm25[i] + w_sentence * sent[i]))
    return out


class CrossEncoderReranker:
    """A sentence-transformers CrossEncoder loaded from a local folder."""

    def __init__(self, path: str):
        import os

        os.environ["HF_HUB_OFFLINE"] = "1"
        from sentence_transformers import CrossEncoder

        self.model = CrossEncoder(path, device="cpu")

    def scores(self, question: str, texts: list[str]) -> list[float]:
        raw = np.asarray(self.model.predict([(question, t) for t in texts], show_progress_bar=False), dtype=float)
        return list(1 / (1 + np.exp(-raw))) if raw.size else []


def rerank(cands: list[Candidate], depth: int, scores: list[float]) -> list[Candidate]:
    """Reorder the first ``depth`` candidates by ``scores`` (one per candidate in that prefix)."""
    head, tail = cands[:depth], cands[depth:]
    for c, s in zip(head, scores):
        c.rerank = float(s)
    return sorted(head, key=lambda c: -(c.rerank or 0.0)) + tail

"""Second-stage reranking of the fused top candidates.

With a sentence-transformers ``CrossEncoder`` on disk (``VRAAGBAAK_RERANKER``) that model scores the pairs;
otherwise a cheap heuristic does: query-term coverage (idf-weighted), exact phrase (bigram) matches, term
proximity and matches in the section title, combined with the fused rank score and the dense similarity.
All scoring functions are pure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rag.retrieve import Candidate

# Weights of the heuristic reranker (chosen on the eval set; see eval/README.md).
W_FUSED = 1.0
W_COVERAGE = 0.6
W_TITLE = 0.25
W_BIGRAM = 0.15
W_PROXIMITY = 0.1
W_DENSE = 1.0


@dataclass
class TermStats:
    """Document frequencies of stems over the indexed chunks."""

    df: dict[str, int]
    n_docs: int

    def idf(self, term: str) -> float:
        return math.log(1 + (self.n_docs - self.df.get(term, 0) + 0.5) / (self.df.get(term, 0) + 0.5))


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


def proximity(query: list[str], passage: list[str]) -> float:
    """1 / (1 + smallest window length holding two distinct query terms), in passage tokens."""
    terms = set(query)
    last: dict[str, int] = {}
    best = math.inf
    for i, tok in enumerate(passage):
        if tok in terms:
            for other, j in last.items():
                if other != tok:
                    best = min(best, i - j)
            last[tok] = i
    return 0.0 if best is math.inf else 1.0 / (1.0 + best)


def heuristic_scores(cands: list[Candidate], query: list[str], tokens: list[list[str]],
                     title_tokens: list[set[str]], stats: TermStats) -> list[float]:
    """Rerank scores for the candidates (higher is better); also fills ``Candidate.features``."""
    if not cands:
        return []
    top = max(c.fused for c in cands) or 1.0
    out = []
    for c in cands:
        toks = tokens[c.row]
        cov = coverage(query, set(toks), stats)
        title = coverage(query, title_tokens[c.row], stats)
        big = bigram_hits(query, toks)
        prox = proximity(query, toks)
        c.features = {"coverage": cov, "title": title, "bigram": big, "proximity": prox}
        out.append(W_FUSED * c.fused / top + W_COVERAGE * cov + W_TITLE * title + W_BIGRAM * big
                   + W_PROXIMITY * prox + W_DENSE * c.dense)
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
    return sorted(head, key=lambda c: -c.rerank) + tail

"""Hybrid retrieval: BM25 (Dutch stems) and dense search in Chroma, fused by weighted reciprocal rank."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from index_store.records import ChunkRecord
from nl.resources import table
from index_store.store import StoreReader


@dataclass
class Filters:
    """Optional restrictions on what may be retrieved."""

    docs: list[str] = field(default_factory=list)
    doc_types: list[str] = field(default_factory=list)
    date_from: str = ""
    date_to: str = ""

    @classmethod
    def from_any(cls, value: "Filters | dict | None") -> "Filters":
        if value is None:
            return cls()
        if isinstance(value, Filters):
            return value
        return cls(docs=list(value.get("docs") or value.get("doc") or []),
                   doc_types=list(value.get("doc_types") or value.get("doc_type") or []),
                   date_from=value.get("date_from") or "", date_to=value.get("date_to") or "")

    def describe(self) -> str:
        """The active filters in Dutch, for messages."""
        texts = table("messages")["filters"]
        parts = []
        if self.docs:
            parts.append(texts["docs"].format(docs=", ".join(self.docs)))
        if self.doc_types:
            parts.append(texts["types"].format(types=", ".join(self.doc_types)))
        if self.date_from or self.date_to:
            parts.append(texts["period"].format(start=self.date_from or texts["open_end"],
                                                end=self.date_to or texts["open_end"]))
        return "; ".join(parts)

    def empty(self) -> bool:
        return not (self.docs or self.doc_types or self.date_from or self.date_to)

    def chroma_where(self) -> dict | None:
        """The same restriction as a Chroma ``where`` clause."""
        clauses: list[dict] = []
        if self.docs:
            clauses.append({"doc_id": {"$in": list(self.docs)}})
        if self.doc_types:
            clauses.append({"doc_type": {"$in": list(self.doc_types)}})
        if self.date_from:
            clauses.append({"doc_date_int": {"$gte": _as_int(self.date_from, False)}})
        if self.date_to:
            clauses.append({"doc_date_int": {"$lte": _as_int(self.date_to, True)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def mask(self, records: list[ChunkRecord]) -> np.ndarray:
        """Boolean row mask over the store's records."""
        lo = _as_int(self.date_from, False) if self.date_from else None
        hi = _as_int(self.date_to, True) if self.date_to else None
        return np.array([
            (not self.docs or r.doc_id in self.docs)
            and (not self.doc_types or r.doc_type in self.doc_types)
            and (lo is None or r.doc_date_int >= lo)
            and (hi is None or r.doc_date_int <= hi)
            for r in records
        ], dtype=bool)


def _as_int(date: str, upper: bool) -> int:
    digits = "".join(ch for ch in date if ch.isdigit())
    if len(digits) == 4:
        digits += "1231" if upper else "0101"
    elif len(digits) == 6:
        digits += "31" if upper else "01"
    return int(digits[:8]) if digits else 0


@dataclass
class Candidate:
    row: int
    fused: float = 0.0
    bm25: float = 0.0
    dense: float = 0.0
    sentence: float = 0.0
    bm25_rank: int | None = None
    dense_rank: int | None = None
    sentence_rank: int | None = None
    rerank: float | None = None
    features: dict = field(default_factory=dict)


def rrf(ranks: list[int | None], weights: list[float], k: int) -> float:
    """Weighted reciprocal-rank fusion of 0-based ranks (``None`` = not retrieved by that retriever)."""
    return sum(w / (k + r + 1) for r, w in zip(ranks, weights) if r is not None)


def top_rows(scores: np.ndarray, mask: np.ndarray | None, n: int, positive: bool = False) -> list[int]:
    """Rows of the ``n`` highest scores (within the mask; only positive scores when asked)."""
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    order = np.argsort(-scores, kind="stable")[:n]
    return [int(i) for i in order if np.isfinite(scores[i]) and (not positive or scores[i] > 0)]


def hybrid(store: StoreReader, query_tokens: list[str], query_vec: np.ndarray, sentence_max: np.ndarray | None,
           filters: Filters, n: int, weights: tuple[float, float, float], rrf_k: int,
           mode: str = "hybrid", extra_rows: list[int] | None = None) -> list[Candidate]:
    """Candidates fused by weighted RRF from up to three rankings, best first: BM25, dense chunk search in
    Chroma, and the best-matching sentence of each chunk (sentence embeddings). ``mode`` = ``hybrid`` |
    ``bm25`` | ``dense`` (the baselines use one ranking only). ``extra_rows`` (the units a question names, such
    as "artikel 26 lid 2") are candidates whatever their rank."""
    mask = None if filters.empty() else filters.mask(store.records)
    bm_scores = store.lexical.scores(query_tokens)
    rankings: list[list[int]] = [[], [], []]
    if mode in ("hybrid", "bm25"):
        rankings[0] = top_rows(bm_scores, mask, n, positive=True)
    if mode in ("hybrid", "dense"):
        rankings[1] = [row for row, _ in store.dense_query(query_vec, n, filters.chroma_where())]
    if mode == "hybrid" and sentence_max is not None:
        rankings[2] = top_rows(sentence_max, mask, n)
    cands: dict[int, Candidate] = {}
    for which, rows in enumerate(rankings):
        for rank, row in enumerate(rows):
            c = cands.setdefault(row, Candidate(row))
            setattr(c, ("bm25_rank", "dense_rank", "sentence_rank")[which], rank)
    for row in extra_rows or []:
        if mask is None or mask[row]:
            cands.setdefault(row, Candidate(row))
    if not cands:
        return []
    rows = list(cands)
    dense = store.embeddings[rows] @ np.asarray(query_vec, dtype=np.float32)
    for c, sim in zip(cands.values(), dense):
        c.dense = float(sim)
        c.bm25 = float(bm_scores[c.row])
        c.sentence = float(sentence_max[c.row]) if sentence_max is not None else 0.0
        c.fused = rrf([c.bm25_rank, c.dense_rank, c.sentence_rank], list(weights), rrf_k)
    return sorted(cands.values(), key=lambda c: -c.fused)

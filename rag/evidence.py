"""From ranked passages to scored answer candidates: the fitted sentence model over the top of the ranking,
which also reorders that top by the best candidate each passage holds (the evidence rerank)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index_store.store import StoreReader
from rag import extractive
from rag.features import SENTENCE_FEATURES, PassageView, QuestionView, sentence_features
from rag.model import AnswerParams
from rag.rerank import minmax
from rag.retrieve import Candidate


@dataclass
class Scored:
    """The passages in their final order and the scored candidates of the first ``k`` of them."""

    ranking: list[Candidate]
    cands: list[extractive.SentenceCandidate]


def _prior(c: Candidate) -> float:
    return c.rerank if c.rerank is not None else c.fused


def _score(store: StoreReader, pool: list[Candidate], q: QuestionView, params: AnswerParams,
           dedupe: bool) -> list[extractive.SentenceCandidate]:
    records = [store.records[c.row] for c in pool]
    priors = np.array([_prior(c) for c in pool], dtype=np.float64)
    top = priors.max() if priors.size and priors.max() > 0 else 1.0
    views = [PassageView(r.doc_id, float(p / top), i, frozenset(store.lexical.title_tokens[c.row]))
             for i, (r, p, c) in enumerate(zip(records, priors, pool))]
    cands = extractive.sentence_candidates(records, len(records), dedupe=dedupe)
    x = sentence_features(cands, views, store.sentence_embeddings, q, store.lexical.sentence_tokens)
    for c, logit in zip(cands, params.sentence.logits(x, SENTENCE_FEATURES)):
        c.score = float(logit)
    return cands


def score_evidence(store: StoreReader, candidates: list[Candidate], q: QuestionView, params: AnswerParams,
                   k: int, pool_size: int, rerank: bool, pinned: set[int] | None = None,
                   pinned_bonus: float = 0.0) -> Scored:
    """Score the candidates of the top ``pool_size`` passages; with ``rerank``, reorder those passages by
    ``minmax(prior) + w · minmax(best candidate logit)``; return the final ranking and the candidates of its
    first ``k`` passages, scored with their final ranks. ``pinned`` rows (the units a question names, such as
    "artikel 26 lid 2") stay on top, and their candidates gain ``pinned_bonus`` logits."""
    pinned = pinned or set()
    ranking = list(candidates)
    if rerank and params.evidence_weight > 0 and len(ranking) > 1:
        pool = ranking[:pool_size]
        best = np.array(extractive.best_per_passage(_score(store, pool, q, params, False), len(pool)))
        if np.isfinite(best).any():
            best = np.where(np.isfinite(best), best, best[np.isfinite(best)].min())
            combined = minmax(np.array([_prior(c) for c in pool])) + params.evidence_weight * minmax(best)
            order = np.argsort(-combined, kind="stable")
            ranking = [pool[i] for i in order] + ranking[len(pool):]
    if pinned:
        ranking = [c for c in ranking if c.row in pinned] + [c for c in ranking if c.row not in pinned]
    cands = _score(store, ranking[:k], q, params, True)
    for c in cands:
        if ranking[c.passage_index].row in pinned:
            c.score += pinned_bonus
    return Scored(ranking, cands)

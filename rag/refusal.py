"""When the evidence does not answer the question: say so plainly instead of answering from the nearest chunk.

The decision uses a few features of the retrieval and of the best sentences. Its thresholds were chosen on
the eval set (see eval/README.md) and live here, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from rag.extractive import GENERAL, SentenceCandidate
from rag.rerank import TermStats, coverage
from rag.retrieve import Candidate

# Calibrated on eval/sets (answerable vs unanswerable questions).
MIN_DENSE = 0.80          # best passage cosine similarity (multilingual-e5-small)
MIN_SENTENCE = 0.80       # best sentence cosine similarity
MIN_COVERAGE = 0.35       # idf-weighted share of question terms found in the best passages
WEAK_COVERAGE = 0.55      # below this, the semantic evidence must be strong
STRONG_SENTENCE = 0.86

REFUSAL_TEXT = "De documenten geven geen antwoord op deze vraag."
OFF_TOPIC_TEXT = ("Deze vraag gaat niet over AI en werk zoals besproken in de SER-documenten; "
                  "daar kan ik geen antwoord op geven.")


@dataclass
class Decision:
    refuse: bool
    reason: str


def features(top: list[Candidate], ranked: list[SentenceCandidate], kind: str, query_tokens: list[str],
             stats: TermStats, tokens: list[list[str]]) -> dict:
    """Evidence features for the refusal decision."""
    best_dense = max((c.dense for c in top), default=0.0)
    joined: set[str] = set()
    for c in top[:3]:
        joined.update(tokens[c.row])
    cov = coverage(query_tokens, joined, stats) if query_tokens else 0.0
    best_sentence = ranked[0].semantic if ranked else 0.0
    fitting = [s for s in ranked[:8] if s.fits]
    return {
        "best_dense": round(best_dense, 4),
        "coverage": round(cov, 4),
        "best_sentence": round(best_sentence, 4),
        "type": kind,
        "type_fit": bool(fitting) or kind == GENERAL,
        "known_terms": sum(1 for t in set(query_tokens) if t in stats.df),
        "query_terms": len(set(query_tokens)),
    }


def decide(f: dict, threshold_scale: float = 0.5) -> Decision:
    """Refuse or answer, with the reason (for diagnostics)."""
    del threshold_scale
    if f["query_terms"] and f["known_terms"] == 0:
        return Decision(True, "off-topic: geen enkel woord van de vraag komt in de documenten voor")
    if f["best_dense"] < MIN_DENSE:
        return Decision(True, "off-topic: passages lijken niet op de vraag")
    if f["coverage"] < MIN_COVERAGE and f["best_sentence"] < STRONG_SENTENCE:
        return Decision(True, "weinig woorden van de vraag in de passages")
    if f["coverage"] < WEAK_COVERAGE and f["best_sentence"] < MIN_SENTENCE:
        return Decision(True, "zwak bewijs")
    if not f["type_fit"]:
        return Decision(True, f"geen zin die het gevraagde ({f['type']}) bevat")
    return Decision(False, "ok")


def message(decision: Decision) -> str:
    return OFF_TOPIC_TEXT if decision.reason.startswith("off-topic") else REFUSAL_TEXT

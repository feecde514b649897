"""General features of answer candidates and of a question's evidence, for the fitted answer and refusal models.

Nothing here names a phrase: features are similarities, idf-weighted coverage of the question's content words,
answer-type fit from the registry (``nl.answer_types``), the passage's rank and score, and the shape of the
candidate (a pair, a list, a footnote, a question). All functions are pure.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

from index_store.lexical import TermStats
from nl.answer_types import AnswerSpec, registry, satisfies
from nl.dates import re_date_anchor
from nl.questions import chat_words, focus_nouns, is_first_person, is_negated, names
from nl.resources import table
from nl.spelling import is_correct_dutch
from nl.text import Analyzer, all_words, words
from rag.extractive import LIST, PAIR, SentenceCandidate, not_an_answer

SENTENCE_FEATURES = (
    "sem", "sem_first", "sem_gap", "cov_q", "cov_x", "cov_rare", "title_cov", "type_fit", "type_miss",
    "soft_fit", "prior", "inv_rank", "not_answer", "is_pair", "is_list", "log_words", "footnote", "negation",
    "doc_named", "sem_focus", "focus_hit", "cov_exp",
)
QUESTION_FEATURES = (
    "best_logit", "best_fit_logit", "cov_best", "cov_rare_best", "cov_top", "dense_top", "dense_z", "dense_peak", "unknown_share", "unknown_dutch", "unknown_names", "missing_year", "missing_date", "on_domain",
    "type_required", "type_missing", "log_terms", "fit_cov", "fit_rare", "focus_missing", "rare_missing",
    "unknown_subject",
)
RARE_TERMS = 3


@dataclass(frozen=True)
class QuestionView:
    """What the features need to know about a question."""

    text: str
    terms: dict[str, float]  # content stems of the question → idf
    query_terms: dict[str, float]  # stems of the searched query (expansions included) → idf
    rare: frozenset[str]  # the question's highest-idf stems
    spec: AnswerSpec
    negated: bool
    qvec: np.ndarray
    named_docs: frozenset[str] = frozenset()  # documents the question names by an alias
    fvec: np.ndarray | None = None  # embedding of the asking part of a question with context
    focus_terms: frozenset[str] = frozenset()  # stems of what it asks about ("welke definitie" → definitie)
    alternatives: dict[str, frozenset[str]] = field(default_factory=dict)  # stem → the documents' words for it

    def covered(self, present: set[str] | frozenset[str]) -> set[str]:
        """The question's terms that ``present`` holds, as themselves or as one of their alternatives."""
        return {t for t in self.terms if t in present or self.alternatives.get(t, frozenset()) & present}

    def coverage(self, present: set[str] | frozenset[str]) -> float:
        """Share of the question's idf mass that ``present`` covers (alternatives included)."""
        return coverage(self.terms, self.covered(present))

    def rare_share(self, present: set[str] | frozenset[str]) -> float:
        """Share of the rarest terms that ``present`` covers (alternatives included)."""
        return len(self.rare & self.covered(present)) / len(self.rare) if self.rare else 0.0


def answer_words(text: str, anchors: re.Pattern | None = None) -> str:
    """The words of a question that say what it asks: without chat words and without its anchors (dates and
    document names locate the answer; the answer sentence need not repeat them)."""
    chat = chat_words()
    located = re_date_anchor().sub(" ", text)
    if anchors is not None:
        located = anchors.sub(" ", located)
    kept = [w for w in words(located) if w not in chat]
    return " ".join(kept or [w for w in words(text) if w not in chat])


def question_view(question: str, query: str, analyzer: Analyzer, stats: TermStats, spec: AnswerSpec,
                  qvec: np.ndarray, named_docs: set[str] | None = None, fvec: np.ndarray | None = None,
                  anchors: re.Pattern | None = None, own: str = "",
                  alternatives: dict[str, frozenset[str]] | None = None) -> QuestionView:
    """``own``: the question's own words in the documents' words (``rag.query.own_words``); ``alternatives``:
    the documents' words for some of its words (``rag.query.alternatives``)."""
    # Words no document contains can never be covered; what they stand for comes in through `own`.
    terms = {t: stats.idf(t) for t in analyzer.tokens(answer_words(question, anchors) + " " + own)
             if t in stats.df}
    query_terms = {t: stats.idf(t) for t in analyzer.tokens(answer_words(query, anchors)) if t in stats.df}
    known = sorted((t for t in terms if t in stats.df), key=lambda t: -terms[t])
    focus_terms = frozenset(analyzer.stem(w) for w in focus_nouns(question))
    alts = {t: a & stats.df.keys() for t, a in (alternatives or {}).items() if t in terms}
    return QuestionView(question, terms, query_terms, frozenset(known[:RARE_TERMS]), spec, is_negated(question),
                        qvec, frozenset(named_docs or ()), fvec, focus_terms, {t: a for t, a in alts.items() if a})


def coverage(terms: dict[str, float], present: set[str]) -> float:
    """Share of the terms' idf mass present."""
    total = sum(terms.values())
    return sum(w for t, w in terms.items() if t in present) / total if total else 0.0


@dataclass(frozen=True)
class PassageView:
    """What the features need to know about one ranked passage."""

    doc_id: str
    prior: float  # rerank score scaled by the best one
    rank: int
    title_tokens: frozenset[str]


def _negation_words() -> frozenset[str]:
    return frozenset(table("questions")["negations"])


def sentence_features(cands: list[SentenceCandidate], passages: list[PassageView], sentence_vectors: np.ndarray,
                      q: QuestionView, sentence_tokens: list[frozenset[str]]) -> np.ndarray:
    """One row of ``SENTENCE_FEATURES`` per candidate (``sentence_tokens``: the analysed stems of each indexed
    sentence, by row); also sets ``fits``, ``tokens`` and ``features`` on each."""
    if not cands:
        return np.zeros((0, len(SENTENCE_FEATURES)), dtype=np.float32)
    sims = {row: float(sentence_vectors[row] @ q.qvec) for c in cands for row in c.rows}
    fsims = sims if q.fvec is None else {row: float(sentence_vectors[row] @ q.fvec) for row in sims}
    best_sem = max(max(sims[r] for r in c.rows) for c in cands)
    soft = [name for name in q.spec.asked if not registry()[name].required]
    expansion = {t: w for t, w in q.query_terms.items() if t not in q.terms}
    negations = _negation_words()
    rows = []
    for c in cands:
        toks = set().union(*(sentence_tokens[r] for r in c.rows)) if sentence_tokens else set()
        p = passages[c.passage_index]
        sem = max(sims[r] for r in c.rows)
        fit = satisfies(c.text, q.spec) if q.spec.required else True
        c.fits = fit
        f = {
            "sem": sem,
            "sem_first": sims[c.rows[0]],
            "sem_gap": sem - best_sem,
            "cov_q": q.coverage(toks),
            "cov_x": coverage(q.query_terms, toks),
            "cov_rare": q.rare_share(toks),
            "title_cov": q.coverage(p.title_tokens),
            "type_fit": float(q.spec.required and fit),
            "type_miss": float(q.spec.required and not fit),
            "soft_fit": float(any(satisfies(c.text, q.spec, name) for name in soft)),
            "prior": p.prior,
            "inv_rank": 1.0 / (p.rank + 1),
            "not_answer": float(not_an_answer(c.text)),
            "is_pair": float(c.kind == PAIR),
            "is_list": float(c.kind == LIST),
            "log_words": math.log(1 + len(c.text.split())),
            "footnote": float(c.footnote),
            "negation": float(q.negated and any(w in negations for w in all_words(c.text))),
            "doc_named": float(p.doc_id in q.named_docs),
            "sem_focus": max(fsims[r] for r in c.rows),
            "focus_hit": len(q.focus_terms & toks) / len(q.focus_terms) if q.focus_terms else 0.0,
            "cov_exp": coverage(expansion, toks) if expansion else 0.0,
        }
        c.tokens = frozenset(toks)
        c.features = f
        rows.append([f[name] for name in SENTENCE_FEATURES])
    return np.asarray(rows, dtype=np.float32)


def unknown_words(question: str, analyzer: Analyzer) -> list[str]:
    """Content words of the question that occur in no document — not as a word, not as part of a compound and
    not as a likely typo (same first five letters as a known word): names, places, topics the documents lack."""
    chat = chat_words()
    out = []
    for w in words(question):
        if len(w) < 4 or w.isdigit() or w in chat:
            continue
        if analyzer.stem(w) in analyzer.vocabulary or analyzer.compound_parts(w):
            continue
        if len(w) >= 5 and analyzer.has_prefix(w[:5]):
            continue
        out.append(w)
    return out


@dataclass(frozen=True)
class Evidence:
    """The question-level facts the refusal model weighs, besides the scored candidates."""

    dense_top: float  # cosine of the best passage (its scale depends on the model: refit for another one)
    dense_z: float  # the best passage's similarity relative to the whole corpus's similarity to the question
    dense_peak: float  # how far the best passage stands out from the corpus's similarity to this question
    cov_top: float  # coverage of the question's terms by the best passages
    rare_top: float  # share of the question's rarest terms that the best passages contain
    missing_years: tuple[str, ...]
    on_domain: bool
    missing_dates: tuple[str, ...] = ()


def dense_z(all_sims: np.ndarray) -> float:
    """The best chunk similarity in standard deviations above this corpus's mean similarity to the question
    (no fixed cosine: each embedding model has its own scale)."""
    if all_sims.size < 3:
        return 0.0
    return float((all_sims.max() - all_sims.mean()) / (all_sims.std() + 1e-6))


def dense_peak(all_sims: np.ndarray, top: int = 20) -> float:
    """The best chunk similarity in standard deviations above the mean of the next ``top`` (corpus-relative:
    the same for any embedding model's cosine scale)."""
    if all_sims.size < 3:
        return 0.0
    ordered = np.sort(all_sims)[::-1]
    rest = ordered[1:top + 1]
    return float((ordered[0] - rest.mean()) / (rest.std() + 1e-6))


def question_features(question: str, cands: list[SentenceCandidate], q: QuestionView, ev: Evidence,
                      analyzer: Analyzer) -> dict[str, float]:
    """The features of ``QUESTION_FEATURES`` for one question (candidates scored by the sentence model)."""
    best = max(cands, key=lambda c: c.score) if cands else None
    fitting = [c.score for c in cands if c.fits]
    fit_feats = [c.features for c in cands if c.fits and c.features]
    unknown = unknown_words(question, analyzer)
    content = [w for w in words(question) if len(w) >= 4 and not w.isdigit() and w not in chat_words()]
    capitalised = names(question)
    return {
        "best_logit": best.score if best else -10.0,
        "best_fit_logit": max(fitting) if fitting else -10.0,
        "cov_best": best.features.get("cov_q", 0.0) if best else 0.0,
        "cov_rare_best": best.features.get("cov_rare", 0.0) if best else 0.0,
        "cov_top": ev.cov_top,
        "dense_top": ev.dense_top,
        "dense_z": ev.dense_z,
        "dense_peak": ev.dense_peak,
        "unknown_share": len(unknown) / len(content) if content else 0.0,
        "unknown_dutch": float(sum(1 for w in unknown if is_correct_dutch(w) and w not in capitalised)),
        "unknown_names": float(sum(1 for w in unknown if w in capitalised)),
        "missing_year": float(bool(ev.missing_years)),
        "missing_date": float(bool(ev.missing_dates)),
        "on_domain": float(ev.on_domain),
        "type_required": float(q.spec.required),
        "type_missing": float(q.spec.required and not fitting),
        "log_terms": math.log(1 + len(q.terms)),
        "fit_cov": max((f["cov_q"] for f in fit_feats), default=0.0),
        "fit_rare": max((f["cov_rare"] for f in fit_feats), default=0.0),
        "focus_missing": float(bool(q.focus_terms) and not any(c.features.get("focus_hit") for c in cands)),
        "rare_missing": 1.0 - ev.rare_top,
        # a name no document contains, asked about rather than told as context ("Ik werk bij …")
        "unknown_subject": float(any(w in capitalised for w in unknown) and not is_first_person(question)),
    }

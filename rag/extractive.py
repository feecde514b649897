"""Extractive answers: the few sentences of the retrieved passages that best answer the question.

Every answer sentence is copied from the passage it cites, so each ``[n]`` points to text that contains it.
Sentence scores combine semantic similarity to the question, idf-weighted term overlap, the passage's
rank score and whether the sentence fits the question type (a number for "hoeveel", a date for "wanneer",
a person or organisation for "wie").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from index_store.records import ChunkRecord
from nl.answer_types import AnswerSpec, satisfies
from nl.footnotes import RE_BRACKETED, RE_LEADING, RE_TRAILING
from nl.references import is_reference
from nl.text import tokenize
from rag.rerank import TermStats, coverage

# A two-sentence answer (topic sentence plus the sentence with the number or date) costs this much score.
PAIR_COST = 0.1


@dataclass
class SentenceCandidate:
    passage_index: int  # index into the ranked passage list
    start: int  # span within the passage text
    end: int
    text: str
    doc_start: int  # absolute offset of the indexed sentence in the document: its key in the store
    doc_id: str
    semantic: float = 0.0
    overlap: float = 0.0
    fits: bool = True
    score: float = 0.0


def is_title(text: str) -> bool:
    """A heading line rather than a sentence: short, no closing punctuation, not a table row."""
    return not re.search(r"[.?!:;)\]]\s*$", text) and len(text.split()) < 14 and " — " not in text


def _is_heading_of(sentence: str, record: ChunkRecord) -> bool:
    """The unit's own heading line (number + title) or a subheading repeated as a sentence."""
    s = " ".join(sentence.split()).rstrip(" .:")
    title = " ".join(record.unit_title.split())
    return bool(title) and s.endswith(title) and len(s) <= len(title) + 12 or s == record.subheading


def sentence_candidates(passages: list[ChunkRecord], max_passages: int, dedupe: bool = True) -> list[SentenceCandidate]:
    """Sentences of the top passages (without trailing footnote markers, headings or fragments); with
    ``dedupe``, a sentence shared by overlapping passages only at its first occurrence. The items of a list
    announced by a colon ("… verdeeld over vijf thematafels:" / "positie burger onder leiding van mevrouw
    Kool") count as sentences although they look like headings."""
    seen: set[tuple[str, int]] = set()
    out: list[SentenceCandidate] = []
    for pi, rec in enumerate(passages[:max_passages]):
        in_list = False
        for s0, e, _row in rec.sentences:
            lead = RE_LEADING.match(rec.text, s0, e)
            s = lead.end() if lead else s0  # a footnote's own text, "³⁸ Bij het ontbreken van …", unnumbered
            text = rec.text[s:e]
            trimmed = RE_TRAILING.sub("", text)
            heading_like = is_title(trimmed)
            item = heading_like and in_list
            in_list = trimmed.rstrip().endswith(":") or item
            if RE_BRACKETED.search(trimmed) or len(trimmed.split()) < 4 or heading_like and not item \
                    or _is_heading_of(trimmed, rec):
                continue
            key = (rec.doc_id, rec.char_start + s0)
            if dedupe and key in seen:
                continue
            seen.add(key)
            out.append(SentenceCandidate(pi, s, s + len(trimmed), trimmed, rec.char_start + s0, rec.doc_id))
    return out


def not_an_answer(sentence: str) -> bool:
    """A question ("… hoe is de WOR van toepassing?"), a lead-in ("… de volgende observaties in:") or a
    reference ("Art. 26 AI-verordening, https://eur-lex…"): on topic, but no answer."""
    return sentence.rstrip().endswith((":", "?")) or is_reference(sentence)


def score_sentences(cands: list[SentenceCandidate], passages: list[ChunkRecord], passage_scores: list[float],
                    sentence_vectors: np.ndarray, query_vec: np.ndarray, question: str, stats: TermStats,
                    spec: AnswerSpec, analyze=tokenize) -> list[SentenceCandidate]:
    """Fill in the scores of the candidates; returns them best first."""
    q_tokens = analyze(question)
    rows = {}
    for rec in passages:
        for s, e, row in rec.sentences:
            rows[(rec.doc_id, rec.char_start + s)] = row
    top = max(passage_scores) if passage_scores else 1.0
    for c in cands:
        row = rows.get((c.doc_id, c.doc_start))
        c.semantic = float(sentence_vectors[row] @ query_vec) if row is not None else 0.0
        c.overlap = coverage(q_tokens, set(analyze(c.text)), stats)
        c.fits = satisfies(c.text, spec) if spec.required else True
        c.score = _score(c, passage_scores[c.passage_index] / top if top else 0.0)
    if spec.required:
        cands = cands + continuations(cands, passages, passage_scores, q_tokens, stats, analyze)
    return sorted(cands, key=lambda c: -c.score)


def _score(c: SentenceCandidate, rank_prior: float) -> float:
    """Similarity, term overlap and passage rank, less the penalties for a wrong answer type and for a
    question, lead-in or reference."""
    return (2.0 * c.semantic + 0.8 * c.overlap + 0.35 * rank_prior + (0.0 if c.fits else -0.8)
            - (0.3 if not_an_answer(c.text) else 0.0))


def continuations(cands: list[SentenceCandidate], passages: list[ChunkRecord], passage_scores: list[float],
                  q_tokens: list[str], stats: TermStats, analyze=tokenize) -> list[SentenceCandidate]:
    """Two-sentence candidates for a typed question whose answer comes one sentence after its topic:
    "… grote aantallen Nederlanders zonder digitale basisvaardigheden. Volgens het CPB gaat het om 21% …".
    The first sentence is on topic but lacks the number, date or name; the next one has it. Scored as one
    sentence with the better semantic score of the two and the term overlap of both."""
    top = max(passage_scores) if passage_scores else 1.0
    out = []
    for c, n in zip(cands, cands[1:]):
        if c.passage_index != n.passage_index or c.fits or not n.fits:
            continue
        text = passages[c.passage_index].text
        if text[c.end:n.start].strip():
            continue
        pair = SentenceCandidate(c.passage_index, c.start, n.end, text[c.start:n.end], c.doc_start, c.doc_id,
                                 semantic=max(c.semantic, n.semantic), fits=True)
        pair.overlap = coverage(q_tokens, set(analyze(pair.text)), stats)
        pair.score = _score(pair, passage_scores[c.passage_index] / top if top else 0.0) - PAIR_COST
        out.append(pair)
    return out


def best_per_passage(ranked: list[SentenceCandidate], n_passages: int) -> list[float]:
    """The score of each passage's best sentence (``-inf`` for a passage without a usable sentence)."""
    best = [float("-inf")] * n_passages
    for c in ranked:
        best[c.passage_index] = max(best[c.passage_index], c.score)
    return best


def select(ranked: list[SentenceCandidate], n: int, min_ratio: float = 0.85) -> list[SentenceCandidate]:
    """The best sentence plus up to ``n - 1`` more that score close to it, each from another passage, so that
    the answer draws on (and cites) several sources; near-duplicates are skipped."""
    if not ranked:
        return []
    chosen = [ranked[0]]
    best = ranked[0].score
    for c in ranked[1:]:
        if len(chosen) >= n or c.score < best * min_ratio:
            break
        if any(c.passage_index == x.passage_index for x in chosen) or (ranked[0].fits and not c.fits):
            continue
        words = set(c.text.lower().split())
        if any(len(words & set(x.text.lower().split())) > 0.6 * len(words) for x in chosen):
            continue
        chosen.append(c)
    return chosen


def order_readably(chosen: list[SentenceCandidate]) -> list[SentenceCandidate]:
    """In passage rank order (so markers read [1], [2], …); within a passage, document order."""
    return sorted(chosen, key=lambda c: (c.passage_index, c.doc_start))

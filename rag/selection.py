"""Which scored candidates make the answer: the best one first; another only when it adds what the question
asked and the first lacks (more of the question's content words, or a second asked answer type)."""

from __future__ import annotations

from nl.answer_types import registry, satisfies
from rag.extractive import SentenceCandidate, not_an_answer, order_readably, overlaps
from rag.features import QuestionView
from rag.model import Selection


def select(cands: list[SentenceCandidate], q: QuestionView, rule: Selection, analyze) -> list[SentenceCandidate]:
    """At most ``rule.max_sentences`` candidates, best first."""
    ranked = sorted(cands, key=lambda c: -c.score)
    answers = [c for c in ranked if not not_an_answer(c.text)] or ranked
    if not answers:
        return []
    first = answers[0]
    chosen = [first]
    covered = set(first.tokens or analyze(first.text))
    required = [n for n in q.spec.asked if registry()[n].required]
    have = {n for n in required if satisfies(first.text, q.spec, n)}
    for c in answers[1:]:
        if len(chosen) >= rule.max_sentences or c.score < first.score - rule.margin:
            break
        if any(overlaps(c, x) or rule.distinct_passages and c.passage_index == x.passage_index for x in chosen):
            continue
        toks = set(c.tokens or analyze(c.text))
        gain = q.coverage(covered | toks) - q.coverage(covered)
        new_type = {n for n in required if n not in have and satisfies(c.text, q.spec, n)}
        if gain >= rule.min_gain or new_type:
            chosen.append(c)
            covered |= toks
            have |= new_type
    return order_readably(chosen)

"""Query normalisation: the abbreviations and everyday words users type, made searchable."""

from __future__ import annotations

import re
from typing import Callable

from nl.questions import has_dutch_hint, re_separable_verb
from nl.text import all_words
from nl.verbs import verb_expansions
from rag.domain import Domain

_LOWER_OR = re.compile(r"(?<![\w-])or(?![\w-])")


def normalise_query(question: str, domain: Domain, known: Callable[[str], bool] | None = None) -> str:
    """The question with whitespace tidied and expansions appended: the domain's expansions (abbreviations,
    everyday words for the documents' terms) and separable verbs, split by "te" or by the clause, joined up
    (with ``known``, only the joined-up words it accepts: those the corpus contains)."""
    q = " ".join(question.split())
    extra: list[str] = [(m.group(1) + m.group(2)).lower() for m in re_separable_verb().finditer(q)]
    extra += verb_expansions(q, known)
    probe = _LOWER_OR.sub("OR", q) if has_dutch_hint(q) and _LOWER_OR.search(q) else q
    for expansion in domain.expansions:
        if expansion.pattern.search(probe) and expansion.add not in extra:
            extra.append(expansion.add)
    return q + (" (" + "; ".join(extra) + ")" if extra else "")


def alternatives(question: str, domain: Domain, analyze: Callable[[str], list[str]]) -> dict[str, frozenset[str]]:
    """For each stem of a question word an expansion matched, the stems of the words it expands to: the
    documents' words for what the question says in its own ("besloten" → "vastgesteld"), so a passage that
    uses them covers that word."""
    out: dict[str, set[str]] = {}
    for expansion in domain.expansions:
        added = frozenset(analyze(expansion.add))
        if not added:
            continue
        for match in expansion.pattern.finditer(question):
            for t in analyze(match.group(0)):
                out.setdefault(t, set()).update(added - {t})
    return {t: frozenset(a) for t, a in out.items() if a}


def own_words(question: str, domain: Domain, known: Callable[[str], bool]) -> str:
    """What the question's own words are in the documents' words: split separable verbs joined up, and the
    abbreviations no document uses spelled out ("PVT"), restricted to words ``known`` accepts."""
    found = verb_expansions(question, known)
    for expansion in (e for e in domain.expansions if e.spells_out):
        for match in expansion.pattern.finditer(question):
            if not any(known(w) for w in all_words(match.group(0))):
                found.append(" ".join(w for w in expansion.add.split() if known(w)))
    return " ".join(dict.fromkeys(w for f in found for w in f.split()))

"""Query normalisation: the abbreviations and everyday words users type, made searchable."""

from __future__ import annotations

import re

from nl.questions import has_dutch_hint, re_separable_verb
from rag.domain import Domain

_LOWER_OR = re.compile(r"(?<![\w-])or(?![\w-])")


def normalise_query(question: str, domain: Domain) -> str:
    """The question with whitespace tidied and expansions appended: the domain's expansions (abbreviations,
    everyday words for the documents' terms) and separable verbs split by "te" joined up."""
    q = " ".join(question.split())
    extra: list[str] = [(m.group(1) + m.group(2)).lower() for m in re_separable_verb().finditer(q)]
    probe = _LOWER_OR.sub("OR", q) if has_dutch_hint(q) and _LOWER_OR.search(q) else q
    for expansion in domain.expansions:
        if expansion.pattern.search(probe) and expansion.add not in extra:
            extra.append(expansion.add)
    return q + (" (" + "; ".join(extra) + ")" if extra else "")

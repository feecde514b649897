"""Separable verbs whose particle a question puts at the end ("Wie zat de vergadering voor?")."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Callable

from nl.resources import table
from nl.text import all_words


@dataclass(frozen=True)
class SeparableVerb:
    infinitive: str
    particle: str
    forms: frozenset[str]
    related: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def _verbs() -> tuple[tuple[SeparableVerb, ...], frozenset[str]]:
    data = table("separable_verbs")
    verbs = tuple(SeparableVerb(v["infinitive"], v["particle"], frozenset(v["forms"]), tuple(v["related"]))
                  for v in data["verb"])
    return verbs, frozenset(data["prepositions"])


_CLAUSES = re.compile(r"[?!.;:,]+")


def split_verbs(question: str) -> list[SeparableVerb]:
    """The separable verbs a question uses split: a finite form of the base verb followed, in the same
    clause, by the particle at the clause's end or right before a preposition."""
    verbs, prepositions = _verbs()
    found: list[SeparableVerb] = []
    for clause in _CLAUSES.split(question):
        words = all_words(clause)
        for i, word in enumerate(words):
            for verb in verbs:
                if word != verb.particle or verb in found:
                    continue
                clause_end = i == len(words) - 1 or words[i + 1] in prepositions
                if clause_end and any(w in verb.forms for w in words[:i]):
                    found.append(verb)
    return found


def verb_expansions(question: str, known: Callable[[str], bool] | None = None) -> list[str]:
    """Search words for the split separable verbs of a question: the infinitive and the related forms (only
    those ``known`` accepts, such as the words a corpus contains)."""
    found = (" ".join(w for w in (v.infinitive,) + v.related if known is None or known(w))
             for v in split_verbs(question))
    return [f for f in found if f]

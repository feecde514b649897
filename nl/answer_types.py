"""The answer-type registry: what kind of answer a question asks for and which sentences give it.

The types, with how a question asks for them and how a sentence satisfies them, are data
(``nl/data/answer_types.toml``); answering, refusal and follow-ups all use this one registry.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from nl.dates import YEAR, month_pattern
from nl.footnotes import RE_BRACKETED
from nl.numbers import (count_unit, duration_unit_pattern, money_pattern, number_pattern, number_word_pattern,
                        share_pattern)
from nl.references import without_citations
from nl.resources import table

GENERAL = "general"


def _expand(pattern: str) -> str:
    places = {"<number>": number_pattern(), "<number_word>": number_word_pattern(), "<month>": month_pattern(),
              "<year>": YEAR, "<money>": money_pattern(), "<share>": share_pattern(),
              "<duration_unit>": duration_unit_pattern()}
    for name, value in places.items():
        pattern = pattern.replace(name, value)
    return pattern


def _compile(patterns: list[str]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(_expand(p), re.I) for p in patterns)


@dataclass(frozen=True)
class AnswerType:
    """One kind of answer (see ``nl/data/answer_types.toml`` for the meaning of the fields)."""

    name: str
    priority: int
    required: bool
    weight: float
    asks: tuple[re.Pattern, ...]
    unless: tuple[re.Pattern, ...]
    satisfied_by: tuple[re.Pattern, ...]
    counts: bool = False
    actors: bool = False
    not_actors: frozenset[str] = frozenset()

    def asked_by(self, question: str) -> bool:
        q = question.lower()
        return any(p.search(q) for p in self.asks) and not any(p.search(q) for p in self.unless)


@functools.lru_cache(maxsize=1)
def registry() -> dict[str, AnswerType]:
    """Every answer type by name, highest priority first."""
    types = [AnswerType(
        name=t["name"], priority=int(t["priority"]), required=bool(t.get("required", False)),
        weight=float(t.get("weight", 1.0)), asks=_compile(t["asks"]), unless=_compile(t.get("unless", [])),
        satisfied_by=tuple(re.compile(_expand(p), re.I) for p in t["satisfied_by"]),
        counts=bool(t.get("counts", False)), actors=bool(t.get("actors", False)),
        not_actors=frozenset(t.get("not_actors", [])),
    ) for t in table("answer_types")["type"]]
    return {t.name: t for t in sorted(types, key=lambda t: -t.priority)}


@dataclass(frozen=True)
class AnswerSpec:
    """What a question asks for: its main type (``general`` when none), the pattern a number must be near
    ("hoeveel dagen" → ``dag``), whether a share of a population answers it, and all types it asks for."""

    kind: str
    unit: str = ""
    share: bool = False
    asked: tuple[str, ...] = field(default=())

    @property
    def required(self) -> bool:
        return self.kind != GENERAL and registry()[self.kind].required


@functools.lru_cache(maxsize=1)
def _re_count_question() -> re.Pattern:
    words = "|".join(re.escape(w) for w in table("numbers")["count_question"])
    return re.compile(rf"\b(?:{words})\s+(\w+)", re.I)


@functools.lru_cache(maxsize=4096)
def answer_spec(question: str) -> AnswerSpec:
    """The kinds of answer a question asks for, the main one first."""
    asked = tuple(t.name for t in registry().values() if t.asked_by(question))
    if not asked:
        return AnswerSpec(GENERAL)
    main = registry()[asked[0]]
    unit, share = "", False
    if main.counts:
        m = _re_count_question().search(question)
        if m:
            unit, share = count_unit(m.group(1))
    return AnswerSpec(main.name, unit, share, asked)


def _plain(sentence: str) -> str:
    return without_citations(RE_BRACKETED.sub("", sentence))


def satisfies(sentence: str, spec: AnswerSpec | str, kind: str | None = None) -> bool:
    """Whether a sentence can answer a question of ``spec`` (its main type, or ``kind`` when given)."""
    spec = spec if isinstance(spec, AnswerSpec) else AnswerSpec(spec)
    name = kind or spec.kind
    if name == GENERAL:
        return True
    t = registry()[name]
    s = _plain(sentence)
    if t.counts and spec.unit and name == spec.kind:
        # the counted noun may be the head of a compound ("hoeveel scholen" → "negen basisscholen")
        near = re.search(number_pattern() + r"\W+(\w+\W+){0,3}?\w*?(" + spec.unit + ")", s, re.I)
        share = re.search(share_pattern(), s, re.I)
        return bool(near) or bool(share) and ("procent" in spec.unit or spec.share)
    if any(p.search(s) for p in t.satisfied_by):
        return True
    return t.actors and any(a not in t.not_actors for a in re.findall(r"\b[A-Z]{2,}\b", s))


def satisfied_types(sentence: str, spec: AnswerSpec) -> tuple[str, ...]:
    """The asked types that a sentence satisfies."""
    return tuple(name for name in spec.asked if satisfies(sentence, spec, name))

"""Question understanding apart from answer types: how a question is put, names in it, its language."""

from __future__ import annotations

import functools
import re

from nl.resources import table, word_list
from nl.text import all_words, fold_accents


@functools.lru_cache(maxsize=1)
def chat_words() -> frozenset[str]:
    """Words users type in a chat that documents rarely contain (never "unknown to the documents")."""
    return frozenset(fold_accents(w) for w in word_list("chat_words"))


@functools.lru_cache(maxsize=1)
def _data() -> dict:
    return table("questions")


@functools.lru_cache(maxsize=1)
def re_wh_word() -> re.Pattern:
    """An interrogative word at the start of a text."""
    return re.compile(r"^(" + "|".join(_data()["wh_words"]) + r")\b", re.I)


@functools.lru_cache(maxsize=1)
def re_question_word() -> re.Pattern:
    """An interrogative word or a question-opening verb at the start of a text."""
    return re.compile(r"^(" + "|".join(_data()["wh_words"] + _data()["question_verbs"]) + r")\b", re.I)


@functools.lru_cache(maxsize=1)
def re_dutch_hint() -> re.Pattern:
    return re.compile(r"\b(" + "|".join(_data()["dutch_hint"]) + r")\b", re.I)


@functools.lru_cache(maxsize=1)
def re_separable_verb() -> re.Pattern:
    """A separable verb split by "te" ("mee te krijgen"): group 1 the particle, group 2 the verb."""
    return re.compile(r"\b(" + "|".join(_data()["separable_particles"]) + r")\s+te\s+([a-z]{2,}en)\b", re.I)


def has_dutch_hint(text: str) -> bool:
    """Whether a frequent Dutch function word occurs (then a lower-case "or" is the works council)."""
    return bool(re_dutch_hint().search(text))


def is_negated(question: str) -> bool:
    """Whether the question asks what is not allowed, not done or missing ("wat mag níet", "geen")."""
    return any(w in _data()["negations"] for w in all_words(question))


def names(question: str) -> set[str]:
    """Capitalised words after the first word, lower-cased: the names of companies, places and people."""
    tokens = re.findall(r"[^\W\d_][\w'-]*", question)
    return {t.lower() for t in tokens[1:] if t[0].isupper() and not t.isupper()}


def dutch_share(text: str) -> float:
    """Share of the words (3+ letters) that are more frequent in Dutch than in English (wordfreq); 1.0 for a
    text without such words."""
    from wordfreq import zipf_frequency

    ws = [w for w in re.findall(r"[^\W\d_]{3,}", text.lower())]
    if not ws:
        return 1.0
    return sum(1 for w in ws if zipf_frequency(w, "nl") >= zipf_frequency(w, "en")) / len(ws)

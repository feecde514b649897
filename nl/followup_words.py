"""The words that make a question a follow-up: anaphora, openers, "die vergadering" (``nl/data/followup.toml``)."""

from __future__ import annotations

import functools
import re

from nl.resources import table


@functools.lru_cache(maxsize=1)
def _data() -> dict:
    return table("followup")


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def re_anaphora() -> re.Pattern:
    return re.compile(r"\b(" + _alternation(_data()["anaphora"]) + r")\b", re.I)


@functools.lru_cache(maxsize=1)
def re_leading() -> re.Pattern:
    """A word that opens a follow-up ("en", "maar"), with the punctuation after it."""
    return re.compile(r"^(" + _alternation([w for w in _data()["leading"] if " " not in w]) + r")\b[\s,]*", re.I)


@functools.lru_cache(maxsize=1)
def determiners() -> dict[str, str]:
    """Demonstratives of a follow-up and the article that replaces them ("die" → "de")."""
    return dict(_data()["determiners"])


@functools.lru_cache(maxsize=1)
def re_referred_entity() -> re.Pattern:
    """"die vergadering", "dat advies": group 1 the demonstrative, group 2 the noun."""
    return re.compile(r"\b(" + _alternation(list(determiners())) + r")\s+(" + _alternation(_data()["entity_nouns"])
                      + r")\b", re.I)


@functools.lru_cache(maxsize=1)
def re_topic_pointer() -> re.Pattern:
    """"daarover", "ervan", or the same adverb split around the verb ("wat zei hij daar over?")."""
    whole = r"\b(" + "|".join(_data()["topic_pointers"]) + r")\b"
    split = "|".join(r"\b" + p for p in _data().get("split_topic_pointers", []))
    return re.compile(whole + ("|" + split if split else ""), re.I)


def leading_limits() -> tuple[int, int]:
    """How many words a follow-up opened by "en"/"maar" may have: alone, and with a word pointing back."""
    return int(_data().get("leading_max_words", 10)), int(_data().get("leading_with_anaphor_max_words", 10))


@functools.lru_cache(maxsize=1)
def re_anchor_pointer() -> re.Pattern:
    return re.compile(r"\b(" + _alternation(_data()["anchor_pointers"]) + r")\b", re.I)

"""Numbers as Dutch text writes them: digits, number words, shares, amounts of money and durations."""

from __future__ import annotations

import functools
import re

from nl.resources import table


@functools.lru_cache(maxsize=1)
def number_word_pattern() -> str:
    """Alternation of the number words (``twee|drie|…|helft|tientallen``)."""
    return "(?:" + "|".join(table("numbers")["cardinal"]) + ")"


@functools.lru_cache(maxsize=1)
def number_pattern() -> str:
    """A number in digits (``21``, ``3,5``) or words."""
    return r"(?:\d+(?:[.,]\d+)?|" + number_word_pattern() + ")"


@functools.lru_cache(maxsize=1)
def duration_unit_pattern() -> str:
    """Alternation of every spelling of a unit of time."""
    units = table("numbers")["duration_units"]
    return "(?:" + "|".join(sorted({w for ws in units.values() for w in ws}, key=len, reverse=True)) + ")"


@functools.lru_cache(maxsize=1)
def share_pattern() -> str:
    return r"(?:\d\s*%|\d\s+(?:procent|percent)\b)"


@functools.lru_cache(maxsize=1)
def money_pattern() -> str:
    words = [re.escape(w) for w in table("numbers")["money"]]
    return "(?:" + "|".join(w if not w[0].isalpha() else rf"\b{w}\b" for w in words) + ")"


def count_unit(noun: str) -> tuple[str, bool]:
    """For the noun of "hoeveel <noun>": the pattern a fitting sentence writes near its number, and whether a
    share of a population answers it too. Empty pattern: any number answers."""
    data = table("numbers")
    noun = noun.lower()
    if noun in data["count_units"]:
        return "|".join(re.escape(w) for w in data["count_units"][noun]), False
    for unit, spellings in data["duration_units"].items():
        if noun in spellings:
            return "|".join(re.escape(w) for w in spellings), False
    if len(noun) > 3 and noun.endswith(("en", "s")) and noun not in data["populations"]["unitless"]:
        return re.escape(noun[:4]), noun.startswith(tuple(data["populations"]["prefixes"]))
    return "", False

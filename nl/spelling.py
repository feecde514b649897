"""Typo correction: against the corpus's own vocabulary (stems one typing error away) and, to tell a typo
from a word the documents simply lack, against Dutch as a whole (``wordfreq``)."""

from __future__ import annotations

import functools

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit(word: str) -> set[str]:
    """All strings one deletion, transposition, substitution or insertion away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | swaps | replaces | inserts) - {word}


def corpus_corrections(base: str, vocabulary: frozenset[str], limit: int = 2) -> list[str]:
    """Corpus stems one typing error (a letter missing, extra, wrong or swapped, not the first) away from
    ``base`` when ``base`` is not a corpus word: ``bijeenkomts`` finds ``bijeenkomst``. Empty for known
    words, short stems and more than ``limit`` candidates."""
    if len(base) < 6 or base in vocabulary or not base.isalpha():
        return []
    found = sorted(c for c in one_edit(base) if c in vocabulary and c[0] == base[0])
    return found if len(found) <= limit else []


def edit_distance(a: str, b: str, bound: int = 2) -> int:
    """Typing errors between ``a`` and ``b`` (letters missing, extra, wrong or swapped), or ``bound + 1`` when
    there are more than ``bound``."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > bound:
            return bound + 1
        prev2, prev = prev, cur
    return min(prev[-1], bound + 1)


# Two typing errors are told apart from another word only in a long word.
TWO_EDIT_MIN_LENGTH = 8


def corpus_corrections_two(base: str, vocabulary: frozenset[str], limit: int = 1) -> list[str]:
    """Corpus stems two typing errors away from a long ``base`` (same first letter): ``bijenkoms`` finds
    ``bijeenkomst``. Empty when more than ``limit`` qualify. Searches the corpus's own words, so it costs
    milliseconds where a two-edit search of a whole dictionary costs a second."""
    if len(base) < TWO_EDIT_MIN_LENGTH or base in vocabulary or not base.isalpha():
        return []
    found = sorted(v for v in vocabulary
                   if v[:1] == base[:1] and abs(len(v) - len(base)) <= 2 and edit_distance(base, v) <= 2)
    return found if len(found) <= limit else []


@functools.lru_cache(maxsize=50_000)
def zipf(word: str) -> float:
    """How frequent ``word`` is in Dutch as a whole (wordfreq's Zipf scale: 0 unknown, 3 rare, 6 common)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl")


def is_dutch_word(word: str, minimum: float = 1.0) -> bool:
    """Whether ``word`` is a Dutch word at all (known to wordfreq with at least ``minimum`` Zipf)."""
    return zipf(word) >= minimum


# A word this frequent in Dutch is spelled right, even when the corpus lacks it ("hotel" is no typo).
CORRECT_ZIPF = 3.0


def is_correct_dutch(word: str) -> bool:
    return zipf(word) >= CORRECT_ZIPF


# One edit: a two-edit search costs about a second per unknown word (0.8 s for 8 letters, 1.8 s for 12, more
# under load), so a question of made-up words would hold a worker for minutes.
EDIT_DISTANCE = 1


@functools.lru_cache(maxsize=1)
def _spellchecker():
    from spellchecker import SpellChecker

    return SpellChecker(language="nl", distance=EDIT_DISTANCE)


@functools.lru_cache(maxsize=20_000)
def dutch_correction(word: str) -> str:
    """The Dutch word ``word`` most likely is a typo of (``pyspellchecker``'s Dutch dictionary), or ``""`` when
    it is a known word, too short, or has no likely correction."""
    if len(word) < 6 or not word.isalpha() or zipf(word) > 0:
        return ""
    fixed = _spellchecker().correction(word)
    return fixed if fixed and fixed != word else ""

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

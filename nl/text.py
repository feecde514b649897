"""Dutch text analysis: words, accent folding, stop words, stemming, singular forms and compound parts.

``Analyzer`` adds what a corpus's vocabulary makes possible: compound parts, typo corrections and the corpus
compounds a question word begins. The stemmer a lexical index was built with is recorded with it.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata

from nl.resources import word_list
from nl.spelling import (corpus_corrections, corpus_corrections_two, dutch_correction, is_correct_dutch,
                         is_dutch_word)

_RE_TOKEN = re.compile(r"[a-z0-9]+")
_RE_AMPERSAND = re.compile(r"\b([A-Za-z])&([A-Za-z])\b")  # R&D, Q&A

# Snowball's "dutch_porter" (the classic Dutch Porter stemmer) keeps words such as werkgever, gebruik and genoeg
# intact, where PyStemmer's newer "dutch" strips the ge- prefix (werkgever → werkver) and conflates unrelated
# words (gelden → gel). Measured on the eval set: hit@5 0.905 → 0.922 (see eval/README.md).
STEMMER = "dutch_porter"
# What a lexical index saved without a stemmer name was built with.
LEGACY_STEMMER = "dutch"
# Bumped whenever ``words``/``stem``/``singular`` change what a text analyses to: an index analysed otherwise
# must be rebuilt, or questions and documents would not meet.
ANALYSIS_VERSION = 2


def fold_accents(text: str) -> str:
    """``beïnvloeding`` → ``beinvloeding``: accents stripped, everything else kept."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """bm25s' Dutch stop words plus ``nl/data/stopwords.txt``, accents folded."""
    from bm25s.stopwords import STOPWORDS_DUTCH

    return frozenset(fold_accents(w) for w in STOPWORDS_DUTCH) | frozenset(word_list("stopwords"))


@functools.lru_cache(maxsize=None)
def _stemmer(algorithm: str):
    import Stemmer

    return Stemmer.Stemmer(algorithm)


_RE_PLURAL_IE = re.compile(r"(?<=[a-z]{3}ie)(s|en)$")  # organisaties, technologieen (ë folded)
_RE_PLURAL_VOWEL_S = re.compile(r"(?<=[a-z]{3}[ao])s$")  # risicos, autos, scenarios typed without apostrophe
_RE_VERB_DT = re.compile(r"(?<=[a-z]{3})dt$")  # (hij) houdt bij, beslist → the stem of bijhouden


def singular(word: str) -> str:
    """The inflections Dutch Porter leaves alone, undone: plurals (``organisaties`` → ``organisatie``,
    ``technologieen`` → ``technologie``, ``risicos`` → ``risico``) and a verb's ``-dt`` (``bijhoudt`` →
    ``bijhoud``, as ``bijhouden`` stems)."""
    return _RE_VERB_DT.sub("d", _RE_PLURAL_VOWEL_S.sub("", _RE_PLURAL_IE.sub("", word)))


@functools.lru_cache(maxsize=200_000)
def stem(word: str, algorithm: str = STEMMER) -> str:
    if algorithm == "dutch_porter":
        word = singular(word)
    return _stemmer(algorithm).stemWord(word)


def all_words(text: str) -> list[str]:
    """Lower-cased, accent-folded words (stop words included)."""
    return _RE_TOKEN.findall(fold_accents(_RE_AMPERSAND.sub(r"\1\2", text).lower()))


def words(text: str) -> list[str]:
    """Lower-cased, accent-folded words without stop words (digits kept: years, percentages)."""
    stop = stopwords()
    return [w for w in all_words(text) if w not in stop and (len(w) > 1 or w.isdigit())]


def tokenize(text: str, algorithm: str = STEMMER) -> list[str]:
    """Dutch stems of the words of ``text`` (no compound splitting)."""
    return [stem(w, algorithm) for w in words(text)]


_LINKS = ("", "s", "e", "en", "n")


def split_compound(word: str, vocabulary: frozenset[str], depth: int = 2, algorithm: str = STEMMER) -> list[str]:
    """Stems of the parts of a Dutch compound (``personeelsvolgsysteem`` → personeel, volg, systeem) when
    the parts occur as words in the corpus; empty when it is not a known compound."""
    if depth == 0 or len(word) < 8 or word.isdigit():
        return []
    for i in range(4, len(word) - 4):
        left, right = word[:i], word[i:]
        right_stem = stem(right, algorithm)
        right_parts = [right_stem] if right_stem in vocabulary else \
            split_compound(right, vocabulary, depth - 1, algorithm)
        if not right_parts:
            continue
        for link in _LINKS:
            if link and not left.endswith(link):
                continue
            head = left[: len(left) - len(link)] if link else left
            if len(head) >= 4 and stem(head, algorithm) in vocabulary:
                return [stem(head, algorithm)] + right_parts
    return []


class Analyzer:
    """Stems plus the parts of compounds known from the indexed corpus, so that ``volgsysteem`` finds
    ``personeelsvolgsysteem`` and ``emotieherkenning`` answers a question about ``emoties``."""

    def __init__(self, vocabulary: frozenset[str], stemmer: str = STEMMER):
        self.vocabulary = vocabulary
        self.stemmer = stemmer
        self._cache: dict[str, list[str]] = {}

    @functools.cached_property
    def sorted_vocabulary(self) -> list[str]:
        """The vocabulary in order, for prefix look-ups."""
        return sorted(self.vocabulary)

    def stem(self, word: str) -> str:
        return stem(word, self.stemmer)

    def compound_parts(self, word: str) -> list[str]:
        """Stems of the parts of ``word`` when it is a compound of corpus words, else empty."""
        return split_compound(word, self.vocabulary, algorithm=self.stemmer)

    def has_prefix(self, prefix: str) -> bool:
        """Whether some corpus stem begins with ``prefix``."""
        ordered = self.sorted_vocabulary
        i = bisect.bisect_left(ordered, prefix)
        return i < len(ordered) and ordered[i].startswith(prefix)

    def heads_of(self, base: str, limit: int = 8) -> list[str]:
        """Corpus stems that begin with ``base`` when ``base`` itself is not a corpus word: a question's
        ``emoties`` finds the documents' ``emotieherkenning``. Empty for known words, short stems and prefixes
        of more than ``limit`` words."""
        if len(base) < 5 or base in self.vocabulary:
            return []
        ordered = self.sorted_vocabulary
        i = bisect.bisect_left(ordered, base)
        found = []
        while i < len(ordered) and ordered[i].startswith(base):
            found.append(ordered[i])
            if len(found) > limit:
                return []
            i += 1
        return found

    def corrections(self, word: str, base: str, limit: int = 2) -> list[str]:
        """Corpus stems that a misspelled ``word`` (stem ``base``) was meant as: one typing error away in the
        corpus vocabulary, else the Dutch dictionary's correction when the corpus knows it, else, for a word
        unknown to Dutch, two typing errors away in the corpus vocabulary (long words only). Empty for words
        the corpus knows and for correct Dutch words it lacks ("hotel" is no typo of "motel")."""
        if base in self.vocabulary or is_correct_dutch(word):
            return []
        found = corpus_corrections(base, self.vocabulary, limit)
        if not found:
            fixed = dutch_correction(word)
            fixed_stem = self.stem(fixed) if fixed else ""
            found = [fixed_stem] if fixed_stem in self.vocabulary else []
        return found or (corpus_corrections_two(base, self.vocabulary) if not is_dutch_word(word, 0.01) else [])

    def _word(self, w: str) -> list[str]:
        if w not in self._cache:
            base = self.stem(w)
            extra = self.corrections(w, base) or self.compound_parts(w) or self.heads_of(base)
            self._cache[w] = [base] + [p for p in extra if p != base]
        return self._cache[w]

    def tokens(self, text: str) -> list[str]:
        out: list[str] = []
        for w in words(text):
            out.extend(self._word(w))
        return out


def build_vocabulary(texts: list[str], algorithm: str = STEMMER) -> frozenset[str]:
    """Stems of all words of the corpus that are long enough to be compound parts."""
    return frozenset(stem(w, algorithm) for t in texts for w in words(t) if len(w) >= 3 and not w.isdigit())

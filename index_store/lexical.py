"""Dutch lexical analysis and the BM25 index persisted beside the Chroma collection."""

from __future__ import annotations

import bisect
import functools
import json
import re
import unicodedata
from pathlib import Path

import numpy as np

_RE_TOKEN = re.compile(r"[a-z0-9]+")
_RE_AMPERSAND = re.compile(r"\b([A-Za-z])&([A-Za-z])\b")  # R&D, Q&A
# Words that carry no topic in questions or documents, on top of the standard Dutch list.
_EXTRA_STOPWORDS = {"wel", "eigenlijk", "precies", "graag", "mag", "moet", "kan", "kun", "kunnen", "moeten",
                    "mogen", "zegt", "staat", "zijn", "worden", "wordt", "heeft", "hebben", "gaat", "ga", "welk",
                    "welke", "wanneer", "waarom", "hoeveel", "hoe", "wie", "wat", "waar", "jij", "jullie", "u",
                    "ik", "we", "wij", "ze", "zij", "die", "dat", "dit", "deze", "er", "daar", "hier", "nog",
                    "ook", "al", "of", "en", "een", "de", "het", "the", "a", "an", "of", "to", "and", "is"}


def fold_accents(text: str) -> str:
    """``beïnvloeding`` → ``beinvloeding``: accents stripped, everything else kept."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_DUTCH

    return frozenset(fold_accents(w) for w in STOPWORDS_DUTCH) | _EXTRA_STOPWORDS


# Snowball's "dutch_porter" (the classic Dutch Porter stemmer) keeps words such as werkgever, gebruik and genoeg
# intact, where PyStemmer's newer "dutch" strips the ge- prefix (werkgever → werkver) and conflates unrelated
# words (gelden → gel). Measured on the eval set: hit@5 0.905 → 0.922 (see eval/README.md).
STEMMER = "dutch_porter"
# What a lexical index saved without a stemmer name was built with.
LEGACY_STEMMER = "dutch"


@functools.lru_cache(maxsize=None)
def _stemmer(algorithm: str):
    import Stemmer

    return Stemmer.Stemmer(algorithm)


_RE_PLURAL_IE = re.compile(r"(?<=[a-z]{3}ie)(s|en)$")  # organisaties, technologieen (ë folded)
_RE_PLURAL_VOWEL_S = re.compile(r"(?<=[a-z]{3}[ao])s$")  # risicos, autos, scenarios typed without apostrophe


def singular(word: str) -> str:
    """The plurals Dutch Porter leaves alone, made singular: ``organisaties`` → ``organisatie``,
    ``technologieen`` → ``technologie``, ``risicos`` → ``risico``."""
    return _RE_PLURAL_VOWEL_S.sub("", _RE_PLURAL_IE.sub("", word))


@functools.lru_cache(maxsize=200_000)
def stem(word: str, algorithm: str = STEMMER) -> str:
    if algorithm == "dutch_porter":
        word = singular(word)
    return _stemmer(algorithm).stemWord(word)


def words(text: str) -> list[str]:
    """Lower-cased, accent-folded words without stop words (digits kept: years, percentages)."""
    stop = stopwords()
    text = _RE_AMPERSAND.sub(r"\1\2", text)
    return [w for w in _RE_TOKEN.findall(fold_accents(text.lower())) if w not in stop and (len(w) > 1 or w.isdigit())]


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


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def one_edit(word: str) -> set[str]:
    """All strings one deletion, transposition, substitution or insertion away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    inserts = {a + c + b for a, b in splits for c in _LETTERS}
    return (deletes | swaps | replaces | inserts) - {word}


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

    def corrections(self, base: str, limit: int = 2) -> list[str]:
        """Corpus stems one typing error (a letter missing, extra, wrong or swapped, not the first) away from
        ``base`` when ``base`` is not a corpus word: ``bijeenkomts`` finds ``bijeenkomst``. Empty for known
        words, short stems and more than ``limit`` candidates."""
        if len(base) < 6 or base in self.vocabulary or not base.isalpha():
            return []
        found = sorted(c for c in one_edit(base) if c in self.vocabulary and c[0] == base[0])
        return found if len(found) <= limit else []

    def _word(self, w: str) -> list[str]:
        if w not in self._cache:
            base = self.stem(w)
            extra = self.corrections(base) or self.compound_parts(w) or self.heads_of(base)
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


class LexicalIndex:
    """BM25 (bm25s) over chunk texts, rows aligned with the store's chunk list."""

    def __init__(self, retriever, size: int, analyzer: Analyzer):
        self._retriever = retriever
        self.size = size
        self.analyzer = analyzer

    @classmethod
    def build(cls, texts: list[str], stemmer: str = STEMMER) -> "LexicalIndex":
        import bm25s

        analyzer = Analyzer(build_vocabulary(texts, stemmer), stemmer)
        retriever = bm25s.BM25(k1=1.2, b=0.75)
        retriever.index([analyzer.tokens(t) or ["_"] for t in texts], show_progress=False)
        return cls(retriever, len(texts), analyzer)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._retriever.save(str(folder), show_progress=False)
        (folder / "size.txt").write_text(str(self.size))
        (folder / "vocabulary.json").write_text(json.dumps(sorted(self.analyzer.vocabulary)), encoding="utf-8")
        (folder / "stemmer.txt").write_text(self.analyzer.stemmer)

    @classmethod
    def load(cls, folder: Path) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25.load(str(folder), show_progress=False)
        vocabulary = frozenset(json.loads((folder / "vocabulary.json").read_text(encoding="utf-8")))
        stemmer_file = folder / "stemmer.txt"
        stemmer = stemmer_file.read_text().strip() if stemmer_file.exists() else LEGACY_STEMMER
        return cls(retriever, int((folder / "size.txt").read_text()), Analyzer(vocabulary, stemmer))

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every chunk for the query tokens (zeros when none is known)."""
        if not query_tokens:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(query_tokens), dtype=np.float32)

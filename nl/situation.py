"""Reading a Dutch description of a planned AI system: the features it signals, the employees'
representation and the number of employees (data: ``nl/data/situation_features.toml``).

Pure functions; every match reports the words of the text that made it, so a user can see why a feature was
ticked.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from nl.resources import table
from nl.sentences import split_sentences
from nl.text import all_words, fold_accents, stem

_RE_CLAUSE = re.compile(r"[,;:()\[\]–]| - ")


@dataclass(frozen=True)
class Token:
    """One word of a signal: ``kind`` is stem, exact, prefix, contains or suffix."""

    kind: str
    text: str

    @classmethod
    def parse(cls, raw: str) -> "Token":
        word = fold_accents(raw.lower())
        if word.startswith("*") and word.endswith("*") and len(word) > 2:
            return cls("contains", word[1:-1])
        if word.endswith("*"):
            return cls("prefix", word[:-1])
        if word.startswith("="):
            return cls("exact", word[1:])
        if word.startswith("*"):
            return cls("suffix", word[1:])
        return cls("stem", stem(word))

    def matches(self, word: str) -> bool:
        return _token_matches(self.kind, self.text, word)


@functools.lru_cache(maxsize=65536)
def _token_matches(kind: str, text: str, word: str) -> bool:
    """Memoised: every signal is tried at every word of every sentence, so the same pairs recur."""
    if kind == "stem":
        return stem(word) == text
    if kind == "exact":
        return word == text
    if kind == "prefix":
        return word.startswith(text)
    if kind == "suffix":
        return word.endswith(text)
    return text in word


@dataclass(frozen=True)
class Signal:
    """Words that signal a feature; ``context`` names the [context] list of which the sentence must also hold
    a word for the signal to count ("": none)."""

    text: str
    tokens: tuple[Token, ...]
    context: str = ""


@dataclass(frozen=True)
class FeatureHit:
    """A feature read from a description, with the words of the text that signalled it."""

    feature: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class _Word:
    text: str
    clause: int


def _signals(raw: list[str], context: str = "") -> tuple[Signal, ...]:
    return tuple(Signal(s, tuple(Token.parse(t) for t in s.split()), context) for s in raw)


@functools.lru_cache(maxsize=1)
def _data() -> dict:
    return table("situation_features")


@functools.lru_cache(maxsize=1)
def feature_signals() -> dict[str, tuple[Signal, ...]]:
    """Per feature id (in the data file's order), its signals."""
    out = {}
    for feature, spec in _data()["kenmerk"].items():
        signals = _signals(spec.get("signalen", []))
        for key, raw in spec.items():
            if key.startswith("met_"):
                signals += _signals(raw, key.removeprefix("met_"))
        out[feature] = signals
    return out


def feature_ids() -> tuple[str, ...]:
    """The features this language data has signals for."""
    return tuple(feature_signals())


@functools.lru_cache(maxsize=1)
def context_signals() -> dict[str, tuple[Signal, ...]]:
    """Per [context] list, its words as signals ("@name" entries take in the words of list ``name``)."""
    raw = _data()["context"]

    def words(name: str) -> list[str]:
        return [w for entry in raw[name] for w in (words(entry[1:]) if entry.startswith("@") else [entry])]

    return {name: _signals(words(name)) for name in raw}


@functools.lru_cache(maxsize=1)
def _negations() -> frozenset[str]:
    return frozenset(fold_accents(w) for w in _data()["negations"])


def _sentences(text: str) -> list[list[_Word]]:
    """The words of each sentence, with the clause (between commas, semicolons, brackets) each is in."""
    out = []
    for sentence in split_sentences(text or ""):
        words = [_Word(w, i) for i, clause in enumerate(_RE_CLAUSE.split(sentence)) for w in all_words(clause)]
        if words:
            out.append(words)
    return out


def _find(tokens: tuple[Token, ...], words: list[_Word], start: int) -> list[int] | None:
    """Positions of ``tokens`` in order from ``start``, each within ``max_gap`` words of the previous one."""
    if not tokens[0].matches(words[start].text):
        return None
    positions, gap = [start], int(_data()["max_gap"])
    for token in tokens[1:]:
        last = positions[-1]
        nxt = next((j for j in range(last + 1, min(len(words), last + gap + 2)) if token.matches(words[j].text)),
                   None)
        if nxt is None:
            return None
        positions.append(nxt)
    return positions


def _negated(words: list[_Word], positions: list[int]) -> bool:
    """Whether a negation stands just before the match, inside it (between its words) or just after it, in
    the same clause."""
    negations, data = _negations(), _data()
    first, last = positions[0], positions[-1]
    before = range(max(0, first - int(data["negation_before"])), first)
    inside = [j for j in range(first, last) if j not in positions]
    after = range(last + 1, min(len(words), last + 1 + int(data["negation_after"])))
    return (any(words[j].clause == words[first].clause and words[j].text in negations for j in before)
            or any(words[j].text in negations for j in inside)
            or any(words[j].clause == words[last].clause and words[j].text in negations for j in after))


def _matches(signal: Signal, words: list[_Word]) -> list[list[int]]:
    found = []
    for i in range(len(words)):
        positions = _find(signal.tokens, words, i)
        if positions and not _negated(words, positions):
            found.append(positions)
    return found


def _holds(context: str, words: list[_Word]) -> bool:
    return any(_find(s.tokens, words, i) for s in context_signals()[context] for i in range(len(words)))


def infer_features(text: str) -> list[FeatureHit]:
    """The features a description signals, in the data file's order, each with the words that signalled it."""
    sentences = _sentences(text)
    held_in = [dict[str, bool]() for _ in sentences]
    hits = []
    for feature, signals in feature_signals().items():
        found: list[str] = []
        for words, held in zip(sentences, held_in):
            for signal in signals:
                if signal.context:
                    if signal.context not in held:
                        held[signal.context] = _holds(signal.context, words)
                    if not held[signal.context]:
                        continue
                for positions in _matches(signal, words):
                    phrase = " ".join(words[p].text for p in range(positions[0], positions[-1] + 1))
                    if phrase not in found:
                        found.append(phrase)
        if found:
            hits.append(FeatureHit(feature, tuple(found)))
    return hits


def infer_representation(text: str) -> str | None:
    """``or``, ``pvt`` or ``geen`` as a description states it ("zonder OR of PVT" is ``geen``); ``None`` when
    it names no representation."""
    data = _data()["vertegenwoordiging"]
    kinds = {kind: tuple(Token.parse(w) for w in data[kind]) for kind in ("or", "pvt")}
    seen: dict[str, list[bool]] = {"or": [], "pvt": []}
    for words in _sentences(text):
        for i, w in enumerate(words):
            for kind, tokens in kinds.items():
                if any(t.matches(w.text) for t in tokens):
                    seen[kind].append(_negated(words, [i]))
    if any(not neg for neg in seen["or"]):
        return "or"
    if any(not neg for neg in seen["pvt"]):
        return "pvt"
    return "geen" if seen["or"] or seen["pvt"] else None


@functools.lru_cache(maxsize=1)
def _re_employees() -> re.Pattern:
    nouns = "|".join(re.escape(w) for w in _data()["telling"]["telwoorden"])
    return re.compile(rf"(?<![\d.,])(\d{{1,3}}(?:\.\d{{3}})+|\d+)\s+(?:[^\W\d_]+\s+)?(?:{nouns})\b", re.I)


def infer_employees(text: str) -> int | None:
    """The number of employees a description states ("een bedrijf met 30 medewerkers"), else ``None``."""
    m = _re_employees().search(text or "")
    return int(m.group(1).replace(".", "")) if m else None


@functools.lru_cache(maxsize=1)
def _rights_question_signals() -> tuple[tuple[Signal, ...], tuple[Signal, ...]]:
    data = _data()["rechtenvraag"]
    return _signals(data["signalen"]), _signals(data["systeem"])


def asks_about_rights(question: str) -> bool:
    """Whether a question asks which rights or duties apply to a system ("welke rechten heeft de OR bij een
    AI-systeem dat …")."""
    rights, systems = _rights_question_signals()
    sentences = _sentences(question)
    return (any(_matches(s, words) for words in sentences for s in rights)
            and any(_matches(s, words) for words in sentences for s in systems))


@functools.lru_cache(maxsize=1)
def _re_description_start() -> re.Pattern:
    data = _data()["rechtenvraag"]
    before = "|".join(re.escape(w) for w in data["beschrijving_na"])
    articles = "|".join(re.escape(w) for w in data["lidwoorden"])
    return re.compile(rf"\b(?:{before})\s+((?:{articles})\s+\S.*)$", re.I | re.S)


def described_system(question: str) -> str:
    """The part of a rights question that describes the system ("welke rechten heeft de OR bij een systeem dat
    X doet?" → "een systeem dat X doet"); the whole question when no such part is found."""
    text = " ".join((question or "").split())
    m = _re_description_start().search(text)
    return (m.group(1) if m else text).rstrip(" ?!.")

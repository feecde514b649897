"""Question understanding apart from answer types: how a question is put, names in it, its language."""

from __future__ import annotations

import functools
import re

from nl.resources import table, word_list
from nl.text import all_words, fold_accents, stopwords


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


def names_as_written(question: str) -> list[str]:
    """Capitalised words after the first word, as written: the names of companies, places and people."""
    tokens = re.findall(r"[^\W\d_][\w'-]*", question)
    return list(dict.fromkeys(t for t in tokens[1:] if t[0].isupper() and not t.isupper()))


def names(question: str) -> set[str]:
    """The names of ``names_as_written``, lower-cased."""
    return {t.lower() for t in names_as_written(question)}


def dutch_share(text: str) -> float:
    """Share of the words (3+ letters) that are more frequent in Dutch than in English (wordfreq); 1.0 for a
    text without such words."""
    from wordfreq import zipf_frequency

    ws = [w for w in re.findall(r"[^\W\d_]{3,}", text.lower())]
    if not ws:
        return 1.0
    return sum(1 for w in ws if zipf_frequency(w, "nl") >= zipf_frequency(w, "en")) / len(ws)


# A question counts as not Dutch when it has no Dutch function word, at least this many words, and fewer than
# this share of them is more Dutch than English (loanwords such as "monitoring" or "AI act" stay Dutch).
NOT_DUTCH_MIN_WORDS = 4
NOT_DUTCH_SHARE = 0.34


def is_dutch(text: str) -> bool:
    """Whether a question is (likely) Dutch."""
    if has_dutch_hint(text) or len(re.findall(r"[^\W\d_]{3,}", text)) < NOT_DUTCH_MIN_WORDS:
        return True
    return dutch_share(text) >= NOT_DUTCH_SHARE


_RE_SENTENCE_END = re.compile(r"(?<=[.?!])\s+(?=[\w\"'‘“(])")


def focus(question: str) -> str:
    """The part of a question with context that asks something: its interrogative sentences ("… Wij zijn de OR
    van een zorginstelling. … Mag de directeur dat zonder ons?" → the last one); the whole text when it is one
    sentence or none asks."""
    sentences = [s for s in _RE_SENTENCE_END.split(question.strip()) if s.strip()]
    if len(sentences) < 2:
        return question.strip()
    asking = [s for s in sentences if s.rstrip().endswith("?") or re_question_word().match(s.strip())]
    return " ".join(asking[-2:]) if asking else sentences[-1]


@functools.lru_cache(maxsize=1)
def _re_focus_opener() -> re.Pattern:
    openers = sorted(_data()["focus_openers"], key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(o) for o in openers) + r")\s+((?:[\w-]+\W*){0,3})", re.I)


def focus_nouns(question: str) -> list[str]:
    """The content words right after "welke", "hoe heet dat", "wat voor" …: what the question asks about
    ("welke definitie van AI" → ["definitie"]); empty when the question names none."""
    out: list[str] = []
    stop = stopwords()
    for m in _re_focus_opener().finditer(question):
        for w in all_words(m.group(2)):
            if w not in stop and len(w) >= 2:
                out.append(w)
                break
    return out

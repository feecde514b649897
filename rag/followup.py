"""Follow-up questions: rewrite a short, context-dependent question into a standalone one (heuristic)."""

from __future__ import annotations

import re

from nl.dates import RE_YEAR, re_date_anchor
from nl.followup_words import (determiners, leading_limits, re_anaphora, re_anchor_pointer, re_leading,
                               re_referred_entity, re_topic_pointer)
from nl.questions import names_as_written, re_question_word
from rag.domain import Domain


def _question_of(item: object) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and item.get("role", "user") == "user" and isinstance(item.get("content"), str):
        return item["content"]
    if isinstance(item, (list, tuple)) and item and isinstance(item[0], str):
        return item[0]
    return ""


def history_questions(history: list | None) -> list[str]:
    """Earlier user questions from a history given as strings or chat messages (anything else is ignored)."""
    if not isinstance(history, (list, tuple)):
        return []
    return [q for q in map(_question_of, history) if q.strip()]


def recent_questions(history: object, turns: int, chars: int, per_question: int) -> tuple[list[str], bool]:
    """The newest earlier questions within the limits: at most ``turns`` of them, each cut to ``per_question``
    characters, ``chars`` in all (older ones go first). Returns them oldest first, and whether anything was
    left out. The cost is linear in what is kept, whatever the size of ``history``."""
    if not isinstance(history, (list, tuple)):
        return [], False
    kept: list[str] = []
    total, cut = 0, False
    for item in reversed(history):
        question = _question_of(item)
        if not question.strip():
            continue
        if len(kept) >= turns or total >= chars:
            cut = True
            break
        text = " ".join(question[:per_question * 4].split())
        if len(text) > per_question or len(question) > per_question * 4:
            text, cut = text[:per_question], True
        if total + len(text) > chars:
            text, cut = text[:chars - total], True
        kept.append(text)
        total += len(text)
    return kept[::-1], cut


def is_follow_up(question: str, domain: Domain) -> bool:
    """Short questions that lean on context: 'en in 2021?', 'en wat zegt de SER daarover?'."""
    q = question.strip()
    words = re.findall(r"\w+", q)
    if not words:
        return False
    alone, with_anaphor = leading_limits()
    if re_leading().match(q) and (len(words) <= alone or
                                  len(words) <= with_anaphor and re_anaphora().search(re_leading().sub("", q))):
        return True
    if len(words) <= 4:
        return True
    lowered = [w.lower() for w in words]
    return len(words) <= 9 and bool(re_anaphora().search(q)) and not domain.names_topic(lowered)


def anchors(question: str, domain: Domain) -> list[str]:
    """Dates and document or meeting names in a question: what a later "die vergadering" points at."""
    alias = domain.alias_pattern()
    found = ([m.group(0) for m in alias.finditer(question)] if alias else []) + \
        [m.group(0) for m in re_date_anchor().finditer(question)]
    return list(dict.fromkeys(" ".join(a.split()) for a in found))


def _entity_rewrite(core: str, prev: str, domain: Domain) -> str | None:
    """A follow-up that points at the previous question's meeting, document or time rather than its topic
    keeps only that question's anchors: ``wie zat die vergadering voor?`` or ``en wat werd daar besloten?``
    after a question about the raad of 17 okt 2024 → ``wie zat de vergadering voor? (raad 17 okt 2024)``.
    None when the follow-up is not of that kind."""
    entity = re_referred_entity().search(core)
    pointer = re_anchor_pointer().search(core)
    if not (entity or pointer) or re_topic_pointer().search(core):
        return None
    carried = anchors(prev, domain)
    if RE_YEAR.search(core):  # its own year replaces the earlier question's dates
        carried = [a for a in carried if not RE_YEAR.search(a)]
    if not carried:
        return None
    article = determiners()
    resolved = re_referred_entity().sub(lambda m: f"{article[m.group(1).lower()]} {m.group(2)}", core)
    return f"{resolved}? ({' '.join(carried)})"


# A follow-up that names something else and says little more ("en bij Philips?", "en voor Unilever?")
# asks the previous question about that name: at most this many other words.
NAME_SWAP_MAX_OTHER_WORDS = 2


def _name_swap(core: str, prev: str) -> str | None:
    """The previous question with its first name (a run of capitalised words) replaced by the follow-up's:
    ``en bij Philips?`` after ``hoe gebruikt ASML-leverancier Prodrive AI?`` → ``hoe gebruikt Philips AI?``.
    None when the follow-up is not of that kind."""
    new = names_as_written("x " + core)
    if not new:
        return None
    rest = [w for w in re.findall(r"[\w'-]+", core) if w not in new]
    old = [n for n in names_as_written(prev) if n not in new]
    if len(rest) > NAME_SWAP_MAX_OTHER_WORDS or not old:
        return None
    any_old = "(?:" + "|".join(map(re.escape, old)) + ")"
    pattern = re.escape(old[0]) + r"(?:\s+" + any_old + r")*(?![\w-])"
    return re.sub(pattern, " ".join(new), prev, count=1)


def rewrite(question: str, history: list | None, domain: Domain) -> str:
    """A standalone version of ``question`` given the earlier questions (unchanged when not a follow-up)."""
    previous = history_questions(history)
    if not previous or not is_follow_up(question, domain):
        return question.strip()
    prev = previous[-1].strip()
    core = re_leading().sub("", question.strip()).strip()
    new_years = [m.group(0) for m in RE_YEAR.finditer(core)]
    if new_years and RE_YEAR.search(prev) and not re_question_word().match(core):
        return RE_YEAR.sub(new_years[0], prev, count=1)
    topic = re.sub(r"[?!.]+$", "", prev)
    core = re.sub(r"[?!.]+$", "", core)
    if not core:
        return prev
    entity = _entity_rewrite(core, prev, domain) or _name_swap(core, prev)
    if entity:
        return entity
    if new_years:
        topic = RE_YEAR.sub("", topic)
    # The follow-up's own words come first and twice: they say what is asked now; the topic says about what.
    return f"{core}? {core}? ({' '.join(topic.split())})"

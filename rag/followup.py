"""Follow-up questions: rewrite a short, context-dependent question into a standalone one (heuristic)."""

from __future__ import annotations

import re

from nl.dates import RE_YEAR, re_date_anchor
from nl.followup_words import (determiners, re_anaphora, re_anchor_pointer, re_leading, re_referred_entity,
                                 re_topic_pointer)
from nl.questions import re_question_word
from rag.domain import Domain


def history_questions(history: list | None) -> list[str]:
    """Earlier user questions from a history given as strings or chat messages."""
    out: list[str] = []
    for item in history or []:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, dict) and item.get("role", "user") == "user" and item.get("content"):
            content = item["content"]
            out.append(content if isinstance(content, str) else str(content))
        elif isinstance(item, (list, tuple)) and item and isinstance(item[0], str):
            out.append(item[0])
    return [q for q in out if q.strip()]


def is_follow_up(question: str, domain: Domain) -> bool:
    """Short questions that lean on context: 'en in 2021?', 'en wat zegt de SER daarover?'."""
    q = question.strip()
    words = re.findall(r"\w+", q)
    if not words:
        return False
    if re_leading().match(q) and len(words) <= 10:
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
    if not carried:
        return None
    article = determiners()
    resolved = re_referred_entity().sub(lambda m: f"{article[m.group(1).lower()]} {m.group(2)}", core)
    return f"{resolved}? ({' '.join(carried)})"


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
    entity = _entity_rewrite(core, prev, domain)
    if entity:
        return entity
    if new_years:
        topic = RE_YEAR.sub("", topic)
    # The follow-up's own words come first and twice: they say what is asked now; the topic says about what.
    return f"{core}? {core}? ({' '.join(topic.split())})"

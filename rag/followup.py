"""Follow-up questions: rewrite a short, context-dependent question into a standalone one (heuristic)."""

from __future__ import annotations

import re

_ANAPHORA = re.compile(
    r"\b(daarover|daarvan|daarbij|daarin|daarmee|daarna|hierover|hiervan|hierbij|ervan|erover|erbij|dat|die|dit|deze|"
    r"het|hij|zij|ze|hem|haar|hun|hen|daar|toen|dezelfde|diezelfde|ook)\b", re.I)
_LEADING = re.compile(r"^(en|maar|ok[eé]?|oké|dus|nou|ja|nee|verder|ook)\b[\s,]*", re.I)
_QUESTION_WORDS = re.compile(r"^(wat|wie|hoe|welke?|waar|wanneer|waarom|hoeveel|mag|moet|kan|heeft|is|zijn|geldt)\b",
                             re.I)
_YEAR = re.compile(r"\b(19|20)\d\d\b")
# "die vergadering", "dat advies": the follow-up points at a meeting or document of the previous question, not at
# its topic, so only that question's anchors (dates, document names) carry over.
_REFERRED_ENTITY = re.compile(
    r"\b(die|dat|deze|dit|diezelfde|datzelfde)\s+(vergadering|raadsvergadering|bijeenkomst|sessie|werksessie|raad|"
    r"advies|adviesaanvraag|brief|kabinetsbrief|reactie|rapport|verslag|document|presentatie|werkgroep|commissie|"
    r"toespraak|onderzoek)\b", re.I)
_TOPIC_POINTER = re.compile(r"\b(daar\w*|hier\w*|er(over|van|bij|in|mee|voor|aan))\b", re.I)
_MONTH = r"(jan|feb|mrt|maart|apr|mei|jun|jul|aug|sep|okt|nov|dec)[a-z]*\.?"
_DATE_ANCHOR = re.compile(r"\b(\d{1,2}\s+)?" + _MONTH + r"\s+(19|20)\d\d\b|\b(19|20)\d\d\b", re.I)
_DOC_ANCHOR = re.compile(r"\b(dare to be aware|kabinetsbrief|kabinetsreactie|adviesaanvraag|advies ai en werk|"
                         r"raadsvergadering|raad|advies)\b", re.I)


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


def is_follow_up(question: str) -> bool:
    """Short questions that lean on context: 'en in 2021?', 'en wat zegt de SER daarover?'."""
    q = question.strip()
    words = re.findall(r"\w+", q)
    if not words:
        return False
    if _LEADING.match(q) and len(words) <= 10:
        return True
    if len(words) <= 4:
        return True
    return len(words) <= 9 and bool(_ANAPHORA.search(q)) and not re.search(r"\b(OR|ondernemingsraad|SER|AI)\b", q)


def anchors(question: str) -> list[str]:
    """Dates and document or meeting names in a question: what a later "die vergadering" points at."""
    found = [m.group(0) for m in _DOC_ANCHOR.finditer(question)] + [m.group(0) for m in _DATE_ANCHOR.finditer(question)]
    return list(dict.fromkeys(" ".join(a.split()) for a in found))


def _entity_rewrite(core: str, prev: str) -> str | None:
    """``wie zat die vergadering voor?`` after a question about the raad of 17 okt 2024 →
    ``wie zat de vergadering voor? (raad 17 okt 2024)``; None when the follow-up is not of that kind."""
    if not _REFERRED_ENTITY.search(core) or _TOPIC_POINTER.search(core):
        return None
    carried = anchors(prev)
    if not carried:
        return None
    article = {"die": "de", "deze": "de", "diezelfde": "de", "dat": "het", "dit": "het", "datzelfde": "het"}
    resolved = _REFERRED_ENTITY.sub(lambda m: f"{article[m.group(1).lower()]} {m.group(2)}", core)
    return f"{resolved}? ({' '.join(carried)})"


def rewrite(question: str, history: list | None) -> str:
    """A standalone version of ``question`` given the earlier questions (unchanged when not a follow-up)."""
    previous = history_questions(history)
    if not previous or not is_follow_up(question):
        return question.strip()
    prev = previous[-1].strip()
    core = _LEADING.sub("", question.strip()).strip()
    new_years = [m.group(0) for m in _YEAR.finditer(core)]
    if new_years and _YEAR.search(prev) and not _QUESTION_WORDS.match(core):
        return _YEAR.sub(new_years[0], prev, count=1)
    topic = re.sub(r"[?!.]+$", "", prev)
    core = re.sub(r"[?!.]+$", "", core)
    if not core:
        return prev
    entity = _entity_rewrite(core, prev)
    if entity:
        return entity
    if new_years:
        topic = _YEAR.sub("", topic)
    # The follow-up's own words come first and twice: they say what is asked now; the topic says about what.
    return f"{core}? {core}? ({' '.join(topic.split())})"

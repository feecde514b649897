"""Dutch sentence splitting that returns character spans, so every character stays accounted for."""

from __future__ import annotations

import re

from nl.dates import month_abbreviations
from nl.footnotes import SUPERSCRIPT_DIGITS
from nl.resources import word_list

# Lower-cased, without the final period. A period after one of these does not end a sentence.
ABBREVIATIONS = frozenset(word_list("abbreviations")) | month_abbreviations()

_CLOSERS = "\"'”’»)]"
_RE_BOUNDARY = re.compile(r"[.!?]+")
# Footnote references (superscript digits) and citation markers ("[3]", in generated answers).
_RE_MARKERS = re.compile(rf"(?:\s?(?:\[\d{{1,3}}\]|[{SUPERSCRIPT_DIGITS}]{{1,3}}(?![{SUPERSCRIPT_DIGITS}])))+")


def _word_before(text: str, pos: int) -> str:
    start = pos
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".-"):
        start -= 1
    return text[start:pos]


def _is_abbreviation(text: str, dot: int) -> bool:
    word = _word_before(text, dot).lower().strip(".")
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():
        # Initials ("L. van Est"), but not the "'s" of "risico's." or "thema’s.".
        return text[max(0, dot - 2)] not in "'’"
    return bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))  # o.b.v, t.z.t


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``; whitespace between them is not covered.

    Newlines always end a sentence (list items, table rows, headings). A ``.``/``?``/``!`` ends one when the
    next word starts with a capital, a digit, a quote or a bullet, except after known Dutch abbreviations
    (``art.``, ``o.a.``, ``bijv.``, ``t.o.v.``, ``d.w.z.``, ``nr.``) and initials. Footnote markers such as
    ``[3]`` right after the full stop stay with the sentence they follow.
    """
    cuts: list[int] = []
    for line in re.finditer(r"[^\n]+", text):
        base = line.start()
        segment = line.group(0)
        for m in _RE_BOUNDARY.finditer(segment):
            end = m.end()
            if m.group(0) == "." and _is_abbreviation(segment, m.start()):
                continue
            while end < len(segment) and segment[end] in _CLOSERS:
                end += 1
            mk = _RE_MARKERS.match(segment, end)
            if mk:
                end = mk.end()
            rest = segment[end:]
            stripped = rest.lstrip()
            if not stripped or len(stripped) == len(rest):
                continue
            first = stripped[0]
            if first.isupper() or first.isdigit() or first in "\"'‘“«([-–•":
                cuts.append(base + end)
        cuts.append(line.end())
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(set(cuts)):
        s, e = start, cut
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
        start = cut
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings."""
    return [text[s:e] for s, e in sentence_spans(text)]

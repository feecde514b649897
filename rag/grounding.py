"""Whether answer sentences are supported by the passages they cite (used by the LLM mode and the eval)."""

from __future__ import annotations

import re

_RE_MARKERS = re.compile(r"((?:\s*\[\d+\])+)")


def norm(text: str) -> str:
    """Whitespace-normalised, typographic quotes unified, footnote markers kept."""
    t = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(t.split())


def quote_in(quote: str, text: str) -> bool:
    return norm(quote) in norm(text)


def strip_markers(answer: str) -> str:
    """The answer text without its ``[n]`` markers."""
    return _RE_MARKERS.sub(" ", answer)


def split_marked(answer: str) -> list[tuple[str, list[int]]]:
    """``"Zin een. [1] Zin twee. [2][3]"`` → ``[("Zin een.", [1]), ("Zin twee.", [2, 3])]``."""
    out: list[tuple[str, list[int]]] = []
    pieces = _RE_MARKERS.split(answer)
    for i in range(0, len(pieces) - 1, 2):
        sentence = pieces[i].strip()
        markers = [int(n) for n in re.findall(r"\[(\d+)\]", pieces[i + 1])]
        if sentence:
            out.append((sentence, markers))
    tail = pieces[-1].strip() if len(pieces) % 2 == 1 else ""
    if tail:
        out.append((tail, []))
    return out


def token_overlap_support(sentence: str, passage: str) -> float:
    """Share of a sentence's content words that occur in the passage (for generated answers)."""
    words = [w for w in re.findall(r"\w+", sentence.lower()) if len(w) > 3]
    if not words:
        return 1.0
    ptoks = set(re.findall(r"\w+", passage.lower()))
    return sum(1 for w in words if w in ptoks) / len(words)


def grounding(answer: str, citations: list[dict]) -> tuple[float, list[str]]:
    """Share of answer sentences found verbatim (whitespace-normalised) in a passage their marker cites;
    also the unsupported sentences."""
    by_n = {c["n"]: c["text"] for c in citations}
    parts = split_marked(answer)
    if not parts:
        return 0.0, []
    bad = [s for s, ns in parts if not ns or not any(n in by_n and quote_in(s, by_n[n]) for n in ns)]
    return 1.0 - len(bad) / len(parts), bad


def overlap_grounding(answer: str, citations: list[dict], minimum: float = 0.5) -> tuple[float, list[str]]:
    """Grounding of generated (LLM) answers: a sentence counts as supported when at least ``minimum`` of its
    content words occur in a passage its marker cites."""
    by_n = {c["n"]: c["text"] for c in citations}
    parts = split_marked(answer)
    if not parts:
        return 0.0, []
    bad = [s for s, ns in parts
           if not ns or not any(n in by_n and token_overlap_support(s, by_n[n]) >= minimum for n in ns)]
    return 1.0 - len(bad) / len(parts), bad

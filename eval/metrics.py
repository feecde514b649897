"""Pure scoring functions of the evaluation: retrieval at unit level, citations, grounding, refusals."""

from __future__ import annotations

import re
import statistics

_RE_MARKERS = re.compile(r"((?:\s*\[\d+\])+)")


def norm(text: str) -> str:
    """Whitespace-normalised, typographic quotes unified, footnote markers kept."""
    t = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(t.split())


def fact_alternatives(fact: str | list[str]) -> list[str]:
    """The spellings that count for one gold fact (a string, or a list of alternatives)."""
    return [fact] if isinstance(fact, str) else list(fact)


def fact_in(fact: str | list[str], answer: str) -> bool:
    """Whether the answer text (markers removed, case and whitespace ignored) states the fact."""
    text = norm(_RE_MARKERS.sub(" ", answer)).lower()
    return any(norm(alt).lower() in text for alt in fact_alternatives(fact))


def gold_units(item: dict) -> list[str]:
    unit = item.get("unit")
    if unit is None:
        return []
    return list(unit) if isinstance(unit, list) else [unit]


def unit_matches(item: dict, doc: str, unit_path: list[str]) -> bool:
    """A passage matches when it is in the gold document and in the gold unit or a unit below it."""
    return doc == item.get("doc") and any(g in unit_path for g in gold_units(item))


def first_hit_rank(item: dict, passages: list[dict]) -> int | None:
    """1-based rank of the first passage in the gold unit, or None."""
    for i, p in enumerate(passages, start=1):
        if unit_matches(item, p["doc"], p.get("unit_path") or [p["unit"]]):
            return i
    return None


def hit_at(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def quote_in(quote: str, text: str) -> bool:
    return norm(quote) in norm(text)


def citation_correct(item: dict, citations: list[dict]) -> bool:
    """Some cited passage contains the gold quote."""
    return bool(item.get("quote")) and any(quote_in(item["quote"], c["text"]) for c in citations)


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


def token_overlap_support(sentence: str, passage: str) -> float:
    """Share of a sentence's content words that occur in the passage (for generated answers)."""
    words = [w for w in re.findall(r"\w+", sentence.lower()) if len(w) > 3]
    if not words:
        return 1.0
    ptoks = set(re.findall(r"\w+", passage.lower()))
    return sum(1 for w in words if w in ptoks) / len(words)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[idx]


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0

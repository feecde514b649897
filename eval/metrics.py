"""Pure scoring functions of the evaluation: retrieval at unit level, citations, grounding, refusals."""

from __future__ import annotations

import statistics

from rag.grounding import (grounding, norm, overlap_grounding, quote_in, split_marked,  # noqa: F401
                           strip_markers, token_overlap_support)


def fact_alternatives(fact: str | list[str]) -> list[str]:
    """The spellings that count for one gold fact (a string, or a list of alternatives)."""
    return [fact] if isinstance(fact, str) else list(fact)


def fact_in(fact: str | list[str], answer: str) -> bool:
    """Whether the answer text (markers removed, case and whitespace ignored) states the fact."""
    text = norm(strip_markers(answer)).lower()
    return any(norm(alt).lower() in text for alt in fact_alternatives(fact))


def style_of(item: dict) -> str:
    """How a question is phrased: its ``style``, else ``followup`` with a history, else ``direct``."""
    return item.get("style") or ("followup" if item.get("history") else "direct")


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



def citation_correct(item: dict, citations: list[dict]) -> bool:
    """Some cited passage contains the gold quote."""
    return bool(item.get("quote")) and any(quote_in(item["quote"], c["text"]) for c in citations)






def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[idx]


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else 0.0

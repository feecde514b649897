"""Citation numbers as a reader sees them: the cited passages numbered 1..n in the order the answer first
cites them, the other retrieved passages after them."""

from __future__ import annotations

import re
from dataclasses import replace

from rag.types import Passage

_MARKER = re.compile(r"\[(\d+)\]")


def cite_in_order(passages: list[Passage], cited: list[int]) -> tuple[list[Passage], list[Passage], dict[int, int]]:
    """``(citations, all passages renumbered, old n → new n)`` for the passage numbers ``cited`` in the order
    the answer uses them (repeats allowed)."""
    order = list(dict.fromkeys(n for n in cited if 1 <= n <= len(passages)))
    order += [p.n for p in passages if p.n not in order]
    mapping = {old: new for new, old in enumerate(order, start=1)}
    by_n = {p.n: p for p in passages}
    renumbered = [replace(by_n[old], n=mapping[old]) for old in order]
    n_cited = len(dict.fromkeys(n for n in cited if n in mapping))
    return renumbered[:n_cited], renumbered, mapping


def renumber_markers(text: str, mapping: dict[int, int]) -> str:
    """``[3]`` → ``[1]`` etc. in an answer text; unknown numbers stay."""
    return _MARKER.sub(lambda m: f"[{mapping.get(int(m.group(1)), int(m.group(1)))}]", text)

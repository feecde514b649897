"""A question that presupposes what its best evidence contradicts ("waarom heeft het bestuur het jaarplan
afgewezen?" against "Het bestuur stelt het jaarplan vast"): pairs of opposite statements from
``nl/data/opposites.toml``."""

from __future__ import annotations

import functools
import re

from nl.resources import table


@functools.lru_cache(maxsize=1)
def _pairs() -> tuple[tuple[re.Pattern, re.Pattern], ...]:
    out = []
    for pair in table("opposites")["pair"]:
        a, b = re.compile(pair["a"], re.I), re.compile(pair["b"], re.I)
        out.append((a, b))
    return tuple(out)


def contradicted(question: str, evidence: str) -> bool:
    """Whether the question states the first side of an opposite pair and ``evidence`` only the second."""
    return any(said.search(question) and not said.search(evidence) and other.search(evidence)
               and not other.search(question) for said, other in _pairs())

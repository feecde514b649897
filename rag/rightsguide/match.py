"""Applying the rules table to a situation: per rule the first case whose conditions hold. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from rag.rightsguide.situation import ResolvedSituation
from rag.rightsguide.table import Case, Rule, RulesTable


@dataclass(frozen=True)
class Decision:
    """A rule, the case that decided it, and the situation's features that case names."""

    rule: Rule
    case: Case
    matched: tuple[str, ...]


def case_holds(case: Case, situation: ResolvedSituation) -> bool:
    features = set(situation.kenmerken)
    employees = situation.werknemers
    return ((not case.representations or situation.vertegenwoordiging in case.representations)
            and (not case.any_of or bool(features & set(case.any_of)))
            and set(case.all_of) <= features
            and not features & set(case.none_of)
            and (case.employees_min is None or (employees is not None and employees >= case.employees_min))
            and (case.employees_max is None or (employees is not None and employees <= case.employees_max)))


def decide(table: RulesTable, situation: ResolvedSituation) -> list[Decision]:
    """One decision per rule that has a matching case, in the table's order."""
    out = []
    for rule in table.rules:
        case = next((c for c in rule.cases if case_holds(c, situation)), None)
        if case is not None:
            named = set(case.any_of) | set(case.all_of)
            out.append(Decision(rule, case, tuple(f for f in situation.kenmerken if f in named)))
    return out


def join_dutch(items: list[str]) -> str:
    """``a``, ``a en b``, ``a, b en c``."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} en {items[-1]}"


def fill(template: str, table: RulesTable, decision: Decision, situation: ResolvedSituation) -> str:
    """A case's text with ``{kenmerken}`` (the matched features' names) and ``{omvang}`` filled in."""
    names = join_dutch([table.features[f].name for f in decision.matched])
    size = f" (hier: {situation.werknemers} werknemers)" if situation.werknemers is not None else ""
    return template.replace("{kenmerken}", names).replace("{omvang}", size)

"""The Rechtenwijzer's rules table (``corpus/rights.toml``) as typed records, checked when it is read."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

APPLIES = "van toepassing"
POSSIBLE = "mogelijk"
NOT_APPLICABLE = "niet van toepassing"
STATUSES = (APPLIES, POSSIBLE, NOT_APPLICABLE)
REPRESENTATIONS = ("or", "pvt", "geen")


class TableError(ValueError):
    """The rules table is malformed (a message for the maintainer of the table)."""


@dataclass(frozen=True)
class Feature:
    """A situation feature: ``label`` for a checkbox, ``name`` inside a sentence, ``explanation``."""

    id: str
    name: str
    explanation: str
    label: str


@dataclass(frozen=True)
class Case:
    """One case of a rule: its conditions and what follows when they hold."""

    status: str
    why: str
    depends_on: str = ""
    representations: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    all_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()
    employees_min: int | None = None
    employees_max: int | None = None
    quotes: tuple[str, ...] | None = None  # None: the rule's quotes


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    article: str
    question: str
    quotes: tuple[str, ...]
    cases: tuple[Case, ...]
    law: str = ""
    law_articles: tuple[str, ...] = ()

    def quotes_of(self, case: Case) -> tuple[str, ...]:
        return self.quotes if case.quotes is None else case.quotes


@dataclass(frozen=True)
class RulesTable:
    caveat: str
    caveat_quotes: tuple[str, ...]
    no_sources: str
    features: dict[str, Feature]
    representations: dict[str, str]
    laws: dict[str, tuple[str, ...]]
    rules: tuple[Rule, ...]

    def all_quotes(self) -> set[str]:
        quotes = set(self.caveat_quotes)
        for rule in self.rules:
            quotes.update(rule.quotes)
            for case in rule.cases:
                quotes.update(case.quotes or ())
        return quotes


def _text(value: object) -> str:
    return " ".join(str(value or "").split())


def _case(rule_id: str, raw: dict, features: dict[str, Feature]) -> Case:
    status = raw.get("status")
    if status not in STATUSES:
        raise TableError(f"{rule_id}: status {status!r} is not one of {STATUSES}")
    if status == POSSIBLE and not raw.get("afhankelijk_van"):
        raise TableError(f"{rule_id}: a 'mogelijk' case needs afhankelijk_van")
    named = [*raw.get("een_van", []), *raw.get("alle", []), *raw.get("geen_van", [])]
    unknown = sorted(set(named) - set(features))
    if unknown:
        raise TableError(f"{rule_id}: unknown features {unknown}")
    reps = tuple(raw.get("vertegenwoordiging", ()))
    if set(reps) - set(REPRESENTATIONS):
        raise TableError(f"{rule_id}: unknown representation in {reps}")
    if "{kenmerken}" in f"{raw.get('waarom')}{raw.get('afhankelijk_van')}" and not (raw.get("een_van") or raw.get("alle")):
        raise TableError(f"{rule_id}: {{kenmerken}} needs een_van or alle")
    quotes = raw.get("bronnen")
    return Case(status=status, why=_text(raw.get("waarom")), depends_on=_text(raw.get("afhankelijk_van")),
                representations=reps, any_of=tuple(raw.get("een_van", ())), all_of=tuple(raw.get("alle", ())),
                none_of=tuple(raw.get("geen_van", ())), employees_min=raw.get("werknemers_min"),
                employees_max=raw.get("werknemers_max"),
                quotes=None if quotes is None else tuple(_text(q) for q in quotes))


def parse_table(data: dict) -> RulesTable:
    """A rules table from its TOML data; raises ``TableError`` on unknown features, statuses or duplicates."""
    features = {fid: Feature(fid, _text(f["naam"]), _text(f.get("uitleg")), _text(f.get("label") or f["naam"]))
                for fid, f in data["kenmerk"].items()}
    rules, seen = [], set()
    for raw in data["recht"]:
        rid = raw["id"]
        if rid in seen:
            raise TableError(f"duplicate rule id {rid}")
        seen.add(rid)
        cases = tuple(_case(rid, c, features) for c in raw.get("geval", []))
        quotes = tuple(_text(q) for q in raw.get("bronnen", []))
        if not cases or not (quotes or all(c.quotes for c in cases)):
            raise TableError(f"{rid}: a rule needs cases and quotes")
        rules.append(Rule(id=rid, name=_text(raw["naam"]), article=_text(raw["artikel"]),
                          question=_text(raw.get("vraag")), quotes=quotes, cases=cases, law=raw.get("wet", ""),
                          law_articles=tuple(raw.get("artikelen", ()))))
    return RulesTable(caveat=_text(data["voorbehoud"]), caveat_quotes=tuple(_text(q) for q in data["voorbehoud_bronnen"]),
                      no_sources=_text(data["zonder_bronnen"]), features=features,
                      representations=dict(data["vertegenwoordiging"]),
                      laws={k: tuple(v) for k, v in data.get("wetten", {}).items()}, rules=tuple(rules))


@functools.lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> RulesTable:
    with open(path, "rb") as fh:
        return parse_table(tomllib.load(fh))


def load_table(path: Path) -> RulesTable:
    """The rules table at ``path`` (read again when the file changes)."""
    return _load(str(path), path.stat().st_mtime_ns)

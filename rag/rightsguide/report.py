"""The Rechtenwijzer's report: the rights and duties that apply or may apply to a situation, each with the
sentences of the indexed documents that state it, the ones that do not apply and why, and the caveat."""

from __future__ import annotations

from dataclasses import dataclass

from rag.rightsguide.evidence import Bron, Evidence
from rag.rightsguide.match import decide, fill
from rag.rightsguide.situation import ResolvedSituation
from rag.rightsguide.table import APPLIES, NOT_APPLICABLE, POSSIBLE, RulesTable


@dataclass(frozen=True)
class Recht:
    """One right or duty for the situation: ``status`` is "van toepassing", "mogelijk" (then
    ``afhankelijk_van`` says on what) or "niet van toepassing"; ``kenmerken`` are the features that decided it."""

    id: str
    naam: str
    artikel: str
    status: str
    waarom: str
    bronnen: tuple[Bron, ...]
    afhankelijk_van: str = ""
    vraag: str = ""
    kenmerken: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"id": self.id, "naam": self.naam, "artikel": self.artikel, "status": self.status,
                "waarom": self.waarom, "afhankelijk_van": self.afhankelijk_van, "vraag": self.vraag,
                "kenmerken": list(self.kenmerken), "bronnen": [b.to_json() for b in self.bronnen]}


@dataclass(frozen=True)
class RightsReport:
    """``rechten``: what applies ("van toepassing" first, then "mogelijk"); ``niet_van_toepassing``: rights
    the situation rules out, with why; ``vervolgvragen``: a question per right to ask the chat."""

    situatie: ResolvedSituation
    rechten: tuple[Recht, ...]
    niet_van_toepassing: tuple[Recht, ...]
    voorbehoud: str
    voorbehoud_bronnen: tuple[Bron, ...]
    vervolgvragen: tuple[str, ...]
    melding: str = ""

    def to_json(self) -> dict:
        extra = {"melding": self.melding} if self.melding else {}
        return {"situatie": self.situatie.to_json(), "rechten": [r.to_json() for r in self.rechten],
                "niet_van_toepassing": [r.to_json() for r in self.niet_van_toepassing],
                "voorbehoud": self.voorbehoud, "voorbehoud_bronnen": [b.to_json() for b in self.voorbehoud_bronnen],
                "vervolgvragen": list(self.vervolgvragen), **extra}

    def status_of(self, right_id: str) -> str:
        """The status of a right in this report, "" when it is not in it."""
        return next((r.status for r in self.rechten + self.niet_van_toepassing if r.id == right_id), "")


_ORDER = {APPLIES: 0, POSSIBLE: 1, NOT_APPLICABLE: 2}


def build_report(table: RulesTable, evidence: Evidence, situation: ResolvedSituation) -> RightsReport:
    """Apply the table to the situation; a right none of whose sentences is in the index is left out."""
    found = []
    for decision in decide(table, situation):
        sources = evidence.sources(decision.rule.quotes_of(decision.case))
        if not sources:
            continue
        rule, case = decision.rule, decision.case
        found.append(Recht(rule.id, rule.name, rule.article, case.status, fill(case.why, table, decision, situation),
                           tuple(sources + evidence.law_sources(rule)), fill(case.depends_on, table, decision, situation),
                           rule.question, decision.matched))
    found.sort(key=lambda r: _ORDER[r.status])
    rights = tuple(r for r in found if r.status != NOT_APPLICABLE)
    questions = tuple(dict.fromkeys(r.vraag for r in rights if r.vraag))
    return RightsReport(situation, rights, tuple(r for r in found if r.status == NOT_APPLICABLE), table.caveat,
                        tuple(evidence.sources(table.caveat_quotes)), questions,
                        "" if any(evidence.quotes.values()) else table.no_sources)

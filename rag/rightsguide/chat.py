"""The chat's hook into the Rechtenwijzer: a question such as "welke rechten heeft de OR bij een AI-systeem dat
…" gets a short summary of the rights for that situation and what the page needs to open the Rechtenwijzer
with it. The chat's own answer is left as it is."""

from __future__ import annotations

from dataclasses import dataclass

from index_store.store import StoreError
from nl.situation import asks_about_rights, described_system, infer_representation
from rag.rightsguide import RightsReport, SituationError, rights
from rag.rightsguide.match import join_dutch
from rag.rightsguide.table import APPLIES, POSSIBLE
from vraagbaak.settings import Settings


@dataclass(frozen=True)
class RightsPointer:
    """The situation a chat question describes, the report for it and a one-paragraph Dutch summary."""

    situation: dict
    summary: str
    report: RightsReport

    def to_json(self) -> dict:
        return {"situatie": self.situation, "samenvatting": self.summary}


def _in_sentence(name: str) -> str:
    """"Instemmingsrecht …" → "instemmingsrecht …"; "AI-geletterdheid" stays."""
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


def summary(report: RightsReport) -> str:
    """"Volgens de Rechtenwijzer geldt voor deze situatie: … Daarnaast gelden mogelijk N andere …" (the rights
    that apply by name and article, the possible ones counted)."""
    applies = [f"{_in_sentence(r.naam)} ({r.artikel})" for r in report.rechten if r.status == APPLIES]
    possible = sum(r.status == POSSIBLE for r in report.rechten)
    parts = [f"Volgens de Rechtenwijzer geldt voor deze situatie: {join_dutch(applies)}."] if applies else []
    if possible:
        parts.append(f"{'Daarnaast gelden' if applies else 'Er gelden'} mogelijk {possible} "
                     f"{'recht of plicht' if possible == 1 else 'rechten en plichten'}, afhankelijk van de situatie.")
    parts.append("Open de Rechtenwijzer voor de uitleg, de bronnen en wat er niet geldt.")
    return " ".join(parts)


def rights_pointer(question: str, settings: Settings) -> RightsPointer | None:
    """A pointer for a question that asks which rights apply to a described system, else ``None`` (also when
    the index cannot give a report)."""
    if not asks_about_rights(question or ""):
        return None
    situation = {"beschrijving": described_system(question)}
    representation = infer_representation(question)
    if representation:
        situation["vertegenwoordiging"] = representation
    try:
        report = rights(situation, settings)
    except (SituationError, StoreError):
        return None
    if not report.rechten:
        return None
    return RightsPointer(situation, summary(report), report)

"""Retrieval and grounded answering. ``rag.answer(question, history=None, filters=None) -> Answer``;
``rag.rights(situation) -> RightsReport`` (the Rechtenwijzer)."""

from __future__ import annotations

from rag.types import Answer, Passage


def answer(question: str, history: list | None = None, filters: dict | None = None, **kwargs) -> Answer:
    """Answer a Dutch question from the indexed documents, citing passages (settings from VRAAGBAAK_* env)."""
    from rag.engine import get_engine
    from vraagbaak.settings import load_settings

    return get_engine(load_settings()).answer(question, history=history, filters=filters, **kwargs)


def rights(situation, **overrides):
    """The Rechtenwijzer's report for a situation (``{"beschrijving", "kenmerken", "vertegenwoordiging",
    "werknemers"}`` or a ``rag.rightsguide.Situation``), every right cited from the indexed documents; raises
    ``rag.rightsguide.SituationError`` (Dutch) for input that does not describe a situation."""
    from rag.rightsguide import rights as report
    from vraagbaak.settings import load_settings

    return report(situation, load_settings(**overrides))


__all__ = ["answer", "rights", "Answer", "Passage"]

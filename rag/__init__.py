"""Retrieval and grounded answering. ``rag.answer(question, history=None, filters=None) -> Answer``."""

from __future__ import annotations

from rag.types import Answer, Passage


def answer(question: str, history: list | None = None, filters: dict | None = None, **kwargs) -> Answer:
    """Answer a Dutch question from the indexed documents, citing passages (settings from VRAAGBAAK_* env)."""
    from rag.engine import get_engine
    from vraagbaak.settings import load_settings

    return get_engine(load_settings()).answer(question, history=history, filters=filters, **kwargs)


__all__ = ["answer", "Answer", "Passage"]

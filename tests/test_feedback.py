"""Feedback is kept in SQLite across restarts; a page without an index explains how to build one."""

from __future__ import annotations

import sqlite3

from ui import index_view
from ui.app import build_app
from ui.chat import ChatService
from ui.feedback import FeedbackStore


def test_feedback_rows_survive_reopen(tmp_path):
    path = tmp_path / "feedback.sqlite"
    store = FeedbackStore(path)
    citations = [{"n": 1, "label": "SER-raadsvergadering 17 oktober 2024 — agendapunt 4", "chunk_id": "x::4::0",
                  "doc": "ser-raadsvergadering-2024-10-17"}]
    first = store.record("a1", 1, "Heeft de OR instemmingsrecht?", "Ja [1]", citations,
                         filters={"docs": ["ser-raadsvergadering-2024-10-17"]})
    store.record("a2", -1, "Wat is een recept voor pannenkoeken?", "Geen antwoord", [], refused=True)
    store.record("a1", 0, "Heeft de OR instemmingsrecht?", "Ja [1]", citations)
    del store

    # a fresh connection (as after a restart) sees every committed row
    reopened = FeedbackStore(path)
    rows = reopened.rows()
    assert [r.answer_id for r in rows] == ["a1", "a2", "a1"]
    assert rows[0].id == first and rows[0].rating == 1 and rows[0].citations == citations
    assert rows[0].filters == {"docs": ["ser-raadsvergadering-2024-10-17"]}
    assert rows[1].refused and rows[1].rating == -1
    assert reopened.latest() == {"a1": 0, "a2": -1}
    assert reopened.ratings(["a2", "a1", "zz"]) == {"a1": 0, "a2": -1} and reopened.ratings([]) == {}
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0] == 3


def test_missing_index_shows_dutch_instructions(isolated_settings, tmp_path):
    """An empty store folder: the page builds, says how to make the index, and answers with that too."""
    settings = isolated_settings.with_overrides(feedback_db=tmp_path / "feedback.sqlite")
    assert not settings.store_dir.exists() or not any(settings.store_dir.iterdir())

    view = index_view.current(settings)
    assert not view.ok and view.documents == {}
    assert "vraagbaak ingest" in view.status_html and "make run" in view.status_html

    demo = build_app(settings)  # must not raise
    status = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "index-status")
    assert status.visible and "De index is nog niet gebouwd" in status.value
    button = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "index-bouwen")
    assert button.visible

    chat = ChatService(settings, FeedbackStore(settings.feedback_db))
    steps = list(chat.respond("Heeft de OR instemmingsrecht?", [], [], [], "", ""))
    conversation, _, turns = steps[-1]
    assert len(turns) == 1 and turns[0]["error"]
    assert "vraagbaak ingest" in conversation and "foutmelding" in conversation

"""Thumbs up/down on answers, kept in a local SQLite file (WAL, one committed transaction per write).

Every click is appended as a row, so nothing is overwritten; the latest row per answer is its current rating.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at  TEXT    NOT NULL,
    answer_id   TEXT    NOT NULL,
    rating      INTEGER NOT NULL,   -- 1 = duim omhoog, -1 = duim omlaag, 0 = ingetrokken
    question    TEXT    NOT NULL,
    standalone  TEXT    NOT NULL DEFAULT '',
    answer      TEXT    NOT NULL,
    refused     INTEGER NOT NULL DEFAULT 0,
    citations   TEXT    NOT NULL DEFAULT '[]',  -- JSON: [{n, label, chunk_id, doc}]
    filters     TEXT    NOT NULL DEFAULT '{}'   -- JSON, as passed to Engine.answer
);
CREATE INDEX IF NOT EXISTS feedback_answer ON feedback(answer_id);
"""


@dataclass
class FeedbackRow:
    id: int
    created_at: str
    answer_id: str
    rating: int
    question: str
    standalone: str
    answer: str
    refused: bool
    citations: list[dict]
    filters: dict


class FeedbackStore:
    """Append-only feedback log; safe to use from Gradio's worker threads."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30)
        conn.execute("PRAGMA synchronous=FULL")
        return conn

    def record(self, answer_id: str, rating: int, question: str, answer: str, citations: list[dict],
               refused: bool = False, standalone: str = "", filters: dict | None = None) -> int:
        """Store one rating (committed before returning). Returns the row id."""
        row = (time.strftime("%Y-%m-%dT%H:%M:%S"), answer_id, int(rating), question, standalone, answer,
               int(bool(refused)), json.dumps(citations, ensure_ascii=False),
               json.dumps(filters or {}, ensure_ascii=False))
        with self._lock:
            conn = self._connect()
            try:
                with conn:
                    cur = conn.execute(
                        "INSERT INTO feedback (created_at, answer_id, rating, question, standalone, answer, "
                        "refused, citations, filters) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
                return int(cur.lastrowid)
            finally:
                conn.close()

    def rows(self) -> list[FeedbackRow]:
        """All rows, oldest first."""
        conn = self._connect()
        try:
            found = conn.execute(
                "SELECT id, created_at, answer_id, rating, question, standalone, answer, refused, citations, "
                "filters FROM feedback ORDER BY id").fetchall()
        finally:
            conn.close()
        return [FeedbackRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bool(r[7]), json.loads(r[8]),
                            json.loads(r[9])) for r in found]

    def latest(self) -> dict[str, int]:
        """The current rating per answer id."""
        return {row.answer_id: row.rating for row in self.rows()}

    def ratings(self, answer_ids: list[str]) -> dict[str, int]:
        """The current rating of each of these answers that has one."""
        if not answer_ids:
            return {}
        conn = self._connect()
        try:
            found = conn.execute(
                f"SELECT answer_id, rating FROM feedback WHERE answer_id IN ({','.join('?' * len(answer_ids))}) "
                "ORDER BY id", list(answer_ids)).fetchall()
        finally:
            conn.close()
        return dict(found)

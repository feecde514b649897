"""Embedding vectors cached on disk by (model, text hash), so no text is ever embedded twice."""

from __future__ import annotations

import hashlib
import sqlite3
import time
from pathlib import Path

import numpy as np


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    """A small SQLite table; safe against a killed process (each batch is committed)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=60, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS vectors (model TEXT, key TEXT, dim INTEGER, vec BLOB, PRIMARY KEY (model, key))"
        )
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(vectors)")}
        if "used_at" not in columns:  # caches written before pruning existed: every entry counts as used now
            self._db.execute("ALTER TABLE vectors ADD COLUMN used_at REAL")
            self._db.execute("UPDATE vectors SET used_at = ?", [time.time()])
        self._db.commit()

    def get_many(self, model: str, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            rows = self._db.execute(
                f"SELECT key, vec FROM vectors WHERE model = ? AND key IN ({','.join('?' * len(part))})",
                [model, *part],
            ).fetchall()
            found.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
            self._db.execute(f"UPDATE vectors SET used_at = ? WHERE model = ? AND key IN ({','.join('?' * len(part))})",
                             [time.time(), model, *part])
        self._db.commit()
        return found

    def put_many(self, model: str, items: dict[str, np.ndarray]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO vectors (model, key, dim, vec, used_at) VALUES (?, ?, ?, ?, ?)",
            [(model, k, int(v.shape[0]), np.asarray(v, dtype=np.float32).tobytes(), time.time())
             for k, v in items.items()],
        )
        self._db.commit()

    def count(self, model: str | None = None) -> int:
        if model is None:
            return self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]
        return self._db.execute("SELECT COUNT(*) FROM vectors WHERE model = ?", [model]).fetchone()[0]

    def prune(self, keep: set[tuple[str, str]], unused_seconds: float) -> int:
        """Delete every entry not in ``keep`` (``(model, key)``) and not used for ``unused_seconds``; returns how
        many were deleted. The file shrinks (VACUUM) afterwards."""
        cutoff = time.time() - unused_seconds
        doomed = [(m, k) for m, k, used in self._db.execute("SELECT model, key, used_at FROM vectors")
                  if (m, k) not in keep and (used or 0) <= cutoff]
        self._db.executemany("DELETE FROM vectors WHERE model = ? AND key = ?", doomed)
        self._db.commit()
        if doomed:
            self._db.execute("VACUUM")
        return len(doomed)

    def close(self) -> None:
        self._db.close()

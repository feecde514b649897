"""A passage in its context: the chunk itself, its neighbours in the same document, and where it comes from.

Used by the chat page to show a cited passage with the text just before and after it. Pure apart from a
small per-build cache of each document's chunk order.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from index_store.store import StoreReader


@dataclass(frozen=True)
class Neighbour:
    """The previous or next chunk of the same document."""

    chunk_id: str
    label: str
    text: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class PassageContext:
    """One chunk with its citation label, document details and neighbouring chunks."""

    chunk_id: str
    doc_id: str
    text: str
    label: str
    unit_title: str
    subheading: str
    doc_title: str
    doc_citation: str
    doc_type: str
    doc_date: str
    char_start: int
    char_end: int
    previous: Neighbour | None
    next: Neighbour | None

    def previous_tail(self) -> str:
        """The previous chunk's text that does not overlap this passage (chunks overlap a little)."""
        if self.previous is None:
            return ""
        cut = self.char_start - self.previous.char_start
        return self.previous.text[:cut] if 0 < cut < len(self.previous.text) else self.previous.text

    def next_head(self) -> str:
        """The next chunk's text that does not overlap this passage."""
        if self.next is None:
            return ""
        skip = self.char_end - self.next.char_start
        return self.next.text[skip:] if 0 < skip < len(self.next.text) else self.next.text


# build id -> (chunk id -> row, doc id -> rows sorted by char_start); a handful of builds at most.
_ORDER: dict[str, tuple[dict[str, int], dict[str, list[int]]]] = {}
_ORDER_LOCK = threading.Lock()
_KEEP_BUILDS = 4


def _order(store: StoreReader) -> tuple[dict[str, int], dict[str, list[int]]]:
    key = f"{store.store_dir}::{store.build_id}"
    with _ORDER_LOCK:
        found = _ORDER.get(key)
        if found is None:
            rows = {r.id: i for i, r in enumerate(store.records)}
            by_doc: dict[str, list[int]] = {}
            for i, r in enumerate(store.records):
                by_doc.setdefault(r.doc_id, []).append(i)
            for doc_rows in by_doc.values():
                doc_rows.sort(key=lambda i: (store.records[i].char_start, store.records[i].char_end))
            while len(_ORDER) >= _KEEP_BUILDS:
                _ORDER.pop(next(iter(_ORDER)))
            found = _ORDER[key] = (rows, by_doc)
        return found


def _neighbour(record: dict) -> Neighbour:
    return Neighbour(record.id, record.label, record.text, record.char_start, record.char_end)


def passage_context(store: StoreReader, chunk_id: str) -> PassageContext | None:
    """The chunk ``chunk_id`` with its previous/next chunk of the same document; ``None`` if unknown."""
    rows, by_doc = _order(store)
    row = rows.get(chunk_id)
    if row is None:
        return None
    r = store.records[row]
    doc_rows = by_doc[r.doc_id]
    pos = doc_rows.index(row)
    prev_rec = store.records[doc_rows[pos - 1]] if pos > 0 else None
    next_rec = store.records[doc_rows[pos + 1]] if pos + 1 < len(doc_rows) else None
    return PassageContext(
        chunk_id=r.id, doc_id=r.doc_id, text=r.text, label=r.label,
        unit_title=r.unit_title, subheading=r.subheading,
        doc_title=r.doc_title, doc_citation=r.doc_citation,
        doc_type=r.doc_type, doc_date=r.doc_date,
        char_start=r.char_start, char_end=r.char_end,
        previous=_neighbour(prev_rec) if prev_rec else None,
        next=_neighbour(next_rec) if next_rec else None,
    )

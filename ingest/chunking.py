"""Sentence-aware chunking inside one unit, within a tiktoken budget, with sentence overlap.

A chunk never spans two units, with one exception: a lead-in that announces a list of onderdelen ("… besluit
tot:" followed by a., b., …) is chunked together with its items when they fit their own budget, so the lid answers
"welke …?" with its list; each onderdeel keeps its own chunk as well. A unit larger than the budget is first
split at its subheadings (boxes, unnumbered headings), then packed sentence by sentence. Chunks are spans of
the document text, so their text is always an exact substring of what was indexed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from nl.sentences import sentence_spans
from ingest.structure import ParsedDocument, Unit
from ingest.tokens import count_tokens


@dataclass
class Chunk:
    doc_id: str
    unit_key: str
    index: int  # position within the unit
    start: int  # offsets into the document text
    end: int
    text: str
    subheading: str
    tokens: int

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}::{self.unit_key}::{self.index}"

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:32]


def _segments(unit: Unit) -> list[tuple[int, int, str]]:
    """``(start, end, subheading)`` pieces of a unit's text (relative offsets), split at its subheadings."""
    cuts = [(0, "")] + [(off, title) for off, title in unit.subheadings if 0 < off < len(unit.text)]
    out = []
    for i, (off, title) in enumerate(cuts):
        end = cuts[i + 1][0] if i + 1 < len(cuts) else len(unit.text)
        if end > off:
            out.append((off, end, title))
    return out


def _hard_split(text: str, start: int, end: int, budget: int, encoding: str) -> list[tuple[int, int]]:
    """Split one over-long sentence at word boundaries into pieces within the budget."""
    pieces: list[tuple[int, int]] = []
    s = start
    while s < end:
        lo, hi = s + 1, end
        best = s
        while lo <= hi:
            mid = (lo + hi) // 2
            cut = text.rfind(" ", s, mid) if mid < end else end
            cut = cut if cut > s else mid
            if count_tokens(text[s:cut], encoding) <= budget:
                best = cut
                lo = mid + 1
            else:
                hi = mid - 1
        if best <= s:
            best = min(end, s + 1)
        pieces.append((s, best))
        s = best
        while s < end and text[s].isspace():
            s += 1
    return pieces


def pack_spans(text: str, spans: list[tuple[int, int]], budget: int, overlap: int,
               encoding: str = "cl100k_base") -> list[tuple[int, int]]:
    """Group sentence spans into chunk spans of at most ``budget`` tokens, repeating up to ``overlap``
    tokens of trailing sentences at the start of the next chunk."""
    units: list[tuple[int, int]] = []
    for s, e in spans:
        if count_tokens(text[s:e], encoding) > budget:
            units.extend(_hard_split(text, s, e, budget, encoding))
        else:
            units.append((s, e))
    chunks: list[tuple[int, int]] = []
    i = 0
    while i < len(units):
        j = i + 1
        while j < len(units) and count_tokens(text[units[i][0]:units[j][1]], encoding) <= budget:
            j += 1
        chunks.append((units[i][0], units[j - 1][1]))
        if j >= len(units):
            break
        k = j
        while (k - 1 > i and count_tokens(text[units[k - 1][0]:units[j - 1][1]], encoding) <= overlap
               and count_tokens(text[units[k - 1][0]:units[j][1]], encoding) <= budget):
            k -= 1
        i = k if k < j else j
    return chunks


def chunk_unit(doc: ParsedDocument, unit: Unit, budget: int = 350, overlap: int = 60,
               encoding: str = "cl100k_base") -> list[Chunk]:
    """Chunks of one unit; small neighbouring segments are packed together, large ones split."""
    groups: list[tuple[int, int, str]] = []
    for s, e, title in _segments(unit):
        if groups:
            gs, ge, gt = groups[-1]
            if count_tokens(unit.text[gs:e], encoding) <= budget:
                groups[-1] = (gs, e, gt)
                continue
        groups.append((s, e, title))
    chunks: list[Chunk] = []
    for gs, ge, title in groups:
        spans = [(gs + s, gs + e) for s, e in sentence_spans(unit.text[gs:ge])]
        for s, e in pack_spans(unit.text, spans, budget, overlap, encoding):
            start, end = unit.start + s, unit.start + e
            text = doc.text[start:end]
            chunks.append(Chunk(doc.info.doc_id, unit.key, len(chunks), start, end, text,
                                _subheading_at(unit, s) or title, count_tokens(text, encoding)))
    return chunks


def _subheading_at(unit: Unit, offset: int) -> str:
    current = ""
    for off, title in unit.subheadings:
        if off <= offset:
            current = title
    return current


LIST_ITEM_KINDS = ("onderdeel",)


def list_ends(doc: ParsedDocument) -> dict[str, int]:
    """Units whose text ends in a colon and whose next units are their onderdelen: unit key → the end of the
    last of those (the text after the list, its "slot", belongs to the lid as well and is included)."""
    out: dict[str, int] = {}
    units = doc.units
    for i, u in enumerate(units):
        if not u.text.rstrip().endswith(":"):
            continue
        end = None
        for v in units[i + 1:]:
            if v.parent != u.key:
                break
            if v.kind not in LIST_ITEM_KINDS and end is None:
                break
            end = v.end
        if end is not None:
            out[u.key] = end
    return out


def chunk_document(doc: ParsedDocument, budget: int = 350, overlap: int = 60,
                   encoding: str = "cl100k_base", list_budget: int = 900) -> list[Chunk]:
    """All chunks of a parsed document, unit by unit; a lead-in with its list as one chunk when it fits
    ``list_budget``."""
    ends = list_ends(doc)
    out: list[Chunk] = []
    for u in doc.units:
        if u.key in ends:
            start = u.start + len(u.text) - len(u.text.lstrip())
            text = doc.text[start:ends[u.key]].rstrip()
            tokens = count_tokens(text, encoding)
            if text and tokens <= list_budget:
                out.append(Chunk(doc.info.doc_id, u.key, 0, start, start + len(text), text, "", tokens))
                continue
        out.extend(chunk_unit(doc, u, budget, overlap, encoding))
    return out

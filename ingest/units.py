"""The records a parsed document is made of: its units, what a citation needs to know, and the whole."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.cleaning import SUPERSCRIPT_DIGITS, Block


@dataclass
class Unit:
    """One citable unit of a document."""

    key: str
    number: str
    title: str
    level: int
    kind: str
    parent: str | None = None
    heading: str = ""
    blocks: list[Block] = field(default_factory=list)
    footnotes: list[Block] = field(default_factory=list)
    path: tuple[str, ...] = ()
    label: str = ""
    text: str = ""
    start: int = 0
    end: int = 0
    body_start: int = 0
    subheadings: list[tuple[int, str]] = field(default_factory=list)
    pages: tuple[int, int] | None = None
    # (offset in ``text``, first page, last page) of each block, for the pages of a chunk
    block_pages: list[tuple[int, int, int]] = field(default_factory=list)
    # Text the unit continues, for search only: the lead-in of the list an onderdeel belongs to.
    context: str = ""


@dataclass
class DocInfo:
    """What a citation needs to know about a document."""

    doc_id: str
    title: str
    citation: str
    doc_type: str
    date: str
    structure: str = "auto"
    appendix_item: str = "Onderdeel"
    # Where title, date and type came from (shown by ``vraagbaak ingest`` and ``vraagbaak docs``):
    # "manifest" | "kop" | "datumregel" | "bestandsnaam" | "bestand" | "" (not known).
    title_from: str = ""
    date_from: str = ""
    type_from: str = ""


@dataclass
class ParsedDocument:
    info: DocInfo
    text: str
    units: list[Unit]

    def unit(self, key: str) -> Unit:
        return next(u for u in self.units if u.key == key)

    def subtree_text(self, key: str) -> str:
        """Text of a unit and all units below it, in reading order."""
        return "\n\n".join(u.text for u in self.units if key in u.path)


def new_unit(units: list[Unit], key: str, number: str, title: str, level: int, kind: str, parent: Unit | None,
             heading: Block | None) -> Unit:
    """Append a unit to ``units`` (a repeated key gets `` (2)``, `` (3)`` …) and return it."""
    # Footnote markers belong to the text, not to a label.
    title = re.sub(rf"\s*[{SUPERSCRIPT_DIGITS}]{{1,3}}", "", title).strip()
    base, n = key, 2
    while any(u.key == key for u in units):
        key = f"{base} ({n})"
        n += 1
    unit = Unit(key=key, number=number, title=title, level=level, kind=kind,
                parent=parent.key if parent else None, heading=heading.text if heading else "")
    if heading is not None:
        unit.pages = (heading.page, heading.page) if heading.page else None
    units.append(unit)
    return unit


def add_block(unit: Unit, block: Block) -> None:
    if block.kind == "footnote":
        unit.footnotes.append(block)
    else:
        unit.blocks.append(block)

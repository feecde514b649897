"""Parse cleaned blocks into the document's own units (agenda items, chapters, sections, sessions).

Each kind of document has a parser that returns ``Unit``s in reading order; ``assemble`` then builds the
document text, character offsets, parent paths and citation labels. All functions are pure.
"""

from __future__ import annotations

import re

from nl.resources import table
from ingest.cleaning import Block, cites_footnote, footnote_marker, looks_like_title, numbered_heading, strip_markup
from ingest.legal import LAW_KINDS, is_law, law_label, parse_law
from ingest.units import DocInfo, ParsedDocument, Unit, add_block as _add, new_unit as _new  # noqa: F401

STRUCTURE_KINDS = ("meeting", "report", "sessions", "letter", "law", "headings", "plain", "auto")
_RE_NUMBERED_HEADING = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*)$")
_WORDS = table("structure")
_APPENDIX_START = re.compile(r"^(" + "|".join(_WORDS["appendix_start"]) + r")\b", re.I)
_APPENDIX_NUMBER = re.compile(r"^" + _WORDS["appendix_number"] + r"\s+(\d+)\s*[:.\-–]?\s*(.*)$", re.I)
_QUESTION_HEADING = re.compile(r"^(" + "|".join(_WORDS["question_headings"]) + r")\s+(\d+)\s*[.:]?\s*(.*)$", re.I)
_CLOSING_TITLES = set(_WORDS["closing_titles"])
_FRONT_TITLES = set(_WORDS["front_titles"])
_BACK_TITLES = set(_WORDS["back_titles"])
_CHILD_OF_FRONT = re.compile(r"^(" + "|".join(_WORDS["child_of_front"]) + r")\s+(\d+)\s*[:.\-–]?\s*(.*)$", re.I)


# ----------------------------------------------------------------------------------------- helpers


def _is_successor(prev: str | None, cand: str, seen: set[str]) -> bool:
    """Whether ``cand`` may follow ``prev`` in an outline numbering (1 → 1.1 → 1.2 → 2 …)."""
    c = [int(x) for x in cand.split(".")]
    if prev is None:
        return c in ([1], [1, 1]) or (len(c) == 1 and c[0] <= 2)
    p = [int(x) for x in prev.split(".")]
    if c == p + [1]:
        return True
    for depth in range(len(p), 0, -1):
        if c == p[: depth - 1] + [p[depth - 1] + 1]:
            return True
    return cand in seen and cand == prev


def _title_like(block: Block, max_words: int = 10) -> bool:
    """A short one-line paragraph that reads as a heading."""
    return block.kind == "para" and "\n" not in block.text.strip() and looks_like_title(block.text, None, max_words)


def _open_numbered(units: list[Unit], stack: dict[int, Unit], key: str, number: str, title: str, kind: str,
                   heading: Block) -> Unit:
    """Open a numbered unit under the nearest open unit one level up; deeper open levels are closed."""
    depth = number.count(".") + 1
    unit = _new(units, key, number, title, depth, kind, stack.get(depth - 1) if depth > 1 else None, heading)
    stack[depth] = unit
    for d in [d for d in stack if d > depth]:
        del stack[d]
    return unit


# ----------------------------------------------------------------------------------------- parsers


def parse_outline(blocks: list[Block], kind: str, appendix_item: str = "Onderdeel") -> list[Unit]:
    """Numbered outline documents: meeting minutes, letters and session reports."""
    prefix = _WORDS["unit_prefix"].get(kind, "")
    units: list[Unit] = []
    intro = _new(units, "Inleiding" if kind == "sessions" else "Aanhef", "", "", 0, "front", None, None)
    current = intro
    stack: dict[int, Unit] = {}
    prev_number: str | None = None
    seen: set[str] = set()
    appendix: Unit | None = None
    appendix_child: Unit | None = None
    closed = False

    for i, b in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        nh = numbered_heading(b.text) if b.kind == "para" and len(b.text) < 300 else None

        if appendix is None and kind == "meeting" and closed and b.kind == "para" and _APPENDIX_START.match(b.text) \
                and len(b.text) < 200 and b.text.rstrip()[-1:] not in ".;":
            m = _APPENDIX_NUMBER.match(b.text)
            key = f"Bijlage {m.group(1)}" if m else "Bijlage"
            appendix = _new(units, key, m.group(1) if m else "", (m.group(2) if m else b.text).strip(), 1,
                            "bijlage", None, b)
            current = appendix
            appendix_child = None
            continue

        if appendix is not None:
            qm = _QUESTION_HEADING.match(b.text) if b.kind == "para" and len(b.text) < 200 else None
            if nh and "." not in nh[0] and len(b.text) < 80 and int(nh[0]) <= 20:
                appendix_child = _new(units, f"{appendix.key} > {appendix_item} {nh[0]}", nh[0], nh[1], 2,
                                      "bijlage-onderdeel", appendix, b)
                current = appendix_child
                continue
            if qm and appendix_child is not None:
                current = _new(units, f"{appendix_child.key} > {qm.group(1).capitalize()} {qm.group(2)}",
                               qm.group(2), qm.group(3).strip(), 3, "vraag", appendix_child, b)
                continue
            if appendix_child is None and _title_like(b, 8) and nxt is not None and nxt.kind == "para" \
                    and len(nxt.text) > 120:
                current = _new(units, f"{appendix.key} > {b.text.strip()}", "", b.text.strip(), 2,
                               "bijlage-onderdeel", appendix, b)
                continue
            _add(current, b)
            continue

        if nh and _is_successor(prev_number, nh[0], seen):
            number, title = nh
            current = _open_numbered(units, stack, f"{prefix}{number}", number, title, kind, b)
            depth = number.count(".") + 1
            prev_number = number
            seen.add(number)
            closed = kind == "meeting" and depth == 1 and bool(re.search(r"rondvraag|sluiting", title, re.I))
            continue

        if kind == "sessions" and current is not intro and _title_like(b) and b.text.strip().endswith("?"):
            session = stack.get(1, current)
            current = _new(units, f"{session.key} > {b.text.strip()}", "", b.text.strip(), 2, "subkop",
                           session, b)
            continue

        if _title_like(b, 8) and nxt is not None and nxt.kind in ("para", "list", "table"):
            current.subheadings.append((len(current.blocks), b.text.strip()))
        _add(current, b)
    return [u for u in units if u.blocks or u.footnotes or u.heading]


def parse_report(blocks: list[Block]) -> list[Unit]:
    """Markdown reports: numbered chapters/sections matched by number (not by '#'), front and back matter."""
    units: list[Unit] = []
    numbered = sum(1 for b in blocks if b.kind == "heading" and re.match(r"^\d+(\.\d+)*\s+\S", b.text))
    if numbered < 3:
        return parse_headings(blocks)
    current = _new(units, "Titelpagina", "", "Titelpagina", 1, "front", None, None)
    stack: dict[int, Unit] = {}
    front: Unit | None = None
    in_appendices = False
    appendix_no = 0
    seen_chapter = False

    for b in blocks:
        title = b.text.strip()
        low = title.lower()
        if b.kind == "para" and low == "bijlagen" and seen_chapter:
            in_appendices = True
            _add(current, b)
            continue
        if b.kind != "heading":
            _add(current, b)
            continue
        m = re.match(r"^(\d+(?:\.\d+)*)\.?\s+(.+)$", title)
        if m and not in_appendices:
            number, name = m.group(1), m.group(2)
            current = _open_numbered(units, stack, number, number, name,
                                     "hoofdstuk" if "." not in number else "paragraaf", b)
            front = None
            seen_chapter = True
            continue
        if low in _FRONT_TITLES and not seen_chapter:
            if front is not None and front.key.lower() == low and not front.blocks:
                continue
            current = front = _new(units, title, "", title, 1, "front", None, b)
            continue
        cm = _CHILD_OF_FRONT.match(title)
        if front is not None and cm:
            current = _new(units, f"{cm.group(1).capitalize()} {cm.group(2)}", cm.group(2), cm.group(3).strip(),
                           2, "front-onderdeel", front, b)
            continue
        if front is not None and current is not front and low in _CLOSING_TITLES:
            current = _new(units, f"{front.key} > {title}", "", title, 2, "front-onderdeel", front, b)
            continue
        if in_appendices and b.level <= 2:
            if low in _BACK_TITLES:
                current = _new(units, title, "", title, 1, "back", None, b)
            else:
                appendix_no += 1
                current = _new(units, f"Bijlage {appendix_no}", str(appendix_no), title, 1, "bijlage", None, b)
            continue
        if seen_chapter and low in _BACK_TITLES and b.level <= 2:
            current = _new(units, title, "", title, 1, "back", None, b)
            continue
        current.subheadings.append((len(current.blocks), title))
        _add(current, b)
    return [u for u in units if u.blocks or u.footnotes or u.heading]


def _same_title(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold().rstrip(".:") == " ".join(b.split()).casefold().rstrip(".:")


def parse_headings(blocks: list[Block], title: str = "") -> list[Unit]:
    """Documents with headings (user files): every heading opens a unit nested by its level; a numbered one
    ("1.1.1 Opzet") is keyed and cited by its number ("§1.1.1 Opzet") and nests under the unit of its number's
    prefix. The document's title heading is cited as the document itself and repeats in no label."""
    units: list[Unit] = []
    current = _new(units, "Begin", "", "", 1, "begin", None, None)
    stack: list[Unit] = []
    numbered: dict[str, Unit] = {}
    title_seen = False
    for b in blocks:
        if b.kind != "heading":
            _add(current, b)
            continue
        text = b.text.strip()
        if title and _same_title(text, strip_markup(title)):
            if not title_seen:
                current = _new(units, text, "", text, 0, "titel", None, b)
                title_seen, stack = True, []
            else:
                current.subheadings.append((len(current.blocks), text))
                _add(current, b)
            continue
        while stack and stack[-1].level >= b.level:
            stack.pop()
        m = _RE_NUMBERED_HEADING.match(text)
        if m:
            number, name = m.group(1), m.group(2).strip()
            parent = numbered.get(number.rsplit(".", 1)[0]) if "." in number else None
            parent = parent or next((u for u in reversed(stack) if u.number and u.number != number), None)
            current = _new(units, number, number, name, b.level, "paragraaf", parent, b)
            numbered.setdefault(number, current)
        else:
            parent = stack[-1] if stack else None
            current = _new(units, f"{parent.key} > {text}" if parent else text, "", text, b.level, "kop", parent, b)
        stack.append(current)
    return [u for u in units if u.blocks or u.footnotes or u.heading]


def parse_plain(blocks: list[Block]) -> list[Unit]:
    """No structure found: the whole text is one unit, its title-like lines kept as subheadings."""
    unit = Unit(key="Document", number="", title="", level=1, kind="document")
    for i, b in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if _title_like(b, 8) and nxt is not None and nxt.kind != "heading":
            unit.subheadings.append((len(unit.blocks), b.text.strip()))
        _add(unit, b)
    return [unit]


def detect_structure(blocks: list[Block]) -> str:
    """Guess the structure kind of a document without a manifest entry: a law (articles), headings, a numbered
    outline (letter) or plain text."""
    if is_law(blocks):
        return "law"
    if sum(1 for b in blocks[1:] if b.kind == "heading"):
        return "headings"
    numbers: list[str] = []
    prev: str | None = None
    for b in blocks:
        nh = numbered_heading(b.text) if b.kind == "para" and len(b.text) < 300 else None
        if nh and _is_successor(prev, nh[0], set(numbers)):
            numbers.append(nh[0])
            prev = nh[0]
    if len(numbers) >= 2:
        return "letter"
    return "headings" if blocks and blocks[0].kind == "heading" else "plain"


def parse_units(blocks: list[Block], info: DocInfo) -> list[Unit]:
    """Units of a document by its structure kind (``auto`` detects it)."""
    kind = info.structure if info.structure != "auto" else detect_structure(blocks)
    if kind == "report":
        units = parse_report(blocks)
    elif kind in ("meeting", "sessions", "letter"):
        units = parse_outline(blocks, kind, info.appendix_item)
    elif kind == "law":
        units = parse_law(blocks)
    elif kind == "headings":
        units = parse_headings(blocks, info.title)
    else:
        units = parse_plain(blocks)
    return attach_footnotes(units)


def attach_footnotes(units: list[Unit]) -> list[Unit]:
    """Move each footnote to the unit whose text carries its marker (the nearest one at or before it)."""
    for idx, unit in enumerate(units):
        keep: list[Block] = []
        for fn in unit.footnotes:
            target = unit
            for back in range(idx, max(-1, idx - 4), -1):
                if any(cites_footnote(b.text, fn.number) for b in units[back].blocks):
                    target = units[back]
                    break
            if target is unit:
                keep.append(fn)
            else:
                target.footnotes.append(fn)
        unit.footnotes = keep
    return units


# ---------------------------------------------------------------------------------------- assemble


def unit_label(unit: Unit, units_by_key: dict[str, Unit], info: DocInfo) -> str:
    """How a person would cite the unit, e.g. ``Raadsvergadering 12 maart 2020 — agendapunt 4.2 …``."""
    if unit.kind in LAW_KINDS or unit.kind in ("begin", "titel", "document"):
        return law_label(unit, info) if unit.kind in LAW_KINDS else info.citation

    def own(u: Unit) -> str:
        if u.kind == "meeting":
            return f"agendapunt {u.number} {u.title}".strip()
        if u.kind == "sessions":
            return f"werksessie {u.number} {u.title}".strip()
        if u.kind == "letter" or u.kind == "paragraaf":
            return f"§{u.number} {u.title}".strip()
        if u.kind == "hoofdstuk":
            return f"hoofdstuk {u.number} {u.title}".strip()
        if u.kind == "bijlage":
            return (f"Bijlage {u.number} {u.title}" if u.number else f"bijlage: {u.title}").strip()
        if u.kind == "bijlage-onderdeel" and u.number:
            return f"{u.key.split(' > ')[-1].split(' ')[0].lower()} {u.number} {u.title}".strip()
        if u.kind == "vraag":
            return f"vraag {u.number}: {u.title}".strip().rstrip(":")
        if u.kind == "front-onderdeel" and u.number:
            return f"{u.key.split(' ')[0].lower()} {u.number}: {u.title}"
        return u.title or u.key

    parts = [own(unit)]
    parent = units_by_key.get(unit.parent) if unit.parent else None
    if unit.kind in ("subkop", "front-onderdeel", "bijlage-onderdeel", "vraag", "kop"):
        chain = []
        while parent is not None:
            chain.append(own(parent))
            parent = units_by_key.get(parent.parent) if parent.parent else None
        parts = list(reversed(chain)) + parts
    return f"{info.citation} — " + ", ".join(p for p in parts if p)


def assemble(units: list[Unit], info: DocInfo) -> ParsedDocument:
    """Build the document text from its units, with offsets, paths and labels filled in."""
    by_key = {u.key: u for u in units}
    pieces: list[str] = []
    offset = 0
    for u in units:
        chain = [u.key]
        p = u.parent
        while p is not None:
            chain.append(p)
            p = by_key[p].parent if p in by_key else None
        u.path = tuple(reversed(chain))
        u.label = unit_label(u, by_key, info)
        head = u.heading.strip()
        body_parts: list[str] = []
        sub_offsets: list[tuple[int, str]] = []
        sub_at = dict(u.subheadings)
        heading_pages = list(u.pages) if u.pages else []
        u.block_pages = [(0, heading_pages[0], heading_pages[1])] if head and heading_pages else []
        cursor = len(head) + 2 if head else 0
        for i, b in enumerate(u.blocks):
            if i in sub_at:
                sub_offsets.append((cursor, sub_at[i]))
            if b.page:
                u.block_pages.append((cursor, b.page, b.end_page or b.page))
            body_parts.append(b.text.strip())
            cursor += len(b.text.strip()) + 2
        if u.footnotes:
            notes = "Voetnoten:\n" + "\n".join(f"{footnote_marker(f.number)} {f.text.strip()}" for f in u.footnotes)
            pages = [f.page for f in u.footnotes if f.page]
            if pages:
                u.block_pages.append((cursor, min(pages), max(pages)))
            body_parts.append(notes)
        text = "\n\n".join(([head] if head else []) + body_parts)
        u.text = text
        u.start = offset
        u.end = offset + len(text)
        u.body_start = offset + (len(head) + 2 if head and body_parts else len(head))
        u.subheadings = sub_offsets
        pages = heading_pages + [p for _, first, last in u.block_pages for p in (first, last)]
        if pages:
            u.pages = (min(pages), max(pages))
        pieces.append(text)
        offset = u.end + 2
    return ParsedDocument(info=info, text="\n\n".join(pieces), units=units)


def pages_of(unit: Unit, start: int, end: int) -> tuple[int, int] | None:
    """The first and last page of the span ``start:end`` of a unit's text (offsets relative to the unit)."""
    first = last = None
    for offset, page, end_page in unit.block_pages:
        if offset <= start or first is None:
            first = page
        if offset < end:
            last = end_page
    return (first, max(first, last)) if first is not None and last is not None else None

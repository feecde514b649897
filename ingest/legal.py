"""Laws, regulations and cao's as citable units: divisions, articles, members (leden), parts (onderdelen).

Works on the cleaned blocks of any format (HTML lists with their numbers kept, Markdown, Word, plain text,
PDF, the BWB XML of wetten.overheid.nl): an article starts at a heading "Artikel 27", a member at a block
"1. …" or "Lid 1", a part at "a. …" or "a) …"; text after a list is the "slot" of the member or article the
list stands in. Unit keys come from ``nl.legal`` (``artikel 25 lid 1 onder k``), so a question's reference maps
onto them. All functions are pure.
"""

from __future__ import annotations

import re

from ingest.cleaning import Block
from ingest.units import DocInfo, Unit, add_block, new_unit
from nl import legal
from nl.resources import table

_LAW = table("law")
_DIVISIONS = _LAW["division"]
_DIVISION_LABEL = {d["name"]: d["label"] for d in _DIVISIONS}
_SEP = "[" + "".join(re.escape(s) for s in _LAW["title_separators"]) + "]"
_TITLE = rf"(?:\s*(?P<sep>{_SEP})?\s*(?P<title>\S.*?))?\s*$"
_ARTICLE_NR = r"(?P<nr>\d+[a-z]{0,3}(?:[.:]\d+[a-z]{0,3})*)"
RE_ARTICLE = re.compile(r"^(?:" + "|".join(_LAW["article_heading"]) + rf")\s+{_ARTICLE_NR}\b\.?{_TITLE}", re.I)
_DIVISION_WORDS = {w: d["name"] for d in _DIVISIONS for w in d["words"]}
RE_DIVISION = re.compile(
    r"^(?P<word>" + "|".join(sorted((re.escape(w) for w in _DIVISION_WORDS), key=len, reverse=True)) + r")"
    r"\s*(?P<nr>\d+[a-z]?(?:\.\d+[a-z]?)*|[IVXLC]+[A-Z]?)\b\.?" + _TITLE)
RE_APPENDIX = re.compile(r"^(?:" + "|".join(_LAW["appendix"]) + r")\b(?:\s+(?P<nr>[\dIVXLC]+[a-z]?)\b\.?)?" + _TITLE,
                         re.I)
_RE_MEMBER = re.compile(r"^(?P<nr>\d{1,2}[a-z]?)(?:\.\s*|\s+)(?=[A-Z(\"'‘“])")
_RE_MEMBER_HEADING = re.compile(r"^(?:" + "|".join(_LAW["member_heading"]) + r")\s+(?P<nr>\d{1,2}[a-z]?)\b\.?" + _TITLE,
                                re.I)
_RE_PART = re.compile(r"^(?P<nr>[a-z]{1,2})[.)]\s+\S")
_RE_SUBPART = re.compile(r"^\d{1,2}°")
LAW_KINDS = ("wetsdeel", "artikel", "lid", "onderdeel", "slot")
_MAX_CONTEXT = 400


def _heading_like(block: Block) -> bool:
    text = block.text.strip()
    return block.kind == "heading" or (block.kind == "para" and "\n" not in text and len(text) <= 150
                                       and text[-1:] not in ";,")


def _titled(m: re.Match | None) -> re.Match | None:
    """A heading match whose title reads as a title: after a separator, or capitalised ("Artikel 27 van de
    WOR geeft …" is a sentence, not a heading)."""
    if m is None:
        return None
    title = m.group("title") or ""
    return m if not title or m.group("sep") or title[0].isupper() or title[0].isdigit() else None


def article_heading(block: Block) -> tuple[str, str] | None:
    """``("25", "Adviesrecht")`` when the block is an article heading ("Artikel 25 – Adviesrecht")."""
    m = _titled(RE_ARTICLE.match(block.text.strip())) if _heading_like(block) else None
    return (m.group("nr").lower(), (m.group("title") or "").strip()) if m else None


def division_heading(block: Block) -> tuple[str, str, str] | None:
    """``("hoofdstuk", "IVA", "Bijzondere bevoegdheden …")`` for a heading of a division above the article."""
    if not _heading_like(block):
        return None
    text = block.text.strip()
    m = _titled(RE_DIVISION.match(text[0].lower() + text[1:] if text else text))
    if m is None:
        return None
    return _DIVISION_WORDS[m.group("word").lower()], m.group("nr"), (m.group("title") or "").strip()


def appendix_heading(block: Block) -> tuple[str, str] | None:
    m = _titled(RE_APPENDIX.match(block.text.strip())) if _heading_like(block) else None
    return ((m.group("nr") or ""), (m.group("title") or "").strip()) if m else None


def _order(nr: str) -> tuple[int, str]:
    """Sort key of a member number or part letter: ``2`` < ``2a`` < ``3``; ``c`` < ``ca`` < ``d``."""
    m = re.fullmatch(r"(\d+)([a-z]*)", nr)
    return (int(m.group(1)), m.group(2)) if m else (0, nr)


def _follows(prev: str | None, cand: str, opens: bool = False) -> bool:
    """Whether a member number or part letter may come next: the first is 1 or a (any, where the text
    ``opens`` for it: right after the article heading or a lead-in ending in ":"), later ones count up; a gap
    is allowed, as a page that quotes a law may leave members or parts out."""
    if prev is None:
        return cand in ("1", "a") or opens
    return prev[:1].isdigit() == cand[:1].isdigit() and _order(cand) > _order(prev)


def is_law(blocks: list[Block]) -> bool:
    """Whether the blocks read as a law, regulation or cao: at least two article headings (or one followed by
    its members), and the headings of the document are mostly its own structure (a commentary that has a
    heading "Artikel 25: het adviesrecht" among others is not a law)."""
    articles = [i for i, b in enumerate(blocks) if article_heading(b)]
    if not articles:
        return False
    if len(articles) == 1:
        nxt = blocks[articles[0] + 1] if articles[0] + 1 < len(blocks) else None
        if nxt is None or not (_RE_MEMBER.match(nxt.text.strip()) or _RE_PART.match(nxt.text.strip())):
            return False
    headings = [b for b in blocks[1:] if b.kind == "heading"]
    structural = [b for b in headings if article_heading(b) or division_heading(b) or appendix_heading(b)]
    return not headings or len(structural) >= 0.6 * len(headings)


def parse_law(blocks: list[Block]) -> list[Unit]:
    """Units of a law: a preamble (``Begin``), divisions, articles, members, parts and slots, in reading order."""
    units: list[Unit] = []
    current = new_unit(units, "Begin", "", "", 0, "begin", None, None)
    divisions: list[tuple[int, Unit]] = []  # open divisions: (rank, unit)
    article: Unit | None = None
    member: Unit | None = None
    part: Unit | None = None
    last_member: str | None = None
    last_part: str | None = None

    for b in blocks:
        text = b.text.strip()
        if b.kind == "footnote":
            add_block(current, b)
            continue
        div = division_heading(b)
        art = None if div else article_heading(b)
        app = None if div or art else appendix_heading(b)
        if div:
            name, nr, title = div
            rank = next(i for i, d in enumerate(_DIVISIONS) if d["name"] == name)
            while divisions and divisions[-1][0] >= rank:
                divisions.pop()
            parent = divisions[-1][1] if divisions else None
            current = new_unit(units, f"{name} {nr}", nr, title, len(divisions) + 1, "wetsdeel", parent, b)
            divisions.append((rank, current))
            article = member = part = None
            continue
        if art:
            nr, title = art
            parent = divisions[-1][1] if divisions else None
            current = article = new_unit(units, legal.article_key(nr), nr, title, len(divisions) + 1, "artikel",
                                         parent, b)
            member = part = None
            last_member = last_part = None
            continue
        if app:
            nr, title = app
            current = new_unit(units, f"Bijlage {nr}".strip(), nr, title, 1, "bijlage", None, b)
            divisions, article, member, part = [], None, None, None
            continue
        if article is not None and b.kind in ("para", "list", "heading"):
            mm = _RE_MEMBER.match(text) if b.kind != "heading" else None
            mm = mm or (_titled(_RE_MEMBER_HEADING.match(text)) if _heading_like(b) else None)
            if mm and _follows(last_member, mm.group("nr").lower(), current is article and not article.blocks):
                last_member, last_part = mm.group("nr").lower(), None
                current = member = new_unit(units, legal.member_key(article.number, last_member), last_member, "",
                                            article.level + 1, "lid", article, None)
                part = None
                add_block(current, b)
                continue
            pm = _RE_PART.match(text) if b.kind != "heading" else None
            if pm and _follows(last_part, pm.group("nr"), current.blocks[-1:] != [] and
                                                        current.blocks[-1].text.rstrip().endswith(":")):
                last_part = pm.group("nr")
                owner = member or article
                current = part = new_unit(units, legal.part_key(article.number, member.number if member else "",
                                                                 last_part),
                                          last_part, "", owner.level + 1, "onderdeel", owner, None)
                part.context = _lead_in(owner)
                add_block(current, b)
                continue
            if part is not None and current is part and not _RE_SUBPART.match(text) and b.kind != "table":
                owner = member or article
                current = new_unit(units, legal.slot_key(owner.key), "", "", owner.level + 1, "slot", owner, None)
                current.context = _lead_in(owner)
                part = None
        if b.kind == "heading" and current.blocks:
            current.subheadings.append((len(current.blocks), text))
        add_block(current, b)
    return [u for u in units if u.blocks or u.footnotes or u.heading]


def _lead_in(owner: Unit) -> str:
    """The text a list continues: the last block of the member or article it stands in ("… besluit tot:")."""
    text = owner.blocks[-1].text.strip() if owner.blocks else owner.heading.strip()
    return text if len(text) <= _MAX_CONTEXT else text[: _MAX_CONTEXT].rsplit(" ", 1)[0] + " …"


def law_citation(title: str) -> str:
    """How a law is cited: its title without a note of which articles a page holds ("Wet op de
    ondernemingsraden – artikelen 25, 26 en 27" → "Wet op de ondernemingsraden")."""
    m = re.match(rf"^(?P<name>.+?)\s*{_SEP}\s*(?:" + "|".join(_LAW["article"]) + r")\b.*$", title, re.I)
    return m.group("name").strip() if m else title


def law_label(unit: Unit, info: DocInfo) -> str:
    """``Wet op de ondernemingsraden — artikel 25 lid 1 onder k``."""
    if unit.kind == "wetsdeel":
        word = _DIVISION_LABEL[unit.key.split(" ", 1)[0]]
        own = f"{word}{unit.number}" if word == "§" else f"{word} {unit.number}"
        own = f"{own} {unit.title}".strip()
    elif unit.kind == "artikel":
        own = f"{unit.key} {unit.title}".strip()
    elif unit.kind == "slot":
        own = f"{unit.key.rsplit(' ', 1)[0]} ({_LAW['slot_label']})"
    else:
        own = unit.key
    return f"{info.citation} — {own}"

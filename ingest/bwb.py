"""The BWB "toestand" XML of wetten.overheid.nl as markdown-like text: a heading for every division and
article, ``1. …`` for a member (lid), ``a. …`` for an item (onderdeel), one block per ``al``; the apparatus
(amendment history, references, version bookkeeping) left out."""

from __future__ import annotations

import re

_WS_RE = re.compile(r"\s+")

# Apparatus, never legal text: amendment history, references, version bookkeeping.
BWB_SKIP = frozenset({"meta-data", "jcis", "jci", "brondata", "redactionele-correcties", "bwb-inputbestand",
                      "bwb-wijzigingen", "kop", "lidnr", "li.nr"})
_BWB_DIVISIONS = {"boek": "Boek", "deel": "Deel", "titeldeel": "Titel", "hoofdstuk": "Hoofdstuk",
                  "afdeling": "Afdeling", "paragraaf": "§", "sub-paragraaf": "Subparagraaf", "artikel": "Artikel",
                  "bijlage": "Bijlage", "circulaire.divisie": "", "divisie": ""}
_BWB_INLINE = frozenset({"nadruk", "extref", "intref", "sup", "sub", "inf", "unl", "br", "omissie", "nootref",
                         "label", "nr", "titel"})


def _tag(el) -> str:
    return el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""


def bwb_text(el) -> str:
    """The legal text of an element, its apparatus left out, whitespace normalised."""
    parts = [el.text or ""]
    for child in el:
        if _tag(child) not in BWB_SKIP:
            parts.append(bwb_text(child))
        parts.append(child.tail or "")
    return _WS_RE.sub(" ", "".join(parts)).strip()


def _bwb_heading(el) -> str:
    """``Hoofdstuk IVA. Bijzondere bevoegdheden van de ondernemingsraad``, ``Artikel 25``, ``§ 1.1. Begrippen``."""
    kop = next((c for c in el if _tag(c) == "kop"), None)
    if kop is None:
        return ""
    fields = {_tag(c): bwb_text(c) for c in kop}
    label = fields.get("label") or _BWB_DIVISIONS.get(_tag(el), "")
    nr = fields.get("nr", "").rstrip(".")
    head = " ".join(p for p in (label, nr) if p)
    title = fields.get("titel", "")
    if not fields:
        return bwb_text(kop)
    return f"{head}. {title}" if head and title else head or title


class _BwbText:
    """Collects the blocks of a BWB toestand in document order as markdown-like text: headings for the
    divisions and articles, ``1. …`` for a member, ``a. …`` for an item, one block per ``al``."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self._prefix = ""
        self._depth = 1

    def emit(self, text: str) -> None:
        if text:
            self.blocks.append(self._prefix + text)
            self._prefix = ""

    def walk(self, el) -> None:
        tag = _tag(el)
        if tag in BWB_SKIP or tag == "citeertitel":
            return
        if tag in _BWB_DIVISIONS:
            heading = _bwb_heading(el)
            if heading:
                self.blocks.append("#" * min(6, self._depth + 1) + " " + heading)
            self._depth += 1
            self._children(el)
            self._depth -= 1
        elif tag == "lid":
            nr = next((bwb_text(c).rstrip(".") for c in el if _tag(c) == "lidnr"), "")
            self._prefix = f"{nr}. " if nr else ""
            self._children(el)
        elif tag == "li":
            nr = next((bwb_text(c) for c in el if _tag(c) == "li.nr"), "")
            self._prefix = f"{nr} " if nr else "- "
            self._children(el)
        elif tag == "table":
            rows = ["\t".join(bwb_text(e) for e in row if _tag(e) == "entry") for row in el.iter() if _tag(row) == "row"]
            self.emit("\n".join(r for r in rows if r.strip()))
        elif any(_tag(c) not in _BWB_INLINE and _tag(c) not in BWB_SKIP for c in el):
            self.emit(_WS_RE.sub(" ", el.text or "").strip())
            self._children(el)
        else:
            self.emit(bwb_text(el))

    def _children(self, el) -> None:
        for child in el:
            self.walk(child)
            tail = _WS_RE.sub(" ", child.tail or "").strip()
            if tail:
                self.emit(tail)


def bwb_document(root) -> tuple[str, str, str]:
    """``(text, citation title, version date)`` of a parsed toestand (or wetgeving) element."""
    title = next((bwb_text(el) for el in root.iter() if _tag(el) == "citeertitel"), "")
    date = root.get("inwerkingtreding") or ""
    collector = _BwbText()
    if title:
        collector.blocks.append("# " + title)
    collector.walk(root)
    return "\n\n".join(collector.blocks), title, date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else ""


def is_bwb(root) -> bool:
    return _tag(root) in ("toestand", "wetgeving")

"""How lists number their items, for readers whose numbers are not in the text: an HTML ``<ol>`` ("3.",
"c.", "iii.") and Word's own numbering of headings and list paragraphs ("1.1", "b.")."""

from __future__ import annotations

import re


def alpha(n: int) -> str:
    """1 → a, 26 → z, 27 → aa."""
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def roman(n: int) -> str:
    out = ""
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += digits
            n -= value
    return out


_HTML_TYPES = {"a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman", "I": "upperRoman"}


def ordered_marker(n: int, kind: str) -> str:
    """How an HTML list of ``type`` kind numbers its n-th item: ``1`` → ``3.``, ``a`` → ``c.``, ``i`` → ``iii.``."""
    return format_number(n, _HTML_TYPES.get(kind, "decimal")) + "."


class DocxNumbering:
    """The numbers Word shows before numbered paragraphs ("1.1", "a.", "3)"), which are not in their text:
    counted per list in document order from ``numbering.xml`` (level formats, start values, level texts)."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self.abstract: dict[str, str] = {}  # numId -> abstractNumId
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (abstractNumId, ilvl) -> (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # noqa: BLE001 - no numbering part: nothing is numbered
            return
        for abstract in root.iter(qn("w:abstractNum")):
            aid = abstract.get(qn("w:abstractNumId"))
            for lvl in abstract.iter(qn("w:lvl")):
                fmt = self._val(lvl, "w:numFmt") or "decimal"
                start = self._val(lvl, "w:start")
                self.levels[(aid, int(lvl.get(qn("w:ilvl")) or 0))] = (
                    fmt, self._val(lvl, "w:lvlText") or "", int(start) if start and start.isdigit() else 1)
        for num in root.iter(qn("w:num")):
            self.abstract[num.get(qn("w:numId"))] = self._val(num, "w:abstractNumId") or ""

    def _val(self, el, tag: str) -> str | None:
        child = el.find(self._qn(tag))
        return child.get(self._qn("w:val")) if child is not None else None

    def _num_pr(self, paragraph) -> tuple[str, int] | None:
        sources = [paragraph._p.pPr]
        style = paragraph.style
        while style is not None:
            sources.append(style.element.pPr)
            style = style.base_style
        num_id, ilvl = None, None
        for p_pr in sources:
            num_pr = p_pr.numPr if p_pr is not None else None
            if num_pr is None:
                continue
            if num_id is None and num_pr.numId is not None:
                num_id = str(num_pr.numId.val)
            if ilvl is None and num_pr.ilvl is not None:
                ilvl = int(num_pr.ilvl.val)
        return (num_id, ilvl or 0) if num_id not in (None, "0") else None

    def marker(self, paragraph) -> str | None:
        """The paragraph's number as Word shows it ("1.1", "b."), ``-`` for a bullet, None when not numbered."""
        try:
            found = self._num_pr(paragraph)
        except Exception:  # noqa: BLE001 - broken style references in odd documents
            return None
        if found is None:
            return None
        aid = self.abstract.get(found[0], "")
        ilvl = found[1]
        fmt, text, start = self.levels.get((aid, ilvl), ("decimal", f"%{ilvl + 1}.", 1))
        if fmt in ("bullet", "none"):
            return "-"
        counters = self.counters.setdefault(aid, {})
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [d for d in counters if d > ilvl]:
            del counters[deeper]

        def number(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            level_fmt, _, level_start = self.levels.get((aid, level), ("decimal", "", 1))
            return format_number(counters.get(level, level_start), level_fmt)

        return re.sub(r"%(\d)", number, text).strip() or None


def format_number(n: int, fmt: str) -> str:
    """``n`` in one of Word's number formats (``decimal``, ``lowerLetter``, ``upperRoman`` …)."""
    if fmt in ("lowerLetter", "upperLetter"):
        text = alpha(n)
    elif fmt in ("lowerRoman", "upperRoman"):
        text = roman(n)
    else:
        text = str(n)
    return text.upper() if fmt.startswith("upper") else text

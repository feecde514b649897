"""The lines of a PDF page with their fonts (pdfplumber), and the page text with headings marked.

Headings are found by font size and weight, not by a layout model: a line set clearly larger than the body
text, or a short bold line at body size, is a heading; its level follows from its font (largest first). A
heading wrapped over lines becomes one, and a paragraph gap becomes a blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WS_RE = re.compile(r"\s+")


@dataclass
class PdfLine:
    """One text line of a PDF page with the font it is mostly set in."""

    text: str
    top: float
    bottom: float
    size: float
    bold: bool


_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.I)


def page_lines(page) -> list[PdfLine]:
    out = []
    for line in page.extract_text_lines(strip=True, return_chars=True):
        chars = [c for c in line.get("chars", []) if str(c.get("text", "")).strip()]
        text = _WS_RE.sub(" ", line.get("text", "")).strip()
        if not chars or not text:
            continue
        sizes: dict[float, int] = {}
        for c in chars:
            size = round(float(c.get("size", 0)) * 2) / 2
            sizes[size] = sizes.get(size, 0) + 1
        bold = sum(1 for c in chars if _BOLD_FONT.search(str(c.get("fontname", "")))) >= 0.8 * len(chars)
        out.append(PdfLine(text, float(line["top"]), float(line["bottom"]), max(sizes, key=sizes.get), bold))
    return out


_HEADING_SIZE_RATIO = 1.15
_MAX_HEADING_WORDS = 30
_MAX_BOLD_HEADING_WORDS = 14
_PARAGRAPH_GAP = 1.2  # a line pitch this many times the usual one starts a new paragraph


def _is_heading(line: PdfLine, body: float, bold_headings: bool) -> bool:
    words = len(line.text.split())
    if not re.search(r"[^\W\d_]{2}", line.text):
        return False  # page numbers, dates in a footer
    if line.size >= body * _HEADING_SIZE_RATIO:
        return words <= _MAX_HEADING_WORDS
    return (bold_headings and line.bold and line.size >= body - 0.5 and words <= _MAX_BOLD_HEADING_WORDS
            and line.text[-1] not in ".;,:")


def render_pdf_lines(pages: list[list[PdfLine]]) -> list[str]:
    """Page texts with headings as ``#`` lines, levels by font (largest first, bold before regular at one
    size), a heading wrapped over lines joined into one, and a blank line where a paragraph gap is."""
    all_lines = [ln for page in pages for ln in page]
    weight: dict[float, int] = {}
    for ln in all_lines:
        weight[ln.size] = weight.get(ln.size, 0) + len(ln.text)
    if not weight:
        return ["" for _ in pages]
    body = max(weight, key=weight.get)
    bold_share = sum(len(ln.text) for ln in all_lines if ln.bold) / max(1, sum(len(ln.text) for ln in all_lines))
    bold_headings = bold_share < 0.5
    styles = sorted({(ln.size, ln.bold) for ln in all_lines if _is_heading(ln, body, bold_headings)},
                    key=lambda s: (-s[0], not s[1]))
    level = {style: min(6, i + 1) for i, style in enumerate(styles)}
    pitches = sorted(b.top - a.top for page in pages for a, b in zip(page, page[1:])
                     if a.size == body and b.size == body and b.top > a.top)
    # The usual pitch inside a paragraph: a low percentile, as paragraph gaps only make pitches larger.
    pitch = pitches[len(pitches) // 7] if pitches else 0.0
    out = []
    for page in pages:
        rendered: list[str] = []
        prev: PdfLine | None = None
        for ln in page:
            style = (ln.size, ln.bold)
            heading = _is_heading(ln, body, bold_headings)
            if heading and prev is not None and rendered and rendered[-1].startswith("#") and \
                    (prev.size, prev.bold) == style and ln.top - prev.bottom <= ln.bottom - ln.top:
                joined = rendered[-1][:-1] if rendered[-1].endswith("-") else rendered[-1] + " "
                rendered[-1] = joined + ln.text
            elif heading:
                rendered.append("#" * level[style] + " " + ln.text)
            else:
                gap = prev is not None and pitch and ln.top - prev.top > _PARAGRAPH_GAP * pitch
                if gap and rendered and rendered[-1] != "":
                    rendered.append("")
                rendered.append(ln.text)
            prev = ln
        out.append("\n".join(rendered))
    return out

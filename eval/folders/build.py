"""Build the Word and PDF files of the measuring folders from their committed text sources.

``python -m eval.folders.build`` writes ``eval/folders/or-map/*.docx`` and ``*.pdf`` (not committed: they are
generated). A source is plain text with a small markup: ``# `` a title, ``## `` a heading, ``### `` a
subheading, ``- `` a bullet, a blank line between paragraphs. PDFs get their headings in a larger or bold font
(the way a reader finds them) and a page number in the footer; Word files get heading styles, numbered by
Word itself when asked (the number is not in the text, as in most real documents).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

FOLDERS = Path(__file__).resolve().parent
SOURCES = FOLDERS / "sources"
# output file -> (source file, Word numbers the headings)
OR_MAP = {
    "or-map/ai-verordening-samenvatting.docx": ("ai-verordening-samenvatting.txt", True),
    "or-map/artikel-algoritmisch-management.pdf": ("artikel-algoritmisch-management.txt", False),
    "or-map/artikel-personeelsvolgsystemen-avg.pdf": ("artikel-personeelsvolgsystemen-avg.txt", False),
}


@dataclass
class Piece:
    kind: str  # "title" | "h1" | "h2" | "para" | "bullet"
    text: str


def parse_markup(text: str) -> list[Piece]:
    """The pieces of a source text in order; a paragraph's lines are joined."""
    pieces: list[Piece] = []
    para: list[str] = []

    def close() -> None:
        if para:
            pieces.append(Piece("para", " ".join(para)))
            para.clear()

    for line in text.splitlines():
        s = line.strip()
        heading = next(((k, s[len(m):]) for m, k in (("### ", "h2"), ("## ", "h1"), ("# ", "title"))
                        if s.startswith(m)), None)
        if not s:
            close()
        elif heading:
            close()
            pieces.append(Piece(*heading))
        elif s.startswith("- "):
            close()
            pieces.append(Piece("bullet", s[2:]))
        else:
            para.append(s)
    close()
    return pieces


def write_pdf(pieces: list[Piece], path: Path) -> Path:
    """A PDF in Helvetica (always available to fpdf2): title 18 pt bold, headings 14 and 11.5 pt bold, text
    11 pt, a page number in the footer."""
    from fpdf import FPDF

    class Document(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 10, f"Pagina {self.page_no()}", align="C")

    pdf = Document()
    pdf.core_fonts_encoding = "windows-1252"  # bullets, dashes and curly quotes in the core fonts
    pdf.set_auto_page_break(True, 22)
    pdf.add_page()
    styles = {"title": ("B", 18, 9, 5), "h1": ("B", 14, 7.5, 2.5), "h2": ("B", 11.5, 6.5, 1.5),
              "para": ("", 11, 6, 3), "bullet": ("", 11, 6, 1.5)}
    for piece in pieces:
        style, size, height, after = styles[piece.kind]
        if piece.kind in ("h1", "h2"):
            pdf.ln(2)
        pdf.set_font("Helvetica", style, size)
        text = ("\u2022 " + piece.text) if piece.kind == "bullet" else piece.text
        pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(after)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def add_heading_numbering(document) -> str:
    """Add a multi-level list to the document's numbering ("1", "1.1", "1.1.1"); returns its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        f'<w:lvlText w:val="{".".join(f"%{j + 1}" for j in range(i + 1))}"/></w:lvl>' for i in range(3))
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{levels}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    return "90"


def number_paragraph(paragraph, num_id: str, level: int) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def write_docx(pieces: list[Piece], path: Path, numbered: bool = True) -> Path:
    """A Word file: Title, Heading 1 and 2 (numbered by Word when ``numbered``), body text, bullets."""
    import docx

    document = docx.Document()
    num_id = add_heading_numbering(document) if numbered else ""
    for piece in pieces:
        if piece.kind == "title":
            document.add_paragraph(piece.text, style="Title")
        elif piece.kind in ("h1", "h2"):
            paragraph = document.add_heading(piece.text, level=1 if piece.kind == "h1" else 2)
            if numbered:
                number_paragraph(paragraph, num_id, 0 if piece.kind == "h1" else 1)
        elif piece.kind == "bullet":
            document.add_paragraph(piece.text, style="List Bullet")
        else:
            document.add_paragraph(piece.text)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def build(outputs: dict[str, tuple[str, bool]] = OR_MAP, root: Path = FOLDERS) -> list[Path]:
    """Write every output from its source; returns the paths written."""
    written = []
    for name, (source, numbered) in outputs.items():
        pieces = parse_markup((SOURCES / source).read_text(encoding="utf-8"))
        target = root / name
        written.append(write_pdf(pieces, target) if target.suffix == ".pdf" else write_docx(pieces, target, numbered))
    return written


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="python -m eval.folders.build", description=__doc__.splitlines()[0]).parse_args(argv)
    for path in build():
        print(path.relative_to(FOLDERS.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())

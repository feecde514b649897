"""The conversation as text people can take elsewhere: one answer as plain text (the copy button) and the whole
conversation as Markdown or PDF ("Exporteer gesprek"), each answer with its numbered sources.

Pure functions over the page's turns (see ``ui.chat.turn_from_answer``), except ``write_exports``.
"""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

from nl.dates import format_date
from ui.render import refusal_title, shown_sources

TITLE = "Gesprek met Vraagbaak AI & Werk"
EXPORT_DIR = Path(tempfile.gettempdir()) / "vraagbaak-export"
EXPORT_MAX_AGE_S = 3600
# Characters that mean something inside a Markdown line, and what starts a heading or list at its start.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"^(#|[-+](?=\s))")
_MD_NUMBERED = re.compile(r"^(\d+)([.)])(?=\s)")
_MARKER = re.compile(r"\\\[(\d+)\\\]")


def when_text(moment: datetime) -> str:
    """``1 december 2026, 20:30``."""
    return f"{format_date(moment.strftime('%Y-%m-%d'))}, {moment.strftime('%H:%M')}"


def _sources_title(turn: dict) -> str:
    return "Misschien relevant" if turn["refused"] else "Bronnen"


def answer_text(turn: dict) -> str:
    """One answer as plain text: the text with its ``[n]`` markers, then the sources as a numbered list."""
    lines = []
    if turn.get("error"):
        return turn["answer"]
    if turn["refused"]:
        lines.append(f"{refusal_title(turn)}. {turn['answer']}")
    else:
        if turn.get("caveat"):
            lines.append(turn["caveat"])
        lines.append(turn["answer"])
    sources = shown_sources(turn)
    if sources:
        lines.append("")
        lines.append(f"{_sources_title(turn)}:")
        lines.extend(f"[{p['n']}] {p['label']}" for p in sources)
    return "\n".join(lines)


def md_escape(text: str, markers: bool = False) -> str:
    """Text on one line as Markdown that renders as typed; with ``markers``, ``[n]`` stays as it is."""
    out = _MD_INLINE.sub(r"\\\1", " ".join(str(text or "").split()))
    out = _MD_NUMBERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\\\1", out))
    return _MARKER.sub(r"[\1]", out) if markers else out


def _asked_at(turn: dict) -> str:
    try:
        return when_text(datetime.fromisoformat(turn.get("asked_at", "")))
    except ValueError:
        return ""


def conversation_markdown(turns: list[dict], moment: datetime) -> str:
    """The whole conversation as Markdown: per question the answer and its numbered sources, with the date."""
    out = [f"# {TITLE}", "", f"Geëxporteerd op {when_text(moment)}.", ""]
    for i, turn in enumerate(turns, 1):
        out += [f"## Vraag {i}: {md_escape(turn['question'])}", ""]
        meta = [x for x in (
            f"Gesteld op {_asked_at(turn)}." if _asked_at(turn) else "",
            f"Gelezen als vervolg op: “{md_escape(turn['follow_up_of'])}”." if turn.get("follow_up_of") else "",
            f"Gezocht met filters: {md_escape(turn['filter_text'])}." if turn.get("filter_text") else "",
            md_escape(turn["notice"]) if turn.get("notice") else "",
        ) if x]
        if meta:
            out += ["*" + " ".join(meta) + "*", ""]
        if turn["refused"] and not turn.get("error"):
            out += [f"**{refusal_title(turn)}.** {md_escape(turn['answer'])}", ""]
        else:
            if turn.get("caveat"):
                out += [md_escape(turn["caveat"]), ""]
            out += [md_escape(turn["answer"], markers=True), ""]
        sources = shown_sources(turn)
        if sources:
            out += [f"**{_sources_title(turn)}**", ""]
            out += [f"{p['n']}. {md_escape(p['label'])}" for p in sources]
            out.append("")
    return "\n".join(out)


def font_files() -> dict[str, Path]:
    """Source Sans Pro (regular, bold, italic) for PDFs: Dutch quotes, § and superscripts print."""
    import font_source_sans_pro

    folder = Path(font_source_sans_pro.font_directory)
    return {"": folder / "SourceSansPro-Regular.ttf", "B": folder / "SourceSansPro-Bold.ttf",
            "I": folder / "SourceSansPro-It.ttf"}


def new_pdf(title: str):
    """An A4 PDF with Source Sans Pro (so Dutch quotes, § and superscripts print), one page begun."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_lang("nl")
    pdf.set_creator("Vraagbaak AI & Werk")
    for style, path in font_files().items():
        pdf.add_font("SourceSans", style, str(path))
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(18, 18, 18)
    pdf.add_page()
    return pdf


def pdf_paragraph(pdf, text: str, size: float = 11, style: str = "", gap: float = 2.0, indent: float = 0) -> None:
    """A wrapped paragraph at the left margin (plus ``indent`` mm), then ``gap`` mm of space."""
    pdf.set_font("SourceSans", style, size)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(pdf.epw - indent, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def conversation_pdf(turns: list[dict], moment: datetime) -> bytes:
    """The same conversation as a PDF (A4, Source Sans Pro)."""
    pdf = new_pdf(TITLE)
    para = functools.partial(pdf_paragraph, pdf)
    para(TITLE, 18, "B", 1)
    para(f"Geëxporteerd op {when_text(moment)}.", 10, "I", 5)
    for i, turn in enumerate(turns, 1):
        para(f"Vraag {i}: {' '.join(turn['question'].split())}", 13, "B", 1.5)
        meta = " ".join(x for x in (
            f"Gesteld op {_asked_at(turn)}." if _asked_at(turn) else "",
            f"Gelezen als vervolg op: “{turn['follow_up_of']}”." if turn.get("follow_up_of") else "",
            f"Gezocht met filters: {turn['filter_text']}." if turn.get("filter_text") else "",
            turn.get("notice", ""),
        ) if x)
        if meta:
            para(meta, 9.5, "I", 1.5)
        if turn["refused"] and not turn.get("error"):
            para(f"{refusal_title(turn)}.", 11, "B", 0.5)
        elif turn.get("caveat"):
            para(turn["caveat"], 11, "I", 1)
        para(turn["answer"], 11, "", 2)
        sources = shown_sources(turn)
        if sources:
            para(_sources_title(turn), 10.5, "B", 0.5)
            for p in sources:
                para(f"{p['n']}. {p['label']}", 10, "", 0.8, indent=3)
        pdf.ln(4)
    return bytes(pdf.output())


def file_stem(moment: datetime) -> str:
    return f"vraagbaak-gesprek-{moment.strftime('%Y-%m-%d-%H%M')}"


def _prune(folder: Path, now: float) -> None:
    """Exports older than an hour are removed (Gradio keeps its own copy of what it served)."""
    for old in folder.glob("*"):
        try:
            if now - old.stat().st_mtime > EXPORT_MAX_AGE_S:
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            continue


def fresh_folder(folder: Path = EXPORT_DIR) -> Path:
    """A new, empty folder under ``folder`` for one export (exports older than an hour are removed first)."""
    folder.mkdir(parents=True, exist_ok=True)
    _prune(folder, time.time())
    target = folder / uuid.uuid4().hex
    target.mkdir()
    return target


def write_exports(turns: list[dict], moment: datetime | None = None, folder: Path = EXPORT_DIR) -> tuple[Path, Path]:
    """The conversation written as Markdown and PDF into a fresh folder under ``folder``: ``(md, pdf)``."""
    moment = moment or datetime.now()
    target = fresh_folder(folder)
    md = target / f"{file_stem(moment)}.md"
    md.write_text(conversation_markdown(turns, moment), encoding="utf-8")
    pdf = target / f"{file_stem(moment)}.pdf"
    pdf.write_bytes(conversation_pdf(turns, moment))
    return md, pdf

"""The Rechtenwijzer's report as a document to send on (for instance with a letter to the bestuurder): Markdown
and PDF, with the situation, every right with its status, why, what it depends on and the quoted sentences with
their sources, what does not apply, and the caveat.

Pure functions over the report, except ``write_report_exports``.
"""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path

from rag.rightsguide import RightsReport
from rag.rightsguide.table import APPLIES, NOT_APPLICABLE, POSSIBLE, RulesTable
from rag.rightsguide.text import situation_lines
from ui.export import EXPORT_DIR, fresh_folder, md_escape, new_pdf, pdf_paragraph, when_text

TITLE = "Rechtenwijzer: rechten en plichten bij de invoering van een AI-systeem"
HEADINGS = {APPLIES: "Van toepassing", POSSIBLE: "Mogelijk van toepassing", NOT_APPLICABLE: "Niet van toepassing"}
MADE_WITH = "Opgesteld met Vraagbaak AI & Werk"


def _groups(report: RightsReport):
    rights = report.rechten + report.niet_van_toepassing
    for status in (APPLIES, POSSIBLE, NOT_APPLICABLE):
        group = [r for r in rights if r.status == status]
        if group:
            yield status, group


def report_markdown(report: RightsReport, table: RulesTable, moment: datetime) -> str:
    out = [f"# {TITLE}", "", f"{MADE_WITH} op {when_text(moment)}.", "", "## De situatie", ""]
    out += [md_escape(line) + "  " for line in situation_lines(report, table)] + [""]
    n = 0
    for status, group in _groups(report):
        out += [f"## {HEADINGS[status]}", ""]
        for right in group:
            n += 1
            out += [f"### {n}. {md_escape(right.naam)} ({md_escape(right.artikel)})", "",
                    f"**Waarom:** {md_escape(right.waarom)}", ""]
            if right.afhankelijk_van:
                out += [f"**Hangt af van:** {md_escape(right.afhankelijk_van)}", ""]
            for source in right.bronnen:
                out += [f"> “{md_escape(source.quote)}”  ", f"> — {md_escape(source.label)}", ""]
    out += ["## Voorbehoud", "", md_escape(report.voorbehoud), ""]
    for source in report.voorbehoud_bronnen:
        out += [f"> “{md_escape(source.quote)}”  ", f"> — {md_escape(source.label)}", ""]
    return "\n".join(out)


def report_pdf(report: RightsReport, table: RulesTable, moment: datetime) -> bytes:
    """The same document as a PDF (A4, Source Sans Pro)."""
    pdf = new_pdf(TITLE)
    para = functools.partial(pdf_paragraph, pdf)
    para(TITLE, 16, "B", 1)
    para(f"{MADE_WITH} op {when_text(moment)}.", 10, "I", 4)
    para("De situatie", 13, "B", 1)
    for line in situation_lines(report, table):
        para(line, 10.5, "", 0.8)
    pdf.ln(3)
    n = 0
    for status, group in _groups(report):
        para(HEADINGS[status], 13, "B", 1.5)
        for right in group:
            n += 1
            para(f"{n}. {right.naam} ({right.artikel})", 11.5, "B", 1)
            para(f"Waarom: {right.waarom}", 10.5, "", 1)
            if right.afhankelijk_van:
                para(f"Hangt af van: {right.afhankelijk_van}", 10.5, "", 1)
            for source in right.bronnen:
                para(f"“{source.quote}”", 10, "I", 0.3, indent=4)
                para(f"— {source.label}", 9.5, "", 1.2, indent=4)
            pdf.ln(2)
    para("Voorbehoud", 13, "B", 1)
    para(report.voorbehoud, 10.5, "", 1.5)
    for source in report.voorbehoud_bronnen:
        para(f"“{source.quote}” — {source.label}", 9.5, "I", 0.8, indent=4)
    return bytes(pdf.output())


def write_report_exports(report: RightsReport, table: RulesTable, moment: datetime | None = None,
                         folder: Path = EXPORT_DIR) -> tuple[Path, Path]:
    """The report written as Markdown and PDF into a fresh folder under ``folder``: ``(md, pdf)``."""
    moment = moment or datetime.now()
    target = fresh_folder(folder)
    stem = f"rechtenwijzer-{moment.strftime('%Y-%m-%d-%H%M')}"
    md = target / f"{stem}.md"
    md.write_text(report_markdown(report, table, moment), encoding="utf-8")
    pdf = target / f"{stem}.pdf"
    pdf.write_bytes(report_pdf(report, table, moment))
    return md, pdf

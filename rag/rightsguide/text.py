"""The report as readable Dutch text for the terminal (``vraagbaak rechten`` without ``--json``)."""

from __future__ import annotations

import textwrap

from rag.rightsguide.report import Recht, RightsReport
from rag.rightsguide.table import APPLIES, NOT_APPLICABLE, POSSIBLE, RulesTable

WIDTH = 100
HEADINGS = {APPLIES: "VAN TOEPASSING", POSSIBLE: "MOGELIJK VAN TOEPASSING", NOT_APPLICABLE: "NIET VAN TOEPASSING"}


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent.rstrip()]


def situation_lines(report: RightsReport, table: RulesTable) -> list[str]:
    """What the rules were applied to: the features (and the words they were read from) and the
    representation."""
    s = report.situatie
    read = {h.feature: h.words for h in s.afgeleid}
    features = [table.features[f].name + (f" (uit: {', '.join(read[f])})" if f in read else "") for f in s.kenmerken]
    rep = table.representations.get(s.vertegenwoordiging, s.vertegenwoordiging)
    if "vertegenwoordiging" in s.aangenomen:
        rep += " (aangenomen: niet in de beschrijving genoemd)"
    lines = _wrap(f"Situatie: {s.beschrijving}", "") if s.beschrijving else []
    lines += _wrap(f"Kenmerken: {'; '.join(features) if features else 'geen'}", "")
    lines.append(f"Vertegenwoordiging: {rep}" + (f"; werknemers: {s.werknemers}" if s.werknemers is not None else ""))
    return lines


def _right_lines(n: int, right: Recht) -> list[str]:
    lines = _wrap(f"{n}. {right.naam} ({right.artikel})", "")
    lines += _wrap(f"Waarom: {right.waarom}", "   ")
    if right.afhankelijk_van:
        lines += _wrap(f"Hangt af van: {right.afhankelijk_van}", "   ")
    for source in right.bronnen:
        lines += _wrap(f"Bron: {source.label}", "   ")
        lines += _wrap(f"“{source.quote}”", "     ")
    return lines


def format_report(report: RightsReport, table: RulesTable) -> str:
    lines = ["Rechtenwijzer", ""] + situation_lines(report, table)
    if report.melding:
        lines += [""] + _wrap(report.melding, "")
    n = 0
    for status in (APPLIES, POSSIBLE, NOT_APPLICABLE):
        group = [r for r in report.rechten + report.niet_van_toepassing if r.status == status]
        if not group:
            continue
        lines += ["", HEADINGS[status]]
        for right in group:
            n += 1
            lines += _right_lines(n, right)
    lines += [""] + _wrap(f"Voorbehoud: {report.voorbehoud}", "")
    if report.vervolgvragen:
        lines += ["", "Vraag verder in de chat (vraagbaak ask \"…\"):"] + [f"  - {q}" for q in report.vervolgvragen]
    return "\n".join(lines)

"""What the ingest inferred about each document, as ``vraagbaak ingest`` and ``vraagbaak docs`` print it.

The store manifest holds, per document, its title, citation, date, type and structure and where each came
from; these functions turn one such entry into Dutch lines, with how to correct it in ``manifest.json``.
"""

from __future__ import annotations

import json
from collections import Counter

from ingest.units import ParsedDocument
from nl.dates import format_date

_STRUCTURES = {"law": "wet of regeling (artikelen, leden, onderdelen)", "headings": "koppen",
               "letter": "genummerde paragrafen", "plain": "geen (één geheel)", "report": "rapport",
               "meeting": "vergadering (agendapunten)", "sessions": "werksessies"}
_KINDS = {"wetsdeel": ("indeling", "indelingen"), "artikel": ("artikel", "artikelen"), "lid": ("lid", "leden"),
          "onderdeel": ("onderdeel", "onderdelen"), "slot": ("slotzin", "slotzinnen"),
          "paragraaf": ("genummerde kop", "genummerde koppen"), "kop": ("kop", "koppen"),
          "hoofdstuk": ("hoofdstuk", "hoofdstukken"), "meeting": ("agendapunt", "agendapunten"),
          "bijlage": ("bijlage", "bijlagen")}
_SOURCES = {"manifest": "uit manifest.json", "kop": "uit de kop van het document", "datumregel": "uit een regel als 'Datum: …'",
            "bestand": "uit het bestand zelf", "bestandsnaam": "uit de bestandsnaam",
            "eerste regel": "de eerste regel", "": "niet gevonden"}
_EXAMPLE_LABELS = 2
_EXAMPLE_KINDS = ("lid", "onderdeel", "artikel", "paragraaf", "kop")  # the most telling units first


def catalogue_entry(parsed: ParsedDocument) -> dict:
    """The fields the store manifest keeps about a parsed document for ``vraagbaak docs``."""
    info = parsed.info
    kinds = Counter(u.kind for u in parsed.units)
    examples = [next(u.label for u in parsed.units if u.kind == kind) for kind in _EXAMPLE_KINDS if kinds[kind]]
    return {"structure": info.structure, "title_from": info.title_from, "date_from": info.date_from,
            "type_from": info.type_from, "unit_kinds": dict(kinds),
            "example_labels": (examples or [u.label for u in parsed.units])[:_EXAMPLE_LABELS]}


def _units_text(kinds: dict[str, int]) -> str:
    parts = [f"{n} {_KINDS[k][0] if n == 1 else _KINDS[k][1]}" for k, n in kinds.items() if k in _KINDS]
    return ", ".join(parts)


def inferred(entry: dict) -> bool:
    """Whether anything about the document was inferred rather than taken from ``manifest.json``."""
    return any(entry.get(k) != "manifest" for k in ("title_from", "date_from", "type_from"))


def describe(entry: dict) -> list[str]:
    """Dutch lines about one document of the store manifest: title, citation, date, type, structure, units."""
    date = entry.get("date") or ""
    lines = [
        f"  {entry.get('file', '?')}",
        f"    titel:      {entry.get('title', '')} ({_SOURCES.get(entry.get('title_from', ''), '')})",
        f"    citeernaam: {entry.get('citation', '')}",
        f"    datum:      {format_date(date) if date else 'geen'} ({_SOURCES.get(entry.get('date_from', ''), '')})",
        f"    soort:      {entry.get('doc_type', '')} "
        f"({_SOURCES['manifest'] if entry.get('type_from') == 'manifest' else 'standaard; niet afgeleid'})",
        f"    structuur:  {_STRUCTURES.get(entry.get('structure', ''), entry.get('structure', '?'))}; "
        f"{entry.get('units', 0)} {'eenheid' if entry.get('units') == 1 else 'eenheden'}"
        + (f" ({_units_text(entry['unit_kinds'])})"
                                              if _units_text(entry.get("unit_kinds") or {}) else ""),
    ]
    lines += [f"    bv.         {label}" for label in entry.get("example_labels") or []]
    return lines


def correction_hint(entries: list[dict]) -> list[str]:
    """How to correct what was inferred: an example entry of ``manifest.json`` for the first such document."""
    if not entries:
        return []
    first = entries[0]
    example = {first.get("file", "bestand.pdf"): {
        "title": first.get("title", ""), "citation": first.get("citation", ""),
        "date": first.get("date") or "JJJJ-MM-DD", "doc_type": first.get("doc_type") or "document"}}
    return ["Klopt iets niet? Zet het goed in manifest.json in dezelfde map als het bestand en lees opnieuw in",
            "(vraagbaak ingest MAP), bijvoorbeeld:",
            "  " + json.dumps(example, ensure_ascii=False)]


def format_catalogue(documents: dict[str, dict], only_inferred: bool = False) -> str:
    """The documents of a store manifest, each with what the ingest inferred, and the correction hint."""
    entries = [d for _, d in sorted(documents.items(), key=lambda kv: kv[1].get("file", kv[0]))]
    shown = [d for d in entries if inferred(d)] if only_inferred else entries
    if not shown:
        return ""
    head = "Wat de Vraagbaak uit de bestanden afleidde (controleer het):" if only_inferred else \
        f"{len(shown)} document(en) in de index:"
    lines = [head]
    for entry in shown:
        lines += describe(entry)
    return "\n".join(lines + correction_hint([d for d in shown if inferred(d)]))

"""Document metadata: from the corpus manifest (``manifest.json``) or inferred from the file itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ingest.structure import STRUCTURE_KINDS, DocInfo

MANIFEST_NAME = "manifest.json"
DOC_TYPES = ("raadsvergadering", "advies", "bijeenkomstverslag", "kabinetsbrief", "document")
_MONTHS = {m: i for i, m in enumerate(
    "januari februari maart april mei juni juli augustus september oktober november december".split(), start=1)}
_RE_DATE_NL = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.I)
_RE_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.I)
_RE_DATE_ISO = re.compile(r"\b(20\d\d|19\d\d)-(\d\d)-(\d\d)\b")
_RE_DATE_DMY = re.compile(r"\b(\d{1,2})-(\d{1,2})-(20\d\d|19\d\d)\b")
_TYPE_WORDS = [
    ("raadsvergadering", r"raadsvergadering|notulen|verslag van de vergadering|agendapunt"),
    ("kabinetsbrief", r"kabinetsreactie|tweede kamer der staten|kamerbrief|geachte voorzitter"),
    ("advies", r"\badvies\b"),
    ("bijeenkomstverslag", r"bijeenkomst|werksessie|verslag"),
]


def load_manifest(folder: Path) -> dict[str, dict]:
    """Entries of ``manifest.json`` in ``folder`` keyed by file name; empty when there is none."""
    path = folder / MANIFEST_NAME
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def doc_id_for(path: Path) -> str:
    """A stable id from the file name: lower case, accents kept, spaces as dashes."""
    stem = re.sub(r"\s+", "-", path.stem.strip().lower())
    return re.sub(r"[^\w.\-]", "", stem) or "document"


def find_date(text: str, name: str = "") -> str:
    """The first date in the file name or text as ISO ``YYYY-MM-DD`` (day 01 when only a month is known)."""
    for source in (name, text[:20000]):
        m = _RE_DATE_ISO.search(source)
        if m:
            return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
        m = _RE_DATE_NL.search(source)
        if m:
            return f"{m.group(3)}-{_MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}"
        m = _RE_DATE_DMY.search(source)
        if m and 1 <= int(m.group(2)) <= 12:
            return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
        m = _RE_MONTH_YEAR.search(source)
        if m:
            return f"{m.group(2)}-{_MONTHS[m.group(1).lower()]:02d}-01"
    return ""


def find_title(text: str, fallback: str) -> str:
    """The first markdown heading, else the first non-empty line, else ``fallback``."""
    for line in text.splitlines():
        m = re.match(r"^#{1,6}\s+(.+?)\s*#*$", line)
        if m:
            return re.sub(r"<[^>]+>|\*\*", "", m.group(1)).strip()[:150]
    for line in text.splitlines():
        s = re.sub(r"<[^>]+>|\*\*", "", line).strip()
        if len(s) >= 3 and not s.isdigit():
            return s[:150]
    return fallback


def guess_type(text: str) -> str:
    head = text[:5000].lower()
    for doc_type, pattern in _TYPE_WORDS:
        if re.search(pattern, head):
            return doc_type
    return "document"


def doc_info(path: Path, text: str, entry: dict | None) -> DocInfo:
    """Metadata for a document: the manifest entry where given, inferred values for what is missing."""
    entry = entry or {}
    title = entry.get("title") or find_title(text, path.stem.replace("-", " ").replace("_", " "))
    date = entry.get("date") or find_date(text, path.name)
    structure = entry.get("structure", "auto")
    if structure not in STRUCTURE_KINDS:
        structure = "auto"
    citation = entry.get("citation") or (f"{title} ({date[:4]})" if date and date[:4] not in title else title)
    return DocInfo(
        doc_id=entry.get("doc_id") or doc_id_for(path),
        title=title,
        citation=citation,
        doc_type=entry.get("doc_type") or guess_type(text),
        date=date,
        structure=structure,
        appendix_item=entry.get("appendix_item", "Onderdeel"),
    )

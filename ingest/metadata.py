"""Document metadata: from the corpus manifest (``manifest.json``) or inferred from the file itself."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from ingest.structure import STRUCTURE_KINDS, DocInfo
from nl import dates
from nl.resources import table

MANIFEST_NAME = "manifest.json"
DOMAIN_NAME = "domain.toml"


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


def load_domain_file(folder: Path) -> tuple[dict, list[str]]:
    """The ``domain.toml`` of a folder (empty when there is none) and the problems found reading it (Dutch)."""
    path = folder / DOMAIN_NAME
    if not path.is_file():
        return {}, []
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return {}, [f"{path.name} is niet te lezen en wordt genegeerd ({exc})"]
    problems = []
    for entry in data.get("expansion", []):
        try:
            re.compile(entry["match"])
        except (KeyError, TypeError, re.error) as exc:
            problems.append(f"{path.name}: uitbreiding {entry!r} wordt genegeerd ({exc})")
    data["expansion"] = [e for e in data.get("expansion", []) if isinstance(e, dict) and _compiles(e.get("match"))
                         and isinstance(e.get("add"), str)]
    return data, problems


def _compiles(pattern: object) -> bool:
    try:
        re.compile(str(pattern))
        return isinstance(pattern, str)
    except re.error:
        return False


def merge_domains(parts: list[dict]) -> dict:
    """One domain from the ``domain.toml`` data of several folders: lists joined, the first text wins."""
    merged: dict = {"expansion": [], "aliases": {}, "topic_words": []}
    for part in parts:
        for key in ("documents", "example_question"):
            if part.get(key) and key not in merged:
                merged[key] = part[key]
        merged["expansion"] += part.get("expansion", [])
        for doc, names in (part.get("aliases") or {}).items():
            merged["aliases"].setdefault(doc, []).extend(n for n in names if isinstance(n, str))
        merged["topic_words"] += [w for w in part.get("topic_words") or [] if isinstance(w, str)]
    return merged


def find_date(text: str, name: str = "") -> str:
    """The first date in the file name or text as ISO ``YYYY-MM-DD`` (day 01 when only a month is known)."""
    return dates.find_date(name) or dates.find_date(text[:20000])


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
    """The document type whose marking words (``nl/data/doc_types.toml``) occur first in the table's order."""
    head = text[:5000].lower()
    for doc_type in table("doc_types")["type"]:
        if any(re.search(p, head) for p in doc_type["marked_by"]):
            return doc_type["name"]
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

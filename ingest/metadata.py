"""Document metadata: from the corpus manifest (``manifest.json``) or inferred from the file itself."""

from __future__ import annotations

import functools
import json
import re
import tomllib
from pathlib import Path

from ingest.cleaning import Block
from ingest.legal import law_citation
from ingest.readers import RawDocument, UnreadableFileError
from index_store.names import MAX_DOC_ID_CHARS, doc_id_problem, inside
from ingest.structure import STRUCTURE_KINDS, DocInfo, detect_structure
from nl import dates
from nl.resources import table

MANIFEST_NAME = "manifest.json"
DOMAIN_NAME = "domain.toml"


def load_manifest(folder: Path) -> dict[str, dict]:
    """Entries of ``manifest.json`` in ``folder`` keyed by file name; empty when there is none."""
    path = folder / MANIFEST_NAME
    if not path.is_file() or not inside(folder, path):  # a link out of the folder is not its manifest
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if isinstance(v, dict)}


def doc_id_for(path: Path) -> str:
    """A stable id from the file name: lower case, accents kept, spaces as dashes."""
    stem = re.sub(r"\s+", "-", path.stem.strip().lower())
    return re.sub(r"[^\w.\-]", "", stem).strip(".")[:MAX_DOC_ID_CHARS] or "document"


def load_domain_file(folder: Path) -> tuple[dict, list[str]]:
    """The ``domain.toml`` of a folder (empty when there is none) and the problems found reading it (Dutch)."""
    path = folder / DOMAIN_NAME
    if not path.is_file():
        return {}, []
    if not inside(folder, path):
        return {}, [f"{path.name} is een koppeling naar buiten de map en wordt genegeerd"]
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


_HEADER_LINES = 8
_MAX_TITLE_LINE = 150
_HEADER_OTHER_WORDS = 6


@functools.lru_cache(maxsize=1)
def _re_date_line() -> re.Pattern:
    words = sorted(table("structure")["date_line_words"], key=len, reverse=True)
    return re.compile(r"^\W*(?:" + "|".join(re.escape(w) for w in words) + r")\s*[:：]\s*(?P<value>.+)$", re.I)


def _lines(text: str, limit: int) -> list[str]:
    out = []
    for line in text.splitlines():
        plain = re.sub(r"<[^>]+>|\*\*|^#+\s*", "", line).strip()
        if plain:
            out.append(plain)
            if len(out) >= limit:
                break
    return out


def date_from_date_line(text: str) -> str:
    """The date of a "Datum: …" line near the start of the text (ISO), else ``""``."""
    for line in _lines(text, 80):
        m = _re_date_line().match(line)
        if m and (date := dates.find_date(m.group("value"))):
            return date
    return ""


def date_from_header(text: str) -> str:
    """A date that the document's own header states: a line among the first few that is (nearly) only a date
    ("12 maart 2024", "Den Haag, 12 maart 2024", "Geldend van 01-01-2024 t/m heden"). A date inside a sentence
    or a year in a citation is not the document's date."""
    for line in _lines(text, _HEADER_LINES):
        date = dates.find_date(line)
        if date and len(line) <= 100:
            rest = dates.without_dates(line)
            if len(re.findall(r"\w+", rest)) <= _HEADER_OTHER_WORDS:
                return date
    return ""


def find_date(text: str, name: str = "", stated: str = "") -> tuple[str, str]:
    """The document's date (ISO) and where it came from: a "Datum:" line, the date the file itself states
    (``stated``, e.g. the version date of a BWB XML file), the document's header, or the file name; otherwise
    ``("", "")``: no date is better than a year taken from a citation."""
    for date, source in ((date_from_date_line(text), "datumregel"), (stated, "bestand"),
                         (date_from_header(text), "kop"), (dates.find_date(name), "bestandsnaam")):
        if date:
            return date, source
    return "", ""


def find_title(text: str, fallback: str) -> tuple[str, str]:
    """The first markdown heading that is no numbered section, else the first line if it reads as a title (not
    a date line, not a sentence), else ``fallback``; with where it came from (``kop`` | ``eerste regel`` |
    ``bestandsnaam``)."""
    for line in text.splitlines():
        m = re.match(r"^#{1,6}\s+(.+?)\s*#*$", line)
        if m and not re.match(r"^\d+(\.\d+)*\.?\s", m.group(1)):
            return re.sub(r"<[^>]+>|\*\*", "", m.group(1)).strip()[:150], "kop"
    for line in _lines(text, 5):
        if len(line) >= 3 and not line.isdigit() and not _re_date_line().match(line) \
                and not re.match(r"^\d+(\.\d+)*\.?\s", line):
            if len(line) <= _MAX_TITLE_LINE and not line.endswith("."):
                return line, "eerste regel"
            break  # the text starts with a sentence: the file name says more
    return fallback, "bestandsnaam"


def doc_info(path: Path, raw: RawDocument, entry: dict | None, blocks: list[Block]) -> DocInfo:
    """Metadata for a document: the manifest entry where given, otherwise what the file itself states, and
    nothing guessed: the type is "document" unless the manifest names one."""
    entry = entry or {}
    doc_id = entry["doc_id"] if entry.get("doc_id") not in (None, "") else doc_id_for(path)
    if problem := doc_id_problem(doc_id):
        raise UnreadableFileError(path, f"ongeldig doc_id in manifest.json: {problem}")
    title, title_from = (entry["title"], "manifest") if entry.get("title") else \
        (raw.title, "bestand") if raw.title else find_title(raw.text, path.stem.replace("-", " ").replace("_", " "))
    date, date_from = (entry["date"], "manifest") if entry.get("date") else \
        find_date(raw.text, path.name, raw.date)
    structure = entry.get("structure", "auto")
    if structure not in STRUCTURE_KINDS:
        structure = "auto"
    if structure == "auto":
        structure = detect_structure(blocks)
    if entry.get("citation"):
        citation = entry["citation"]
    elif structure == "law":
        citation = law_citation(title)
    else:
        citation = f"{title} ({date[:4]})" if date and date[:4] not in title else title
    return DocInfo(
        doc_id=doc_id,
        title=title,
        citation=citation,
        doc_type=entry.get("doc_type") or "document",
        date=date,
        structure=structure,
        appendix_item=entry.get("appendix_item", "Onderdeel"),
        title_from=title_from,
        date_from=date_from,
        type_from="manifest" if entry.get("doc_type") else "",
    )

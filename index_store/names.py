"""Document ids as the store accepts them, and the safe file name each one is stored under.

A document id comes from a user's ``manifest.json`` or a file name: it is never used as a path. Each
per-document file is named by an ASCII slug of the id plus a hash of the whole id, so ``../x``, ``/etc/x``,
NUL bytes or very long ids can never place a file outside the build folder.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

MAX_DOC_ID_CHARS = 200
_SLUG_CHARS = 48
_RE_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def doc_id_problem(doc_id: object) -> str:
    """Why ``doc_id`` cannot be a document id (Dutch), or ``""`` when it can."""
    if not isinstance(doc_id, str):
        return "doc_id moet tekst zijn"
    if not doc_id.strip():
        return "doc_id is leeg"
    if len(doc_id) > MAX_DOC_ID_CHARS:
        return f"doc_id is te lang ({len(doc_id)} tekens, maximaal {MAX_DOC_ID_CHARS})"
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") for ch in doc_id):
        return "doc_id bevat een stuur- of onzichtbaar teken (zoals een NUL-byte of regeleinde)"
    if "/" in doc_id or "\\" in doc_id or doc_id.strip(".") == "":
        return "doc_id mag geen pad zijn (geen /, \\, . of ..)"
    return ""


def doc_file_name(doc_id: str) -> str:
    """``<slug>-<hash>.json``: ASCII only, at most about 70 characters, distinct for distinct ids."""
    ascii_id = unicodedata.normalize("NFKD", doc_id).encode("ascii", "ignore").decode("ascii").lower()
    slug = _RE_UNSAFE.sub("-", ascii_id).strip(".-")[:_SLUG_CHARS].strip(".-") or "document"
    digest = hashlib.sha256(doc_id.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{slug}-{digest}.json"


def inside(folder: Path, path: Path) -> bool:
    """Whether ``path`` resolves to a place inside ``folder`` (symlinks followed)."""
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False

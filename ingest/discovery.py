"""Which files an ingest reads: everything under the given folders that really lies inside them.

A symbolic link is followed only when its target stays inside the ingested folder; a link out of it, a
broken link or a loop is reported by name with a reason, as are hidden entries, odd names (control
characters, backslashes, undecodable bytes) and anything that is not a regular file (a FIFO would block).
Nothing is skipped silently.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ingest.readers import SUPPORTED_SUFFIXES
from vraagbaak.terminal import has_unsafe

# Knowledge about a folder (its manifest, domain and the Rechtenwijzer's rules), not documents.
DATA_NAMES = {"readme.md", "readme.txt", "readme", "manifest.json", "domain.toml", "rights.toml"}
MAX_DEPTH = 32


@dataclass
class Skip:
    path: str
    reason: str


@dataclass
class Found:
    files: list[Path] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)


def _odd_name(name: str) -> str:
    if any(0xDC80 <= ord(ch) <= 0xDCFF for ch in name):
        return "de bestandsnaam is geen geldige UTF-8"
    if has_unsafe(name):
        return "de bestandsnaam bevat stuurtekens (zoals een regeleinde)"
    if "\\" in name:
        return "de bestandsnaam bevat een backslash (\\)"
    return ""


def _link_target(path: Path, root: Path) -> tuple[Path | None, str]:
    """The resolved target of a symbolic link inside ``root``, or why it is not followed."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        return None, "symbolische koppeling vormt een lus"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "symbolische koppeling vormt een lus"
        return None, "symbolische koppeling wijst naar iets dat niet bestaat"
    try:
        target.relative_to(root)
    except ValueError:
        return None, "symbolische koppeling naar buiten de ingelezen map; niet gevolgd"
    return target, ""


def _walk(folder: Path, root: Path, found: Found, seen: set[Path], depth: int) -> None:
    try:
        # links last: a link to a file of the folder is then the duplicate, not the file itself
        entries = sorted(os.scandir(folder), key=lambda e: (e.is_symlink(), e.name))
    except OSError:
        found.skipped.append(Skip(str(folder), "de map kan niet worden gelezen"))
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            found.skipped.append(Skip(str(path), "verborgen bestand of map; overgeslagen"))
            continue
        if reason := _odd_name(entry.name):
            found.skipped.append(Skip(str(path), reason))
            continue
        real = path
        if entry.is_symlink():
            target, reason = _link_target(path, root)
            if target is None:
                found.skipped.append(Skip(str(path), reason))
                continue
            if target.is_dir():
                found.skipped.append(Skip(str(path), "symbolische koppeling naar een map in de ingelezen map; "
                                                     "die map wordt zelf al gelezen"))
                continue
            real = target
        try:
            mode = real.stat().st_mode
        except OSError:
            found.skipped.append(Skip(str(path), "het bestand kan niet worden gelezen"))
            continue
        if stat.S_ISDIR(mode):
            if depth >= MAX_DEPTH:
                found.skipped.append(Skip(str(path), f"mappen dieper dan {MAX_DEPTH} niveaus worden niet gelezen"))
            else:
                _walk(path, root, found, seen, depth + 1)
            continue
        if not stat.S_ISREG(mode):
            found.skipped.append(Skip(str(path), "geen gewoon bestand (apparaat, socket of pipe)"))
            continue
        _add_file(path, real.resolve(), found, seen)


def _add_file(path: Path, real: Path, found: Found, seen: set[Path]) -> None:
    if path.name.lower() in DATA_NAMES:
        return  # read as the folder's knowledge, not as a document
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        found.skipped.append(Skip(str(path), f"bestandstype {path.suffix or '(geen)'} wordt niet ondersteund"))
        return
    if real in seen:
        found.skipped.append(Skip(str(path), "hetzelfde bestand is al via een andere naam ingelezen"))
        return
    seen.add(real)
    found.files.append(path)


def discover(paths: list[Path]) -> Found:
    """Files to ingest under ``paths`` (folders or single files), and every entry skipped with its reason."""
    found = Found()
    seen: set[Path] = set()
    for root in paths:
        root = Path(root)
        if not root.exists():
            found.skipped.append(Skip(str(root), "pad bestaat niet"))
        elif root.is_dir():
            _walk(root, root.resolve(), found, seen, 0)
        elif not root.is_file():
            found.skipped.append(Skip(str(root), "geen gewoon bestand (apparaat, socket of pipe)"))
        elif reason := _odd_name(root.name):
            found.skipped.append(Skip(str(root), reason))
        else:  # a file named on the command line is read where it is
            _add_file(root, root.resolve(), found, seen)
    return found

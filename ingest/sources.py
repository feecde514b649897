"""Which folders a store holds, and what ingesting another folder into it means (``--replace`` / ``--add``).

The store manifest keeps the resolved folders (or files) of its last ingest as ``sources``. Ingesting paths
that do not cover every one of them would drop documents of another folder; that needs an explicit choice.
"""

from __future__ import annotations

from pathlib import Path

from index_store.store import StoreError
from nl.resources import table

MODES = ("auto", "replace", "add")


class FolderConflictError(StoreError):
    """The store holds documents of another folder and no ``--replace`` or ``--add`` was given (Dutch)."""


def resolved(paths: list[Path]) -> list[str]:
    return list(dict.fromkeys(str(Path(p).resolve()) for p in paths))


def stored_sources(manifest: dict) -> list[str]:
    """The folders a store's documents came from: its ``sources``, else each document's folder."""
    if isinstance(manifest.get("sources"), list):
        return [s for s in manifest["sources"] if isinstance(s, str)]
    folders = [str(Path(d["path"]).resolve().parent) for d in (manifest.get("documents") or {}).values()
               if isinstance(d, dict) and isinstance(d.get("path"), str)]
    return list(dict.fromkeys(folders))


def _covered(source: str, roots: list[str]) -> bool:
    src = Path(source)
    return any(src == Path(r) or Path(r) in src.parents for r in roots)


def uncovered(manifest: dict, paths: list[Path]) -> list[str]:
    """Folders of the store that ``paths`` do not cover: their documents would disappear."""
    roots = resolved(paths)
    return [s for s in stored_sources(manifest) if not _covered(s, roots)]


def paths_for(mode: str, manifest: dict, paths: list[Path]) -> list[Path]:
    """The paths to ingest: with ``add`` the store's own folders come first, then the new ones."""
    if mode not in MODES:
        raise ValueError(f"onbekende modus {mode!r}")
    if mode != "add":
        return list(paths)
    roots = resolved(paths)
    kept = [Path(s) for s in stored_sources(manifest) if not _covered(s, roots)]
    return kept + list(paths)


def conflict(store_dir: Path, others: list[str], paths: list[Path]) -> FolderConflictError:
    """The Dutch message: which folders the store holds and the two ways on."""
    text = table("messages")["folder_conflict"]
    return FolderConflictError(text.format(store=store_dir, others=", ".join(others),
                                           paths=" ".join(str(p) for p in paths)))

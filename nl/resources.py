"""Loading the data files of ``nl/data/`` (word lists and TOML tables), each once per process."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@functools.lru_cache(maxsize=None)
def word_list(name: str) -> tuple[str, ...]:
    """The words of ``nl/data/<name>.txt``: one per line, ``#`` comments and blank lines skipped."""
    lines = (DATA / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    return tuple(s for line in lines if (s := line.split("#", 1)[0].strip()))


@functools.lru_cache(maxsize=None)
def table(name: str) -> dict:
    """The TOML table ``nl/data/<name>.toml``."""
    with open(DATA / f"{name}.toml", "rb") as fh:
        return tomllib.load(fh)

"""Token counting with tiktoken, using the BPE files that llama-index-core ships (no download)."""

from __future__ import annotations

import functools
import os
from pathlib import Path


def _bundled_cache_dir() -> Path:
    import llama_index.core

    return Path(llama_index.core.__file__).parent / "_static" / "tiktoken_cache"


@functools.lru_cache(maxsize=4)
def encoding(name: str = "cl100k_base"):
    """Return a tiktoken encoding read from the BPE files llama-index-core ships (never from the network):
    tiktoken looks in ``TIKTOKEN_CACHE_DIR`` first, so that is pointed at them while the encoding loads."""
    import tiktoken

    previous = os.environ.get("TIKTOKEN_CACHE_DIR")
    os.environ["TIKTOKEN_CACHE_DIR"] = str(_bundled_cache_dir())
    try:
        return tiktoken.get_encoding(name)
    finally:
        if previous is None:
            del os.environ["TIKTOKEN_CACHE_DIR"]
        else:
            os.environ["TIKTOKEN_CACHE_DIR"] = previous


def count_tokens(text: str, name: str = "cl100k_base") -> int:
    """Number of tokens of ``text`` under the named encoding."""
    return len(encoding(name).encode(text, disallowed_special=()))

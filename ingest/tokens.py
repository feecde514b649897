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
    """Return a tiktoken encoding loaded from the bundled cache, never from the network."""
    os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(_bundled_cache_dir()))
    import tiktoken

    return tiktoken.get_encoding(name)


def count_tokens(text: str, name: str = "cl100k_base") -> int:
    """Number of tokens of ``text`` under the named encoding."""
    return len(encoding(name).encode(text, disallowed_special=()))

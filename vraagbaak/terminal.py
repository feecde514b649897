"""Text bound for a terminal: control characters (escape codes, bells, carriage returns) made harmless."""

from __future__ import annotations

import unicodedata

_KEEP = {"\n", "\t"}


def _escaped(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _unsafe(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp")


def escape_name(name: str) -> str:
    """A file name on one line: every control, format or undecodable character (newlines too) as ``\\xNN``."""
    return "".join(_escaped(ch) if _unsafe(ch) else ch for ch in name)


def strip_control(text: str) -> str:
    """Text with its control and format characters removed (newlines and tabs kept): no escape sequence from
    a document reaches the terminal."""
    return "".join(ch for ch in text if ch in _KEEP or not _unsafe(ch))


def has_unsafe(name: str) -> bool:
    """Whether a name holds a character ``escape_name`` would escape."""
    return any(_unsafe(ch) for ch in name)

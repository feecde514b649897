"""Footnote references as the indexed text writes them: superscript digits (``⁴⁰``).

They cannot be taken for an answer's citation marker ``[n]``, so an answer may quote a sentence that refers
to a footnote.
"""

from __future__ import annotations

import re

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)
_TO_PLAIN = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
SUPERSCRIPT = f"[{SUPERSCRIPT_DIGITS}]"
# One footnote reference (up to three digits) with the space before it.
RE_REFERENCE = re.compile(rf"\s?({SUPERSCRIPT}{{1,3}})")
# References a sentence ends with, and the number a footnote's own text starts with.
RE_TRAILING = re.compile(rf"(?:\s*{SUPERSCRIPT}{{1,3}})+\s*$")
RE_LEADING = re.compile(rf"{SUPERSCRIPT}{{1,3}}\s+")
# A bracketed number ("[12]") would read as an answer's citation marker.
RE_BRACKETED = re.compile(r"\[\d{1,3}\]")


def marker(number: int | str) -> str:
    """``40`` → ``⁴⁰``."""
    return str(number).translate(_TO_SUPERSCRIPT)


def plain(digits: str) -> str:
    """``⁴⁰`` → ``40``."""
    return digits.translate(_TO_PLAIN)


def cites(text: str, number: int | str) -> bool:
    """Whether ``text`` refers to footnote ``number`` (``¹`` but not the ``¹`` of ``¹²``)."""
    return re.search(rf"(?<!{SUPERSCRIPT}){marker(number)}(?!{SUPERSCRIPT})", text) is not None


def strip(text: str) -> str:
    """The text without footnote references."""
    return RE_REFERENCE.sub("", text)

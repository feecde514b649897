"""Dates and years in Dutch text: the one definition of month names, date patterns and year patterns."""

from __future__ import annotations

import functools
import re

from nl.resources import table


@functools.lru_cache(maxsize=1)
def months() -> tuple[str, ...]:
    """``januari`` … ``december``."""
    return tuple(m["name"] for m in table("months")["month"])


@functools.lru_cache(maxsize=1)
def month_numbers() -> dict[str, int]:
    """Every spelling of a month (full name and abbreviations, lower case) → its number."""
    out: dict[str, int] = {}
    for i, m in enumerate(table("months")["month"], start=1):
        for name in [m["name"], *m["short"]]:
            out[name] = i
    return out


@functools.lru_cache(maxsize=1)
def month_abbreviations() -> frozenset[str]:
    return frozenset(s for m in table("months")["month"] for s in m["short"])


@functools.lru_cache(maxsize=1)
def month_pattern() -> str:
    """A full month name."""
    return "(?:" + "|".join(months()) + ")"


@functools.lru_cache(maxsize=1)
def any_month_pattern() -> str:
    """A month name or abbreviation, with an optional full stop after an abbreviation (``okt.``)."""
    names = sorted(month_numbers(), key=len, reverse=True)
    return "(?:" + "|".join(names) + r")\.?"


YEAR = r"\b(?:19|20)\d\d\b"
RE_YEAR = re.compile(YEAR)
# Years a question can ask about (a date of an event, not an amount such as "2100 werknemers").
RE_EVENT_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_RE_ISO = re.compile(r"\b(20\d\d|19\d\d)-(\d\d)-(\d\d)\b")
_RE_DMY = re.compile(r"\b(\d{1,2})-(\d{1,2})-(20\d\d|19\d\d)\b")


@functools.lru_cache(maxsize=1)
def _re_day_month_year() -> re.Pattern:
    return re.compile(r"\b(\d{1,2})\s+(" + any_month_pattern() + r")\s+(\d{4})\b", re.I)


@functools.lru_cache(maxsize=1)
def _re_month_year() -> re.Pattern:
    return re.compile(r"\b(" + month_pattern() + r")\s+(\d{4})\b", re.I)


@functools.lru_cache(maxsize=1)
def re_date_anchor() -> re.Pattern:
    """A date someone names to point at an event: ``17 okt 2024``, ``november 2021``, ``2021``."""
    return re.compile(r"\b(\d{1,2}\s+)?" + any_month_pattern() + r"\s+(19|20)\d\d\b|" + YEAR, re.I)


def _month(name: str) -> int:
    return month_numbers()[name.lower().rstrip(".")]


def find_date(text: str) -> str:
    """The first date in ``text`` as ISO ``YYYY-MM-DD`` (day 01 when only a month is given), else ``""``."""
    m = _RE_ISO.search(text)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    m = _re_day_month_year().search(text)
    if m and m.group(2).lower().rstrip(".") in month_numbers():
        return f"{m.group(3)}-{_month(m.group(2)):02d}-{int(m.group(1)):02d}"
    m = _RE_DMY.search(text)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    m = _re_month_year().search(text)
    if m:
        return f"{m.group(2)}-{_month(m.group(1)):02d}-01"
    return ""


@functools.lru_cache(maxsize=1)
def _re_numbering_word_before() -> re.Pattern:
    words = sorted(table("months")["numbering_words"], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, words)) + r")\.?\s*$", re.I)


def full_dates(text: str) -> dict[str, str]:
    """Every full date (day, month and year) in ``text``: ISO ``YYYY-MM-DD`` → the date as written. A number
    after a numbering word ("agendapunt 7 juni 2023") is not a day."""
    found: dict[str, str] = {}
    for m in _RE_ISO.finditer(text):
        found.setdefault(m.group(0), m.group(0))
    for m in _re_day_month_year().finditer(text):
        if _re_numbering_word_before().search(text[max(0, m.start() - 20):m.start()]):
            continue
        if m.group(2).lower().rstrip(".") in month_numbers() and 1 <= int(m.group(1)) <= 31:
            found.setdefault(f"{m.group(3)}-{_month(m.group(2)):02d}-{int(m.group(1)):02d}", m.group(0))
    for m in _RE_DMY.finditer(text):
        if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(1)) <= 31:
            found.setdefault(f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}", m.group(0))
    return found


def without_dates(text: str) -> str:
    """The text with every full date and month-and-year taken out."""
    for pattern in (_RE_ISO, _re_day_month_year(), _RE_DMY, _re_month_year()):
        text = pattern.sub(" ", text)
    return text


def format_date(iso: str) -> str:
    """``2024-10-17`` → ``17 oktober 2024``; ``2025-05-01`` stays a day; unparseable input is returned as is."""
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", iso or "")
    if not m:
        return iso or "onbekend"
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not 1 <= month <= 12:
        return iso
    return f"{day} {months()[month - 1]} {year}"

"""Turn the filter widgets' values into the ``filters`` dict that ``Engine.answer`` takes."""

from __future__ import annotations

import calendar
import re

from nl.dates import format_date

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DUTCH = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")


class FilterError(ValueError):
    """A filter value the user has to correct; the message is Dutch."""


def parse_date(text: str, upper: bool) -> str:
    """``2021``, ``2021-11``, ``2021-11-19`` or ``19-11-2021`` as ``YYYY-MM-DD`` (period start or end)."""
    text = (text or "").strip()
    if not text:
        return ""
    m = _ISO.match(text)
    if m:
        year, month, day = int(m.group(1)), m.group(2), m.group(3)
    else:
        d = _DUTCH.match(text)
        if not d:
            raise FilterError(f"‘{text}’ is geen geldige datum; gebruik een jaar (2021) of een datum (2021-11-19).")
        year, month, day = int(d.group(3)), d.group(2), d.group(1)
    m_int = int(month) if month else (12 if upper else 1)
    if not 1 <= m_int <= 12:
        raise FilterError(f"‘{text}’ heeft een ongeldige maand.")
    last = calendar.monthrange(year, m_int)[1]
    d_int = int(day) if day else (last if upper else 1)
    if not 1 <= d_int <= last:
        raise FilterError(f"‘{text}’ heeft een ongeldige dag.")
    return f"{year:04d}-{m_int:02d}-{d_int:02d}"


def build_filters(docs: list[str] | None, doc_types: list[str] | None, date_from: str | None,
                  date_to: str | None) -> dict | None:
    """The filters dict, or ``None`` when nothing is restricted. Raises ``FilterError`` on a bad date."""
    start = parse_date(date_from or "", upper=False)
    end = parse_date(date_to or "", upper=True)
    if start and end and start > end:
        raise FilterError("De periode klopt niet: ‘vanaf’ ligt na ‘tot en met’.")
    filters = {"docs": list(docs or []), "doc_types": list(doc_types or []), "date_from": start, "date_to": end}
    return filters if any(filters.values()) else None


def describe_filters(filters: dict | None, doc_names: dict[str, str], type_labels: dict[str, str]) -> str:
    """The active filters in words (Dutch), e.g. ``soort: advies; periode: 1 januari 2030 t/m 31 december 2031``;
    empty when nothing is restricted."""
    if not filters:
        return ""
    parts = []
    if filters.get("docs"):
        parts.append("documenten: " + ", ".join(doc_names.get(d, d) for d in filters["docs"]))
    if filters.get("doc_types"):
        parts.append("soort: " + ", ".join(type_labels.get(t, t) for t in filters["doc_types"]))
    start, end = filters.get("date_from", ""), filters.get("date_to", "")
    if start and end:
        parts.append(f"periode: {format_date(start)} t/m {format_date(end)}")
    elif start:
        parts.append(f"periode: vanaf {format_date(start)}")
    elif end:
        parts.append(f"periode: tot en met {format_date(end)}")
    return "; ".join(parts)

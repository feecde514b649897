"""Literature references and web addresses: text that cites a publication rather than stating a fact.

Their years are about a publication, not an answer to "wanneer" or "hoeveel"; a reference line is on topic
but answers nothing.
"""

from __future__ import annotations

import re

# "(EU-OSHA, 2021)", "(Lane et al., 2023; OESO, 2024)", "(WRR, 2021, p. 3)", "Jansen (2022)".
RE_CITATION = re.compile(r"\([A-Z][^()]{0,80}?,\s*(?:19|20)\d\d[a-z]?\b[^()]{0,60}\)|"
                         r"\b[A-Z][\w&-]*(?: \[et al\.\])? \((?:19|20)\d\d[a-z]?\)")
# Any parenthesis holding a year: a looser test, for deciding whether a year counts as evidence.
RE_PARENTHESISED_YEAR = re.compile(r"\([^()]{0,80}?\b(?:19|20)\d\d[a-z]?\b[^()]{0,40}\)")
RE_URL = re.compile(r"https?://\S+|\bwww\.\S+")
RE_PATHLIKE = re.compile(r"\S*[/\\]\S*|\bwww\.\S+")
# A line that is a reference: a web address, "Zie …", "Ibid.", "Kamerstukken II …", "[et al.]",
# "De Vries (2024).".
RE_REFERENCE_LINE = re.compile(r"https?://|\bwww\.|^\W*(zie|ibid|kamerstukken|stb|stcrt)\b|\[et al\.?\]|"
                               r"^[\w .&'-]{1,60}\((19|20)\d\d[a-z]?\)\.?\s*$", re.I)


def without_citations(text: str) -> str:
    """The text without literature references."""
    return RE_CITATION.sub(" ", text)


def without_references(text: str) -> str:
    """The text without anything in parentheses that holds a year, and without web addresses or paths."""
    return RE_PATHLIKE.sub(" ", RE_PARENTHESISED_YEAR.sub(" ", text))


def is_reference(sentence: str) -> bool:
    return bool(RE_REFERENCE_LINE.search(sentence))

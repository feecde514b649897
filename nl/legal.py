"""Legal references in Dutch: the unit keys of articles, members and parts, and references in a question.

The law parser of the ingest names its units with these keys (``artikel 25``, ``artikel 25 lid 1``,
``artikel 25 lid 1 onder k``, ``artikel 27 lid 1 slot``); ``parse_reference`` reads how a person writes such a
reference ("art. 26, tweede lid", "artikel 27 lid 1 sub l WOR", "het tweede lid van artikel 26", "27(1)(l)")
and ``LegalReference.best_unit`` picks the most specific key a document has. All functions are pure.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterable

from nl.resources import table


@functools.lru_cache(maxsize=1)
def _law() -> dict:
    return table("law")


def article_key(article: str) -> str:
    return f"artikel {article}"


def member_key(article: str, member: str) -> str:
    return f"{article_key(article)} lid {member}"


def part_key(article: str, member: str, part: str) -> str:
    return f"{member_key(article, member) if member else article_key(article)} onder {part}"


def slot_key(parent_key: str) -> str:
    """The key of the text that follows a list inside ``parent_key`` (an article or a member)."""
    return f"{parent_key} {_law()['slot_key']}"


def unit_key(article: str, member: str = "", part: str = "") -> str:
    if part:
        return part_key(article, member, part)
    return member_key(article, member) if member else article_key(article)


def ordinal_number(word: str) -> int:
    """``tweede`` → 2; 0 when the word is no ordinal."""
    ordinals = _law()["ordinals"]
    return ordinals.index(word.lower()) + 1 if word.lower() in ordinals else 0


@dataclass(frozen=True)
class LegalReference:
    """A reference to (a part of) an article, as named in a question."""

    article: str
    member: str = ""
    part: str = ""
    law: str = ""  # the abbreviation or name written after it ("WOR"), if any

    @property
    def key(self) -> str:
        return unit_key(self.article, self.member, self.part)

    def keys(self) -> list[str]:
        """Unit keys that answer the reference, most specific first. A part named without its member
        ("artikel 27 onder l") is also looked for under lid 1, where such lists usually stand."""
        out = [self.key]
        if self.part and not self.member:
            out.append(part_key(self.article, "1", self.part))
        if self.part and self.member:
            out.append(member_key(self.article, self.member))
        out.append(article_key(self.article))
        return list(dict.fromkeys(out))

    def best_unit(self, keys: Iterable[str]) -> str | None:
        """The most specific of ``keys()`` that occurs in ``keys`` (a document's unit keys), else None."""
        have = set(keys)
        return next((k for k in self.keys() if k in have), None)


_NUMBER = r"\d+[a-z]{0,2}(?::\d+[a-z]?|\.\d+[a-z]?)*"
_RE_MORE_ARTICLES = re.compile(rf"(?:\s*(?:,|\ben\b|\bof\b|t/m|tot en met)\s*{_NUMBER}\b)*", re.I)


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    law = _law()
    article = "|".join(sorted((re.escape(w) for w in law["article"]), key=len, reverse=True))
    member = "|".join(law["member"])
    part = "|".join(law["part"])
    ordinal = "|".join(law["ordinals"])
    member_part = (
        rf"(?:[\s,]*(?:(?:{member})\s*(?P<m>\d+[a-z]?)\b|(?:het\s+)?(?P<mo>{ordinal})\s+(?:{member})\b|\((?P<mp>\d+)\)))?"
        rf"(?:[\s,]*(?:(?:aanhef\s+en\s+)?(?:{part})\s*(?P<p>[a-z]{{1,2}})\b|\((?P<pp>[a-z]{{1,2}})\)))?"
    )
    forward = re.compile(
        rf"\b(?:{article})\.?\s*(?P<a>{_NUMBER})\b(?!\s*(?:%|procent|euro))" + member_part +
        r"(?:[\s,]+(?:van\s+de\s+|van\s+het\s+)?(?-i:(?P<law>[A-Z][A-Za-z]*[A-Z][A-Za-z]*)))?", re.I)
    # "het tweede lid van artikel 26", "lid 2 van artikel 26", "onder k van artikel 25, eerste lid"
    backward = re.compile(
        rf"(?:(?:het\s+)?(?P<mo>{ordinal})\s+(?:{member})|(?:{member})\s*(?P<m>\d+[a-z]?))"
        rf"(?:[\s,]*(?:{part})\s*(?P<p>[a-z]{{1,2}})\b)?\s+van\s+(?:{article})\.?\s*(?P<a>{_NUMBER})\b", re.I)
    return forward, backward


def parse_references(text: str) -> list[LegalReference]:
    """Every article reference in ``text``, in reading order."""
    forward, backward = _patterns()
    found: list[tuple[int, LegalReference]] = []
    taken: list[tuple[int, int]] = []
    for m in backward.finditer(text):
        found.append((m.start(), _reference(m)))
        taken.append(m.span())
    for m in forward.finditer(text):
        if any(s <= m.start("a") < e for s, e in taken):
            continue
        ref = _reference(m)
        found.append((m.start(), ref))
        if not (ref.member or ref.part):  # "artikelen 25, 26 en 27"
            more = _RE_MORE_ARTICLES.match(text, m.end("a")).group(0)
            found += [(m.start(), LegalReference(article=n.lower())) for n in re.findall(_NUMBER, more)]
    return [ref for _, ref in sorted(found, key=lambda x: x[0])]


def parse_reference(text: str) -> LegalReference | None:
    """The first article reference in ``text`` ("artikel 26 lid 2" → article 26, member 2), else None."""
    refs = parse_references(text)
    return refs[0] if refs else None


def _reference(m: re.Match) -> LegalReference:
    groups = m.groupdict()
    member = groups.get("m") or groups.get("mp") or ""
    if groups.get("mo"):
        member = str(ordinal_number(groups["mo"]))
    part = (groups.get("p") or groups.get("pp") or "").lower()
    law = groups.get("law") or ""
    return LegalReference(article=m.group("a").lower(), member=member.lower(), part=part, law=law)

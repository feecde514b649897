"""What answering knows about the indexed documents: query expansions, document aliases, topic words and how
messages name the documents.

Read from the build (``manifest.json`` → ``domain``: the ``domain.toml`` of each ingested folder, merged at
ingest) on top of the general Dutch expansions in ``nl/data/synonyms.toml``. What a folder does not state is
derived from the documents themselves: aliases from titles and citations, topic words from the vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nl.dates import RE_YEAR, re_date_anchor
from nl.resources import table
from nl.text import fold_accents, words

DEFAULT_DOCUMENTS = "de ingelezen documenten"


@dataclass(frozen=True)
class Expansion:
    """Words appended to the search query when ``pattern`` matches the question."""

    pattern: re.Pattern
    add: str
    serves: str
    spells_out: bool = False  # ``add`` is what the match abbreviates, not words associated with it


def compile_expansions(entries: list[dict]) -> tuple[Expansion, ...]:
    return tuple(Expansion(re.compile(e["match"], 0 if e.get("case_sensitive") else re.I), e["add"],
                           e.get("serves", ""), bool(e.get("spells_out"))) for e in entries)


def _alias_from(text: str) -> str:
    """A citation or title as a name people type: lower case, without dates, years and parentheses."""
    t = re.sub(r"\([^)]*\)", " ", text.lower())
    t = re_date_anchor().sub(" ", t)
    t = RE_YEAR.sub(" ", t)
    return " ".join(re.findall(r"[\w'-]+", t))


@dataclass(frozen=True)
class Domain:
    documents: str = DEFAULT_DOCUMENTS
    example_question: str = ""
    expansions: tuple[Expansion, ...] = ()
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    topic_words: tuple[str, ...] = ()

    def alias_pattern(self) -> re.Pattern | None:
        """Any document alias, longest first (``None`` when there is none)."""
        names = sorted({a for names in self.aliases.values() for a in names if a}, key=len, reverse=True)
        if not names:
            return None
        return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b", re.I)

    def docs_named(self, text: str) -> set[str]:
        """The documents a text names by one of their aliases."""
        t = " ".join(text.lower().split())
        return {doc for doc, names in self.aliases.items()
                if any(re.search(r"\b" + re.escape(n) + r"\b", t) for n in names if n)}

    def names_topic(self, words: list[str]) -> bool:
        """Whether one of the (lower-cased, accent-folded) words is a topic word of these documents."""
        exact = {w for w in self.topic_words if not w.endswith("*")}
        prefixes = tuple(w[:-1] for w in self.topic_words if w.endswith("*"))
        return any(w in exact or (prefixes and w.startswith(prefixes)) for w in words)


def build_domain(data: dict | None, documents: dict[str, dict]) -> Domain:
    """The domain of a build: the folders' merged ``domain.toml`` data (``data``) and the manifest's
    ``documents`` (id → title, citation, doc_type) for what is derived."""
    data = data or {}
    aliases: dict[str, set[str]] = {}
    for doc_id, doc in documents.items():
        derived = {_alias_from(doc.get("citation", "")), _alias_from(doc.get("title", "")),
                   (doc.get("doc_type") or "").lower()}
        aliases[doc_id] = {a for a in derived if len(a) >= 4 and a != "document"}
    for doc_id, names in (data.get("aliases") or {}).items():
        aliases.setdefault(doc_id, set()).update(" ".join(n.lower().split()) for n in names)
    general = table("synonyms").get("expansion", [])
    return Domain(
        documents=data.get("documents") or DEFAULT_DOCUMENTS,
        example_question=data.get("example_question", ""),
        expansions=compile_expansions(general + list(data.get("expansion") or [])),
        aliases={d: tuple(sorted(a)) for d, a in aliases.items()},
        topic_words=tuple(fold_accents(w.lower()) for w in data.get("topic_words") or [])
        or derived_topic_words(documents),
    )


def derived_topic_words(documents: dict[str, dict]) -> tuple[str, ...]:
    """Without a ``domain.toml``: the content words of the documents' titles and citations (a folder with the
    WOR and a cao is about "ondernemingsraden" and "cao"), each also as a word beginning."""
    found: set[str] = set()
    for doc in documents.values():
        for w in words(f"{doc.get('title', '')} {doc.get('citation', '')}"):
            if len(w) >= 4 and not w.isdigit():
                found |= {w, w[:max(5, len(w) - 3)] + "*"}
    return tuple(sorted(found))

"""The evidence of the rules, looked up in the index: each quoted sentence in the chunk that holds it, and the
articles a rule names in a law text the folder may hold. Built once per index build."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from index_store.records import ChunkRecord
from nl import footnotes
from nl.sentences import split_sentences
from rag.rightsguide.table import Rule, RulesTable

EXPLANATION = "toelichting"
LAW_TEXT = "artikel"
_MIN_SENTENCE_WORDS = 4


@dataclass(frozen=True)
class Bron:
    """A source of a right: the passage (``text``) with its citation label, and the sentence it states it in."""

    label: str
    text: str
    quote: str
    soort: str = EXPLANATION
    doc: str = ""
    chunk_id: str = ""
    doc_title: str = ""
    doc_type: str = ""
    doc_date: str = ""

    def to_json(self) -> dict:
        return {"label": self.label, "text": self.text, "quote": self.quote, "soort": self.soort,
                "doc": self.doc, "chunk_id": self.chunk_id}


def _pattern(quote: str) -> re.Pattern:
    return re.compile(r"\s+".join(re.escape(w) for w in quote.split()))


def _footnote_number(text: str, start: int) -> str:
    """The footnote number when the line holding position ``start`` is a footnote (``³⁸ Bij het …``)."""
    line = text[text.rfind("\n", 0, start) + 1:start]
    m = footnotes.RE_LEADING.match(line)
    return footnotes.plain(m.group(0).strip()) if m else ""


def _source(record: ChunkRecord, quote: str, kind: str, footnote: str = "") -> Bron:
    label = f"{record.label}, voetnoot {footnote}" if footnote else record.label
    return Bron(label, record.text, quote, kind, record.doc_id, record.id, record.doc_title, record.doc_type,
                record.doc_date)


def find_quote(records: list[ChunkRecord], quote: str) -> Bron | None:
    """The first chunk (in index order) that holds ``quote`` verbatim, whitespace aside."""
    pattern = _pattern(quote)
    for record in records:
        m = pattern.search(record.text)
        if m:
            return _source(record, quote, EXPLANATION, _footnote_number(record.text, m.start()))
    return None


def _re_article(number: str) -> re.Pattern:
    return re.compile(rf"\b(?:artikel|art\.)\s*{re.escape(number)}(?![\w.])", re.I)


def law_articles(records: list[ChunkRecord], names: tuple[str, ...], articles: tuple[str, ...]) -> list[Bron]:
    """For each article number, the first chunk of a document titled with one of the law's ``names`` whose
    label names that article, quoted by its first sentence."""
    wanted = tuple(n.casefold() for n in names)
    laws = [r for r in records if r.doc_title.casefold().strip().startswith(wanted)] if wanted else []
    out = []
    for number in articles:
        pattern = _re_article(number)
        record = next((r for r in laws if pattern.search(r.label) or pattern.search(r.unit_key)), None)
        if record is None:
            continue
        sentences = [s for s in split_sentences(record.text) if len(s.split()) >= _MIN_SENTENCE_WORDS]
        out.append(_source(record, sentences[0] if sentences else record.text.strip(), LAW_TEXT))
    return out


@dataclass
class Evidence:
    """The sources of every quote and rule of a table in one index build."""

    quotes: dict[str, Bron | None]
    articles: dict[str, list[Bron]]

    @classmethod
    def build(cls, records: list[ChunkRecord], table: RulesTable) -> "Evidence":
        quotes = {q: find_quote(records, q) for q in sorted(table.all_quotes())}
        articles = {r.id: law_articles(records, table.laws.get(r.law, ()), r.law_articles) for r in table.rules}
        return cls(quotes, articles)

    @property
    def missing(self) -> list[str]:
        """Quotes of the table that no indexed chunk holds."""
        return [q for q, src in self.quotes.items() if src is None]

    def sources(self, quotes: tuple[str, ...]) -> list[Bron]:
        return [src for q in quotes if (src := self.quotes.get(q)) is not None]

    def law_sources(self, rule: Rule) -> list[Bron]:
        return self.articles.get(rule.id, [])


_CACHE: dict[tuple, tuple[RulesTable, Evidence]] = {}
_LOCK = threading.Lock()
_KEEP = 4


def evidence_for(store, table: RulesTable) -> Evidence:
    """The evidence of ``table`` in the store's active build (cached per build and table)."""
    key = (str(store.store_dir), store.build_id, id(table))
    with _LOCK:
        found = _CACHE.get(key)
        if found is None or found[0] is not table:
            while len(_CACHE) >= _KEEP:
                _CACHE.pop(next(iter(_CACHE)))
            found = _CACHE[key] = (table, Evidence.build(store.records, table))
        return found[1]

"""Extractive answers: candidate spans of the retrieved passages and the choice of the few that answer.

Every answer sentence is copied from the passage it cites, so each ``[n]`` points to text that contains it.
A candidate is one sentence, two adjacent sentences (the topic, then the number or date that answers), or a
lead-in that announces a list ("… in de volgende gevallen:") together with its items. How candidates are
scored is the fitted model's business (``rag.features``, ``rag.model``); this module makes the candidates and
chooses among the scored ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index_store.records import ChunkRecord
from nl.footnotes import RE_BRACKETED, RE_LEADING, RE_TRAILING
from nl.references import is_reference

SINGLE, PAIR, LIST = "single", "pair", "list"
MAX_LIST_ITEMS = 15
MAX_LIST_WORDS = 450
_RE_ITEM_START = re.compile(r"^\s*(\d{1,2}[.)]|[a-z][.)]|[-–•·*])\s+|^\s*[a-zà-ÿ]")


@dataclass
class SentenceCandidate:
    passage_index: int  # index into the ranked passage list
    start: int  # span within the passage text
    end: int
    text: str
    doc_start: int  # absolute offset of the first indexed sentence in the document
    doc_id: str
    rows: tuple[int, ...] = ()  # sentence-vector rows of the indexed sentences it spans
    kind: str = SINGLE
    footnote: bool = False
    position: int = 0  # index of its first sentence within the passage
    features: dict = field(default_factory=dict)
    tokens: frozenset[str] = frozenset()  # analysed stems of its text
    score: float = 0.0  # the fitted model's logit
    fits: bool = True  # satisfies the main answer type (when one is required)


def is_title(text: str) -> bool:
    """A heading line rather than a sentence: short, no closing punctuation, not a table row."""
    return not re.search(r"[.?!:;)\]]\s*$", text) and len(text.split()) < 14 and " — " not in text


def _is_heading_of(sentence: str, record: ChunkRecord) -> bool:
    """The unit's own heading line (number + title) or a subheading repeated as a sentence."""
    s = " ".join(sentence.split()).rstrip(" .:")
    title = " ".join(record.unit_title.split())
    return bool(title) and s.endswith(title) and len(s) <= len(title) + 12 or s == record.subheading


def not_an_answer(sentence: str) -> bool:
    """A question ("… hoe is de WOR van toepassing?"), a lead-in without its items ("… de volgende observaties
    in:") or a reference ("Art. 26 AI-verordening, https://eur-lex…"): on topic, but no answer."""
    return sentence.rstrip().endswith((":", "?")) or is_reference(sentence)


@dataclass
class _Sentence:
    start: int
    end: int
    text: str
    row: int
    doc_start: int
    footnote: bool
    heading_like: bool
    usable: bool


def _sentences(rec: ChunkRecord) -> list[_Sentence]:
    out = []
    in_list = False
    for s0, e, row in rec.sentences:
        lead = RE_LEADING.match(rec.text, s0, e)
        s = lead.end() if lead else s0  # a footnote's own text, "³⁸ Bij het ontbreken van …", unnumbered
        trimmed = RE_TRAILING.sub("", rec.text[s:e])
        heading_like = is_title(trimmed)
        item = heading_like and in_list
        in_list = trimmed.rstrip().endswith(":") or item
        usable = not (RE_BRACKETED.search(trimmed) or len(trimmed.split()) < 4 or heading_like and not item
                      or _is_heading_of(trimmed, rec))
        out.append(_Sentence(s, s + len(trimmed), trimmed, row, rec.char_start + s0, bool(lead), heading_like,
                             usable))
    return out


def _list_candidate(pi: int, rec: ChunkRecord, sents: list[_Sentence], i: int) -> SentenceCandidate | None:
    """A lead-in ending in a colon with the items that follow it, one per paragraph."""
    lead = sents[i]
    if not lead.text.rstrip().endswith(":"):
        return None
    end, rows, items = lead.end, [lead.row], 0
    j = i + 1
    while j < len(sents) and items < MAX_LIST_ITEMS:
        between = rec.text[end:sents[j].start]
        if "\n" not in between or between.strip():
            break
        if not (sents[j].heading_like or _RE_ITEM_START.match(sents[j].text)
                or sents[j].text.rstrip().endswith((";", ","))):
            break
        # the whole paragraph of the item
        k = j
        while k + 1 < len(sents) and "\n" not in rec.text[sents[k].end:sents[k + 1].start]:
            k += 1
        text = rec.text[lead.start:sents[k].end]
        if len(text.split()) > MAX_LIST_WORDS:
            break
        end, items = sents[k].end, items + 1
        rows += [s.row for s in sents[j:k + 1]]
        j = k + 1
    if not items:
        return None
    return SentenceCandidate(pi, lead.start, end, rec.text[lead.start:end], lead.doc_start, rec.doc_id,
                             tuple(rows), LIST, lead.footnote, i)


def sentence_candidates(passages: list[ChunkRecord], max_passages: int, dedupe: bool = True,
                        pairs: bool = True) -> list[SentenceCandidate]:
    """Candidates from the top passages: usable sentences (no heading, fragment or bracketed number), two
    adjacent sentences of one paragraph, and lists announced by a colon. With ``dedupe``, a sentence shared by
    overlapping passages is a candidate only at its first occurrence."""
    seen: set[tuple[str, int, str]] = set()
    out: list[SentenceCandidate] = []
    for pi, rec in enumerate(passages[:max_passages]):
        sents = _sentences(rec)
        for i, s in enumerate(sents):
            made: list[SentenceCandidate] = []
            if s.usable:
                made.append(SentenceCandidate(pi, s.start, s.end, s.text, s.doc_start, rec.doc_id, (s.row,),
                                              SINGLE, s.footnote, i))
            nxt = sents[i + 1] if i + 1 < len(sents) else None
            if pairs and s.usable and nxt is not None and nxt.usable and not rec.text[s.end:nxt.start].strip() \
                    and "\n" not in rec.text[s.end:nxt.start] and not s.text.rstrip().endswith(":"):
                made.append(SentenceCandidate(pi, s.start, nxt.end, rec.text[s.start:nxt.end], s.doc_start,
                                              rec.doc_id, (s.row, nxt.row), PAIR, s.footnote, i))
            listed = _list_candidate(pi, rec, sents, i)
            if listed is not None:
                made.append(listed)
            for c in made:
                key = (rec.doc_id, c.doc_start, f"{c.kind}:{c.end - c.start}")
                if dedupe and key in seen:
                    continue
                seen.add(key)
                out.append(c)
    return out


def best_per_passage(ranked: list[SentenceCandidate], n_passages: int) -> list[float]:
    """The score of each passage's best candidate (``-inf`` for a passage without one)."""
    best = [float("-inf")] * n_passages
    for c in ranked:
        best[c.passage_index] = max(best[c.passage_index], c.score)
    return best


def overlaps(a: SentenceCandidate, b: SentenceCandidate) -> bool:
    """Two candidates that share indexed sentences (the same text in overlapping passages included)."""
    return a.doc_id == b.doc_id and bool(set(a.rows) & set(b.rows))


def order_readably(chosen: list[SentenceCandidate]) -> list[SentenceCandidate]:
    """The best candidate first; the rest after it in passage rank order, within a passage in document order."""
    if not chosen:
        return []
    return chosen[:1] + sorted(chosen[1:], key=lambda c: (c.passage_index, c.doc_start))

"""Extractive answers: the few sentences of the retrieved passages that best answer the question.

Every answer sentence is copied from the passage it cites, so each ``[n]`` points to text that contains it.
Sentence scores combine semantic similarity to the question, idf-weighted term overlap, the passage's
rank score and whether the sentence fits the question type (a number for "hoeveel", a date for "wanneer",
a person or organisation for "wie").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from index_store.lexical import tokenize
from rag.rerank import TermStats, coverage

NUMBER, DATE, PERSON, MONEY, CONDITION, ARTICLE, GENERAL = (
    "number", "date", "person", "money", "condition", "article", "general")
# Footnote references are superscript digits in the indexed text (see ingest.cleaning.footnote_marker); an
# answer sentence leaves out those it ends with, and a footnote's own text its number.
_RE_FOOTNOTE_END = re.compile(r"(?:\s*[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})+\s*$")
_RE_FOOTNOTE_START = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}\s+")
# "[12]" in a sentence would read as a citation marker of the answer.
_RE_FOOTNOTE = re.compile(r"\[\d{1,3}\]")
# A literature reference: "(EU-OSHA, 2021)", "(Lane et al., 2023; OESO, 2024)", "McKinsey (2022)".
_RE_CITATION = re.compile(r"\([A-Z][^()]{0,80}?,\s*(?:19|20)\d\d[a-z]?\b[^()]{0,60}\)|"
                          r"\b[A-Z][\w&-]*(?: \[et al\.\])? \((?:19|20)\d\d[a-z]?\)")
# A two-sentence answer (topic sentence plus the sentence with the number or date) costs this much score.
PAIR_COST = 0.1
_NUMBER_WORDS = (r"(een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|dertig|veertig|vijftig|"
                 r"honderd|duizend|miljoen|miljard|helft|kwart|derde|enkele|tientallen|honderden|duizenden)")
_MONTHS = r"(januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)"
# Units a "hoeveel ..." question can ask for, with the word stems a fitting sentence must show near a number.
# Populations a "hoeveel …" question can count, where a percentage also answers it.
_POPULATIONS = ("bedrij", "organisati", "ondernem", "werkne", "werkend", "werkgev", "medewerk", "mensen",
                "nederlander", "burger", "jongere", "zzp", "mkb", "huishoud", "inwoner", "volwassen")
_DURATION = r"minuut|minuten|kwartier|uur|uren|dag|dagen|week|weken|maand|maanden|jaar|jaren"
_UNITS = {
    "dag": r"dag", "dagen": r"dag", "days": r"dag", "week": r"week", "weken": r"week", "weeks": r"week",
    "maand": r"maand", "maanden": r"maand", "months": r"maand", "jaar": r"jaar|jaren", "jaren": r"jaar|jaren",
    "years": r"jaar|jaren", "uur": r"uur|uren", "uren": r"uur|uren", "hours": r"uur|uren",
    "procent": r"procent|%", "percentage": r"procent|%", "percent": r"procent|%",
}


# What answers "wie": a person (title, role or full name) or an organisation, an acronym included, though
# not the acronyms of a topic or a law.
_RE_ACTOR = re.compile(r"\b(mevrouw|de heer|heer|prof|dr|minister|staatssecretaris|voorzitter|kroonlid|raadslid|"
                       r"hoogleraar|directeur|werkgevers?|ondernemers?|bestuurders?|ondernemingsraad|kabinet|"
                       r"regering|overheid|sociale partners|toezichthouders?)\b|\b[A-Z][a-z]+ [A-Z][a-z]+\b")
_NOT_ACTORS = frozenset({"AI", "ICT", "IT", "AVG", "WOR", "GPT", "HR", "HRM", "CAO", "GDPR", "ML", "LLM", "KI"})


@dataclass
class AnswerSpec:
    """What kind of answer a question asks for; ``unit`` narrows a number (days, percent, members …)."""

    kind: str
    unit: str = ""
    share: bool = False  # a share of a population ("13 procent van de bedrijven") answers it too


def answer_spec(question: str) -> AnswerSpec:
    """The kind of answer a question asks for."""
    q = question.lower()
    if re.search(r"\b(hoeveel geld|wat kost|hoe duur|wat verdien\w*|salaris|hoe hoog is de boete|welke boete|"
                 r"hoe hoog (is|zijn) de (boete|kosten|vergoeding)|how much money)\b", q):
        return AnswerSpec(MONEY)
    if re.search(r"\b(binnen )?(welke|wat is de) termijn\b|\bhoe lang\b|\bhoeveel tijd\b", q):
        return AnswerSpec(NUMBER, _DURATION)
    m = re.search(r"\b(?:hoeveel|how many|how much|aantal)\s+(\w+)", q)
    if m or re.search(r"\bwelk(e)? (percentage|aandeel)\b|\bhoe (groot|veel|hoog)\b|\bwat is het (aantal|percentage|aandeel)\b", q):
        word = m.group(1) if m else ""
        if word in _UNITS:
            return AnswerSpec(NUMBER, _UNITS[word])
        if len(word) > 3 and word.endswith(("en", "s")) and word not in ("mensen", "keer", "tijd", "geld", "euros"):
            return AnswerSpec(NUMBER, re.escape(word[:4]),  # "hoeveel leden", "… bedrijven"
                              share=word.startswith(_POPULATIONS))
        return AnswerSpec(NUMBER)
    if re.search(r"\b(welke?|in welk|volgens welk|op grond van welk)e? (wets)?artikel(en|s)?\b", q):
        return AnswerSpec(ARTICLE)
    if re.search(r"\b(exacte|precieze) datum\b|\bop welke (dag|datum)\b", q):
        return AnswerSpec(DATE, "day")
    if is_conditional(q):
        return AnswerSpec(CONDITION)
    if re.search(r"\bwanneer\b|\bwelke datum\b|\bin welk jaar\b|\bsinds wanneer\b|\bhoe laat\b|\bwhen\b", q):
        return AnswerSpec(DATE)
    if re.search(r"\bwie\b|\bdoor wie\b|\bwelke (persoon|organisatie|minister|voorzitter|spreker)\b|\bwho\b", q):
        return AnswerSpec(PERSON)
    return AnswerSpec(GENERAL)


_RE_CONDITIONAL = re.compile(
    r"\b(wanneer|when)\b.*\b(moet|moeten|mag|mogen|kan|kunnen|hoeft|hoeven|dient|dienen|must|may|should|"
    r"sprake|geldt|gelden|valt|vallen|\w*recht|\w*plicht|verplicht|toegestaan|verboden|genoeg|voldoende)\b|"
    r"\b(in welke gevallen|in welk geval|onder welke (voorwaarden|omstandigheden))\b")
# "Wanneer moet het advies klaar zijn?" asks for a time after all.
_RE_DEADLINE = re.compile(r"\b(af|klaar|gereed|uitgebracht|ingediend|gepubliceerd|verschijnen|in werking|ingaan|"
                          r"beginnen|starten|vergaderen|deadline)\b")


# Words that state a condition; a sentence opening with "Bij …" ("Bij uitsluitend geautomatiseerde
# besluitvorming …") does too.
_RE_CONDITION_WORDS = re.compile(r"\b(als|indien|wanneer|mits|tenzij|zodra|afhankelijk|hangt|hangen|geval|gevallen|"
                                 r"voorwaarden?)\b|^\W*bij\b", re.I)


def is_conditional(question: str) -> bool:
    """Whether "wanneer" asks "in which case" rather than "at what time": "wanneer heeft de OR
    instemmingsrecht?", "wanneer moet er een mens tussen zitten?" want a condition, not a date."""
    q = question.lower()
    return bool(_RE_CONDITIONAL.search(q)) and not _RE_DEADLINE.search(q)


def question_type(question: str) -> str:
    """The kind of answer a question asks for (``answer_spec(question).kind``)."""
    return answer_spec(question).kind


def without_citations(text: str) -> str:
    """The text without literature references ("(EU-OSHA, 2021)"): their years are about a publication, not
    an answer to "wanneer" or "hoeveel"."""
    return _RE_CITATION.sub(" ", text)


def fits_type(sentence: str, kind: str | AnswerSpec) -> bool:
    """Whether a sentence can answer a question of the given kind."""
    spec = kind if isinstance(kind, AnswerSpec) else AnswerSpec(kind)
    s = without_citations(_RE_FOOTNOTE.sub("", sentence))
    number = r"(\d+([.,]\d+)?|" + _NUMBER_WORDS + r")"
    if spec.kind == MONEY:
        return bool(re.search(r"€|\beuro\b|\bmiljoen\b|\bmiljard\b", s, re.I))
    if spec.kind == NUMBER:
        if spec.unit:
            share = bool(re.search(r"\d\s*%|\d\s+procent\b", s, re.I))
            return bool(re.search(number + r"\W+(\w+\W+){0,3}?(" + spec.unit + r")", s, re.I)) or \
                share and ("procent" in spec.unit or spec.share)
        return bool(re.search(r"\d|%|\b" + _NUMBER_WORDS + r"\b", s, re.I))
    if spec.kind == DATE:
        if spec.unit == "day":
            return bool(re.search(r"\b\d{1,2}\s+" + _MONTHS + r"\b|\b\d{1,2}-\d{1,2}-\d{2,4}\b", s, re.I))
        return bool(re.search(r"\b(19|20)\d\d\b|\b" + _MONTHS + r"\b|\b\d{1,2}-\d{1,2}-\d{2,4}\b|"
                              r"\b(vorig|volgend|dit) jaar\b|\bbegin\b|\beind\b", s, re.I))
    if spec.kind == ARTICLE:
        return bool(re.search(r"\b(art|artt|artikel|artikelen)\b\.?\s*\d", s, re.I))
    if spec.kind == CONDITION:
        return bool(_RE_CONDITION_WORDS.search(s))
    if spec.kind == PERSON:
        return bool(_RE_ACTOR.search(s) or any(a not in _NOT_ACTORS for a in re.findall(r"\b[A-Z]{2,}\b", s)))
    return True


@dataclass
class SentenceCandidate:
    passage_index: int  # index into the ranked passage list
    start: int  # span within the passage text
    end: int
    text: str
    doc_start: int  # absolute offset of the indexed sentence in the document: its key in the store
    doc_id: str
    semantic: float = 0.0
    overlap: float = 0.0
    fits: bool = True
    score: float = 0.0


def is_title(text: str) -> bool:
    """A heading line rather than a sentence: short, no closing punctuation, not a table row."""
    return not re.search(r"[.?!:;)\]]\s*$", text) and len(text.split()) < 14 and " — " not in text


def _is_heading_of(sentence: str, record: dict) -> bool:
    """The unit's own heading line (number + title) or a subheading repeated as a sentence."""
    s = " ".join(sentence.split()).rstrip(" .:")
    title = " ".join(str(record.get("unit_title", "")).split())
    return bool(title) and s.endswith(title) and len(s) <= len(title) + 12 or s == record.get("subheading", "")


def sentence_candidates(passages: list[dict], max_passages: int, dedupe: bool = True) -> list[SentenceCandidate]:
    """Sentences of the top passages (without trailing footnote markers, headings or fragments); with
    ``dedupe``, a sentence shared by overlapping passages only at its first occurrence. The items of a list
    announced by a colon ("… verdeeld over vijf thematafels:" / "positie burger onder leiding van mevrouw
    Kool") count as sentences although they look like headings."""
    seen: set[tuple[str, int]] = set()
    out: list[SentenceCandidate] = []
    for pi, rec in enumerate(passages[:max_passages]):
        in_list = False
        for s0, e, _row in rec.get("sentences", []):
            lead = _RE_FOOTNOTE_START.match(rec["text"], s0, e)
            s = lead.end() if lead else s0  # a footnote's own text, "³⁸ Bij het ontbreken van …", unnumbered
            text = rec["text"][s:e]
            trimmed = _RE_FOOTNOTE_END.sub("", text)
            heading_like = is_title(trimmed)
            item = heading_like and in_list
            in_list = trimmed.rstrip().endswith(":") or item
            if _RE_FOOTNOTE.search(trimmed) or len(trimmed.split()) < 4 or heading_like and not item \
                    or _is_heading_of(trimmed, rec):
                continue
            key = (rec["doc_id"], rec["char_start"] + s0)
            if dedupe and key in seen:
                continue
            seen.add(key)
            out.append(SentenceCandidate(pi, s, s + len(trimmed), trimmed, rec["char_start"] + s0, rec["doc_id"]))
    return out


# Web addresses and the marks of a literature reference ("Zie …", "Ibid.", "Kamerstukken II …", "[et al.]",
# "Acemoglu (2024).").
_RE_REFERENCE = re.compile(r"https?://|\bwww\.|^\W*(zie|ibid|kamerstukken|stb|stcrt)\b|\[et al\.?\]|"
                           r"^[\w .&'-]{1,60}\((19|20)\d\d[a-z]?\)\.?\s*$", re.I)


def not_an_answer(sentence: str) -> bool:
    """A question ("… hoe is de WOR van toepassing?"), a lead-in ("… de volgende observaties in:") or a
    reference ("Art. 26 AI-verordening, https://eur-lex…"): on topic, but no answer."""
    return sentence.rstrip().endswith((":", "?")) or bool(_RE_REFERENCE.search(sentence))


def score_sentences(cands: list[SentenceCandidate], passages: list[dict], passage_scores: list[float],
                    sentence_vectors: np.ndarray, query_vec: np.ndarray, question: str, stats: TermStats,
                    kind: str | AnswerSpec, analyze=tokenize) -> list[SentenceCandidate]:
    """Fill in the scores of the candidates; returns them best first."""
    q_tokens = analyze(question)
    rows = {}
    for rec in passages:
        for s, e, row in rec.get("sentences", []):
            rows[(rec["doc_id"], rec["char_start"] + s)] = row
    top = max(passage_scores) if passage_scores else 1.0
    for c in cands:
        row = rows.get((c.doc_id, c.doc_start))
        c.semantic = float(sentence_vectors[row] @ query_vec) if row is not None else 0.0
        c.overlap = coverage(q_tokens, set(analyze(c.text)), stats)
        c.fits = fits_type(c.text, kind)
        c.score = _score(c, passage_scores[c.passage_index] / top if top else 0.0)
    spec = kind if isinstance(kind, AnswerSpec) else AnswerSpec(kind)
    if spec.kind != GENERAL:
        cands = cands + continuations(cands, passages, passage_scores, q_tokens, stats, analyze)
    return sorted(cands, key=lambda c: -c.score)


def _score(c: SentenceCandidate, rank_prior: float) -> float:
    """Similarity, term overlap and passage rank, less the penalties for a wrong answer type and for a
    question, lead-in or reference."""
    return (2.0 * c.semantic + 0.8 * c.overlap + 0.35 * rank_prior + (0.0 if c.fits else -0.8)
            - (0.3 if not_an_answer(c.text) else 0.0))


def continuations(cands: list[SentenceCandidate], passages: list[dict], passage_scores: list[float],
                  q_tokens: list[str], stats: TermStats, analyze=tokenize) -> list[SentenceCandidate]:
    """Two-sentence candidates for a typed question whose answer comes one sentence after its topic:
    "… grote aantallen Nederlanders zonder digitale basisvaardigheden. Volgens het CPB gaat het om 21% …".
    The first sentence is on topic but lacks the number, date or name; the next one has it. Scored as one
    sentence with the better semantic score of the two and the term overlap of both."""
    top = max(passage_scores) if passage_scores else 1.0
    out = []
    for c, n in zip(cands, cands[1:]):
        if c.passage_index != n.passage_index or c.fits or not n.fits:
            continue
        text = passages[c.passage_index]["text"]
        if text[c.end:n.start].strip():
            continue
        pair = SentenceCandidate(c.passage_index, c.start, n.end, text[c.start:n.end], c.doc_start, c.doc_id,
                                 semantic=max(c.semantic, n.semantic), fits=True)
        pair.overlap = coverage(q_tokens, set(analyze(pair.text)), stats)
        pair.score = _score(pair, passage_scores[c.passage_index] / top if top else 0.0) - PAIR_COST
        out.append(pair)
    return out


def best_per_passage(ranked: list[SentenceCandidate], n_passages: int) -> list[float]:
    """The score of each passage's best sentence (``-inf`` for a passage without a usable sentence)."""
    best = [float("-inf")] * n_passages
    for c in ranked:
        best[c.passage_index] = max(best[c.passage_index], c.score)
    return best


def select(ranked: list[SentenceCandidate], n: int, min_ratio: float = 0.85) -> list[SentenceCandidate]:
    """The best sentence plus up to ``n - 1`` more that score close to it, each from another passage, so that
    the answer draws on (and cites) several sources; near-duplicates are skipped."""
    if not ranked:
        return []
    chosen = [ranked[0]]
    best = ranked[0].score
    for c in ranked[1:]:
        if len(chosen) >= n or c.score < best * min_ratio:
            break
        if any(c.passage_index == x.passage_index for x in chosen) or (ranked[0].fits and not c.fits):
            continue
        words = set(c.text.lower().split())
        if any(len(words & set(x.text.lower().split())) > 0.6 * len(words) for x in chosen):
            continue
        chosen.append(c)
    return chosen


def order_readably(chosen: list[SentenceCandidate]) -> list[SentenceCandidate]:
    """In passage rank order (so markers read [1], [2], …); within a passage, document order."""
    return sorted(chosen, key=lambda c: (c.passage_index, c.doc_start))

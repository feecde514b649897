"""When the evidence does not answer the question: say so plainly, and what was not found.

The decision is one calibrated score: a fitted logistic model over question-level features of the evidence
(``rag.features.QUESTION_FEATURES``: how well the best candidate scores, whether it covers the question's rare
words and has the asked answer type, how far the best passage stands out from the corpus's own similarity
distribution, words unknown to the documents versus unknown to Dutch, years no passage mentions). Its
threshold was chosen on the dev split for a false-refusal rate of at most 3% (``rag/params/answering.json``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from index_store.records import ChunkRecord
from nl.dates import RE_EVENT_YEAR, full_dates
from nl.references import without_references
from nl.resources import table
from nl.text import all_words
from rag.domain import Domain
from rag.features import QUESTION_FEATURES
from rag.model import AnswerParams, sigmoid
from rag.query import normalise_query

OFF_TOPIC = "off-topic"


@dataclass
class Decision:
    refuse: bool
    reason: str
    probability: float = 0.0  # P(the documents do not answer)
    details: dict = field(default_factory=dict)
    caveat: bool = False  # answer, but weakly supported: say the documents do not state it in so many words


def missing_years(question: str, passages: list[ChunkRecord]) -> list[str]:
    """Years the question asks about that occur neither in the best passages nor in their documents' dates."""
    years = set(RE_EVENT_YEAR.findall(question))
    if not years:
        return []
    # Years inside a literature reference ("SER (2019)", "(WRR, 2021, p. 3)") are about a publication, not an
    # event of that year, and do not count as evidence.
    evidence = " ".join(without_references(p.text) + " " + p.doc_date + " " + p.label for p in passages)
    return sorted(y for y in years if y not in evidence)


def missing_dates(question: str, passages: list[ChunkRecord]) -> list[str]:
    """Full dates the question names ("de ledenvergadering van 14 april 2023") that neither the best passages
    nor their documents' dates hold (as written in the question): an event of another day than the documents
    cover."""
    asked = full_dates(question)
    if not asked:
        return []
    held = set(full_dates(" ".join(p.text + " " + p.label for p in passages)))
    held |= {p.doc_date[:10] for p in passages if p.doc_date}
    return [written for iso, written in sorted(asked.items()) if iso not in held]


def on_domain(question: str, domain: Domain) -> bool:
    """Whether the question (with the abbreviations users type expanded) names a topic word of the documents."""
    return domain.names_topic(all_words(normalise_query(question, domain)))


# Evidence that settles it whatever the score: the asked kind of answer (a number of days, an amount, a date)
# is in no candidate; a year or full date the question asks about is in no passage or document date; a name the question
# asks about (not one told as context, "Ik werk bij …") is in no document. On the dev split none of these
# occurs for more than one answerable question in 248.
HARD_EVIDENCE = ("type_missing", "missing_year", "missing_date", "unknown_subject")


def decide(qf: dict[str, float], params: AnswerParams, known_terms: int, details: dict | None = None) -> Decision:
    """Refuse or answer. A question none of whose words occurs in the documents is off-topic outright, as is
    one with hard evidence against it (``HARD_EVIDENCE``); else the refusal model decides."""
    details = details or {}
    if known_terms == 0:
        return Decision(True, OFF_TOPIC, 1.0, details)
    x = np.array([[qf[name] for name in QUESTION_FEATURES]], dtype=np.float32)
    p = float(sigmoid(params.refusal.logits(x, QUESTION_FEATURES)[0]))
    if any(qf.get(name) for name in HARD_EVIDENCE):
        return Decision(True, _reason(qf, details), max(p, params.refusal_threshold), details)
    if p < params.refusal_threshold:
        return Decision(False, "ok", p, details, caveat=p >= params.caveat_threshold)
    return Decision(True, _reason(qf, details), p, details)


def _reason(qf: dict[str, float], details: dict) -> str:
    """The most telling reason for a refusal, for the message."""
    if details.get("missing_years") or details.get("missing_dates"):
        return "year"
    if details.get("names_not_found"):
        return "name"
    if qf["type_missing"]:
        return "type"
    if not qf["on_domain"] and qf["cov_top"] < 0.3:
        return OFF_TOPIC
    return "evidence"


def message(decision: Decision, domain: Domain, kind: str) -> str:
    """The Dutch refusal text: what was not found, where the features say so."""
    texts = table("messages")
    if decision.reason == OFF_TOPIC:
        return texts["off_topic"].format(documents=domain.documents)
    if decision.reason == "year":
        missing = decision.details.get("missing_dates", []) + decision.details.get("missing_years", [])
        return texts["refusal_year"].format(years=", ".join(missing))
    if decision.reason == "name":
        return texts["refusal_name"].format(names=", ".join(decision.details["names_not_found"]))
    if decision.reason == "type" and kind in texts["missing"]:
        return texts["refusal_what"].format(what=texts["missing"][kind])
    return texts["refusal"]

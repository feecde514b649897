"""What the answerer returns: passages with their citation labels, and the answer itself."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Passage:
    """A retrieved chunk as shown to users and scripts."""

    n: int
    label: str
    doc: str
    unit: str
    text: str
    score: float
    chunk_id: str = ""
    doc_title: str = ""
    doc_type: str = ""
    doc_date: str = ""
    subheading: str = ""
    unit_path: list[str] = field(default_factory=list)
    char_start: int = 0
    char_end: int = 0
    row: int = -1
    rank: int = 0  # position in the retrieval ranking (1 = best), whatever its citation number n

    def to_json(self) -> dict:
        """The stable CLI/JSON shape: ``{n, label, doc, unit, text, score}``."""
        return {"n": self.n, "label": self.label, "doc": self.doc, "unit": self.unit, "text": self.text,
                "score": round(float(self.score), 4)}


@dataclass
class Answer:
    """A grounded answer: text with ``[n]`` markers, the cited passages and the top-k retrieved ones."""

    question: str
    answer: str
    refused: bool
    citations: list[Passage]
    passages: list[Passage]
    timing_ms: float = 0.0
    id: str | None = None
    standalone_question: str = ""
    mode: str = "extractive"
    notice: str = ""
    # Said before the answer when the documents do not state what the question presupposes (Dutch).
    caveat: str = ""
    sentences: list[tuple[str, int]] = field(default_factory=list)
    diagnostics: dict = field(default_factory=dict)
    error: str = ""

    def to_json(self) -> dict:
        """The stable CLI/JSON shape used by scripts outside the repository (``error``, ``notice`` and ``caveat``
        only when there is one)."""
        extra = {"error": self.error} if self.error else {}
        if self.notice:
            extra["notice"] = self.notice
        if self.caveat:
            extra["caveat"] = self.caveat
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "refused": self.refused,
            "citations": [c.to_json() for c in self.citations],
            "passages": [p.to_json() for p in self.passages],
            "timing_ms": round(self.timing_ms, 1),
            **extra,
        }

    def to_dict(self) -> dict:
        return asdict(self)

"""The typed record of one indexed chunk: its text, where it sits in its document, and how to cite it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields


@dataclass
class ChunkRecord:
    """One chunk as stored in ``chunks.jsonl`` (row order = BM25 row order)."""

    id: str
    doc_id: str
    doc_title: str
    doc_citation: str
    doc_type: str
    doc_date: str
    doc_year: int
    doc_date_int: int
    source_file: str
    unit_key: str
    unit_number: str
    unit_title: str
    unit_path: list[str]
    unit_level: int
    label: str
    subheading: str
    chunk_index: int
    char_start: int
    char_end: int
    content_hash: str
    tokens: int
    page_start: int
    page_end: int
    text: str
    search_text: str
    # (start, end, row) of each sentence: offsets in ``text``, row in the build's sentence vectors.
    sentences: list[tuple[int, int, int]] = field(default_factory=list)
    # Text the chunk continues, searched with it but not part of it: the lead-in of the list its onderdeel
    # is an item of ("De ondernemer behoeft de instemming … van:").
    context: str = ""

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "ChunkRecord":
        known = {f.name for f in fields(cls)}
        record = cls(**{k: v for k, v in data.items() if k in known})
        record.sentences = [tuple(s) for s in record.sentences]
        return record

    def sentence_text(self, start: int, end: int) -> str:
        return self.text[start:end]

"""Chunking (issue 2): token budget, unit boundaries, exact spans, Dutch sentence splitting, subheading splits."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from ingest.chunking import chunk_document, pack_spans
from nl.sentences import sentence_spans, split_sentences
from ingest.tokens import count_tokens, encoding
from vraagbaak.settings import REPO_ROOT, Settings

CORPUS = REPO_ROOT / "corpus"
ADVIES = "ser-advies-ai-en-werk-2025.md"
ALL_FILES = ("ser-advies-ai-en-werk-2025.md", "ser-raadsvergadering-2021-11-19.txt",
             "ser-raadsvergadering-2024-10-17.txt", "ser-dare-to-be-aware-2022-10-06.txt",
             "kabinetsreactie-robotisering-digitalisering.txt")
BUDGET = Settings().chunk_tokens
OVERLAP = Settings().chunk_overlap_tokens


@pytest.fixture(scope="module")
def chunked(corpus_files):
    out = {}
    for name in ALL_FILES:
        doc = corpus_files[name].parsed
        t0 = time.perf_counter()
        chunks = chunk_document(doc, BUDGET, OVERLAP)
        print(f"{name}: {len(doc.units)} units, {len(chunks)} chunks in {time.perf_counter() - t0:.2f} s")
        out[name] = (doc, chunks)
    return out


def test_tokens_are_counted_with_tiktoken_cl100k():
    enc = encoding("cl100k_base")
    assert enc.name == "cl100k_base"
    assert count_tokens("De ondernemingsraad heeft adviesrecht.") == \
        len(enc.encode("De ondernemingsraad heeft adviesrecht."))
    assert count_tokens("") == 0


def test_no_chunk_exceeds_the_token_budget(chunked):
    for name, (doc, chunks) in chunked.items():
        assert chunks, name
        for c in chunks:
            assert c.tokens == count_tokens(c.text)
            assert 0 < c.tokens <= BUDGET, (name, c.chunk_id, c.tokens)
    # the budget is really used: long units fill chunks close to it
    longest = max(c.tokens for _, chunks in chunked.values() for c in chunks)
    assert longest > BUDGET * 0.8


def test_chunk_text_is_an_exact_span_of_the_document(chunked):
    for name, (doc, chunks) in chunked.items():
        for c in chunks:
            assert c.text == doc.text[c.start:c.end], c.chunk_id
            assert c.text == c.text.strip()


def test_no_chunk_crosses_a_unit_boundary(chunked):
    for name, (doc, chunks) in chunked.items():
        units = {u.key: u for u in doc.units}
        for c in chunks:
            unit = units[c.unit_key]
            assert unit.start <= c.start < c.end <= unit.end, (name, c.chunk_id)
        ids = [c.chunk_id for c in chunks]
        assert len(ids) == len(set(ids))
        # every unit with text has chunks, in order
        assert [k for k in dict.fromkeys(c.unit_key for c in chunks)] == [u.key for u in doc.units if u.text.strip()]


def test_consecutive_chunks_overlap_by_at_most_the_overlap_budget(chunked):
    overlaps = 0
    for name, (doc, chunks) in chunked.items():
        for a, b in zip(chunks, chunks[1:]):
            if a.unit_key != b.unit_key or b.start >= a.end:
                continue
            overlaps += 1
            assert b.start > a.start
            assert count_tokens(doc.text[b.start:a.end]) <= OVERLAP, (a.chunk_id, b.chunk_id)
    assert overlaps > 10  # overlap is really applied inside long units


def test_long_section_6_3_1_is_split_at_its_subheadings(chunked):
    doc, chunks = chunked[ADVIES]
    unit = doc.unit("6.3.1")
    assert 28_000 < len(unit.text) < 36_000
    mine = [c for c in chunks if c.unit_key == "6.3.1"]
    subheadings = [c.subheading for c in mine]
    assert len(set(subheadings)) >= 6
    # a chunk starts exactly where each large subheaded segment starts
    offsets = [off for off, _ in unit.subheadings]
    starts = {c.start - unit.start for c in mine}
    for i, (off, title) in enumerate(unit.subheadings):
        end = offsets[i + 1] if i + 1 < len(offsets) else len(unit.text)
        if count_tokens(unit.text[off:end]) > BUDGET:
            assert off in starts, title
            first = next(c for c in mine if c.start - unit.start == off)
            assert first.subheading == title
            assert first.text.startswith(title)
    # and a chunk's subheading is the one in force where it starts
    for c in mine:
        in_force = [t for off, t in unit.subheadings if off <= c.start - unit.start]
        assert c.subheading == (in_force[-1] if in_force else ""), c.chunk_id


# ----------------------------------------------------------------------------------------- sentences


def test_sentence_splitting_keeps_dutch_abbreviations():
    text = ("Volgens art. 25 WOR heeft de OR adviesrecht. Dat geldt o.a. De Nederlandsche Bank en bijv. "
            "Philips. Het gaat t.o.v. Duitsland om meer, d.w.z. Nederland loopt voor. Zie Kamerstuk nr. 12 "
            "voor details. Daarna volgt dit.")
    assert split_sentences(text) == [
        "Volgens art. 25 WOR heeft de OR adviesrecht.",
        "Dat geldt o.a. De Nederlandsche Bank en bijv. Philips.",
        "Het gaat t.o.v. Duitsland om meer, d.w.z. Nederland loopt voor.",
        "Zie Kamerstuk nr. 12 voor details.",
        "Daarna volgt dit.",
    ]


def test_sentence_splitting_basics():
    assert split_sentences("Eerste zin. Tweede zin? Derde zin! vierde") == \
        ["Eerste zin.", "Tweede zin?", "Derde zin! vierde"]
    # newlines end a sentence (list items, table rows); footnote markers stay with their sentence
    assert split_sentences("Een kop\nDe tekst eindigt hier. ³ Volgende zin.") == \
        ["Een kop", "De tekst eindigt hier. ³", "Volgende zin."]
    assert split_sentences("Het antwoord staat hier. [1] Volgende zin.") == ["Het antwoord staat hier. [1]", "Volgende zin."]
    # initials do not end a sentence
    assert split_sentences("Volgens L. van Est is dat zo. Klaar.") == ["Volgens L. van Est is dat zo.", "Klaar."]
    # the "'s" of a plural is no initial
    assert split_sentences("Niet alle toepassingen hebben dezelfde risico's. De meeste regels gelden voor thema’s. Zo.") \
        == ["Niet alle toepassingen hebben dezelfde risico's.", "De meeste regels gelden voor thema’s.", "Zo."]


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("ab AB.?!\n[]1,\"”)") + ["art. ", "o.a. ", " De ", "\n\n", "[12] "]),
                max_size=80).map("".join))
def test_sentence_spans_cover_every_non_whitespace_character(text):
    spans = sentence_spans(text)
    covered = set()
    prev_end = 0
    for s, e in spans:
        assert prev_end <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        covered.update(range(s, e))
        prev_end = e
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


def test_pack_spans_respects_budget_and_keeps_order():
    text = " ".join(f"Dit is zin nummer {i} over de ondernemingsraad en AI." for i in range(60))
    spans = sentence_spans(text)
    packed = pack_spans(text, spans, budget=40, overlap=12)
    assert len(packed) > 5
    assert packed[0][0] == spans[0][0] and packed[-1][1] == spans[-1][1]
    for (s1, e1), (s2, e2) in zip(packed, packed[1:]):
        assert s1 < s2 and e1 < e2
        assert s2 <= e1 + 1  # no gap: the next chunk starts at or before the end of the previous one
    for s, e in packed:
        assert count_tokens(text[s:e]) <= 40
    # one sentence longer than the budget is split at word boundaries
    long_sentence = "woord " * 200
    pieces = pack_spans(long_sentence, [(0, len(long_sentence.rstrip()))], budget=30, overlap=0)
    assert len(pieces) > 5 and all(count_tokens(long_sentence[s:e]) <= 30 for s, e in pieces)
    assert "".join(long_sentence[s:e] + " " for s, e in pieces).split() == long_sentence.split()


def test_kader_in_6_3_2_is_chunk_subheading_metadata(chunked):
    doc, chunks = chunked[ADVIES]
    mine = [c for c in chunks if c.unit_key == "6.3.2"]
    wor = [c for c in mine if c.subheading == "Wet op de ondernemingsraden"]
    assert wor, sorted({c.subheading for c in mine})
    assert any("adviesrecht bij de invoering of wijziging van een belangrijke technologische voorziening" in c.text
               for c in wor)
    assert all(c.unit_key == "6.3.2" for c in wor)  # the box is not a unit of its own

"""Property tests (hypothesis) of the text pipeline: cleaning, sentence splitting and chunk packing.

The properties say that no text is lost or invented, that budgets hold, and that cleaning is stable where
it should be. Inputs are arbitrary Unicode plus generated Dutch-like prose (so the interesting paths —
several sentences, abbreviations, line breaks, markup — are reached often).
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.chunking import pack_spans
from ingest.cleaning import clean_document, strip_markup
from nl.sentences import sentence_spans
from ingest.tokens import count_tokens

# VRAAGBAAK_HYPOTHESIS_EXAMPLES raises the example count for a long local run (default 100).
PROPS = settings(max_examples=int(os.environ.get("VRAAGBAAK_HYPOTHESIS_EXAMPLES", "100")), deadline=None,
                 suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------------------------- strategies

LETTERS = st.characters(categories=["Lu", "Ll"])
# Letter-only words, including Dutch diacritics and other scripts.
WORDS = st.text(LETTERS, min_size=1, max_size=12) | st.sampled_from(
    ["de", "ondernemingsraad", "AI", "beïnvloeding", "coöperatie", "één", "Zoë", "SER", "werknemers", "ĳs"])
ABBREVIATIONS = st.sampled_from(["o.a.", "bijv.", "art.", "t.o.v.", "d.w.z.", "nr.", "L.", "ca."])
ENDINGS = st.sampled_from(["", "", "", ".", ",", "?", "!", ":", ";"])
SEPARATORS = st.sampled_from([" ", " ", " ", " ", "\n", "\n\n"])


@st.composite
def prose(draw, min_words: int = 1, max_words: int = 80, abbreviations: bool = False) -> tuple[str, list[str]]:
    """Dutch-like prose: words with sentence punctuation and line/paragraph breaks; also its words."""
    words = draw(st.lists(WORDS, min_size=min_words, max_size=max_words))
    parts: list[str] = []
    for w in words:
        piece = w + draw(ENDINGS)
        if abbreviations and draw(st.booleans()) and draw(st.booleans()):
            piece = draw(ABBREVIATIONS) + " " + piece
        parts.append(piece + draw(SEPARATORS))
    return "".join(parts).strip(), words


ANY_TEXT = st.text(max_size=400)
SENTENCE_TEXT = ANY_TEXT | prose(abbreviations=True).map(lambda p: p[0])


def letter_words(text: str) -> list[str]:
    """Maximal runs of letters (no digits, no underscore)."""
    return re.findall(r"[^\W\d_⁰¹²³⁴⁵⁶⁷⁸⁹]+", text)


def covered(spans: list[tuple[int, int]], n: int) -> list[bool]:
    mask = [False] * n
    for s, e in spans:
        for i in range(s, e):
            mask[i] = True
    return mask


# ----------------------------------------------------------------------------------- sentence_spans


@PROPS
@given(SENTENCE_TEXT)
def test_sentence_spans_lose_no_text(text: str) -> None:
    """Spans are ordered, disjoint, trimmed, never cross a newline, and cover every non-space character."""
    spans = sentence_spans(text)
    previous_end = 0
    for s, e in spans:
        assert previous_end <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        assert "\n" not in text[s:e]
        previous_end = e
    mask = covered(spans, len(text))
    lost = [(i, c) for i, c in enumerate(text) if not c.isspace() and not mask[i]]
    assert not lost, f"tekens buiten elke zin: {lost[:5]}"


@PROPS
@given(prose(min_words=2, abbreviations=True))
def test_sentence_spans_rejoin_to_the_words(sample: tuple[str, list[str]]) -> None:
    """Joining the sentences gives back exactly the words of the text, in order."""
    text, _ = sample
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    assert " ".join(" ".join(sentences).split()) == " ".join(text.split())


# --------------------------------------------------------------------------------------- pack_spans


@PROPS
@given(SENTENCE_TEXT, st.integers(min_value=8, max_value=80), st.integers(min_value=0, max_value=40))
def test_pack_spans_budget_and_coverage(text: str, budget: int, overlap: int) -> None:
    """No chunk over budget, every sentence character inside a chunk, chunks advance, overlap bounded."""
    overlap = min(overlap, budget)
    spans = sentence_spans(text)
    chunks = pack_spans(text, spans, budget, overlap)
    if not spans:
        assert chunks == []
        return
    for s, e in chunks:
        assert 0 <= s < e <= len(text)
        assert count_tokens(text[s:e]) <= budget, (text[s:e], budget)
    # Coverage: every non-space character of every sentence lies inside some chunk.
    mask = covered(chunks, len(text))
    for s, e in spans:
        assert all(mask[i] for i in range(s, e) if not text[i].isspace()), (text[s:e], chunks)
    # Order and progress: starts strictly increase, gaps between chunks hold only whitespace.
    for (s1, e1), (s2, e2) in zip(chunks, chunks[1:]):
        assert s2 > s1 and e2 > e1
        if s2 >= e1:
            assert not text[e1:s2].strip()
        else:  # the repeated part stays within the overlap budget
            assert count_tokens(text[s2:e1]) <= overlap


@PROPS
@given(prose(min_words=1, max_words=120, abbreviations=True), st.integers(min_value=12, max_value=120))
def test_pack_spans_without_overlap_partitions_the_text(sample: tuple[str, list[str]], budget: int) -> None:
    """With overlap 0 the chunks are disjoint and together hold the text exactly once (an over-long word
    may be cut, so the comparison ignores whitespace)."""
    text, _ = sample
    chunks = pack_spans(text, sentence_spans(text), budget, 0)
    for (_, e1), (s2, _) in zip(chunks, chunks[1:]):
        assert s2 >= e1
    assert re.sub(r"\s", "", "".join(text[s:e] for s, e in chunks)) == re.sub(r"\s", "", text)


# ------------------------------------------------------------------------------------- strip_markup

MARKUP_CHARS = set("<>*_[]()!\\#`")


@PROPS
@given(ANY_TEXT)
def test_strip_markup_invents_nothing(text: str) -> None:
    """Every character of the output was in the input (footnote markers add only brackets and a space)."""
    out = strip_markup(text)
    assert set(out) <= set(text) | {"[", "]", " "}
    assert out == out.strip()


@PROPS
@given(st.text(st.characters(exclude_characters="".join(MARKUP_CHARS) + "\r"), max_size=300))
def test_strip_markup_keeps_plain_text(text: str) -> None:
    """Text without markup characters only has runs of spaces/tabs collapsed and the ends trimmed."""
    assert strip_markup(text) == re.sub(r"[ \t]{2,}", " ", text).strip()


DECORATIONS = st.sampled_from([
    "{w}", "{w}", "**{w}**", "__{w}__", "*{w}*", "<b>{w}</b>", "<strong>{w}</strong>", "<em>{w}</em>",
    "<i>{w}</i>", "[{w}](https://www.ser.nl/nl/publicaties/ai-en-werk)", "![{w}](figuur.png)",
    "{w}<sup>3</sup>"])


@PROPS
@given(st.lists(st.tuples(st.text(LETTERS, min_size=1, max_size=10), DECORATIONS), min_size=1, max_size=30))
def test_strip_markup_keeps_every_word(pieces: list[tuple[str, str]]) -> None:
    """Markup around words is removed; the words themselves all survive, in order (links keep their text)."""
    text = " ".join(deco.format(w=w) for w, deco in pieces)
    out = strip_markup(text)
    assert letter_words(out) == [w for w, _ in pieces]
    assert not re.search(r"\*\*|__|</?(b|strong|em|i|sup)>", out)


# ----------------------------------------------------------------------------------- clean_document


def block_words(text: str, fmt: str) -> list[str]:
    return letter_words(" ".join(b.text for b in clean_document(text, fmt).blocks))


@PROPS
@given(prose(min_words=1, max_words=150), st.sampled_from(["txt", "md"]))
def test_clean_document_keeps_every_word_of_prose(sample: tuple[str, list[str]], fmt: str) -> None:
    """Cleaning prose (words, punctuation, line and paragraph breaks) keeps every word, in order."""
    text, words = sample
    assert block_words(text, fmt) == letter_words(text)


@PROPS
@given(ANY_TEXT, st.sampled_from(["txt", "md"]))
def test_clean_document_accounts_for_dropped_lines(text: str, fmt: str) -> None:
    """On arbitrary text, nothing crashes and every dropped line is reported with a known reason."""
    result = clean_document(text, fmt)
    assert all(b.text.strip() for b in result.blocks)
    assert {d.reason for d in result.dropped} <= {"toc", "page_number", "page_break", "url_only", "separator"}
    for d in result.dropped:
        assert d.line >= 1


@PROPS
@given(prose(min_words=1, max_words=150), st.sampled_from(["txt", "md"]))
def test_clean_document_is_idempotent_on_its_output(sample: tuple[str, list[str]], fmt: str) -> None:
    """Cleaning the joined blocks of a first pass again gives the same block texts.

    The second pass reads the output as markdown, i.e. as what it is: one paragraph per block, no layout.
    (Re-reading it as PDF layout text is not meaningful: the layout rules look at line widths, and the
    first pass has already joined the wrapped lines.)
    """
    text, _ = sample
    first = [b.text for b in clean_document(text, fmt).blocks]
    second = [b.text for b in clean_document("\n\n".join(first), "md").blocks]
    assert second == first
    third = [b.text for b in clean_document("\n\n".join(second), "md").blocks]
    assert third == second

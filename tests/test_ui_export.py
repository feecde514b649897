"""What people take from the page: the conversation HTML (questions as typed, labels as text), one answer as plain
text, and the whole conversation as Markdown and PDF, built from real answers of the real engine."""

from __future__ import annotations

import html
import os
import re
import time
from datetime import datetime
from io import BytesIO

import pytest
from pypdf import PdfReader

from ui.chat import error_turn, turn_from_answer
from ui.conversation import conversation_html
from ui.export import answer_text, conversation_markdown, conversation_pdf, md_escape, write_exports
from ui.render import shown_sources

QUESTION = "Heeft de OR instemmingsrecht bij een AI-systeem dat werknemers volgt?"
TYPED = "<b>vet</b> *schuin* [link](javascript:alert(1)) # geen kop"
MOMENT = datetime(2026, 12, 1, 20, 30)


@pytest.fixture(scope="module")
def turns(engine):
    answered = turn_from_answer(engine.answer(QUESTION), None)
    refused = turn_from_answer(engine.answer("Wat is een lekker recept voor pannenkoeken?"), None)
    typed = turn_from_answer(engine.answer(TYPED), None)
    assert not answered["refused"] and refused["refused"]
    return [answered, refused, typed, error_turn("Nog een vraag", "Er ging iets mis.")]


def test_answer_text_is_plain_with_numbered_sources(turns):
    answered, refused = turns[0], turns[1]
    text = answer_text(answered)
    body, _, sources = text.partition("\n\nBronnen:\n")
    assert body == answered["answer"] and "<" not in text
    assert sources.splitlines() == [f"[{p['n']}] {p['label']}" for p in shown_sources(answered)]
    assert {int(n) for n in re.findall(r"\[(\d+)\]", body)} == {p["n"] for p in shown_sources(answered)}
    text = answer_text(refused)
    assert text.startswith("Geen antwoord in de documenten. ") and "\n\nMisschien relevant:\n[" in text
    assert answer_text(turns[3]) == "Er ging iets mis."


def test_conversation_html_shows_questions_as_typed_and_labels_as_text(turns):
    page = conversation_html(turns, {turns[0]["id"]: 1})
    assert f"<p class='vraag-tekst'>{html.escape(TYPED, quote=True)}</p>" in page
    assert "<b>vet</b>" not in page
    labels = re.findall(r"aria-label='([^']*)'", page)
    assert labels and all("<" not in html.unescape(label) and "&" not in label for label in labels)
    assert {"Gesprek", "Jouw vraag", "Antwoord 1", "Goed antwoord", "Geen goed antwoord"} <= set(labels)
    # the rating is shown pressed; the copy button carries exactly the plain text
    assert re.search(r"data-beoordeel='%s' data-waarde='1' aria-pressed='true'" % turns[0]["id"], page)
    copies = [html.unescape(t) for t in re.findall(r"data-tekst='([^']*)'", page)]
    assert copies == [answer_text(t) for t in turns]
    # while an answer is being looked up, the question shows and the conversation says it is busy
    waiting = conversation_html(turns[:1], asking="En in 2021?")
    assert "aria-busy='true'" in waiting and "Bezig met zoeken" in waiting and waiting.count("vraag-bericht") == 2


def test_markdown_export_has_every_answer_with_its_sources_and_the_date(turns):
    md = conversation_markdown(turns, MOMENT)
    assert md.startswith("# Gesprek met Vraagbaak AI & Werk\n\nGeëxporteerd op 1 december 2026, 20:30.")
    sections = re.split(r"^## Vraag \d+: ", md, flags=re.M)[1:]
    assert len(sections) == len(turns)
    assert sections[0].startswith(QUESTION + "\n")
    assert sections[2].startswith(md_escape(TYPED)) and "\\<b\\>vet\\</b\\>" in sections[2]
    for section, turn in zip(sections, turns):
        listed = re.findall(r"^(\d+)\. (.+)$", section, flags=re.M)
        assert listed == [(str(p["n"]), md_escape(p["label"])) for p in shown_sources(turn)]
    assert f"{turns[0]['answer']}\n" in sections[0]  # [n] markers stay readable
    assert "**Geen antwoord in de documenten.**" in sections[1]
    assert md_escape("1. eerst") == "1\\. eerst" and md_escape("# kop") == "\\# kop"


def test_pdf_export_prints_the_same_text(turns):
    pdf = conversation_pdf(turns, MOMENT)
    assert pdf[:5] == b"%PDF-"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(pdf)).pages)
    assert "Geëxporteerd op 1 december 2026, 20:30." in text and QUESTION in text
    for turn in turns:
        for p in shown_sources(turn):
            assert f"{p['n']}. {' '.join(p['label'].split())}" in text
    assert "“" in text or "—" in text  # Dutch typography survives (the font has the glyphs)


def test_write_exports_makes_both_files_and_clears_old_ones(turns, tmp_path):
    old = tmp_path / "oud"
    old.mkdir()
    (old / "x.md").write_text("oud")
    past = time.time() - 7200
    os.utime(old, (past, past))
    md, pdf = write_exports(turns, MOMENT, folder=tmp_path)
    assert md.name == "vraagbaak-gesprek-2026-12-01-2030.md" and pdf.suffix == ".pdf"
    assert md.read_text(encoding="utf-8") == conversation_markdown(turns, MOMENT)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert not old.exists()

"""Cleaning (issue 2): pure functions of ``ingest.cleaning`` on the real corpus files and on small inline strings.

The corpus files are read with the same reader the ingest uses; nothing of our own is mocked.
"""

from __future__ import annotations

import re

import pytest

from ingest.cleaning import (
    Block,
    cites_footnote,
    footnote_marker,
    bullet_text,
    clean_document,
    join_broken,
    keep_hyphen,
    render_table,
    separate_glued_footnote_markers,
    strip_markup,
)

from conftest import ADVIES, ALL_FILES, DTBA, KABINET, MTG_2021, MTG_2024


def _fmt(name: str) -> str:
    return "md" if name.endswith(".md") else "txt"


@pytest.fixture(scope="module")
def raw(corpus_files) -> dict[str, str]:
    return {name: corpus_files[name].raw.text for name in ALL_FILES}


@pytest.fixture(scope="module")
def cleaned(corpus_files):
    return {name: corpus_files[name].cleaned for name in ALL_FILES}


@pytest.fixture(scope="module")
def parsed(corpus_files):
    return {name: corpus_files[name].parsed for name in ALL_FILES}


def text_of(result) -> str:
    return "\n\n".join(b.text for b in result.blocks)


def one_line(text: str) -> str:
    return " ".join(text.split())


# ------------------------------------------------------------------------------------------------ purity


def test_cleaning_is_a_pure_function_of_the_text(raw, cleaned):
    for name in (MTG_2021, KABINET):
        again = clean_document(raw[name], _fmt(name))
        assert [(b.kind, b.text, b.line, b.number) for b in again.blocks] == \
               [(b.kind, b.text, b.line, b.number) for b in cleaned[name].blocks]
        assert [(d.line, d.reason) for d in again.dropped] == [(d.line, d.reason) for d in cleaned[name].dropped]


# ----------------------------------------------------------------------------------- page artefacts


def test_page_number_lines_and_page_breaks_are_removed_inline():
    text = ("Dit is de eerste alinea van de tekst en die loopt door tot het einde van de regel.\n\n"
            "12\n\n"
            "Dit is de tweede alinea.\n")
    result = clean_document(text, "txt")
    assert [b.text for b in result.blocks] == [
        "Dit is de eerste alinea van de tekst en die loopt door tot het einde van de regel.",
        "Dit is de tweede alinea."]
    assert [(d.text, d.reason) for d in result.dropped] == [("12", "page_number")]

    md = "# Kop\n\nEen zin op pagina een.\n\n---\n\nEen zin op pagina twee.\n"
    result = clean_document(md, "md")
    assert [b.text for b in result.blocks] == ["Kop", "Een zin op pagina een.", "Een zin op pagina twee."]
    assert [(d.text, d.reason) for d in result.dropped] == [("---", "page_break")]


def test_page_breaks_and_page_numbers_are_removed_from_the_advies(raw, cleaned):
    result = cleaned[ADVIES]
    raw_lines = raw[ADVIES].split("\n")
    breaks = [i + 1 for i, line in enumerate(raw_lines) if line.strip() == "---"]
    assert len(breaks) > 40
    dropped_breaks = sorted(d.line for d in result.dropped if d.reason == "page_break")
    assert dropped_breaks == breaks
    for d in result.dropped:
        if d.reason == "page_number":
            assert re.fullmatch(r"\s*(\d{1,3}|Pagina \d+ van \d+)\s*", d.text), d
    assert not any(re.fullmatch(r"\d{1,3}|-{3,}", b.text.strip()) for b in result.blocks)


# ----------------------------------------------------------------------------------- hyphenation


def test_hyphenated_line_breaks_are_rejoined_inline():
    assert join_broken("Er kan sprake zijn van voorin-", "genomenheid in de data.") == \
        "Er kan sprake zijn van vooringenomenheid in de data."
    assert join_broken("zoals de AI-verorde-", "ning voorschrijft") == "zoals de AI-verordening voorschrijft"
    # a hyphen that belongs to the word stays: capital after the break, or a vowel clash (zee-egel)
    assert join_broken("de Sociaal-", "Economische Raad") == "de Sociaal-Economische Raad"
    assert keep_hyphen("zee", "egel")
    assert not keep_hyphen("verorde", "ning")
    # "wet- en regelgeving": an ellipsis hyphen is kept with its space
    assert join_broken("wet-", "en regelgeving") == "wet- en regelgeving"
    text = ("De werkgever moet de ondernemingsraad tijdig informeren over de invoe-\n"
            "ring van een nieuw systeem voor het volgen van werknemers op de werkvloer.\n")
    assert [b.text for b in clean_document(text, "txt").blocks] == [
        "De werkgever moet de ondernemingsraad tijdig informeren over de invoering van een nieuw systeem "
        "voor het volgen van werknemers op de werkvloer."]


def test_hyphenated_line_breaks_are_rejoined_in_the_advies(raw, cleaned):
    assert re.search(r"voorin-\s*$", raw[ADVIES], re.M), "the source breaks 'voorin-' at a line end"
    text = text_of(cleaned[ADVIES])
    assert "vooringenomenheid wordt opgemerkt en verminderd" in one_line(text)
    assert not re.search(r"voorin-\s", text)
    assert "AI-verorde-ning" not in text
    assert "AI-verordening" in text
    # compounds with a real hyphen keep it
    assert "sociaal-economische" in text.lower()


# --------------------------------------------------------------------------- mid-sentence line breaks


def test_lines_broken_mid_sentence_become_paragraphs_inline():
    text = ("Mevrouw Hamer, voorzitter, opent de vergadering en heet iedereen van harte welkom op\n"
            "deze bijzondere dag in november.\n"
            "\n"
            "Er zijn geen mededelingen.\n")
    blocks = clean_document(text, "txt").blocks
    assert [b.text for b in blocks] == [
        "Mevrouw Hamer, voorzitter, opent de vergadering en heet iedereen van harte welkom op deze bijzondere "
        "dag in november.",
        "Er zijn geen mededelingen."]


def test_lines_broken_mid_sentence_are_rejoined_in_the_corpus(cleaned):
    kab = [b.text for b in cleaned[KABINET].blocks]
    assert any("Volgens de Sociaal Economische Raad (SER) ¹ staan we aan de vooravond van de vierde "
               "industriële revolutie" in t for t in kab)
    # a paragraph continued after a page-foot footnote (2021, no separator line) is one paragraph again
    mtg = [b.text for b in cleaned[MTG_2021].blocks]
    assert any("Nog steeds ziet de overheid het bouwsel van hardware, data, algoritmes en platformen teveel als "
               "een neutrale ondergrond" in t for t in mtg)
    assert any("Het is belangrijk om hier heel goed op voorbereid te zijn." in t for t in mtg)
    # every paragraph of the layout files is a single line of text (table rows aside)
    for name in (MTG_2021, MTG_2024, DTBA, KABINET):
        for b in cleaned[name].blocks:
            if b.kind in ("para", "list", "heading"):
                assert "\n" not in b.text, (name, b.line, b.text[:80])


# ------------------------------------------------------------------------------------------ markup


def test_inline_markup_becomes_plain_text():
    assert strip_markup("<b>Voorwoord</b>") == "Voorwoord"
    assert strip_markup("Dit is **heel belangrijk** voor de OR") == "Dit is heel belangrijk voor de OR"
    assert strip_markup("de AI-verordening,<sup>2</sup> inclusief hulpmiddelen") == \
        "de AI-verordening, ² inclusief hulpmiddelen"
    md = "Een zin met een noot.<sup>7</sup>\n\n<sup>7</sup> De tekst van de noot.\n"
    blocks = clean_document(md, "md").blocks
    assert [(b.kind, b.text, b.number) for b in blocks] == [
        ("para", "Een zin met een noot. ⁷", None), ("footnote", "De tekst van de noot.", "7")]


def test_no_markup_is_left_in_the_cleaned_advies(raw, cleaned):
    assert "<sup>" in raw[ADVIES] and "<b>" in raw[ADVIES] and "**" in raw[ADVIES]
    text = text_of(cleaned[ADVIES])
    for junk in ("<sup>", "</sup>", "<b>", "</b>", "**"):
        assert junk not in text, junk
    assert "AI-verordening, ² inclusief" in text


# --------------------------------------------------------------------------------------- footnotes


def test_footnotes_are_kept_and_attached_to_the_unit_with_their_marker(raw, parsed):
    kab = parsed[KABINET]
    unit1 = kab.unit("1")
    notes = {f.number: f.text for f in unit1.footnotes}
    assert notes["1"].startswith("SER (2016) Verkenning en werkagenda digitalisering")
    assert "¹ SER (2016) Verkenning en werkagenda digitalisering" in unit1.text
    all_numbers = sorted(int(f.number) for u in kab.units for f in u.footnotes)
    assert all_numbers == list(range(1, 27))  # the letter's 26 footnotes, none lost

    mtg = parsed[MTG_2021]
    assert [f.number for f in mtg.unit("agendapunt 4.3").footnotes] == ["1", "2"]
    assert [f.number for f in mtg.unit("Bijlage 1 > Tafel 5 > Vraag 1").footnotes] == ["3"]
    assert "¹ Zie hiervoor: via deze link de bijdrage van prof. José van Dijck" in mtg.unit("agendapunt 4.3").text

    for name, doc in parsed.items():
        for u in doc.units:
            body = "\n".join([u.heading] + [b.text for b in u.blocks])
            for f in u.footnotes:
                if name == ADVIES and u.key == "6.3.4" and f.number in ("73", "74"):
                    # the source has no marker for these two notes: only the note lines themselves
                    assert raw[ADVIES].count(f"<sup>{f.number}</sup>") == 1
                    continue
                assert cites_footnote(body, f.number), (name, u.key, f.number)


# ------------------------------------------------------------------------------------ table of contents


def test_table_of_contents_is_dropped(raw, cleaned):
    lines = raw[ADVIES].split("\n")
    start = next(i for i, line in enumerate(lines) if "Inhoudsopgave" in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("#"))
    toc_lines = {i + 1 for i in range(start, end) if lines[i].strip()}
    assert len(toc_lines) > 40
    dropped_toc = {d.line for d in cleaned[ADVIES].dropped if d.reason == "toc"}
    assert dropped_toc == toc_lines
    text = text_of(cleaned[ADVIES])
    assert "Inhoudsopgave" not in text
    assert not re.search(r"1\.1 De adviesaanvraag\s+25", text)
    # the section itself is still there, once, as a heading
    assert sum(1 for b in cleaned[ADVIES].blocks if b.kind == "heading" and b.text == "1.1 De adviesaanvraag") == 1


def test_table_of_contents_is_dropped_inline():
    text = ("# Inhoudsopgave\n\n<b>Voorwoord</b>\t<b>7</b>\n1 Inleiding\t9\n1.1 Aanleiding\t9\n2 Analyse\t12\n\n"
            "# Voorwoord\n\nDit is het voorwoord.\n")
    result = clean_document(text, "md")
    assert [b.text for b in result.blocks] == ["Voorwoord", "Dit is het voorwoord."]
    assert [d.reason for d in result.dropped] == ["toc"] * 5


# ------------------------------------------------------------------------------------------- tables


def test_tab_separated_tables_become_readable_rows_with_caption(cleaned):
    tables = [b for b in cleaned[ADVIES].blocks if b.kind == "table"]
    t41 = [b for b in tables if b.text.startswith("Tabel 4.1 ")]
    assert len(t41) == 1
    rows = t41[0].text.split("\n")
    assert rows[0].startswith("Tabel 4.1 Aandeel bedrijven dat AI gebruikt per bedrijfstak")
    assert "J Informatie en communicatie — Aandeel bedrijven (%): 58" in rows
    assert not any("\t" in b.text for b in tables)
    # the caption paragraph is not left behind as a separate block
    assert not any(b.kind == "para" and b.text.startswith("Tabel 4.1 ") for b in cleaned[ADVIES].blocks)


def test_render_table_inline():
    text = "Sector\tAandeel (%)\nZorg\t12\nOnderwijs\t9"
    assert render_table(text, "Tabel 1 Gebruik") == (
        "Tabel 1 Gebruik\nSector | Aandeel (%)\nZorg — Aandeel (%): 12\nOnderwijs — Aandeel (%): 9")
    md = "Tabel 2 Voorbeeld\n\nSector\tAandeel (%)\nZorg\t12\n"
    blocks = clean_document(md, "md").blocks
    assert [(b.kind, b.text) for b in blocks] == [
        ("table", "Tabel 2 Voorbeeld\nSector | Aandeel (%)\nZorg — Aandeel (%): 12")]


# ------------------------------------------------------------------------------------------ bullets


def test_private_use_and_minus_bullets_become_list_items_inline():
    assert bullet_text("\uf0b7 Meer mensen aantrekken") == "Meer mensen aantrekken"
    assert bullet_text("\uf02d Tweede niveau") == "Tweede niveau"
    assert bullet_text("\u2212 Met een minteken") == "Met een minteken"
    assert bullet_text("Gewone zin") is None
    text = "De raad noemt:\n\n\uf0b7 eerste punt\n\uf02d tweede punt\n\u2212 derde punt\n"
    blocks = clean_document(text, "txt").blocks
    assert [(b.kind, b.text) for b in blocks] == [
        ("para", "De raad noemt:"), ("list", "eerste punt"), ("list", "tweede punt"), ("list", "derde punt")]


@pytest.mark.parametrize("name, glyphs", [(MTG_2021, "\uf0b7\uf02d"), (DTBA, "\u2212")])
def test_bullet_lines_of_the_corpus_are_list_items(raw, cleaned, name, glyphs):
    bullet_lines = [line for line in raw[name].split("\n") if line.strip() and line.strip()[0] in glyphs]
    assert len(bullet_lines) >= 40
    lists = [b for b in cleaned[name].blocks if b.kind == "list"]
    assert len(lists) == len(bullet_lines)
    for b in cleaned[name].blocks:
        assert not any(g in b.text for g in "\uf0b7\uf02d\u2212"), b.text[:80]


# ----------------------------------------------------------------------------------- double spacing


def test_double_line_spacing_is_detected_and_undone(raw, cleaned):
    assert cleaned[DTBA].double_spaced and cleaned[KABINET].double_spaced
    assert not any(cleaned[n].double_spaced for n in (ADVIES, MTG_2021, MTG_2024))
    # a sentence spread over several double-spaced lines is one paragraph
    assert "SER. Een \n\nbijeenkomst die voorbereid is" in raw[DTBA]
    dtba = [b.text for b in cleaned[DTBA].blocks]
    assert ("Op 6 oktober 2022 heeft de bijeenkomst Dare to be Aware plaatsgehad bij de SER. Een bijeenkomst die "
            "voorbereid is door de Werkgroep Digitale Transitie en de Alliantie Digitaal Samenleven.") in dtba
    assert "1. Digitaal bewustzijn bij werving en selectie en geen geschikte kandidaten mislopen, hoe pak je het " \
           "aan?" in dtba
    # the four session headings and their fixed subheadings are separate blocks, not glued to text
    assert sum(1 for t in dtba if t == "Wat gaat er al goed?") == 4
    # the letter's paragraphs survive as paragraphs (not one block per line, not one giant block)
    kab = [b.text for b in cleaned[KABINET].blocks]
    assert "In deze brief reageert het kabinet op de SER-verkenning en de rapporten van de" in \
        next(t for t in kab if "In deze brief reageert het kabinet" in t)
    assert sum(1 for b in cleaned[KABINET].blocks if b.kind == "footnote") == 26
    assert next(b.text for b in cleaned[KABINET].blocks if b.kind == "footnote" and b.number == "1") == \
        "SER (2016) Verkenning en werkagenda digitalisering; Mens en technologie: samen aan het werk"


def test_double_spacing_inline():
    lines = [f"dit is regel {i} van een alinea die doorloopt tot aan het einde van de regel" for i in range(1, 25)]
    lines[0] = "D" + lines[0][1:]
    lines[12] = "D" + lines[12][1:]
    lines[11] += "."
    body = "\n\n".join(lines[:12]) + "\n\n \n\n" + "\n\n".join(lines[12:]) + ".\n"
    result = clean_document(body, "txt")
    assert result.double_spaced
    assert [b.text for b in result.blocks] == [" ".join(lines[:12]), " ".join(lines[12:]) + "."]
    # the same text single-spaced gives the same paragraphs
    single = clean_document(body.replace("\n\n", "\n"), "txt")
    assert not single.double_spaced
    assert [b.text for b in single.blocks] == [b.text for b in result.blocks]


# ------------------------------------------------------------------------------ glued footnote numbers


def test_glued_footnote_numbers_are_separated(raw, cleaned):
    assert "(SER)1 " in raw[KABINET] and "ontwikkelingen1" in raw[MTG_2021]
    kab = text_of(cleaned[KABINET])
    assert "(SER) ¹ staan" in kab and "(SER)1" not in kab
    assert kab.count("Onderwijs2032") == raw[KABINET].count("Onderwijs2032") == 3
    mtg = text_of(cleaned[MTG_2021])
    assert "over de Nederlandse context en ontwikkelingen ¹" in mtg and "ontwikkelingen1" not in mtg
    assert "Opgave AI. De nieuwe systeemtechnologie ²." in mtg
    assert "de cyberaanval op ³ had" in mtg


def test_glued_footnote_numbers_inline():
    blocks = [Block("para", "Volgens de Raad (SER)1 en het Platform Onderwijs2032 gaat het om ontwikkelingen2.", 1),
              Block("footnote", "SER (2016)", 5, number="1"), Block("footnote", "Zie ook", 6, number="2")]
    out = separate_glued_footnote_markers(blocks)
    assert out[0].text == "Volgens de Raad (SER) ¹ en het Platform Onderwijs2032 gaat het om ontwikkelingen ²."
    # without footnotes nothing is touched
    lone = [Block("para", "Het Platform Onderwijs2032 en COVID-19.", 1)]
    assert separate_glued_footnote_markers(lone)[0].text == "Het Platform Onderwijs2032 en COVID-19."


# ------------------------------------------------------------------------------------ URL-only lines


def test_url_only_lines_are_dropped_and_reported(raw, cleaned):
    result = cleaned[MTG_2021]
    urls = [d for d in result.dropped if d.reason == "url_only"]
    assert len(urls) == 8
    lines = raw[MTG_2021].split("\n")
    for d in urls:
        assert lines[d.line - 1] == d.text
        assert re.fullmatch(r"\s*https?://\S+\s*", d.text)
    for b in result.blocks:
        assert not re.fullmatch(r"https?://\S+", b.text.strip())
    text = "Zie de website.\n\nhttps://www.ser.nl/nl/thema/digitalisering\n\nDaarna volgt tekst.\n"
    inline = clean_document(text, "txt")
    assert [b.text for b in inline.blocks] == ["Zie de website.", "Daarna volgt tekst."]
    assert [(d.line, d.reason) for d in inline.dropped] == [(3, "url_only")]


def test_only_allowed_drop_reasons(cleaned, raw):
    allowed = {"toc", "page_number", "page_break", "url_only", "separator"}
    for name, result in cleaned.items():
        lines = raw[name].replace("\r\n", "\n").split("\n")
        for d in result.dropped:
            assert d.reason in allowed, (name, d)
            assert lines[d.line - 1] == d.text, (name, d)
            if d.reason == "separator":
                assert not d.text.strip()


def test_footnote_references_are_superscripts_that_no_citation_marker_can_be_confused_with():
    assert footnote_marker(40) == "⁴⁰" and footnote_marker("7") == "⁷"
    assert cites_footnote("zie de wet ¹² en verder", 12) and not cites_footnote("zie de wet ¹² en verder", 1)
    assert not cites_footnote("zie de wet ¹² en verder", 2)

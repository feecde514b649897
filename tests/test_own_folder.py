"""A works council's own folder (issue 13): laws cited by article, lid and onderdeel, PDFs by heading and page,
numbered headings as §-units, honest metadata, and a folder mixed with the default corpus.

Every document is built by the tests (``own_documents.py``): a BWB-shaped XML law, a law page in HTML, a cao
as plain text, two PDFs made by fpdf2, a Word file that numbers its own headings and Markdown.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index_store.store import open_store, read_manifest
from ingest.cleaning import Block
from ingest.legal import is_law
from ingest.metadata import date_from_header, find_date
from ingest.pipeline import chunk_records, format_report, parse_file, prepare
from nl.legal import parse_reference
from vraagbaak.settings import REPO_ROOT


@pytest.fixture(scope="module")
def parsed(own_folder):
    return {p.name: parse_file(p) for p in sorted(own_folder.iterdir())}


def keys(pf) -> list[str]:
    return [u.key for u in pf.parsed.units]


def labels(pf) -> dict[str, str]:
    return {u.key: u.label for u in pf.parsed.units}


# ------------------------------------------------------------------------------------------- laws


def test_bwb_xml_becomes_divisions_articles_members_and_parts(parsed):
    pf = parsed["wet-overleg-proefbedrijven.xml"]
    info = pf.parsed.info
    assert (info.title, info.citation, info.date, info.date_from, info.structure) == \
        ("Wet overleg proefbedrijven", "Wet overleg proefbedrijven", "2024-07-01", "bestand", "law")
    assert info.doc_type == "document"
    assert keys(pf) == [
        "Begin", "hoofdstuk 2", "paragraaf 2.1", "artikel 5", "artikel 5 lid 1", "artikel 5 lid 1 onder a",
        "artikel 5 lid 1 onder b", "artikel 5 lid 1 onder c", "artikel 5 lid 1 slot", "artikel 5 lid 2",
        "artikel 5 lid 3", "artikel 6", "artikel 6 onder a", "artikel 6 onder b", "hoofdstuk 3", "artikel 7"]
    doc = pf.parsed
    assert doc.unit("artikel 5").parent == "paragraaf 2.1" and doc.unit("paragraaf 2.1").parent == "hoofdstuk 2"
    assert doc.unit("artikel 5 lid 1 onder c").path == (
        "hoofdstuk 2", "paragraaf 2.1", "artikel 5", "artikel 5 lid 1", "artikel 5 lid 1 onder c")
    assert labels(pf)["artikel 5 lid 1 onder c"] == "Wet overleg proefbedrijven — artikel 5 lid 1 onder c"
    assert labels(pf)["artikel 5"] == "Wet overleg proefbedrijven — artikel 5 Adviesplicht"
    assert labels(pf)["paragraaf 2.1"] == "Wet overleg proefbedrijven — §2.1 Advies"
    assert labels(pf)["artikel 5 lid 1 slot"] == "Wet overleg proefbedrijven — artikel 5 lid 1 (slotzin)"
    # numbers stay in the text; sub-items (1°, 2°) belong to their onderdeel; both als of lid 3 to lid 3
    assert doc.unit("artikel 5 lid 1 onder c").text == (
        "c. aanschaf van software die:\n\n1°. werk verdeelt over de werknemers;\n\n2°. prestaties van werknemers meet.")
    assert doc.unit("artikel 5 lid 1").text.startswith("1. De werkgever vraagt de raad advies")
    assert doc.unit("artikel 5 lid 1 slot").text == "Het onder a bepaalde geldt niet voor een verhuizing binnen " \
                                                    "dezelfde gemeente."
    assert doc.unit("artikel 5 lid 3").text.endswith("De termijn kan eenmaal worden verlengd.")
    # the lead-in of a list is searched with each of its parts
    assert doc.unit("artikel 5 lid 1 onder b").context.startswith("1. De werkgever vraagt de raad advies")
    # the preamble (intitule, aanhef) is the law itself; a table and an editorial note stay in their article
    assert doc.unit("Begin").label == "Wet overleg proefbedrijven"
    assert "Voorzitter — Vergoeding: 500 euro" in doc.unit("artikel 7").text
    assert "per 1 januari 2025 gewijzigd" in doc.unit("artikel 7").text


def test_bwb_apparatus_never_enters_the_text(parsed):
    raw = parsed["wet-overleg-proefbedrijven.xml"].raw
    for absent in ("jci1.3", "publicatiejaar", "Stb", "77", "redactionele", "BWBR"):
        assert absent not in raw.text, absent
    # and the date in the intitule is no document date: the version date of the file is
    assert parsed["wet-overleg-proefbedrijven.xml"].parsed.info.date == "2024-07-01"


def test_html_law_page_keeps_its_list_numbers_and_cites_the_law_not_the_page(parsed):
    pf = parsed["wet-artikelen-8-en-9.html"]
    assert "1. De werkgever behoeft de instemming" in pf.raw.text
    assert "b. een regeling over camera's op de werkvloer;" in pf.raw.text
    assert "2. De kantonrechter beslist binnen drie maanden." in pf.raw.text  # <li value="2">
    info = pf.parsed.info
    assert info.title == "Wet overleg proefbedrijven – artikelen 8 en 9"
    assert info.citation == "Wet overleg proefbedrijven"
    assert keys(pf) == ["Begin", "artikel 8", "artikel 8 lid 1", "artikel 8 lid 1 onder a", "artikel 8 lid 1 onder b",
                        "artikel 8 lid 1 onder c", "artikel 8 lid 1 slot", "artikel 8 lid 2", "artikel 8 lid 3",
                        "artikel 9", "artikel 9 lid 1", "artikel 9 lid 2"]
    for label in labels(pf).values():
        assert label.count("Wet overleg proefbedrijven") == 1, label  # the title never repeats
        assert "artikelen 8 en 9" not in label
    assert labels(pf)["artikel 8"] == "Wet overleg proefbedrijven — artikel 8 Instemming"


def test_cao_as_plain_text(parsed):
    pf = parsed["cao-proefsector.txt"]
    assert pf.parsed.info.structure == "law"
    assert keys(pf) == ["Begin", "hoofdstuk 4", "artikel 4.1", "artikel 4.1 lid 1", "artikel 4.1 lid 2",
                        "artikel 4.1 lid 2 onder a", "artikel 4.1 lid 2 onder b", "artikel 4.1 lid 2 onder c",
                        "artikel 4.1 lid 2 slot", "artikel 4.2"]
    doc = pf.parsed
    assert doc.unit("artikel 4.1 lid 1").text.endswith("verplichtingen buiten het werk.")  # wrapped line joined
    assert doc.unit("artikel 4.1 lid 2 onder b").text == "b. vijf diensten per week, en"
    assert doc.unit("artikel 4.1 lid 2 slot").text == "Deze grenzen gelden niet bij calamiteiten."
    assert labels(pf)["artikel 4.1 lid 2 onder c"] == "Cao Proefsector Schoonmaak 2023-2025 — artikel 4.1 lid 2 onder c"


def test_a_lid_announcing_a_list_is_one_chunk_with_its_items_and_each_item_keeps_its_own(parsed):
    from ingest.chunking import chunk_document

    doc = parsed["cao-proefsector.txt"].parsed
    chunks = chunk_document(doc)
    by_unit = {}
    for c in chunks:
        by_unit.setdefault(c.unit_key, []).append(c)
    lid = by_unit["artikel 4.1 lid 2"]
    assert len(lid) == 1 and lid[0].text == doc.text[lid[0].start:lid[0].end]
    # the lead-in, every onderdeel and the text after the list, word for word
    for key in ("artikel 4.1 lid 2 onder a", "artikel 4.1 lid 2 onder b", "artikel 4.1 lid 2 onder c",
                "artikel 4.1 lid 2 slot"):
        assert doc.unit(key).text in lid[0].text
        assert [c.text for c in by_unit[key]] == [doc.unit(key).text]
    assert lid[0].text.startswith(doc.unit("artikel 4.1 lid 2").text.strip())
    # a list that does not fit its budget keeps the lead-in on its own
    small = {c.unit_key: c for c in chunk_document(doc, list_budget=10)}
    assert small["artikel 4.1 lid 2"].text == doc.unit("artikel 4.1 lid 2").text.strip()


def test_a_question_about_a_list_is_answered_with_its_items(parsed):
    from ingest.chunking import chunk_document
    from rag.extractive import LIST, sentence_candidates
    from tests.conftest import make_record

    doc = parsed["cao-proefsector.txt"].parsed
    lid = next(c for c in chunk_document(doc) if c.unit_key == "artikel 4.1 lid 2")
    lists = [c for c in sentence_candidates([make_record(lid.text)], 1) if c.kind == LIST]
    assert lists and all(doc.unit(k).text in lists[0].text
                         for k in ("artikel 4.1 lid 2 onder a", "artikel 4.1 lid 2 onder c"))


def test_pdf_law_text(parsed):
    pf = parsed["artikel-27.pdf"]
    assert pf.parsed.info.citation == "Wet overleg proefbedrijven"
    assert keys(pf) == ["Begin", "artikel 27", "artikel 27 lid 1", "artikel 27 lid 1 onder a",
                        "artikel 27 lid 1 onder b", "artikel 27 lid 1 onder c", "artikel 27 lid 1 slot",
                        "artikel 27 lid 2"]
    assert pf.parsed.unit("artikel 27 lid 1 onder a").text.endswith("voor alle werknemers van het proefbedrijf;")


@pytest.mark.parametrize("question, doc, unit", [
    ("Wat staat er in artikel 5 lid 2?", "wet-overleg-proefbedrijven.xml", "artikel 5 lid 2"),
    ("artikel 5, eerste lid, onder c", "wet-overleg-proefbedrijven.xml", "artikel 5 lid 1 onder c"),
    ("Wat betekent 'raad' in artikel 6 sub a?", "wet-overleg-proefbedrijven.xml", "artikel 6 onder a"),
    ("het derde lid van artikel 8", "wet-artikelen-8-en-9.html", "artikel 8 lid 3"),
    ("Valt dat onder artikel 8 lid 1 onder b?", "wet-artikelen-8-en-9.html", "artikel 8 lid 1 onder b"),
    ("artikel 4.1 lid 2 onder a van de cao", "cao-proefsector.txt", "artikel 4.1 lid 2 onder a"),
    ("art. 27 lid 1 sub c", "artikel-27.pdf", "artikel 27 lid 1 onder c"),
])
def test_a_question_naming_a_lid_or_onderdeel_finds_exactly_that_unit(parsed, question, doc, unit):
    found = parse_reference(question).best_unit(keys(parsed[doc]))
    assert found == unit
    assert parsed[doc].parsed.unit(found).label.endswith(unit)


def test_a_commentary_citing_articles_is_no_law(parsed):
    pf = parsed["uitleg-adviesrecht.md"]
    assert pf.parsed.info.structure == "headings"
    assert "Artikel 25: het adviesrecht" in keys(pf)
    assert not is_law([Block("para", "Artikel 27 van de WOR geeft de raad instemmingsrecht.", 1),
                       Block("para", "Artikel 25 van de WOR gaat over advies.", 2)])


# ------------------------------------------------------------------------------- PDF, Word, Markdown


def test_pdf_headings_title_and_pages(parsed, own_folder, settings):
    pf = parsed["onderzoek-roosters.pdf"]
    info = pf.parsed.info
    # the title is the whole first heading, not cut at its line wrap
    assert info.title == ("Onderzoek naar digitale roosters in de zorg: ervaringen van ondernemingsraden in zeven "
                          "ziekenhuizen")
    assert (info.date, info.date_from) == ("2024-06-05", "datumregel")
    assert keys(pf) == [info.title, "1", "2", "2.1", "2.2", "2.3", "3"]
    assert pf.parsed.unit("2.3").parent == "2"
    assert pf.raw.page_count >= 2 and "Pagina 1" not in pf.parsed.text  # the footer's page numbers are dropped
    records = chunk_records(prepare(own_folder / "onderzoek-roosters.pdf", settings))
    by_unit = {r.unit_key: r for r in records}
    page = by_unit["2.3"].page_start
    assert page >= 2
    assert by_unit["2.3"].label == f"{info.citation} — §2.3 Afspraken over evaluatie, p. {page}"
    assert all(", p. " in r.label and 1 <= r.page_start <= r.page_end <= pf.raw.page_count for r in records)
    assert {r.page_start for r in records} >= {1, 2}
    # a chunk's pages lie within its unit's, and a unit over a page break has chunks on both pages
    for r in records:
        unit = pf.parsed.unit(r.unit_key)
        assert unit.pages[0] <= r.page_start <= r.page_end <= unit.pages[1]
    spanning = [u for u in pf.parsed.units if u.pages[0] < u.pages[1]]
    assert spanning
    assert {r.page_end for r in records if r.unit_key == spanning[0].key} == {spanning[0].pages[1]}


def test_word_numbers_its_headings_and_they_become_paragraph_numbers(parsed):
    pf = parsed["beleid-ai.docx"]
    assert "# 1 Doel van dit beleid" in pf.raw.text and "## 1.2 Begrippen" in pf.raw.text
    assert keys(pf) == ["Beleid voor AI-hulpmiddelen op kantoor", "1", "1.1", "1.2", "2"]
    assert labels(pf)["1.2"] == "Beleid voor AI-hulpmiddelen op kantoor (2024) — §1.2 Begrippen"
    assert labels(pf)["Beleid voor AI-hulpmiddelen op kantoor"] == "Beleid voor AI-hulpmiddelen op kantoor (2024)"


def test_markdown_numbering_from_the_first_heading_and_a_repeated_title(parsed):
    pf = parsed["handreiking-roosters.md"]
    assert keys(pf) == ["Handreiking roosterafspraken", "1.1", "1.1.1", "1.2"]
    assert labels(pf)["1.1.1"] == "Handreiking roosterafspraken (2024) — §1.1.1 Doel"
    assert pf.parsed.unit("1.1.1").parent == "1.1"
    for label in labels(pf).values():
        assert label.count("Handreiking roosterafspraken") == 1, label
    assert (pf.parsed.info.date, pf.parsed.info.date_from) == ("2024-01-12", "datumregel")


# --------------------------------------------------------------------------------------- metadata


def test_dates_come_from_a_date_line_the_header_or_the_file_name_and_never_from_a_citation(parsed):
    assert parsed["cao-proefsector.txt"].parsed.info.date == ""  # "januari 2021", "(Jansen, 2020)" in the text
    assert parsed["cao-proefsector.txt"].parsed.info.citation == "Cao Proefsector Schoonmaak 2023-2025"
    assert parsed["uitleg-adviesrecht.md"].parsed.info.date == ""
    assert find_date("Notulen\n\nDatum: 3 maart 2024\n\nIn 2019 begon het.", "x.txt") == ("2024-03-03", "datumregel")
    assert find_date("# Notitie\n\nDen Haag, 12 maart 2024\n\nTekst.", "x.md") == ("2024-03-12", "kop")
    assert find_date("# Notitie\n\nOp 12 maart 2024 besloot de raad tot een nieuw rooster voor iedereen.", "x.md") \
        == ("", "")
    assert find_date("Tekst zonder datum (SER, 2021).", "verslag-2023-10-05.txt") == ("2023-10-05", "bestandsnaam")
    assert date_from_header("# Titel\n\nGeldend van 01-01-2024 t/m heden") == "2024-01-01"
    for name, pf in parsed.items():
        assert pf.parsed.info.doc_type == "document", name  # never guessed from words


def test_the_manifest_corrects_what_was_inferred(own_folder, tmp_path):
    folder = tmp_path / "met-manifest"
    folder.mkdir()
    (folder / "cao-proefsector.txt").write_bytes((own_folder / "cao-proefsector.txt").read_bytes())
    (folder / "manifest.json").write_text(json.dumps({"cao-proefsector.txt": {
        "title": "Cao Schoonmaak", "citation": "Cao Schoonmaak", "date": "2023-01-01", "doc_type": "cao"}}),
        encoding="utf-8")
    info = parse_file(folder / "cao-proefsector.txt").parsed.info
    assert (info.citation, info.date, info.doc_type, info.date_from, info.type_from) == \
        ("Cao Schoonmaak", "2023-01-01", "cao", "manifest", "manifest")
    assert info.structure == "law"
    assert parse_file(folder / "cao-proefsector.txt").parsed.unit("artikel 4.1 lid 1").label == \
        "Cao Schoonmaak — artikel 4.1 lid 1"


# ------------------------------------------------------------------------------ the real ingest


def test_a_mixed_folder_ingests_and_reports_what_it_inferred(mixed_store, own_folder):
    settings, report = mixed_store
    docs = read_manifest(settings.store_dir)["documents"]
    assert {"ser-advies-ai-en-werk-2025", "wet-overleg-proefbedrijven", "onderzoek-roosters"} <= set(docs)
    assert docs["ser-advies-ai-en-werk-2025"]["doc_type"] == "advies"  # the corpus manifest's types stay
    assert docs["wet-overleg-proefbedrijven"]["structure"] == "law"
    assert docs["wet-overleg-proefbedrijven"]["unit_kinds"]["onderdeel"] == 5
    summary = format_report(report)
    print(summary)
    assert "Wat de Vraagbaak uit de bestanden afleidde" in summary
    assert "cao-proefsector.txt" in summary.split("afleidde")[1]
    assert "ser-advies-ai-en-werk-2025.md" not in summary.split("afleidde")[1]  # all from its manifest
    assert "datum:      geen (niet gevonden)" in summary
    assert "manifest.json" in summary.split("afleidde")[1]


def test_bm25_finds_the_lid_a_question_names_in_the_mixed_index(mixed_store):
    settings, _ = mixed_store
    store = open_store(settings.store_dir)
    for question, unit in (("artikel 5 lid 2", "artikel 5 lid 2"), ("artikel 8 lid 3", "artikel 8 lid 3")):
        scores = store.lexical.scores(store.lexical.analyzer.tokens(question))
        best = store.records[int(scores.argmax())]
        assert best.unit_key == unit, (question, best.label)
    # a lid that announces a list is longer than its onderdelen (it holds them): the retriever's reference
    # lookup, not word counts, puts the named lid first
    from rag.engine import get_engine

    engine = get_engine(settings)
    for question, unit in (("Wat zegt artikel 4.1 lid 2 van de cao?", "artikel 4.1 lid 2"),
                           ("artikel 4.1 lid 2 onder b van de cao", "artikel 4.1 lid 2 onder b")):
        top = engine.retrieve(question).candidates[0]
        assert engine.ensure_store().records[top.row].unit_key == unit, question
    # and the answer opens with the named unit's own text
    ans = engine.answer("Wat regelt artikel 8 lid 1 onder b?")
    assert not ans.refused and ans.citations[0].label.endswith("artikel 8 lid 1 onder b"), ans.answer


def test_vraagbaak_docs_lists_the_documents_from_the_index(mixed_store):
    settings, _ = mixed_store
    env = {**os.environ, "VRAAGBAAK_PROFILE": "test", "HF_HUB_OFFLINE": "1"}
    vraagbaak = Path(sys.executable).parent / "vraagbaak"
    proc = subprocess.run([str(vraagbaak), "docs", "--store", str(settings.store_dir)], capture_output=True,
                          text=True, env=env, cwd=REPO_ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    print(out)
    assert "wet-overleg-proefbedrijven.xml" in out and "titel:      Wet overleg proefbedrijven (uit het bestand zelf)" in out
    assert "datum:      1 juli 2024 (uit het bestand zelf)" in out
    assert "bv.         Wet overleg proefbedrijven — artikel 5 lid 1 onder a" in out
    assert "soort:      advies (uit manifest.json)" in out  # the corpus documents are listed too
    assert "Klopt iets niet?" in out
    missing = subprocess.run([str(vraagbaak), "docs", "--store", str(settings.store_dir / "nergens")],
                             capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=120)
    assert missing.returncode == 1 and "Er is nog geen index" in missing.stderr

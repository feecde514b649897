"""Structure (issue 2): the real corpus parsed into its own units (clean_document → parse_units → assemble)."""

from __future__ import annotations

import pytest


from conftest import ADVIES, ALL_FILES, CORPUS, DTBA, KABINET, MTG_2021, MTG_2024  # noqa: F401


@pytest.fixture(scope="module")
def docs(corpus_files):
    return {name: corpus_files[name].parsed for name in ALL_FILES}


def keys(doc) -> list[str]:
    return [u.key for u in doc.units]


# ------------------------------------------------------------------------------------------- advies


ADVIES_SECTIONS = [
    "1.1", "1.2", "1.3", "1.4", "1.5",
    "2.1", "2.2", "2.3", "2.4",
    "3.1", "3.2", "3.3", "3.4",
    "4.1", "4.2", "4.2.1", "4.2.2", "4.3",
    "5.1", "5.2",
    "6.1", "6.2", "6.3", "6.3.1", "6.3.2", "6.3.3", "6.3.4",
]


def test_advies_has_all_27_numbered_sections(docs):
    assert len(ADVIES_SECTIONS) == 27
    doc = docs[ADVIES]
    sections = [u.key for u in doc.units if u.kind == "paragraaf"]
    assert sections == ADVIES_SECTIONS  # the exact set, in reading order, each once
    assert [u.key for u in doc.units if u.kind == "hoofdstuk"] == ["1", "2", "3", "4", "5", "6"]
    for key in ADVIES_SECTIONS:
        unit = doc.unit(key)
        parent = key.rsplit(".", 1)[0]
        assert unit.parent == parent, key
        parts = key.split(".")
        assert unit.path == tuple(".".join(parts[:i]) for i in range(1, len(parts) + 1)), key
        assert unit.heading.startswith(key + " "), (key, unit.heading)
        assert len(unit.text) > len(unit.heading) + 100, key  # sections carry body text


def test_advies_front_matter_chapters_and_appendices(docs):
    doc = docs[ADVIES]
    k = keys(doc)
    for key in ("Voorwoord", "Samenvatting", "Hoofdaanbeveling 1", "Hoofdaanbeveling 2", "Hoofdaanbeveling 3",
                "Hoofdaanbeveling 4", "Bijlage 1", "Bijlage 2", "Bijlage 3", "Bijlage 4", "Bijlage 5"):
        assert key in k, key
    for n in range(1, 5):
        assert doc.unit(f"Hoofdaanbeveling {n}").parent == "Samenvatting"
    assert doc.unit("Hoofdaanbeveling 2").title == "Zet waardig werk centraal bij de inzet van AI"
    assert [doc.unit(f"Bijlage {n}").title for n in range(1, 6)] == [
        "Adviesaanvraag", "Verdiepende analyse AI en kwaliteit van werk", "Gesprekspartners",
        "Geraadpleegde literatuur", "Commissie Digitale Transitie"]
    # reading order: front matter, chapters, appendices
    assert k.index("Voorwoord") < k.index("Samenvatting") < k.index("1") < k.index("6.3.4") < k.index("Bijlage 1")
    # the table of contents is not a unit and does not leak into the title page
    assert "Inhoudsopgave" not in doc.text


def test_advies_kaders_stay_inside_their_section_as_subheadings(docs):
    doc = docs[ADVIES]
    unit = doc.unit("6.3.2")
    subs = [title for _, title in unit.subheadings]
    assert "Wet op de ondernemingsraden" in subs
    assert not any("ondernemingsraden" in u.key.lower() for u in doc.units)
    offset = dict((t, o) for o, t in unit.subheadings)["Wet op de ondernemingsraden"]
    assert unit.text[offset:].startswith("Wet op de ondernemingsraden")
    assert "adviesrecht bij de invoering of wijziging van een belangrijke technologische voorziening" in unit.text


# ------------------------------------------------------------------------------------------ meetings


def test_meeting_2021_agenda_items(docs):
    doc = docs[MTG_2021]
    items = [u for u in doc.units if u.kind == "meeting"]
    assert [u.number for u in items] == ["1", "2", "3", "4", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7",
                                         "4.8", "5"]
    titles = {u.number: u.title for u in items}
    assert titles["1"] == "Opening"
    assert titles["4.2"] == "Inleiding door raadslid (Jeannine) Peek"
    assert titles["4.3"].startswith("Videoboodschap van José van Dijck")
    assert titles["4.3"].endswith("over de Nederlandse context en ontwikkelingen")  # no footnote marker
    assert titles["5"] == "Rondvraag en sluiting"
    assert all(doc.unit(f"agendapunt 4.{n}").parent == "agendapunt 4" for n in range(1, 9))


def test_meeting_2021_appendix_tables_and_questions(docs):
    doc = docs[MTG_2021]
    assert doc.unit("Bijlage 1").title == "Verslag Break-outsessies"
    tables = [u for u in doc.units if u.kind == "bijlage-onderdeel"]
    assert [(u.key, u.title) for u in tables] == [
        ("Bijlage 1 > Tafel 1", "Arbeidsmarkt"), ("Bijlage 1 > Tafel 2", "Arbeidsmarkt"),
        ("Bijlage 1 > Tafel 3", "Positie Burger"), ("Bijlage 1 > Tafel 4", "Duurzame innovatie"),
        ("Bijlage 1 > Tafel 5", "Betrouwbare en veilige informatie")]
    questions = [u.key for u in doc.units if u.kind == "vraag"]
    # every "Vraag N" heading of the source, under its table (Tafel 1 and 5 only discuss questions 1 and 4)
    assert questions == [
        "Bijlage 1 > Tafel 1 > Vraag 1", "Bijlage 1 > Tafel 1 > Vraag 4",
        "Bijlage 1 > Tafel 2 > Vraag 1", "Bijlage 1 > Tafel 2 > Vraag 2", "Bijlage 1 > Tafel 2 > Vraag 4",
        "Bijlage 1 > Tafel 3 > Vraag 1", "Bijlage 1 > Tafel 3 > Vraag 2", "Bijlage 1 > Tafel 3 > Vraag 3",
        "Bijlage 1 > Tafel 3 > Vraag 4",
        "Bijlage 1 > Tafel 4 > Vraag 1", "Bijlage 1 > Tafel 4 > Vraag 2", "Bijlage 1 > Tafel 4 > Vraag 4",
        "Bijlage 1 > Tafel 5 > Vraag 1", "Bijlage 1 > Tafel 5 > Vraag 4"]
    raw = (CORPUS / MTG_2021).read_text(encoding="utf-8")
    assert len(questions) == sum(1 for line in raw.split("\n") if line.strip().startswith("Vraag "))
    assert doc.unit("Bijlage 1 > Tafel 3 > Vraag 2").title == "Op welke manier kan de SER bijdragen aan een oplossing?"
    assert doc.unit("Bijlage 1 > Tafel 3 > Vraag 2").path == ("Bijlage 1", "Bijlage 1 > Tafel 3",
                                                              "Bijlage 1 > Tafel 3 > Vraag 2")


def test_meeting_2024_agenda_items_and_appended_report(docs):
    doc = docs[MTG_2024]
    items = [(u.key, u.number) for u in doc.units if u.kind == "meeting"]
    assert items == [
        ("agendapunt 1", "1"), ("agendapunt 2", "2"), ("agendapunt 3", "3"), ("agendapunt 3.1", "3.1"),
        ("agendapunt 3.2", "3.2"), ("agendapunt 3.3", "3.3"), ("agendapunt 3.4", "3.4"), ("agendapunt 4", "4"),
        ("agendapunt 4.1", "4.1"), ("agendapunt 4.2", "4.2"), ("agendapunt 4.3", "4.3"),
        ("agendapunt 4.3 (2)", "4.3"), ("agendapunt 5", "5"), ("agendapunt 6", "6")]
    assert doc.unit("agendapunt 4.3").title == "Gesprek aan zes dialoogtafels"
    assert doc.unit("agendapunt 4.3 (2)").title == "Afronding bespreking agendapunt 4"
    assert doc.unit("agendapunt 4").title.startswith("Stand van zaken advies AI en werk")
    bijlage = doc.unit("Bijlage")
    assert bijlage.title.startswith("Verslag van de bespreking van het Adviestraject over AI")
    parts = [u.key for u in doc.units if u.parent == "Bijlage"]
    assert parts == ["Bijlage > Advies algemeen", "Bijlage > Betrekken medewerkers",
                     "Bijlage > Strategische besluitvorming over AI", "Bijlage > Iedereen meenemen"]


# --------------------------------------------------------------------------------------- Dare to be Aware


def test_dare_to_be_aware_sessions_with_subheading_units(docs):
    doc = docs[DTBA]
    sessions = [u for u in doc.units if u.kind == "sessions"]
    assert [u.key for u in sessions] == ["Werksessie 1", "Werksessie 2", "Werksessie 3", "Werksessie 4"]
    assert sessions[1].title == "Digitale vaardigheden: wie is verantwoordelijk?"
    subs = {s.key: [u.title for u in doc.units if u.parent == s.key] for s in sessions}
    assert subs["Werksessie 1"] == ["Wat gaat er al goed?", "Wat kan er beter?", "Wat is daarvoor nodig?"]
    assert subs["Werksessie 2"] == ["Wat gaat er al goed?", "Wat kan er beter?", "Wat is daarvoor nodig?",
                                    "Tot welke concrete acties leidt dat?", "Wie gaat wat doen?",
                                    "Wat zou de rol van de SER kunnen zijn?"]
    for s in sessions:
        assert "Wat gaat er al goed?" in subs[s.key]
        assert "Wat kan er beter?" in subs[s.key]
    assert doc.unit("Werksessie 2 > Wat kan er beter?").path == ("Werksessie 2", "Werksessie 2 > Wat kan er beter?")
    assert doc.units[0].key == "Inleiding"


# ---------------------------------------------------------------------------------------- kabinetsbrief


def test_kabinetsbrief_paragraphs(docs):
    doc = docs[KABINET]
    assert keys(doc) == ["1", "2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7",
                         "3", "3.1", "3.2", "3.3", "3.4", "4"]
    titles = {u.key: u.title for u in doc.units}
    assert titles["1"] == "Inleiding" and titles["2"] == "Vraagstukken voor de toekomst"
    assert titles["3"] == "Ingezet beleid" and titles["4"] == "Conclusie"
    assert titles["3.3"] == "Toerusten van mensen via leren en ontwikkelen"
    assert doc.unit("2.4").parent == "2" and doc.unit("3.4").parent == "3" and doc.unit("4").parent is None


# ------------------------------------------------------------------------------------- labels and spans


def test_labels_are_unique_and_read_like_citations(docs):
    for name, doc in docs.items():
        labels = [u.label for u in doc.units]
        assert len(labels) == len(set(labels)), name
        unit_keys = keys(doc)
        assert len(unit_keys) == len(set(unit_keys)), name
        for u in doc.units:
            assert u.label.startswith(doc.info.citation + " — "), u.label
            assert "[" not in u.label, u.label  # footnote markers stay in the text, not in citations
    assert docs[MTG_2021].unit("agendapunt 4.2").label == \
        "SER-raadsvergadering 19 november 2021 — agendapunt 4.2 Inleiding door raadslid (Jeannine) Peek"
    assert docs[ADVIES].unit("6.3.2").label == \
        "Advies AI en werk (mei 2025) — §6.3.2 Zet waardig werk centraal bij de inzet van AI"
    assert docs[ADVIES].unit("3").label == \
        "Advies AI en werk (mei 2025) — hoofdstuk 3 Wat betekent de inzet van AI op de werkvloer?"
    assert docs[MTG_2021].unit("Bijlage 1 > Tafel 3 > Vraag 2").label == (
        "SER-raadsvergadering 19 november 2021 — Bijlage 1 Verslag Break-outsessies, tafel 3 Positie Burger, "
        "vraag 2: Op welke manier kan de SER bijdragen aan een oplossing?")
    assert docs[DTBA].unit("Werksessie 2 > Wat kan er beter?").label == (
        "Verslag Dare to be Aware (6 oktober 2022) — werksessie 2 Digitale vaardigheden: wie is verantwoordelijk?, "
        "Wat kan er beter?")
    assert docs[KABINET].unit("3.3").label == \
        "Kabinetsreactie robotisering en digitalisering (2017) — §3.3 Toerusten van mensen via leren en ontwikkelen"


def test_unit_offsets_slice_the_document_text(docs):
    for name, doc in docs.items():
        prev_end = -2
        for u in doc.units:
            assert doc.text[u.start:u.end] == u.text, (name, u.key)
            assert u.start == prev_end + 2, (name, u.key)  # units follow each other, separated by a blank line
            assert u.start <= u.body_start <= u.end
            prev_end = u.end
        assert prev_end == len(doc.text)

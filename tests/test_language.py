"""The language package (nl/): dates, numbers, footnotes, references, question understanding and follow-up
words, on examples that are not in the eval set."""

from __future__ import annotations

import pytest

from nl import dates, footnotes, numbers, references
from nl.answer_types import GENERAL, answer_spec, registry, satisfied_types, satisfies
from nl.questions import dutch_share, focus, focus_nouns, has_dutch_hint, is_dutch, is_negated, names
from nl.resources import table, word_list
from nl.sentences import split_sentences
from nl.spelling import corpus_corrections_two, dutch_correction, edit_distance, is_correct_dutch
from nl.verbs import split_verbs, verb_expansions


def test_dates_parse_dutch_spellings_and_format_back():
    assert dates.find_date("Den Haag, 3 mrt. 2022") == "2022-03-03"
    assert dates.find_date("vergadering van 12 september 2019") == "2019-09-12"
    assert dates.find_date("stand per juni 2023") == "2023-06-01"
    assert dates.find_date("brief van 25-1-2017") == "2017-01-25"
    assert dates.find_date("zonder datum") == ""
    assert dates.format_date("2023-06-05") == "5 juni 2023"
    assert dates.months()[9] == "oktober" and dates.month_numbers()["sept"] == 9
    assert dates.re_date_anchor().search("wat gebeurde er op 4 feb 2020?").group(0) == "4 feb 2020"


def test_numbers_and_money():
    import re

    assert re.search(numbers.number_pattern(), "zeven dagen") and re.search(numbers.number_pattern(), "3,5 procent")
    assert numbers.count_unit("weken") == ("week", False)
    unit, share = numbers.count_unit("gemeenten")
    assert unit == "geme" and not share
    assert numbers.count_unit("werknemers")[1]  # a share of employees answers "hoeveel werknemers"


def test_footnote_markers_are_superscripts():
    assert footnotes.marker(27) == "²⁷" and footnotes.plain("²⁷") == "27"
    assert footnotes.cites("zie de wet ²⁷ en verder", 27) and not footnotes.cites("zie ²⁷⁴", 27)
    assert footnotes.strip("Dat geldt ook hier. ¹²") == "Dat geldt ook hier."


def test_literature_references_are_not_facts():
    assert "2019" not in references.without_citations("Dat bleek eerder (Jansen, 2019).")
    assert references.is_reference("Zie ook het rapport van de inspectie.")
    assert references.is_reference("Bakker (2021).")
    assert not references.is_reference("De werkgever informeert de medewerkers vooraf.")


def test_sentence_splitting_knows_abbreviations_and_month_abbreviations():
    text = "Dit staat in art. 7 van de cao. De vergadering is op 3 sept. in Zwolle. Daarna volgt een besluit."
    assert split_sentences(text) == ["Dit staat in art. 7 van de cao.", "De vergadering is op 3 sept. in Zwolle.",
                                     "Daarna volgt een besluit."]


def test_data_files_load_once_and_hold_no_duplicates():
    for name in ("stopwords", "chat_words", "abbreviations"):
        words = word_list(name)
        assert words and len(words) == len(set(words)), name
    assert table("answer_types") is table("answer_types")  # cached


@pytest.mark.parametrize("question, kind", [
    ("Hoeveel euro kost een cursus voor de PVT?", "money"),
    ("Binnen welke termijn moet de bestuurder antwoorden?", "duration"),
    ("Hoeveel gemeenten doen mee?", "number"),
    ("Op grond van welk artikel mag de OR dat weigeren?", "article"),
    ("Op welke datum is de cao getekend?", "date_day"),
    ("Wanneer mag een werkgever camera's ophangen?", "condition"),
    ("Sinds wanneer bestaat de commissie?", "date"),
    ("Door wie is het rapport geschreven?", "person"),
    ("Waarom vindt de vakbond dat belangrijk?", "reason"),
    ("Wat betekent algoritmische discriminatie?", "definition"),
    ("Vertel me iets over de thuiswerkregeling", GENERAL),
])
def test_the_registry_tells_what_a_question_asks_for(question, kind):
    assert answer_spec(question).kind == kind


def test_only_an_explicit_ask_wants_an_amount_or_number():
    assert not answer_spec("Telt de hoogte van de bonus mee voor het instemmingsrecht?").required
    assert not answer_spec("Wat zegt de cao over het salaris van stagiairs?").required
    assert answer_spec("Hoe hoog is de boete bij een datalek?").kind == "money"


def test_a_sentence_satisfies_the_asked_type():
    assert satisfies("De bestuurder reageert binnen twee weken.", answer_spec("Binnen welke termijn reageert hij?"))
    assert not satisfies("De bestuurder reageert schriftelijk.", answer_spec("Binnen welke termijn reageert hij?"))
    assert satisfies("Dat kost 1,2 miljoen euro per jaar.", "money")
    assert satisfies("Het gaat om 12 procent van de huishoudens.", answer_spec("hoeveel huishoudens?"))
    assert satisfies("Dat staat in artikel 12 van de regeling.", "article")
    assert satisfies("Het overleg vond plaats op 4 april 2019.", answer_spec("Op welke dag was het overleg?"))
    assert not satisfies("Het overleg vond plaats in 2019.", answer_spec("Op welke dag was het overleg?"))
    spec = answer_spec("Wanneer begon het project en wie leidde het?")
    assert satisfied_types("Mevrouw De Wit leidde het project vanaf maart 2020.", spec) == ("date", "person")


def test_a_counted_noun_may_be_the_head_of_a_compound():
    spec = answer_spec("Hoeveel scholen deden mee?")
    assert satisfies("Er deden negen basisscholen mee.", spec)
    assert satisfies("Er deden 12 basisscholen mee.", spec)
    assert not satisfies("Er deden 12 gemeenten mee.", spec)


def test_a_moment_stated_as_a_condition_on_timing_answers_when_something_must_happen():
    spec = answer_spec("Op welk moment moet de gemeente de bewoners raadplegen?")
    assert spec.kind == "condition"
    assert satisfies("De raadpleging vindt plaats op een tijdstip dat de inbreng nog invloed kan hebben.", spec)
    assert satisfies("De bewoners worden gehoord voordat het plan wordt vastgesteld.", spec)
    assert not satisfies("De bewoners worden schriftelijk geraadpleegd.", spec)


def test_organisations_answer_who_and_explanations_answer_why():
    assert satisfies("De resultaten gaan naar de betrokken ministeries.", answer_spec("Met wie worden ze gedeeld?"))
    assert satisfies("Namens de vakbonden spreekt een delegatie.", answer_spec("Wie spreekt er?"))
    assert not satisfies("De resultaten worden later gedeeld.", answer_spec("Met wie worden ze gedeeld?"))
    why = answer_spec("Waarom stijgen de prijzen?")
    assert satisfies("De voornaamste verklaring is de dure energie.", why, "reason")
    assert not satisfies("De prijzen stijgen al jaren.", why, "reason")


def test_every_registered_type_has_a_message_for_what_is_missing():
    missing = table("messages")["missing"]
    assert all(name in missing for name, t in registry().items() if t.required)


def test_question_understanding():
    assert focus_nouns("Welke gemeente doet mee met de pilot?") == ["gemeente"]
    assert focus_nouns("hoe heet dat programma eigenlijk?") == ["programma"]
    assert focus_nouns("Mag de OR dat weigeren?") == []
    asked = focus("Ik werk in de thuiszorg. Onze planner gebruikt een app. Mag die app mijn route volgen?")
    assert asked == "Mag die app mijn route volgen?"
    assert focus("Mag de app mijn route volgen?") == "Mag de app mijn route volgen?"
    assert is_negated("Wat mag de werkgever niet vragen?") and not is_negated("Wat mag de werkgever vragen?")
    assert names("Gebruikt Bakkerij Visser in Zwolle AI?") == {"bakkerij", "visser", "zwolle"}


def test_dutch_or_not():
    assert has_dutch_hint("mag de baas dat?")
    assert is_dutch("OR rechten monitoring")  # short keyword questions stay Dutch
    assert is_dutch("Heeft de ondernemingsraad iets te zeggen over monitoring software?")
    assert not is_dutch("What did the council say about artificial intelligence and jobs?")
    assert dutch_share("What does the report say about jobs?") < 0.34


def test_spelling_uses_dutch_as_a_whole():
    assert is_correct_dutch("bakkerij") and not is_correct_dutch("bakkerrij")
    assert dutch_correction("vergaderign") == "vergadering"
    assert dutch_correction("hotel") == ""  # a known word is no typo


def test_first_person_stories():
    from nl.questions import is_first_person

    assert is_first_person("Ik werk bij een bakkerij in Zwolle; mag mijn baas dat?")
    assert is_first_person("Onze directie wil een rooster-app")
    assert not is_first_person("Welke AI gebruikt Bakkerij Visser?")


@pytest.mark.parametrize("question, infinitive", [
    ("Wie zit de commissie arbeidsmarkt voor?", "voorzitten"),
    ("Wanneer stelde het bestuur de begroting vast?", "vaststellen"),
    ("Wie namen er deel aan de bijeenkomst in maart?", "deelnemen"),
    ("Stemde de medezeggenschap in met het plan?", "instemmen"),
    ("Wat stelt de werkgeversorganisatie voor, en waarom?", "voorstellen"),
])
def test_a_split_separable_verb_is_joined_up(question, infinitive):
    assert [v.infinitive for v in split_verbs(question)] == [infinitive]
    assert verb_expansions(question)[0].startswith(infinitive)


@pytest.mark.parametrize("question", [
    "Wat betekent de nieuwe regeling voor ons?",
    "Zit er voor werknemers iets in?",
    "Wat is er voor de ondernemingsraad geregeld?",
    "Nam de directie een besluit?",
])
def test_a_particle_that_is_a_preposition_is_left_alone(question):
    assert split_verbs(question) == []


def test_two_typing_errors_are_corrected_within_the_corpus_only_for_long_words():
    assert edit_distance("kitten", "sitting") == 3 and edit_distance("abcd", "abdc") == 1
    vocabulary = frozenset({"medezeggenschap", "ondernemingsraad", "ondernemer", "verzekeraar"})
    assert corpus_corrections_two("medezegenschp", vocabulary) == ["medezeggenschap"]
    assert corpus_corrections_two("onderneminsrad", vocabulary) == ["ondernemingsraad"]
    assert corpus_corrections_two("verzkraar", vocabulary) == ["verzekeraar"]
    assert corpus_corrections_two("ondrnemr", vocabulary) == ["ondernemer"]
    assert corpus_corrections_two("zekeraar", vocabulary) == []  # another first letter
    assert corpus_corrections_two("ondrnem", vocabulary) == []  # too short to tell two errors from a word


def test_full_dates_reads_days_but_not_numbered_parts():
    from nl.dates import full_dates

    assert full_dates("de ledenvergadering van 3 maart 2023") == {"2023-03-03": "3 maart 2023"}
    assert set(full_dates("eerst op 12-6-2022, daarna op 2022-06-13 en 14 jun. 2022")) == \
        {"2022-06-12", "2022-06-13", "2022-06-14"}
    # a number after a numbering word numbers an item or article, not a day
    assert full_dates("wat stond er bij agendapunt 7 juni 2023?") == {}
    assert full_dates("artikel 2 mei 2019") == {}
    # a month and year alone is no full date
    assert full_dates("in juni 2023 en in 2019") == {}

"""Dutch lexical analysis and the persisted BM25 index: stemmer choice, compounds, old indexes."""

from __future__ import annotations

import numpy as np

from index_store.lexical import LexicalIndex
from nl.spelling import corpus_corrections, one_edit
from nl.text import LEGACY_STEMMER, STEMMER, Analyzer, build_vocabulary, stem, tokenize
from rag.features import unknown_words

TEXTS = [
    "De werkgever vraagt de ondernemingsraad om advies over het personeelsvolgsysteem.",
    "Werkgevers gebruiken AI bij werving en selectie; het gebruik van algoritmes groeit.",
    "Volgens de WOR gelden de artikelen 27 en 35b ook bij het ontbreken van een ondernemingsraad.",
    "Het personeel moet genoeg kennis hebben van het systeem om toezicht te houden.",
]


def test_the_stemmer_keeps_dutch_words_whole_and_conflates_inflections():
    assert stem("werkgever") == stem("werkgevers") == "werkgever"
    assert stem("gelden") != stem("gel")
    assert stem("genoeg") == "genoeg"
    assert stem("vergadering") == stem("vergaderingen")
    assert tokenize("De werkgevers gebruiken het") == ["werkgever", "gebruik"]


def test_the_newer_snowball_dutch_stemmer_is_what_old_indexes_used():
    assert stem("werkgever", LEGACY_STEMMER) == "werkver" != stem("werkgever", STEMMER)


def test_compounds_split_into_corpus_words():
    analyzer = Analyzer(build_vocabulary(TEXTS + ["personeel volgen systeem volg"]))
    tokens = analyzer.tokens("volgsysteem voor personeel")
    assert stem("systeem") in tokens and stem("volg") in tokens
    assert analyzer.compound_parts("personeelsvolgsysteem") == [stem("personeel"), stem("volg"), stem("systeem")]
    assert analyzer.compound_parts("werkgever") == []


def test_index_remembers_its_stemmer(tmp_path):
    index = LexicalIndex.build(TEXTS)
    index.save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")
    assert loaded.analyzer.stemmer == STEMMER
    query = loaded.analyzer.tokens("wat vraagt de werkgever aan de ondernemingsraad?")
    assert np.allclose(loaded.scores(query), index.scores(query))
    assert int(np.argmax(loaded.scores(query))) == 0


def test_an_index_saved_before_the_stemmer_was_recorded_is_analysed_as_it_was_built(tmp_path):
    old = LexicalIndex.build(TEXTS, stemmer=LEGACY_STEMMER)
    old.save(tmp_path / "lexical")
    (tmp_path / "lexical" / "stemmer.txt").unlink()
    loaded = LexicalIndex.load(tmp_path / "lexical")
    assert loaded.analyzer.stemmer == LEGACY_STEMMER
    assert "werkver" in loaded.analyzer.tokens("werkgever")
    assert loaded.scores(loaded.analyzer.tokens("werkgevers gebruiken algoritmes")).argmax() == 1


def test_unknown_words_use_the_index_analysis():
    analyzer = Analyzer(build_vocabulary(TEXTS))
    assert unknown_words("gebruikt de werkgever algoritmes in Utrecht?", analyzer) == ["utrecht"]


def test_plurals_the_porter_stemmer_misses_are_made_singular():
    assert stem("organisaties") == stem("organisatie")
    assert stem("technologieen") == stem("technologie")  # technologieën after accent folding
    assert stem("risicos") == stem("risico")
    assert stem("kennis") == "kennis" and stem("status") == "status"


def test_an_unknown_question_word_finds_the_compounds_it_begins():
    analyzer = Analyzer(build_vocabulary(["Emotieherkenning op de werkplek is verboden."]))
    assert stem("emotieherkenning") in analyzer.tokens("mag de camera emoties herkennen?")
    assert analyzer.heads_of(stem("werkplek")) == []  # a known word is not widened
    many = Analyzer(build_vocabulary([" ".join(f"datapunt{c}x" for c in "abcdefghij")]))
    assert many.heads_of("datapunt") == []  # too many continuations: no guess


def test_a_typing_error_in_a_question_word_finds_the_corpus_word():
    analyzer = Analyzer(build_vocabulary(["De bijeenkomst over geautomatiseerde beslissingen en het instemmingsrecht."]))
    assert stem("bijeenkomst") in analyzer.tokens("wat zei de bijeenkomts?")  # swapped letters
    assert stem("instemmingsrecht") in analyzer.tokens("heeft de OR instemingsrecht?")  # a letter missing
    assert analyzer.corrections("bijeenkomst", stem("bijeenkomst")) == []  # a known word is left alone
    assert corpus_corrections("xijeenkomst", analyzer.vocabulary) == []  # the first letter is not guessed …
    assert analyzer.corrections("xijeenkomst", "xijeenkomst") == ["bijeenkomst"]  # … but the dictionary knows it
    assert analyzer.corrections("besls", "besls") == []  # too short to guess


def test_a_correct_dutch_word_the_corpus_lacks_is_no_typo():
    analyzer = Analyzer(build_vocabulary(["Het motel en de werknemers van de bijeenkomsten."]))
    assert analyzer.corrections("hotel", stem("hotel")) == []  # wordfreq knows "hotel": not a typo of "motel"
    # a misspelling two letters away from the corpus word is found through the Dutch dictionary
    assert stem("bijeenkomsten") in analyzer.tokens("wat gebeurde er op de bijenkomsen?")


def test_one_edit_covers_the_four_kinds_of_typing_error():
    edits = one_edit("kaart")
    assert {"kart", "akart", "kaarts", "kaast"} <= edits and "kaart" not in edits

"""Reading a Dutch description of an AI system: features, representation, number of employees (nl/situation)."""

from __future__ import annotations

import pytest

from nl import situation
from nl.text import stopwords


def features(text: str) -> set[str]:
    return {h.feature for h in situation.infer_features(text)}


def test_the_issue_example_reads_as_monitoring_with_the_words_that_signal_it():
    hits = situation.infer_features("een systeem dat bijhoudt hoe snel magazijnmedewerkers orders verzamelen en "
                                    "wie achterloopt")
    assert [h.feature for h in hits] == ["monitoring"]
    assert {"bijhoudt", "achterloopt"} <= set(hits[0].words)


@pytest.mark.parametrize("text, expected", [
    ("Camera's die bijhouden wanneer medewerkers pauze nemen", {"monitoring"}),
    ("Een tool die sollicitanten selecteert op basis van hun cv", {"werving_selectie", "persoonsgegevens"}),
    ("Een chatbot voor klanten op de website", {"klantinteractie", "generatieve_ai"}),
    ("Het algoritme beslist zelf welke uitzendkrachten worden ingepland", {"geautomatiseerde_besluiten"}),
    ("Een investering van 3 miljoen euro in een nieuw platform voor de hele organisatie",
     {"belangrijke_investering", "technologische_voorziening"}),
])
def test_features_from_everyday_descriptions(text, expected):
    assert expected <= features(text)


@pytest.mark.parametrize("text, absent", [
    ("Een systeem dat de temperatuur van de koelcellen volgt", "monitoring"),  # no employees named
    ("Een chatbot die vragen van sollicitanten over vacatures beantwoordt", "werving_selectie"),  # no selecting
    ("De tool beoordeelt geen medewerkers", "beoordeling"),  # negated
    ("Voor het personeel verandert er niets: er vervallen geen functies", "werkorganisatie"),
    ("Een systeem dat de voorraad automatisch bijbestelt", "geautomatiseerde_besluiten"),
    ("Een programma dat het onderhoud van machines plant en meet hoe warm ze worden", "monitoring"),
])
def test_no_feature_without_its_context_or_when_negated(text, absent):
    assert absent not in features(text)


@pytest.mark.parametrize("text, expected", [
    ("Wij hebben een OR van negen leden", "or"),
    ("Een bedrijf zonder ondernemingsraad", "geen"),
    ("Een winkel zonder OR of PVT", "geen"),
    ("Er is geen ondernemingsraad of personeelsvertegenwoordiging", "geen"),
    ("We hebben geen OR, wel een personeelsvertegenwoordiging", "pvt"),
    ("Een kantoor met een PVT", "pvt"),
    ("Een systeem dat orders telt", None),
])
def test_representation(text, expected):
    assert situation.infer_representation(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Een bedrijf met 30 medewerkers", 30),
    ("met 1.200 vaste werknemers", 1200),
    ("We hebben 45 mensen in dienst", 45),
    ("Twintig functies vervallen", None),
    ("Een investering van 2 miljoen euro", None),
])
def test_number_of_employees(text, expected):
    assert situation.infer_employees(text) == expected


@pytest.mark.parametrize("question, expected", [
    ("Welke rechten heeft de OR bij een AI-systeem dat werknemers volgt?", True),
    ("Heeft de OR instemmingsrecht bij een camera die medewerkers controleert?", True),
    ("Wat mag de ondernemingsraad zeggen over een chatbot voor klanten?", True),
    ("Wat heeft de ondernemingsraad te zeggen over een chatbot voor klanten?", True),
    ("Wat is het instemmingsrecht?", False),  # no system
    ("Wat adviseert de SER over scholing?", False),
])
def test_rights_questions(question, expected):
    assert situation.asks_about_rights(question) is expected


def test_signal_words_never_stem_to_a_stop_word():
    """A signal whose stem is a function word matches everywhere ("meet" stems to "met"): write it as =word."""
    stop = stopwords()
    bad = [s.text for signals in situation.feature_signals().values() for s in signals
           for t, word in zip(s.tokens, s.text.split()) if t.kind == "stem" and t.text in stop and t.text != word]
    assert bad == []


def test_context_lists_resolve_their_references():
    people = {s.text for s in situation.context_signals()["personen"]}
    staff = {s.text for s in situation.context_signals()["werknemers"]}
    assert staff <= people and "@werknemers" not in people

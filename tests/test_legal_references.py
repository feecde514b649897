"""Legal references in questions (issue 13): how people write them, and the unit key they map to."""

from __future__ import annotations

import pytest

from nl.legal import LegalReference, parse_reference, parse_references


@pytest.mark.parametrize("text, key", [
    ("Wat staat er in artikel 26 lid 2?", "artikel 26 lid 2"),
    ("art. 26, tweede lid WOR", "artikel 26 lid 2"),
    ("Wat zegt het tweede lid van artikel 26?", "artikel 26 lid 2"),
    ("lid 3 van artikel 27", "artikel 27 lid 3"),
    ("artikel 25 lid 1 onder k", "artikel 25 lid 1 onder k"),
    ("art 27 lid 1 sub l WOR", "artikel 27 lid 1 onder l"),
    ("artikel 25, eerste lid, aanhef en onder k, van de WOR", "artikel 25 lid 1 onder k"),
    ("artikel 25, eerste lid, onderdeel k", "artikel 25 lid 1 onder k"),
    ("WOR art. 27(1)(l)", "artikel 27 lid 1 onder l"),
    ("artikel 7:611 BW", "artikel 7:611"),
    ("Artikel 3.1 lid 2 van de cao", "artikel 3.1 lid 2"),
    ("Wat regelt Artikel 5a?", "artikel 5a"),
])
def test_a_reference_maps_to_its_unit_key(text: str, key: str) -> None:
    ref = parse_reference(text)
    assert ref is not None and ref.key == key, (text, ref)


def test_the_law_named_after_a_reference_is_kept() -> None:
    assert parse_reference("valt dat onder artikel 27 sub l WOR?").law == "WOR"
    assert parse_reference("artikel 25, eerste lid, van de WOR").law == "WOR"
    assert parse_reference("artikelen 25 en 27 van de WOR").law == ""  # "en" is no law


def test_no_reference_without_an_article() -> None:
    for text in ("Wat is 25 procent van het loon?", "het artikel over instemming", "lid van de OR worden",
                 "Hoeveel leden heeft de raad?"):
        assert parse_reference(text) is None, text


def test_lists_of_articles() -> None:
    assert [r.key for r in parse_references("artikelen 25, 26 en 27")] == ["artikel 25", "artikel 26", "artikel 27"]
    assert [r.key for r in parse_references("het verschil tussen artikel 25 lid 1 en artikel 27 lid 1")] == \
        ["artikel 25 lid 1", "artikel 27 lid 1"]


def test_best_unit_picks_the_most_specific_key_a_document_has() -> None:
    keys = ["artikel 25", "artikel 25 lid 1", "artikel 25 lid 1 onder k", "artikel 27", "artikel 27 lid 1",
            "artikel 27 lid 1 onder l"]
    assert parse_reference("artikel 25 lid 1 onder k").best_unit(keys) == "artikel 25 lid 1 onder k"
    assert parse_reference("artikel 25 lid 4").best_unit(keys) == "artikel 25"  # the page leaves lid 4 out
    # "artikel 27 sub l" means lid 1 sub l, where the list stands
    assert parse_reference("artikel 27 sub l").best_unit(keys) == "artikel 27 lid 1 onder l"
    assert parse_reference("artikel 31").best_unit(keys) is None
    assert LegalReference("6", part="b").keys() == ["artikel 6 onder b", "artikel 6 lid 1 onder b", "artikel 6"]

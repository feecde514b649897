"""The eval set (issues 4 and 17): size, splits, styles, categories, follow-ups, and every gold quote and fact
checked against the real parser."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from eval.dataset import NEGATIVE_KINDS, SPLITS, STYLES, EvalSetError, load_items, split_paths, validate_item
from eval.goldcheck import fact_problems, quote_problems
from eval.metrics import gold_units, style_of
from vraagbaak.settings import REPO_ROOT

SETS = [p for s in SPLITS for p in split_paths(s)]
CORPUS = REPO_ROOT / "corpus"


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return load_items(SETS)


@pytest.fixture(scope="module")
def corpus(corpus_files) -> dict[str, tuple[str, object]]:
    """doc id -> (raw file text, parsed document), parsed exactly as the ingest does."""
    return {f.parsed.info.doc_id: (f.raw.text, f.parsed) for f in corpus_files.values()}


def test_the_set_is_large_enough_and_covers_all_five_documents(items, corpus):
    assert len(SETS) >= 6
    assert len(items) >= 320
    assert sum(it["answerable"] for it in items) >= 220
    negatives = [it for it in items if not it["answerable"]]
    assert len(negatives) >= 100 and sum("near-topic" in it["tags"] for it in negatives) >= 60
    assert len({it["id"] for it in items}) == len(items)
    docs = Counter(it["doc"] for it in items if it["answerable"])
    assert set(docs) == set(corpus), docs
    assert min(docs.values()) >= 10, docs


def test_category_counts(items):
    tags = Counter(t for it in items for t in it["tags"])
    print(dict(tags))
    assert tags["or"] >= 25
    assert tags["meeting"] >= 15
    assert tags["dtba"] >= 10
    assert tags["kabinet"] >= 10
    negatives = [it for it in items if not it["answerable"]]
    assert len(negatives) >= 15
    assert all("unanswerable" in it["tags"] for it in negatives)
    assert all(not it["answerable"] for it in items if "unanswerable" in it["tags"])
    assert all(sum(k in it["tags"] for k in NEGATIVE_KINDS) == 1 for it in negatives if "style" in it)
    # the tags mean what they say: meeting questions point to a meeting, dtba to Dare to be Aware, etc.
    for it in items:
        if not it["answerable"]:
            continue
        if "meeting" in it["tags"]:
            assert it["doc"].startswith("ser-raadsvergadering-"), it["id"]
        if "dtba" in it["tags"]:
            assert it["doc"] == "ser-dare-to-be-aware-2022-10-06", it["id"]
        if "kabinet" in it["tags"]:
            assert it["doc"] == "kabinetsreactie-robotisering-digitalisering", it["id"]


def test_splits_and_styles(items):
    by_split = Counter(it["_split"] for it in items)
    assert set(by_split) == set(SPLITS) and min(by_split.values()) >= 140, by_split
    styles = Counter(style_of(it) for it in items)
    assert set(styles) <= set(STYLES)
    for style in STYLES:
        if style not in ("direct", "off_topic"):  # the styles issue 17 asks for, each at least 20 times
            assert styles[style] >= 20, (style, styles[style])
            assert all(sum(1 for it in items if it["_split"] == s and style_of(it) == style) >= 3 for s in SPLITS), style
    # the questions that were tuned on before the split are all in dev
    tuned = {it["id"] for it in items if "style" not in it}
    assert all(it["_split"] == "dev" for it in items if it["id"] in tuned)


def test_follow_ups_follow_a_question_of_their_own_file(items):
    by_source: dict[str, set[str]] = {}
    for it in items:
        by_source.setdefault(it["_source"], set()).add(it["question"])
    followups = [it for it in items if it.get("history")]
    assert len(followups) >= 30
    for it in followups:
        assert all(q in by_source[it["_source"]] for q in it["history"]), it["id"]


def test_every_item_is_well_formed(items):
    for it in items:
        assert not validate_item(it), it["id"]
        if not it["answerable"]:
            assert it["doc"] is None and it["unit"] is None and it["quote"] is None, it["id"]
        assert it["answer"].strip()


def test_loading_rejects_malformed_items(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x-1", "question": "q", "answerable": true, "doc": "d", "unit": "1", '
                   '"quote": "te kort", "answer": "a", "tags": []}\n', encoding="utf-8")
    with pytest.raises(EvalSetError, match="quote moet 6 tot 30 woorden zijn"):
        load_items([bad])
    dup = tmp_path / "dup.jsonl"
    line = ('{"id": "x-1", "question": "q", "answerable": false, "doc": null, "unit": null, "quote": null, '
            '"answer": "a", "tags": ["unanswerable"]}\n')
    dup.write_text(line + line, encoding="utf-8")
    with pytest.raises(EvalSetError, match="dubbel id"):
        load_items([dup])


def test_every_quote_is_in_its_source_file_and_exactly_in_the_named_unit(items, corpus):
    answerable = [it for it in items if it["answerable"]]
    assert len(answerable) >= 220
    problems = {it["id"]: p for it in answerable if (p := quote_problems(it, corpus))}
    assert not problems, problems


def test_every_fact_occurs_in_its_gold_unit(items, corpus):
    with_facts = [it for it in items if it["answerable"] and "style" in it]
    assert len(with_facts) >= 200 and all(it.get("facts") for it in with_facts)
    problems = {it["id"]: p for it in with_facts if (p := fact_problems(it, corpus))}
    assert not problems, problems
    bad = {**with_facts[0], "facts": ["een feit dat nergens staat"]}
    assert fact_problems(bad, corpus)


def test_the_quote_check_can_fail(items, corpus):
    it = next(i for i in items if i["id"] == "mtg-01")
    assert not quote_problems(it, corpus)
    assert quote_problems({**it, "unit": "agendapunt 2"}, corpus)  # right text, wrong unit
    assert quote_problems({**it, "unit": "agendapunt 9"}, corpus)  # a unit that does not exist
    assert quote_problems({**it, "quote": it["quote"].replace("Hamer", "Hamers")}, corpus)  # not verbatim
    # a list of units is accepted when the quote is in one of them
    assert not quote_problems({**it, "unit": ["agendapunt 2", "agendapunt 1"]}, corpus)
    # a quote that the parser attributes to a neighbouring unit is caught
    kab = next(i for i in items if i["doc"] == "kabinetsreactie-robotisering-digitalisering"
               and gold_units(i) == ["3.3"])
    assert quote_problems({**kab, "unit": "3"}, corpus)  # the parent is not the most specific unit
    assert quote_problems({**kab, "unit": "3.4"}, corpus)  # a sibling

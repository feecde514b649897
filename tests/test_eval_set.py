"""The eval set (issue 4): size, categories, follow-up pairs, and every gold quote checked against the real parser."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from eval.dataset import EvalSetError, load_items, validate_item
from eval.metrics import gold_units, norm
from vraagbaak.settings import REPO_ROOT

SETS = sorted((REPO_ROOT / "eval" / "sets").glob("*.jsonl"))
CORPUS = REPO_ROOT / "corpus"


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return load_items(SETS)


@pytest.fixture(scope="module")
def corpus(corpus_files) -> dict[str, tuple[str, object]]:
    """doc id -> (raw file text, parsed document), parsed exactly as the ingest does."""
    return {f.parsed.info.doc_id: (f.raw.text, f.parsed) for f in corpus_files.values()}


def test_the_set_is_large_enough_and_covers_all_five_documents(items, corpus):
    assert len(SETS) >= 3
    assert len(items) >= 100
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
    near = sum("near-topic" in it["tags"] for it in negatives)
    assert 0.35 <= near / len(negatives) <= 0.65, (near, len(negatives))  # about half near-topic
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


def test_follow_up_pairs(items):
    by_id = {it["id"]: it for it in items}
    pairs = sorted({m.group(1) for it in items if (m := re.fullmatch(r"fu-(\d\d)[ab]", it["id"]))})
    assert len(pairs) >= 10
    for n in pairs:
        a, b = by_id.get(f"fu-{n}a"), by_id.get(f"fu-{n}b")
        assert a is not None and b is not None, n
        assert not a.get("history"), a["id"]  # the first question stands alone
        assert b.get("history") == [a["question"]], b["id"]
        assert len(b["question"]) < len(a["question"]) + 40
    assert all(re.fullmatch(r"fu-\d\d[ab]", it["id"]) for it in items if it.get("history"))


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


def quote_problems(item: dict, corpus: dict) -> list[str]:
    """Why an answerable item's quote does not sit exactly in its named unit(s); empty when it does."""
    raw, doc = corpus[item["doc"]]
    quote = norm(item["quote"])
    golds = gold_units(item)
    problems = []
    known = {u.key for u in doc.units}
    problems += [f"unit {g!r} does not exist" for g in golds if g not in known]
    in_raw = norm(raw).count(quote)
    if in_raw == 0 or (len(golds) == 1 and in_raw != 1) or in_raw > len(golds):
        problems.append(f"quote occurs {in_raw}x in the source file")
    inside = [u.key for u in doc.units if quote in norm(u.text)]
    subtree = {u.key for u in doc.units if any(g in u.path for g in golds)}
    if not any(k in golds for k in inside):
        # the named unit itself must hold it (the most specific unit, not a parent of it)
        problems.append(f"quote not in the named unit(s) {golds}; found in {inside}")
    outside = [k for k in inside if k not in subtree]
    if outside:
        problems.append(f"quote also in units outside {golds}: {outside}")
    return problems


def test_every_quote_is_in_its_source_file_and_exactly_in_the_named_unit(items, corpus):
    answerable = [it for it in items if it["answerable"]]
    assert len(answerable) >= 80
    problems = {it["id"]: p for it in answerable if (p := quote_problems(it, corpus))}
    assert not problems, problems


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

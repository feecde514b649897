"""Checks of gold fields against the real parser: quotes sit exactly in their named unit, facts occur in it.

``python -m eval.goldcheck FILE.jsonl ...`` prints the problems per item and counts per split and style;
``python -m eval.goldcheck --units DOC_ID`` lists the unit keys of a document of the default corpus.
It never runs the answering system: question writers use it before anyone asks the system their questions.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path

from eval.metrics import fact_alternatives, gold_units, norm
from vraagbaak.settings import REPO_ROOT

CORPUS = REPO_ROOT / "corpus"


@lru_cache(maxsize=1)
def default_corpus() -> dict[str, tuple[str, object]]:
    """doc id -> (raw file text, parsed document), parsed exactly as the ingest does."""
    from ingest.metadata import load_manifest
    from ingest.pipeline import parse_file

    out = {}
    for name in load_manifest(CORPUS):
        f = parse_file(CORPUS / name)
        out[f.parsed.info.doc_id] = (f.raw.text, f.parsed)
    return out


def quote_problems(item: dict, corpus: dict) -> list[str]:
    """Why an answerable item's quote does not sit exactly in its named unit(s); empty when it does."""
    if item.get("doc") not in corpus:
        return [f"unknown doc {item.get('doc')!r}"]
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
        problems.append(f"quote not in the named unit(s) {golds}; found in {inside}")
    outside = [k for k in inside if k not in subtree]
    if outside:
        problems.append(f"quote also in units outside {golds}: {outside}")
    return problems


def fact_problems(item: dict, corpus: dict) -> list[str]:
    """Facts an answer could not contain: each (one of its alternatives) must occur in a gold unit's text."""
    if item.get("doc") not in corpus:
        return []
    _, doc = corpus[item["doc"]]
    golds = set(gold_units(item)) | set(item.get("fact_units") or [])
    texts = " ".join(norm(u.text).lower() for u in doc.units if u.key in golds)
    return [f"fact {fact!r} not in the gold unit(s)" for fact in item.get("facts") or []
            if not any(norm(alt).lower() in texts for alt in fact_alternatives(fact))]


def item_problems(item: dict, corpus: dict) -> list[str]:
    from eval.dataset import validate_item

    problems = validate_item(item)
    if not problems and item["answerable"]:
        problems += quote_problems(item, corpus) + fact_problems(item, corpus)
    return problems


def main(argv: list[str] | None = None) -> int:
    import json

    parser = argparse.ArgumentParser(prog="python -m eval.goldcheck")
    parser.add_argument("files", nargs="*")
    parser.add_argument("--units", metavar="DOC_ID")
    args = parser.parse_args(argv)
    corpus = default_corpus()
    if args.units:
        for u in corpus[args.units][1].units:
            print(f"{u.key!r:60} {u.label}")
        return 0
    bad = 0
    styles: Counter = Counter()
    for path in args.files:
        split = Path(path).parent.name
        for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except ValueError as exc:
                print(f"{path}:{lineno}: invalid JSON: {exc}")
                bad += 1
                continue
            problems = item_problems(item, corpus)
            if problems:
                bad += 1
                print(f"{path}:{lineno} ({item.get('id')}): " + "; ".join(problems))
            styles[(split, item.get("style"), "answerable" if item.get("answerable") else "unanswerable")] += 1
    for (split, style, kind), n in sorted(styles.items(), key=lambda kv: tuple(str(x) for x in kv[0])):
        print(f"{split:6} {str(style):14} {kind:13} {n}")
    print(f"{bad} item(s) with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

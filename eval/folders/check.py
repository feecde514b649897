"""Check the gold fields of a folder's eval set against the real parser, as ``eval.goldcheck`` does for the corpus.

``python -m eval.folders.check eval/folders/or-map.jsonl`` builds the folder's generated files (Word, PDF),
parses every file of ``eval/folders/or-map/`` exactly as the ingest does, and prints per item why its quote does
not sit exactly in its named unit or a fact is not in it. ``--units DOC_ID`` lists a document's unit keys. It
never runs the answering system.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eval.folders.build import FOLDERS, build


def folder_corpus(folder: Path) -> dict[str, tuple[str, object]]:
    """doc id -> (raw file text, parsed document) for every file of ``folder`` the ingest would read."""
    from ingest.pipeline import discover, parse_file

    files, _ = discover([folder])
    out = {}
    for path in files:
        f = parse_file(path)
        out[f.parsed.info.doc_id] = (f.raw.text, f.parsed)
    return out


def main(argv: list[str] | None = None) -> int:
    from eval.goldcheck import item_problems

    parser = argparse.ArgumentParser(prog="python -m eval.folders.check")
    parser.add_argument("files", nargs="+", help="eval set(s) of a folder, e.g. eval/folders/or-map.jsonl")
    parser.add_argument("--units", metavar="DOC_ID", help="list the unit keys and labels of one document")
    args = parser.parse_args(argv)
    build()
    bad = 0
    for name in args.files:
        path = Path(name)
        corpus = folder_corpus(FOLDERS / path.stem)
        if args.units:
            for u in corpus[args.units][1].units:
                print(f"{u.key!r:40} {u.label}")
            return 0
        items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for item in items:
            problems = item_problems(item, corpus)
            if problems:
                bad += 1
                print(f"{path}: {item.get('id')}: " + "; ".join(problems))
        answerable = sum(1 for it in items if it.get("answerable"))
        print(f"{path}: {len(items)} items ({answerable} answerable, {len(items) - answerable} unanswerable), "
              f"{len(corpus)} documents")
    print(f"{bad} item(s) with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

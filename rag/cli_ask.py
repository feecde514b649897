"""``vraagbaak ask``: one question, a JSONL batch, or an interactive prompt (stable CLI contract)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from index_store.store import StoreError
from rag.types import Answer
from vraagbaak.settings import Settings


def format_answer(ans: Answer) -> str:
    """Plain-text rendering for the terminal (Dutch)."""
    lines = [ans.answer]
    if ans.notice:
        lines.insert(0, f"({ans.notice})")
    if ans.refused and ans.passages:
        lines += ["", "Misschien relevant:"] + [f"  - {p.label}" for p in ans.passages[:3]]
    elif ans.citations:
        lines += ["", "Bronnen:"] + [f"  [{c.n}] {c.label}" for c in ans.citations]
    return "\n".join(lines)


def _filters(args) -> dict | None:
    f = {"docs": args.doc or [], "doc_types": args.doc_type or [], "date_from": args.date_from or "",
         "date_to": args.date_to or ""}
    return f if any(f.values()) else None


def _error_object(qid, question, message: str) -> dict:
    return {"id": qid, "question": question, "answer": message, "refused": True, "citations": [],
            "passages": [], "timing_ms": 0.0, "error": message}


def run_batch(engine, path: Path, k: int | None, filters: dict | None, out=sys.stdout) -> int:
    """Answer every ``{"id", "question"}`` line of a JSONL file; one JSON object per line, same order."""
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("geen JSON-object")
        except ValueError as exc:
            print(json.dumps(_error_object(None, "", f"regel {lineno} is geen geldige JSON: {exc}"),
                             ensure_ascii=False), file=out, flush=True)
            continue
        question = item.get("question")
        if not isinstance(question, str):
            print(json.dumps(_error_object(item.get("id"), "", f"regel {lineno} mist een tekstveld 'question'"),
                             ensure_ascii=False), file=out, flush=True)
            continue
        ans = engine.answer(question, history=item.get("history"), filters=filters, k=k, qid=item.get("id"))
        print(json.dumps(ans.to_json(), ensure_ascii=False), file=out, flush=True)
    return 0


def interactive(engine, k: int | None, filters: dict | None) -> int:
    history: list[str] = []
    print("Vraagbaak AI & Werk — stel je vraag (leeg of Ctrl-D om te stoppen).")
    while True:
        try:
            question = input("\nVraag: ").strip()
        except EOFError:
            return 0
        if not question:
            return 0
        ans = engine.answer(question, history=history, filters=filters, k=k)
        print("\n" + format_answer(ans))
        history.append(question)


def run_ask(args, settings: Settings) -> int:
    from rag.engine import get_engine

    try:
        engine = get_engine(settings)
        engine.ensure_store()
    except StoreError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    filters = _filters(args)
    if args.questions:
        path = Path(args.questions)
        if not path.is_file():
            print(f"Bestand niet gevonden: {path}", file=sys.stderr)
            return 2
        return run_batch(engine, path, args.k, filters)
    if args.question is None:
        return interactive(engine, args.k, filters)
    history = json.loads(args.history) if args.history else None
    ans = engine.answer(args.question, history=history, filters=filters, k=args.k)
    print(json.dumps(ans.to_json(), ensure_ascii=False) if args.json else format_answer(ans))
    return 0

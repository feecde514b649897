"""``vraagbaak ask``: one question, a JSONL batch, or an interactive prompt (stable CLI contract)."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path

from index_store.store import StoreError
from nl.resources import table
from rag.batch import BatchLine, clean, parse_line, read_lines
from rag.types import Answer
from vraagbaak.settings import Settings
from vraagbaak.terminal import strip_control


def format_answer(ans: Answer) -> str:
    """Plain-text rendering for the terminal (Dutch); control characters from documents are removed."""
    lines = [ans.answer]
    if ans.notice:
        lines.insert(0, f"({ans.notice})")
    if ans.refused and ans.passages:
        lines += ["", "Misschien relevant:"] + [f"  - {p.label}" for p in ans.passages[:3]]
    elif ans.citations:
        lines += ["", "Bronnen:"] + [f"  [{c.n}] {c.label}" for c in ans.citations]
    return strip_control("\n".join(lines))


def _filters(args) -> dict | None:
    f = {"docs": args.doc or [], "doc_types": args.doc_type or [], "date_from": args.date_from or "",
         "date_to": args.date_to or ""}
    return f if any(f.values()) else None


def _error_object(qid, question, message: str) -> dict:
    return {"id": qid, "question": question, "answer": message, "refused": True, "citations": [],
            "passages": [], "timing_ms": 0.0, "error": message}


def emit(obj: dict, out) -> None:
    """One JSON object on one line (U+2028 and friends escaped, so no reader splits it)."""
    text = json.dumps(clean(obj), ensure_ascii=False)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")
    out.write(text + "\n")
    out.flush()


def answer_line(engine, line: BatchLine, k: int | None, filters: dict | None) -> dict:
    """The JSON object for one batch line: the answer, or an error object with a Dutch reason."""
    if line.item is None:
        return _error_object(line.qid, line.question, line.error)
    item = line.item
    try:
        return engine.answer(item.question, history=item.history, filters=filters, k=k, qid=item.qid).to_json()
    except StoreError as exc:
        return _error_object(item.qid, item.question, str(exc))
    except Exception as exc:  # noqa: BLE001 - one failing question never stops the batch
        traceback.print_exc(file=sys.stderr)
        message = table("messages")["batch_failed"].format(line=line.number, reason=exc.__class__.__name__)
        return _error_object(item.qid, item.question, message)


def run_batch(engine, path: Path, k: int | None, filters: dict | None, out=sys.stdout,
              settings: Settings | None = None) -> int:
    """Answer every ``{"id", "question"}`` line of a JSONL file: exactly one JSON object per line, same order."""
    settings = settings or engine.settings
    too_many = table("messages")["batch_too_many"]
    for number, data, size in read_lines(path, settings.max_batch_line_bytes):
        if number > settings.max_batch_questions:
            emit(_error_object(None, "", too_many.format(line=number, limit=settings.max_batch_questions)), out)
            continue
        emit(answer_line(engine, parse_line(number, data, size, settings), k, filters), out)
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


def _history_arg(raw: str | None, settings: Settings) -> list | None:
    """The ``--history`` argument: a JSON list (of questions or chat messages)."""
    if not raw:
        return None
    from rag.batch import nesting_depth

    if nesting_depth(raw, settings.max_json_depth) > settings.max_json_depth:
        raise ValueError(table("messages")["history_invalid"])
    try:
        history = json.loads(raw)
    except (ValueError, RecursionError):
        raise ValueError(table("messages")["history_invalid"]) from None
    if not isinstance(history, list):
        raise ValueError(table("messages")["history_invalid"])
    return clean(history)


def run_ask(args, settings: Settings) -> int:
    from rag.engine import get_engine

    if args.json or args.questions:
        sys.stdout.reconfigure(encoding="utf-8", errors="replace")  # the contract is UTF-8 JSON
    filters = _filters(args)
    path = Path(args.questions) if args.questions else None
    if path is not None and not path.is_file():
        print(f"Bestand niet gevonden: {path}", file=sys.stderr)
        return 2
    engine = get_engine(settings)
    try:
        engine.ensure_store()
        store_problem = ""
    except StoreError as exc:
        store_problem = str(exc)
        print(store_problem, file=sys.stderr)
    if path is not None:
        run_batch(engine, path, args.k, filters, settings=settings)  # a broken store: an error object per line
        return 2 if store_problem else 0
    try:
        history = _history_arg(args.history, settings)
    except ValueError as exc:
        if args.json:
            emit(_error_object(None, args.question or "", str(exc)), sys.stdout)
        print(str(exc), file=sys.stderr)
        return 2
    if store_problem:
        if args.json:
            emit(_error_object(None, args.question or "", store_problem), sys.stdout)
        return 2
    if args.question is None:
        return interactive(engine, args.k, filters)
    ans = engine.answer(args.question, history=history, filters=filters, k=args.k)
    if args.json:
        emit(ans.to_json(), sys.stdout)
    else:
        print(format_answer(ans))
    return 0

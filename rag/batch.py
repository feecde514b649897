"""Reading an ``ask --questions`` file: bytes per line, split on ``\\n`` only, every line its own verdict.

Each line becomes either a ``BatchItem`` (a question to answer) or a Dutch error message; nothing in a line
(invalid UTF-8, lone surrogates, U+2028, deep nesting, any JSON shape) can stop the lines after it.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from nl.resources import table
from vraagbaak.settings import Settings

_OPEN = frozenset("[{")
_RE_SURROGATE = re.compile("[\ud800-\udfff]")
_CLOSE = frozenset("]}")


@dataclass
class BatchItem:
    qid: object
    question: str
    history: list | None


@dataclass
class BatchLine:
    number: int
    item: BatchItem | None
    error: str = ""
    qid: object = None
    question: str = ""


def read_lines(path: Path, max_bytes: int) -> Iterator[tuple[int, bytes | None, int]]:
    """``(line number, bytes, size)`` per line; ``bytes`` is None for a line longer than ``max_bytes`` (its
    rest is skipped unread into memory). Lines end at ``\\n`` only; one trailing ``\\r`` is dropped."""
    with open(path, "rb") as fh:
        number = 0
        while True:
            part = fh.readline(max_bytes + 2)
            if not part:
                return
            number += 1
            data = part[:-1] if part.endswith(b"\n") else part
            if len(data) > max_bytes + (1 if data.endswith(b"\r") else 0):
                size = len(data)
                while part and not part.endswith(b"\n"):
                    part = fh.readline(1 << 20)
                    size += len(part) - (1 if part.endswith(b"\n") else 0)
                yield number, None, size
                continue
            yield number, data[:-1] if data.endswith(b"\r") else data, len(data)


def nesting_depth(text: str, limit: int) -> int:
    """How deep ``[`` and ``{`` nest outside JSON strings; stops counting just past ``limit``."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in _OPEN:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif ch in _CLOSE:
            depth -= 1
    return deepest


def clean(value: object) -> object:
    """A parsed JSON value made safe to write back: lone surrogates replaced, NaN and infinities as text."""
    if isinstance(value, str):
        return _RE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    return value


def parse_line(number: int, data: bytes | None, size: int, settings: Settings) -> BatchLine:
    """One line of the batch file as a question or a Dutch error."""
    msg = table("messages")
    if data is None:
        return BatchLine(number, None, msg["batch_line_too_long"].format(line=number, size=size,
                                                                         limit=settings.max_batch_line_bytes))
    text = data.decode("utf-8", "replace")
    if number == 1:
        text = text.removeprefix("\ufeff")
    if not text.strip():
        return BatchLine(number, None, msg["batch_empty_line"].format(line=number))
    if nesting_depth(text, settings.max_json_depth) > settings.max_json_depth:
        return BatchLine(number, None, msg["batch_too_deep"].format(line=number, limit=settings.max_json_depth))
    try:
        item = clean(json.loads(text))
    except (ValueError, RecursionError) as exc:
        return BatchLine(number, None, msg["batch_not_json"].format(line=number, reason=str(exc)[:200]))
    if not isinstance(item, dict):
        return BatchLine(number, None, msg["batch_not_object"].format(line=number))
    qid = item.get("id")
    question = item.get("question")
    if not isinstance(question, str):
        return BatchLine(number, None, msg["batch_no_question"].format(line=number), qid)
    history = item.get("history")
    if history is not None and not isinstance(history, list):
        return BatchLine(number, None, msg["history_invalid"], qid, question)
    return BatchLine(number, BatchItem(qid, question, history), qid=qid, question=question)

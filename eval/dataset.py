"""Loading and validating the eval set (``eval/sets/*.jsonl``)."""

from __future__ import annotations

import json
from pathlib import Path

REQUIRED = ("id", "question", "answerable", "doc", "unit", "quote", "answer", "tags")


class EvalSetError(ValueError):
    pass


def validate_item(item: dict) -> list[str]:
    """Problems with one eval item (empty list when it is well-formed)."""
    problems = [f"veld ontbreekt: {k}" for k in REQUIRED if k not in item]
    if problems:
        return problems
    if not isinstance(item["answerable"], bool):
        problems.append("answerable moet true/false zijn")
    if item["answerable"]:
        for k in ("doc", "unit", "quote"):
            if not item[k]:
                problems.append(f"{k} is leeg bij een beantwoordbare vraag")
        if item["quote"] and not 6 <= len(item["quote"].split()) <= 30:
            problems.append("quote moet 6 tot 30 woorden zijn")
    if not isinstance(item["tags"], list):
        problems.append("tags moet een lijst zijn")
    if "history" in item and not isinstance(item["history"], list):
        problems.append("history moet een lijst zijn")
    return problems


def load_items(paths: list[Path]) -> list[dict]:
    """All items of the given JSONL files, validated; ids must be unique."""
    items: list[dict] = []
    seen: set[str] = set()
    for path in paths:
        for lineno, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            item = json.loads(line)
            problems = validate_item(item)
            if item.get("id") in seen:
                problems.append("dubbel id")
            if problems:
                raise EvalSetError(f"{path}:{lineno} ({item.get('id')}): " + "; ".join(problems))
            seen.add(item["id"])
            item["_source"] = str(path)
            items.append(item)
    return items

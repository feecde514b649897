"""Loading and validating the eval set (``eval/sets/*.jsonl``)."""

from __future__ import annotations

import json
from pathlib import Path

from vraagbaak.settings import REPO_ROOT

SETS_DIR = REPO_ROOT / "eval" / "sets"
# Tune on dev; judge on test (never looked at while tuning).
SPLITS = ("dev", "test")

REQUIRED = ("id", "question", "answerable", "doc", "unit", "quote", "answer", "tags")
# How a question is phrased (issue 17); every item of the dev/test splits names one.
STYLES = ("direct", "paraphrase", "informal", "typo", "long", "followup", "comparison", "when_who", "short",
          "multipart", "negation", "first_person", "false_premise", "near_topic", "off_topic")
# What kind of unanswerable question it is; each unanswerable item carries exactly one of these tags.
NEGATIVE_KINDS = ("near-topic", "off-topic", "false-premise")


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
    if "style" in item:
        problems += _style_problems(item)
    return problems


def _style_problems(item: dict) -> list[str]:
    problems = []
    if item["style"] not in STYLES:
        problems.append(f"onbekende style {item['style']!r}")
    facts = item.get("facts")
    if item["answerable"]:
        if not isinstance(facts, list) or not 1 <= len(facts) <= 3:
            problems.append("facts moet 1 tot 3 feiten bevatten")
        elif not all(isinstance(f, str) and f.strip() or isinstance(f, list) and f and
                     all(isinstance(a, str) and a.strip() for a in f) for f in facts):
            problems.append("een feit is een tekst of een lijst van alternatieve teksten")
    else:
        kinds = [t for t in item.get("tags", []) if t in NEGATIVE_KINDS]
        if len(kinds) != 1:
            problems.append("een onbeantwoordbare vraag heeft precies één van de tags " + ", ".join(NEGATIVE_KINDS))
        if "unanswerable" not in item.get("tags", []):
            problems.append("een onbeantwoordbare vraag heeft de tag unanswerable")
    if item["style"] == "followup" and not item.get("history"):
        problems.append("een vervolgvraag heeft een history")
    return problems


def split_paths(split: str) -> list[Path]:
    """The JSONL files of one split."""
    return sorted((SETS_DIR / split).glob("*.jsonl"))


def load_items(paths: list[Path]) -> list[dict]:
    """All items of the given JSONL files, validated; ids must be unique. Each item gets ``_split`` (the folder
    it is in: ``dev`` or ``test``) and ``_source``."""
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
            item["_split"] = Path(path).parent.name if Path(path).parent.name in SPLITS else "dev"
            items.append(item)
    return items

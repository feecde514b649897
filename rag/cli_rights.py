"""``vraagbaak rechten``: the Rechtenwijzer for a situation given as a JSON file, standard input or a
description on the command line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rag.rightsguide import SituationError, rights, rules
from rag.rightsguide.situation import EXAMPLE
from rag.rightsguide.text import format_report
from vraagbaak.settings import Settings

USAGE = ("Geef een situatie met --situatie BESTAND (of --situatie - voor standaardinvoer), bijvoorbeeld "
         f"{EXAMPLE}, of een beschrijving: vraagbaak rechten \"een systeem dat …\".")


def read_situation(source: str, stdin=None) -> dict:
    """The JSON object in file ``source`` (``-``: standard input); raises ``SituationError`` (Dutch)."""
    name = "standaardinvoer" if source == "-" else source
    try:
        text = (stdin or sys.stdin).read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SituationError(f"Bestand niet gevonden: {source}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SituationError(f"Kan {name} niet lezen ({exc.__class__.__name__}); geef een UTF-8-tekstbestand "
                             "met één JSON-object.") from None
    if not text.strip():
        raise SituationError(f"{name.capitalize()} is leeg. {USAGE}")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SituationError(f"Geen geldige JSON in {name} (regel {exc.lineno}, kolom {exc.colno}: {exc.msg}). "
                             f"Voorbeeld: {EXAMPLE}") from None


def run_rights(args, settings: Settings, stdin=None, out=None) -> int:
    out = out or sys.stdout
    try:
        if args.situatie:
            situation = read_situation(args.situatie, stdin)
        elif args.beschrijving:
            situation = {"beschrijving": " ".join(args.beschrijving)}
        else:
            raise SituationError(USAGE)
        report = rights(situation, settings)
    except SituationError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    text = json.dumps(report.to_json(), ensure_ascii=False) if args.json else format_report(report, rules(settings))
    print(text, file=out)
    return 0

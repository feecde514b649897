"""The conversation on the page as HTML: each question exactly as typed (escaped), each answer with buttons to
copy it as plain text and to rate it.

The buttons carry data attributes that the page script (``ui.assets.HEAD``) acts on: ``data-tekst`` is the
plain text the copy button puts on the clipboard, ``data-beoordeel``/``data-waarde`` a rating it hands to the
server. Labels are text, never markup.
"""

from __future__ import annotations

from ui import render
from ui.export import answer_text
from ui.render import esc
from ui.rights_tab import pointer_html

EMPTY = ("<div class='gesprek-leeg'><p><strong>Stel hieronder je vraag</strong>, of kies een voorbeeldvraag. "
         "Je kunt doorvragen: een vervolgvraag gebruikt het gesprek tot nu toe.</p></div>")
WAITING = "Bezig met zoeken in de documenten…"
RATINGS = ((1, "Goed antwoord", "duim-op"), (-1, "Geen goed antwoord", "duim-neer"))
_ICONS = {
    "kopieer": "<path d='M9 9h10v12H9zM5 15V3h10' fill='none' stroke='currentColor' stroke-width='2' "
               "stroke-linejoin='round'/>",
    "duim-op": "<path d='M7 10v11H3V10zm0 0 4-8c1.7 0 3 1.3 3 3v3h5.5a2 2 0 0 1 2 2.3l-1.4 8.5A2 2 0 0 1 18.1 21H7' "
               "fill='none' stroke='currentColor' stroke-width='2' stroke-linejoin='round'/>",
    "duim-neer": "<path d='M17 14V3h4v11zm0 0-4 8c-1.7 0-3-1.3-3-3v-3H4.5a2 2 0 0 1-2-2.3l1.4-8.5A2 2 0 0 1 5.9 3H17' "
                 "fill='none' stroke='currentColor' stroke-width='2' stroke-linejoin='round'/>",
}


def icon(name: str) -> str:
    return (f"<svg class='icoon' viewBox='0 0 24 24' width='18' height='18' aria-hidden='true' focusable='false'>"
            f"{_ICONS[name]}</svg>")


def question_html(text: str) -> str:
    """The user's question as typed: escaped (line breaks show through CSS), never read as HTML or Markdown."""
    return (f"<article class='bericht vraag-bericht' aria-label='Jouw vraag'>"
            f"<p class='vraag-tekst'>{esc(text)}</p></article>")


def actions_html(turn: dict, number: int, rating: int) -> str:
    """Copy (plain text with the sources as a numbered list) and thumbs up/down (pressed = the current rating)."""
    buttons = [f"<button type='button' class='actie kopieer' data-tekst='{esc(answer_text(turn))}' "
               f"title='Kopieer antwoord {number} als tekst'>{icon('kopieer')}<span>Kopieer</span></button>"]
    if not turn.get("error"):
        for value, label, name in RATINGS:
            buttons.append(
                f"<button type='button' class='actie duim' data-beoordeel='{esc(turn['id'])}' data-waarde='{value}' "
                f"aria-pressed='{'true' if rating == value else 'false'}' aria-label='{label}' title='{label}'>"
                f"{icon(name)}</button>")
    return f"<div class='acties' role='group' aria-label='Bij antwoord {number}'>{''.join(buttons)}</div>"


def answer_block(turn: dict, number: int, rating: int = 0, shown: str | None = None) -> str:
    """An answer as it appears in the conversation; while ``shown`` (the streamed part) is set, without buttons."""
    final = shown is None
    actions = actions_html(turn, number, rating) if final else ""
    return (f"<article class='bericht antwoord-bericht' aria-label='Antwoord {number}' "
            f"data-antwoord='{esc(turn['id'])}' data-klaar='{int(final)}'>"
            f"{render.answer_html(turn, shown)}{pointer_html(turn) if final else ''}{actions}</article>")


def waiting_html(number: int) -> str:
    return (f"<article class='bericht antwoord-bericht bezig' aria-label='Antwoord {number}' data-klaar='0'>"
            f"<p class='bezig-tekst'>{WAITING}</p></article>")


def conversation_html(turns: list[dict], ratings: dict[str, int] | None = None, asking: str | None = None,
                      live: dict | None = None, shown: str | None = None) -> str:
    """All finished turns; then, while a question is being answered, ``asking`` with ``live`` (its turn once the
    engine has answered) streamed up to ``shown``."""
    ratings = ratings or {}
    parts = []
    for i, turn in enumerate(turns, 1):
        parts.append(question_html(turn["question"]))
        parts.append(answer_block(turn, i, ratings.get(turn["id"], 0)))
    busy = asking is not None
    if busy:
        number = len(turns) + 1
        parts.append(question_html(asking))
        parts.append(answer_block(live, number, shown=shown if shown is not None else live["answer"])
                     if live else waiting_html(number))
    body = "".join(parts) or EMPTY
    return (f"<section class='gesprek' aria-label='Gesprek' aria-busy='{'true' if busy else 'false'}' "
            f"data-aantal='{len(turns)}'>{body}</section>")

"""The chat behind the page: ask, stream, retry, clear, rate, export, and "show this source".

A conversation is a per-session list of "turns": one plain dict per question and answer with what the page needs
to show the answer and its sources, store feedback and export the conversation. The page's conversation is
rendered from the turns (``ui.conversation``); the question box is never written while an answer streams, so
what the user types meanwhile stays.
"""

from __future__ import annotations

import sys
import traceback
import uuid
from datetime import datetime
from typing import Iterator

import gradio as gr

from index_store.store import StoreError
from rag.context import passage_context
from rag.engine import get_engine
from rag.types import Answer
from ui import render
from ui.conversation import conversation_html
from ui.export import write_exports
from ui.feedback import FeedbackStore
from ui.filters import FilterError, build_filters, describe_filters
from ui.rights_tab import pointer_json
from vraagbaak.settings import Settings

FAILED = "Er ging iets mis bij het beantwoorden van deze vraag. Probeer het opnieuw of stel de vraag anders."


def turn_from_answer(ans: Answer, filters: dict | None, filter_text: str = "") -> dict:
    """What the page keeps of an answer (JSON-safe)."""
    return {
        "id": uuid.uuid4().hex[:12],
        "question": ans.question,
        "standalone": ans.standalone_question,
        "answer": ans.answer,
        "refused": bool(ans.refused),
        "reason": str(ans.diagnostics.get("reason", "")),
        "notice": ans.notice,
        "caveat": ans.caveat,
        "passages": [{"n": p.n, "label": p.label, "chunk_id": p.chunk_id, "doc": p.doc, "doc_title": p.doc_title,
                      "doc_type": p.doc_type, "doc_date": p.doc_date, "text": p.text} for p in ans.passages],
        "cited": [c.n for c in ans.citations],
        "sentences": [[s, int(n)] for s, n in ans.sentences],
        "filters": filters or {},
        "filter_text": filter_text,
        "asked_at": datetime.now().isoformat(timespec="seconds"),
        "follow_up_of": "",
        "error": "",
    }


def error_turn(question: str, message: str) -> dict:
    return {"id": uuid.uuid4().hex[:12], "question": question, "standalone": "", "answer": message,
            "refused": True, "reason": "error", "notice": "", "caveat": "", "passages": [], "cited": [],
            "sentences": [], "filters": {}, "filter_text": "", "asked_at": datetime.now().isoformat(timespec="seconds"),
            "follow_up_of": "", "error": message}


def sentence_steps(text: str) -> Iterator[str]:
    """Growing prefixes of an answer, one cited sentence at a time: each ends after a ``[n]`` marker (the last,
    the whole text, is left to the final update). Sent as soon as the answer is there, without any pause: the
    page shows the answer as it arrives and a request never holds a worker while it waits."""
    ends = [m.end() for m in render.MARKER.finditer(text)]
    for end in ends:
        if text[end:].strip():
            yield text[:end]


def export_updates(turns: list[dict]) -> tuple:
    """The two download buttons: the conversation as Markdown and as PDF (disabled while it is empty)."""
    if not turns:
        return (gr.update(value=None, interactive=False), gr.update(value=None, interactive=False))
    md, pdf = write_exports(turns)
    return gr.update(value=str(md), interactive=True), gr.update(value=str(pdf), interactive=True)


class ChatService:
    """Event handlers for one page; the engine is the process-wide one from ``get_engine``."""

    def __init__(self, settings: Settings, feedback: FeedbackStore):
        self.settings = settings
        self.engine = get_engine(settings)
        self.feedback = feedback

    # ---------------------------------------------------------------------------------------- asking
    def _filter_text(self, filters: dict | None) -> str:
        if not filters:
            return ""
        documents = self.engine.ensure_store().manifest.get("documents", {})
        names = {d: m.get("citation") or m.get("title") or d for d, m in documents.items()}
        kinds = {k: render.doc_type_label(k) for k in filters.get("doc_types", [])}
        return describe_filters(filters, names, kinds)

    def ask(self, question: str, history: list[str], filters: dict | None) -> dict:
        try:
            self.engine.ensure_store()
            ans = self.engine.answer(question, history=history or None, filters=filters)
            turn = turn_from_answer(ans, filters, self._filter_text(filters))
            turn["rechtenwijzer"] = pointer_json(question[:self.settings.max_question_chars], self.settings)
            return turn
        except StoreError as exc:
            return error_turn(question, f"{exc} Zie de melding bovenaan de pagina.")
        except Exception:  # noqa: BLE001 - the page shows a Dutch message, the log gets the traceback
            traceback.print_exc(file=sys.stderr)
            return error_turn(question, FAILED)

    def _ratings(self, turns: list[dict]) -> dict[str, int]:
        return self.feedback.ratings([t["id"] for t in turns])

    def _stream(self, question: str, turns: list[dict], filters: dict | None):
        """Yields (conversation, question box, turns); the box is always skipped."""
        ratings = self._ratings(turns)
        yield conversation_html(turns, ratings, asking=question), gr.skip(), turns
        history = [t["question"] for t in turns]
        turn = self.ask(question, history, filters)
        standalone = " ".join(turn["standalone"].split())
        if history and standalone and standalone != " ".join(question.split()):
            turn["follow_up_of"] = history[-1]  # the engine read this question in the light of the last one
        if not turn["refused"]:
            for shown in sentence_steps(turn["answer"]):
                yield conversation_html(turns, ratings, asking=question, live=turn, shown=shown), gr.skip(), turns
        turns = turns + [turn]
        yield conversation_html(turns, self._ratings(turns)), gr.skip(), turns

    def respond(self, question, turns, docs, doc_types, date_from, date_to):
        """Submit: stream the answer to ``question`` as the next turn of the conversation. The page has already
        emptied the question box; a question that cannot be sent (a wrong date) is put back."""
        turns = list(turns or [])
        question = (question or "").strip()
        if not question:
            yield gr.skip(), gr.skip(), gr.skip()
            return
        try:
            filters = build_filters(docs, doc_types, date_from, date_to)
        except FilterError as exc:
            gr.Warning(str(exc))
            yield gr.skip(), question, gr.skip()
            return
        yield from self._stream(question, turns, filters)

    def retry(self, turns, docs, doc_types, date_from, date_to):
        """"Opnieuw": ask the last question again (with the filters as they are now)."""
        turns = list(turns or [])
        if not turns:
            yield gr.skip(), gr.skip(), gr.skip()
            return
        try:
            filters = build_filters(docs, doc_types, date_from, date_to)
        except FilterError as exc:
            gr.Warning(str(exc))
            yield gr.skip(), gr.skip(), gr.skip()
            return
        yield from self._stream(turns[-1]["question"], turns[:-1], filters)

    @staticmethod
    def clear():
        """"Nieuw gesprek": empty conversation, no turns, the passage panel back to its explanation, nothing to
        export."""
        return (conversation_html([]), [], render.PLACEHOLDER, *export_updates([]))

    @staticmethod
    def exports_for(turns: list[dict]):
        """The two download buttons, and for how many answers their files were written (the page script
        releases an export click only once the files cover every answer on the page)."""
        turns = list(turns or [])
        return (*export_updates(turns), str(len(turns)))

    # -------------------------------------------------------------------------------------- feedback
    def rate(self, key: str, turns: list[dict]) -> None:
        """A thumb clicked in the conversation: ``<answer id>|<1, -1 or 0>|<nonce>``."""
        parts = (key or "").split("|")
        turn = next((t for t in turns or [] if len(parts) >= 2 and t["id"] == parts[0]), None)
        if turn is None or parts[1] not in ("1", "-1", "0"):
            return
        rating = int(parts[1])
        by_n = {p["n"]: p for p in turn["passages"]}
        citations = [{"n": n, "label": by_n[n]["label"], "chunk_id": by_n[n]["chunk_id"], "doc": by_n[n]["doc"]}
                     for n in turn["cited"] if n in by_n]
        self.feedback.record(turn["id"], rating, turn["question"], turn["answer"], citations,
                             refused=turn["refused"], standalone=turn["standalone"], filters=turn["filters"])
        gr.Info("Bedankt, je beoordeling is opgeslagen." if rating else "Je beoordeling is ingetrokken.")

    # ---------------------------------------------------------------------------------- sources panel
    def show_source(self, key: str, turns: list[dict]) -> str:
        """Passage panel for a link ``bron-<answer id>-<n>[-<sentence index>]`` (a ``|nonce`` may follow)."""
        parts = (key or "").split("|")[0].removeprefix("#").split("-")
        if len(parts) < 3 or parts[0] != "bron" or not parts[2].isdigit():
            return render.PLACEHOLDER
        answer_id, n = parts[1], int(parts[2])
        sentence = int(parts[3]) if len(parts) > 3 and parts[3].isdigit() else None
        turn = next((t for t in turns or [] if t["id"] == answer_id), None)
        passage = next((p for p in turn["passages"] if p["n"] == n), None) if turn else None
        if passage is None:
            return ("<div class='passage-leeg'><p>Deze bron hoort bij een eerder gesprek en is niet meer "
                    "beschikbaar. Stel de vraag opnieuw.</p></div>")
        pairs = turn["sentences"]
        if sentence is not None and 0 <= sentence < len(pairs) and pairs[sentence][1] == n:
            highlights = [pairs[sentence][0]]
        else:
            highlights = [s for s, sn in pairs if sn == n]
        ctx = None
        try:
            ctx = passage_context(self.engine.ensure_store(), passage["chunk_id"])
        except StoreError:
            pass
        if ctx is not None and ctx.text != passage["text"]:
            ctx = None  # the index was rebuilt and this chunk changed: show the text the answer used
        return render.passage_html(passage, ctx, highlights)

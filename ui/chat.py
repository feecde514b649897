"""The chat behind the page: ask, stream, retry, clear, thumbs, and "show this source".

A conversation is the Chatbot's messages (user, assistant, user, assistant, …) plus a per-session list of
"turns": one plain dict per answer with what the page needs to show sources and store feedback. Turn ``i``
belongs to messages ``2i`` and ``2i + 1``.
"""

from __future__ import annotations

import sys
import time
import traceback
import uuid
from typing import Iterator

import gradio as gr

from index_store.store import StoreError
from rag.context import passage_context
from rag.engine import get_engine
from rag.types import Answer
from ui import render
from ui.feedback import FeedbackStore
from ui.filters import FilterError, build_filters
from vraagbaak.settings import Settings

WORDS_PER_STEP = 4
STEP_SECONDS = 0.02
FAILED = "Er ging iets mis bij het beantwoorden van deze vraag. Probeer het opnieuw of stel de vraag anders."


def message_text(message: dict) -> str:
    """The plain text of a Chatbot message (Gradio passes content as a list of parts)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        content = [content]
    return " ".join(part.get("text", "") for part in content or [] if isinstance(part, dict)).strip()


def turn_from_answer(ans: Answer, filters: dict | None) -> dict:
    """What the page keeps of an answer (JSON-safe)."""
    return {
        "id": uuid.uuid4().hex[:12],
        "question": ans.question,
        "standalone": ans.standalone_question,
        "answer": ans.answer,
        "refused": bool(ans.refused),
        "notice": ans.notice,
        "passages": [{"n": p.n, "label": p.label, "chunk_id": p.chunk_id, "doc": p.doc, "doc_title": p.doc_title,
                      "doc_type": p.doc_type, "doc_date": p.doc_date, "text": p.text} for p in ans.passages],
        "cited": [c.n for c in ans.citations],
        "sentences": [[s, int(n)] for s, n in ans.sentences],
        "filters": filters or {},
        "follow_up_of": "",
        "error": "",
    }


def error_turn(question: str, message: str) -> dict:
    return {"id": uuid.uuid4().hex[:12], "question": question, "standalone": "", "answer": message,
            "refused": True, "notice": "", "passages": [], "cited": [], "sentences": [], "filters": {},
            "follow_up_of": "", "error": message}


def word_steps(text: str, per_step: int = WORDS_PER_STEP) -> Iterator[str]:
    """Growing prefixes of ``text``, a few words at a time (never splitting a ``[n]`` marker)."""
    words = text.split(" ")
    for i in range(per_step, len(words), per_step):
        yield " ".join(words[:i])


class ChatService:
    """Event handlers for one page; the engine is the process-wide one from ``get_engine``."""

    def __init__(self, settings: Settings, feedback: FeedbackStore, step_seconds: float = STEP_SECONDS):
        self.settings = settings
        self.engine = get_engine(settings)
        self.feedback = feedback
        self.step_seconds = step_seconds

    # ---------------------------------------------------------------------------------------- asking
    def ask(self, question: str, history: list[str], filters: dict | None) -> dict:
        try:
            self.engine.ensure_store()
            ans = self.engine.answer(question, history=history or None, filters=filters)
        except StoreError as exc:
            return error_turn(question, f"{exc} Zie de melding bovenaan de pagina.")
        except Exception:  # noqa: BLE001 - the page shows a Dutch message, the log gets the traceback
            traceback.print_exc(file=sys.stderr)
            return error_turn(question, FAILED)
        return turn_from_answer(ans, filters)

    def _stream(self, question: str, messages: list[dict], turns: list[dict], filters: dict | None):
        history = [message_text(m) for m in messages if m.get("role") == "user"]
        messages = messages + [{"role": "user", "content": question}]
        yield messages, "", turns
        turn = self.ask(question, history, filters)
        standalone = " ".join(turn["standalone"].split())
        if history and standalone and standalone != " ".join(question.split()):
            turn["follow_up_of"] = history[-1]  # the engine read this question in the light of the last one
        turns = turns + [turn]
        if not turn["refused"] and self.step_seconds > 0:
            for shown in word_steps(turn["answer"]):
                yield messages + [{"role": "assistant", "content": render.answer_html(turn, shown)}], "", turns
                time.sleep(self.step_seconds)
        yield messages + [{"role": "assistant", "content": render.answer_html(turn)}], "", turns

    @staticmethod
    def _aligned(messages: list[dict] | None, turns: list[dict] | None) -> tuple[list[dict], list[dict]]:
        """The chat's messages are the truth; keep exactly one turn per question/answer pair."""
        messages = list(messages or [])
        if len(messages) % 2:
            messages = messages[:-1]
        return messages, list(turns or [])[: len(messages) // 2]

    def respond(self, question, messages, turns, docs, doc_types, date_from, date_to):
        """Submit: stream the answer to ``question`` as the next turn of the conversation."""
        messages, turns = self._aligned(messages, turns)
        question = (question or "").strip()
        if not question:
            yield messages, "", turns
            return
        try:
            filters = build_filters(docs, doc_types, date_from, date_to)
        except FilterError as exc:
            gr.Warning(str(exc))
            yield messages, question, turns
            return
        yield from self._stream(question, messages, turns, filters)

    def retry(self, messages, turns, docs, doc_types, date_from, date_to):
        """"Opnieuw": ask the last question again (with the filters as they are now)."""
        messages, turns = self._aligned(messages, turns)
        if not messages:
            yield messages, "", turns
            return
        question = message_text(messages[-2])
        try:
            filters = build_filters(docs, doc_types, date_from, date_to)
        except FilterError as exc:
            gr.Warning(str(exc))
            yield messages, "", turns
            return
        yield from self._stream(question, messages[:-2], turns[:-1], filters)

    @staticmethod
    def clear():
        """"Nieuw gesprek": empty chat, no turns, the passage panel back to its explanation."""
        return [], "", [], render.PLACEHOLDER

    # -------------------------------------------------------------------------------------- feedback
    def like(self, turns: list[dict], data: gr.LikeData) -> None:
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turns = list(turns or [])
        if index is None or not 0 <= int(index) // 2 < len(turns):
            return
        turn = turns[int(index) // 2]
        rating = 1 if data.liked is True else -1 if data.liked is False else 0
        by_n = {p["n"]: p for p in turn["passages"]}
        citations = [{"n": n, "label": by_n[n]["label"], "chunk_id": by_n[n]["chunk_id"], "doc": by_n[n]["doc"]}
                     for n in turn["cited"] if n in by_n]
        self.feedback.record(turn["id"], rating, turn["question"], turn["answer"], citations,
                             refused=turn["refused"], standalone=turn["standalone"], filters=turn["filters"])
        gr.Info("Bedankt voor je beoordeling!" if rating else "Beoordeling ingetrokken.")

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

"""LLM mode against a real local HTTP server that speaks the OpenAI chat-completions API."""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from nl.sentences import split_sentences
from rag.llm import (
    NOTICE_REFUSED,
    PASSAGE_BUDGET,
    REFUSAL,
    ChatCompletionsLLM,
    chat_completions_url,
    format_passages,
    ground,
    llm_answer,
)
from rag.types import Passage

QUESTION = "Heeft de ondernemingsraad instemmingsrecht bij een AI-systeem dat werknemers volgt?"
Reply = tuple[int, bytes]


def chat_reply(content: str) -> Reply:
    body = {"id": "x", "object": "chat.completion", "model": "stub",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}]}
    return 200, json.dumps(body).encode()


class Stub:
    """A chat-completions server on 127.0.0.1; ``respond(body) -> (status, bytes)`` decides each reply."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.respond: Callable[[dict], Reply] = lambda body: chat_reply("")
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                body = json.loads(raw)
                stub.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                status, payload = stub.respond(body)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def user_prompts(self) -> list[str]:
        return [m["content"] for r in self.requests for m in r["body"]["messages"] if m["role"] == "user"]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub() -> Iterator[Stub]:
    s = Stub()
    yield s
    s.close()


def llm_engine(engine, url: str, **extra: object):
    """A copy of the session engine (sharing its loaded store) with LLM settings."""
    return dataclasses.replace(engine, settings=engine.settings.with_overrides(llm_url=url, llm_model="stub",
                                                                              **extra))


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def is_rewrite(body: dict) -> bool:
    return "Zelfstandige vraag:" in body["messages"][-1]["content"]


# ------------------------------------------------------------------------------------------- engine
def test_llm_answer_keeps_only_grounded_cited_sentences(engine, stub: Stub) -> None:
    baseline = engine.answer(QUESTION)
    assert not baseline.refused and baseline.passages
    first = baseline.passages[0]
    copied = next(s for s in split_sentences(first.text) if len(s.split()) >= 8 and "[" not in s)
    invented = "Volgens de SER moeten robots vanaf volgend jaar belasting betalen aan de gemeente."
    wrong_marker = "De werkgever hoeft de ondernemingsraad nooit te informeren over algoritmes. [9]"
    stub.respond = lambda body: chat_reply(f"{copied} [1] {invented} {wrong_marker}")

    ans = llm_engine(engine, stub.url + "/v1/").answer(QUESTION)

    assert ans.mode == "llm" and not ans.refused
    assert ans.answer == f"{copied.rstrip()} [1]"
    assert ans.sentences == [(copied.rstrip(), 1)]
    assert [c.n for c in ans.citations] == [1] and ans.citations[0].chunk_id == first.chunk_id
    assert len(ans.diagnostics["dropped"]) == 2
    assert any(invented in d for d in ans.diagnostics["dropped"])
    assert any("[9]" in d for d in ans.diagnostics["dropped"])
    assert "weggelaten" in ans.notice
    # The stub received the Dutch prompt with every numbered, labelled passage.
    (req,) = stub.requests
    assert req["path"] == "/v1/chat/completions" and req["body"]["model"] == "stub"
    system = req["body"]["messages"][0]["content"]
    assert "uitsluitend de genummerde passages" in system and REFUSAL in system
    prompt = stub.user_prompts()[0]
    for p in ans.passages:
        assert f"[{p.n}] {p.label}" in prompt
    assert copied.strip() in prompt and QUESTION in prompt


def test_unreachable_endpoint_falls_back_to_extractive(engine) -> None:
    url = closed_port_url()
    ans = llm_engine(engine, url).answer(QUESTION)
    assert ans.mode == "extractive" and not ans.refused and "[" in ans.answer
    assert f"Het taalmodel op {url} is niet bereikbaar" in ans.notice
    assert "letterlijke antwoord uit de documenten" in ans.notice


@pytest.mark.parametrize("reply, expected", [
    ((500, b'{"error": "boom"}'), "foutmelding (HTTP 500)"),
    ((200, b"<html>geen json</html>"), "onbruikbaar antwoord"),
    ((200, b'{"choices": []}'), "onbruikbaar antwoord"),
])
def test_http_error_or_garbage_falls_back(engine, stub: Stub, reply: Reply, expected: str) -> None:
    stub.respond = lambda body: reply
    ans = llm_engine(engine, stub.url).answer(QUESTION)
    assert ans.mode == "extractive" and not ans.refused and ans.citations
    assert expected in ans.notice and stub.url in ans.notice
    assert len(stub.requests) == 1


def test_timeout_falls_back(engine, stub: Stub) -> None:
    def slow(body: dict) -> Reply:
        time.sleep(1.5)
        return chat_reply("te laat [1]")

    stub.respond = slow
    ans = llm_engine(engine, stub.url, llm_timeout=0.3).answer(QUESTION)
    assert ans.mode == "extractive" and "reageerde niet binnen 0.3 seconden" in ans.notice


def test_follow_up_uses_llm_rewrite(engine, stub: Stub) -> None:
    history = ["Heeft de OR instemmingsrecht bij een systeem dat werknemers volgt?"]
    standalone = "Heeft de ondernemingsraad adviesrecht bij de invoering van een AI-systeem?"
    stub.respond = lambda body: (chat_reply(f'"{standalone}"') if is_rewrite(body)
                                 else (500, b"{}"))
    ans = llm_engine(engine, stub.url).answer("en adviesrecht?", history=history)
    assert ans.standalone_question == standalone
    rewrite_prompt, answer_prompt = stub.user_prompts()
    assert history[0] in rewrite_prompt and "en adviesrecht?" in rewrite_prompt
    assert f"Vraag: {standalone}" in answer_prompt
    assert ans.mode == "extractive" and "HTTP 500" in ans.notice


def test_failed_rewrite_keeps_heuristic_standalone(engine) -> None:
    history = ["Heeft de OR instemmingsrecht bij een systeem dat werknemers volgt?"]
    plain = engine.answer("en adviesrecht?", history=history)
    ans = llm_engine(engine, closed_port_url()).answer("en adviesrecht?", history=history)
    assert ans.standalone_question == plain.standalone_question
    assert ans.answer == plain.answer and "niet bereikbaar" in ans.notice


def test_refusal_reply_falls_back(engine, stub: Stub) -> None:
    stub.respond = lambda body: chat_reply(REFUSAL)
    ans = llm_engine(engine, stub.url).answer(QUESTION)
    assert ans.mode == "extractive" and not ans.refused
    assert ans.answer != REFUSAL and REFUSAL not in ans.answer and ans.citations
    assert ans.notice == NOTICE_REFUSED


# -------------------------------------------------------------------------------------------- units
def _passage(n: int, text: str, label: str = "") -> Passage:
    return Passage(n=n, label=label or f"Advies AI en werk — §{n}", doc="d", unit=str(n), text=text, score=1.0)


def test_endpoint_url_forms() -> None:
    for base in ("http://h:11434", "http://h:11434/", "http://h:11434/v1", "http://h:11434/v1/",
                 "h:11434", "http://h:11434/v1/chat/completions"):
        assert chat_completions_url(base) == "http://h:11434/v1/chat/completions"


def test_passages_fit_budget_with_labels() -> None:
    long = " ".join(f"Zin nummer {i} over de ondernemingsraad en AI." for i in range(400))
    passages = [_passage(1, "Kort stuk over AI."), _passage(2, long), _passage(3, long)]
    block = format_passages(passages)
    assert len(block) <= PASSAGE_BUDGET
    assert "[1] Advies AI en werk — §1\nKort stuk over AI." in block
    assert "[2] Advies AI en werk — §2\n" in block and "[3] Advies AI en werk — §3\n" in block
    assert block.count("…") == 2 and len(block) > PASSAGE_BUDGET - 200  # room of the short one is reused


def test_ground_marker_forms() -> None:
    passages = [_passage(1, "De ondernemingsraad heeft instemmingsrecht bij personeelsvolgsystemen."),
                _passage(2, "Werkgevers moeten werknemers betrekken bij de invoering van AI.")]
    reply = ("De ondernemingsraad heeft instemmingsrecht bij personeelsvolgsystemen [1]. "
             "Werkgevers moeten werknemers betrekken bij AI. [1, 2]\n"
             "- Werkgevers moeten werknemers betrekken bij de invoering van AI.\n[2]\n"
             "1. Werkgevers moeten werknemers betrekken. [2]\n"
             "Zonder bron verzonnen bewering over robots.")
    kept, dropped = ground(reply, passages)
    assert kept == [("De ondernemingsraad heeft instemmingsrecht bij personeelsvolgsystemen.", [1]),
                    ("Werkgevers moeten werknemers betrekken bij AI.", [1, 2]),
                    ("Werkgevers moeten werknemers betrekken bij de invoering van AI.", [2]),
                    ("Werkgevers moeten werknemers betrekken.", [2])]
    assert dropped == ["Zonder bron verzonnen bewering over robots."]


def test_unsupported_sentence_with_valid_marker_is_dropped(stub: Stub, settings) -> None:
    passages = [_passage(1, "De ondernemingsraad heeft instemmingsrecht bij personeelsvolgsystemen.")]
    stub.respond = lambda body: chat_reply("Robots betalen volgend jaar belasting aan gemeenten. [1]")
    res = llm_answer("vraag?", "vraag?", passages, [], settings.with_overrides(llm_url=stub.url))
    assert not res.ok and res.reason == "ungrounded" and len(res.dropped) == 1 and "onderbouwen" in res.notice


def test_llama_index_interface_and_bearer_key(stub: Stub) -> None:
    stub.respond = lambda body: chat_reply("Hallo.")
    llm = ChatCompletionsLLM(base_url=stub.url, model="m", api_key="geheim", timeout=5)
    assert llm.complete("Zeg hallo").text == "Hallo."
    assert [c.delta for c in llm.stream_complete("Zeg hallo")] == ["Hallo."]
    assert llm.metadata.model_name == "m" and llm.metadata.is_chat_model
    assert "geheim" not in repr(llm) and "geheim" not in json.dumps(llm.to_payload())
    assert all(r["headers"].get("Authorization") == "Bearer geheim" for r in stub.requests)
    assert stub.requests[0]["body"]["messages"] == [{"role": "user", "content": "Zeg hallo"}]

"""Optional LLM mode: generate a cited answer through an OpenAI-compatible chat-completions endpoint.

Works with Ollama (``http://localhost:11434``), vLLM, llama.cpp server and hosted APIs. Only plain ``httpx``
is used; llama-index's global ``Settings`` are never touched. Every generated sentence must carry ``[n]``
markers that point to retrieved passages whose words support it; anything else is dropped. Failures never
raise: the caller gets ``ok=False`` with a Dutch notice and shows its extractive answer instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from llama_index.core.base.llms.types import (
    ChatMessage,
    ChatResponse,
    CompletionResponse,
    CompletionResponseGen,
    LLMMetadata,
    MessageRole,
)
from llama_index.core.llms import CustomLLM
from llama_index.core.llms.callbacks import llm_chat_callback, llm_completion_callback
from pydantic import Field

from nl.resources import table
from nl.sentences import split_sentences
from rag.domain import DEFAULT_DOCUMENTS
from rag.grounding import token_overlap_support

if TYPE_CHECKING:
    from rag.types import Passage
    from vraagbaak.settings import Settings

PASSAGE_BUDGET = 6000  # characters for the whole passage block, labels included
MAX_LABEL_CHARS = 200
MIN_SUPPORT = 0.5
MAX_REWRITE_CHARS = 400
REFUSAL = table("messages")["refusal"]
FALLBACK = "hieronder het letterlijke antwoord uit de documenten."
NOTICE_REFUSED = f"Het taalmodel vond geen antwoord in de passages; {FALLBACK}"
NOTICE_UNGROUNDED = f"Het antwoord van het taalmodel was niet met de passages te onderbouwen; {FALLBACK}"

_MARKER = re.compile(r"\[\s*(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\s*\]")
_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.S | re.I)


class LLMError(Exception):
    """An endpoint failure; ``kind`` is one of unreachable, timeout, http, invalid."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail


@dataclass
class LLMResult:
    ok: bool  # False when the endpoint failed or nothing grounded remained
    text: str  # answer with [n] markers; only sentences that carry a valid marker
    sentences: list[tuple[str, list[int]]]  # kept sentences with their markers
    dropped: list[str]  # sentences removed because they had no valid marker
    notice: str  # Dutch user-facing note, e.g. why the extractive answer is shown instead
    reason: str = ""  # ok, refused, ungrounded, unreachable, timeout, http, invalid (for diagnostics)
    raw: str = field(default="", repr=False)  # the model's reply as received


# ------------------------------------------------------------------------------------------ endpoint
def _with_scheme(url: str) -> str:
    url = url.strip()
    return url if "://" in url else f"http://{url}"


def chat_completions_url(base_url: str) -> str:
    """``http://host:11434``, ``…/v1`` or ``…/v1/chat/completions`` → ``…/v1/chat/completions``."""
    url = _with_scheme(base_url).rstrip("/")
    if url.endswith("/chat/completions"):
        return url
    if url.endswith("/v1"):
        url = url[: -len("/v1")]
    return f"{url}/v1/chat/completions"


def display_url(base_url: str) -> str:
    """The configured URL without credentials, for user-facing notices."""
    parts = urlsplit(_with_scheme(base_url))
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


class ChatCompletionsLLM(CustomLLM):
    """A llama-index LLM for ``POST {base_url}/v1/chat/completions`` (non-streaming)."""

    base_url: str = Field(description="Server URL, with or without a trailing /v1.")
    model: str = Field(default="", description="Model name; omitted from the request when empty.")
    api_key: str = Field(default="", exclude=True, repr=False, description="Optional bearer token.")
    timeout: float = Field(default=60.0, description="Seconds per request.")
    temperature: float = 0.0
    max_tokens: int = 512

    @classmethod
    def class_name(cls) -> str:
        return "vraagbaak_chat_completions"

    @property
    def metadata(self) -> LLMMetadata:
        return LLMMetadata(num_output=self.max_tokens, is_chat_model=True, model_name=self.model or "unknown")

    def chat_text(self, messages: Sequence[ChatMessage], **kwargs: Any) -> tuple[str, dict]:
        """The assistant's reply text and the raw JSON; raises :class:`LLMError` on any failure."""
        payload: dict[str, Any] = {
            "messages": [{"role": m.role.value, "content": m.content or ""} for m in messages],
            "temperature": kwargs.get("temperature", self.temperature),
            "max_tokens": kwargs.get("max_tokens", self.max_tokens),
            "stream": False,
        }
        if self.model:
            payload["model"] = self.model
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        try:
            with httpx.Client(timeout=self.timeout) as client:
                resp = client.post(chat_completions_url(self.base_url), json=payload, headers=headers)
            resp.raise_for_status()
            data = resp.json()
            content = data["choices"][0]["message"]["content"]
        except httpx.TimeoutException as e:
            raise LLMError("timeout", str(e)) from e
        except httpx.HTTPStatusError as e:
            raise LLMError("http", str(e.response.status_code)) from e
        except httpx.HTTPError as e:
            raise LLMError("unreachable", str(e)) from e
        except (ValueError, KeyError, IndexError, TypeError) as e:
            raise LLMError("invalid", str(e)) from e
        if isinstance(content, list):  # content parts
            content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        if not isinstance(content, str):
            raise LLMError("invalid", "no message content")
        return content, data

    @llm_chat_callback()
    def chat(self, messages: Sequence[ChatMessage], **kwargs: Any) -> ChatResponse:
        text, data = self.chat_text(messages, **kwargs)
        return ChatResponse(message=ChatMessage(role=MessageRole.ASSISTANT, content=text), raw=data)

    @llm_completion_callback()
    def complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponse:
        text, data = self.chat_text([ChatMessage(role=MessageRole.USER, content=prompt)], **kwargs)
        return CompletionResponse(text=text, raw=data)

    @llm_completion_callback()
    def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any) -> CompletionResponseGen:
        """One chunk holding the whole reply (the endpoint is called without streaming)."""
        text, data = self.chat_text([ChatMessage(role=MessageRole.USER, content=prompt)], **kwargs)

        def gen() -> CompletionResponseGen:
            yield CompletionResponse(text=text, delta=text, raw=data)

        return gen()


def make_llm(settings: "Settings", max_tokens: int = 512) -> ChatCompletionsLLM:
    return ChatCompletionsLLM(base_url=settings.llm_url, model=settings.llm_model, api_key=settings.llm_api_key,
                              timeout=settings.llm_timeout, max_tokens=max_tokens)


def failure_notice(err: LLMError, settings: "Settings") -> str:
    """Dutch notice for an endpoint failure."""
    url = display_url(settings.llm_url)
    if err.kind == "timeout":
        return f"Het taalmodel op {url} reageerde niet binnen {settings.llm_timeout:g} seconden; {FALLBACK}"
    if err.kind == "http":
        return f"Het taalmodel op {url} gaf een foutmelding (HTTP {err.detail}); {FALLBACK}"
    if err.kind == "invalid":
        return f"Het taalmodel op {url} gaf een onbruikbaar antwoord; {FALLBACK}"
    return f"Het taalmodel op {url} is niet bereikbaar; {FALLBACK}"


# ------------------------------------------------------------------------------------------- prompts
def _clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at a sentence or word boundary, marked with ``…``."""
    if len(text) <= limit:
        return text
    if limit < 2:
        return ""
    cut = text[: limit - 2]
    end = max(cut.rfind(". "), cut.rfind("? "), cut.rfind("! "))
    if end >= limit // 2:
        return cut[: end + 1] + " …"
    space = cut.rfind(" ")
    return (cut[:space] if space > 0 else cut) + " …"


def format_passages(passages: Sequence["Passage"], budget: int = PASSAGE_BUDGET) -> str:
    """``[n] <label>\\n<text>`` blocks within ``budget`` characters; short passages leave room for long ones."""
    heads = [f"[{p.n}] {_clip(' '.join(p.label.split()), MAX_LABEL_CHARS)}" for p in passages]
    texts = [" ".join(p.text.split()) for p in passages]
    room = max(0, budget - sum(len(h) + 3 for h in heads))  # "\n" after the head, "\n\n" between blocks
    alloc = [0] * len(texts)
    for left, i in enumerate(sorted(range(len(texts)), key=lambda j: len(texts[j]))):
        alloc[i] = min(len(texts[i]), room // (len(texts) - left))
        room -= alloc[i]
    return "\n\n".join(f"{h}\n{_clip(t, a)}" for h, t, a in zip(heads, texts, alloc))


def answer_messages(question: str, standalone: str, passages: Sequence["Passage"], history: Sequence[str],
                    max_sentences: int = 3, documents: str = DEFAULT_DOCUMENTS) -> list[ChatMessage]:
    """The Dutch system and user messages for a grounded, cited answer."""
    prompts = table("prompts")
    parts = [f"{prompts['passages_heading']}\n\n{format_passages(passages)}"]
    if history:
        parts.append(prompts["history_heading"] + "\n" + "\n".join(f"- {q}" for q in history[-3:]))
    if standalone.strip() and standalone.strip() != question.strip():
        parts.append(prompts["question_as_asked"].format(standalone=standalone.strip(), question=question.strip()))
    else:
        parts.append(prompts["question"].format(question=question.strip()))
    parts.append(prompts["answer_cue"])
    system = prompts["answer_system"].format(max_sentences=max_sentences, documents=documents, refusal=REFUSAL)
    return [ChatMessage(role=MessageRole.SYSTEM, content=system),
            ChatMessage(role=MessageRole.USER, content="\n\n".join(parts))]


def rewrite_messages(question: str, history: Sequence[str], documents: str = DEFAULT_DOCUMENTS) -> list[ChatMessage]:
    prompts = table("prompts")
    earlier = "\n".join(f"{i}. {q}" for i, q in enumerate(history[-4:], start=1))
    user = prompts["rewrite_user"].format(earlier=earlier, question=question.strip())
    return [ChatMessage(role=MessageRole.SYSTEM, content=prompts["rewrite_system"].format(documents=documents)),
            ChatMessage(role=MessageRole.USER, content=user)]


# ------------------------------------------------------------------------------------- post-process
def _normalise_markers(text: str) -> str:
    """``[1, 2]`` / ``[ 3 ]`` → ``[1][2]`` / ``[3]`` so the sentence splitter keeps them with their sentence."""
    return _MARKER.sub(lambda m: "".join(f"[{n}]" for n in re.findall(r"\d+", m.group(1))), text)


def _is_refusal(text: str) -> bool:
    key = " ".join(re.findall(r"\w+", REFUSAL.lower()))
    return key in " ".join(re.findall(r"\w+", _MARKER.sub(" ", text.lower())))


def parse_marked(reply: str) -> list[tuple[str, list[int], str]]:
    """Sentences of a reply as ``(clean sentence, markers, raw sentence)``; marker-only lines join the previous."""
    text = _normalise_markers(_THINK.sub("", reply).replace("**", ""))
    out: list[tuple[str, list[int], str]] = []
    for raw in split_sentences(text):
        nums = list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", raw)))
        clean = re.sub(r"\s*\[\d+\]", "", raw)
        clean = re.sub(r"^\s*(?:[-*•]|\d+[.)])\s+", "", clean)
        clean = " ".join(re.sub(r"\s+([.,;:!?])", r"\1", clean).split())
        if not re.search(r"[^\W\d_]", clean):  # markers, list numbers or punctuation only
            if nums and out:
                prev = out[-1]
                out[-1] = (prev[0], list(dict.fromkeys(prev[1] + nums)), f"{prev[2]} {raw.strip()}")
            continue
        out.append((clean, nums, raw.strip()))
    return out


def ground(reply: str, passages: Sequence["Passage"]) -> tuple[list[tuple[str, list[int]]], list[str]]:
    """Kept ``(sentence, markers)`` (all markers valid and the cited text supports the words) and dropped ones."""
    by_n = {p.n: p.text for p in passages}
    kept: list[tuple[str, list[int]]] = []
    dropped: list[str] = []
    for clean, nums, raw in parse_marked(reply):
        valid = bool(nums) and all(n in by_n for n in nums)
        if valid and token_overlap_support(clean, " ".join(by_n[n] for n in nums)) >= MIN_SUPPORT:
            kept.append((clean, nums))
        else:
            dropped.append(raw)
    return kept, dropped


def _dropped_notice(count: int) -> str:
    if count == 1:
        return "Eén zin van het taalmodel is weggelaten omdat die niet met de passages te onderbouwen was."
    if count > 1:
        return f"{count} zinnen van het taalmodel zijn weggelaten omdat ze niet met de passages te onderbouwen waren."
    return ""


# ------------------------------------------------------------------------------------ engine hooks
def llm_answer(question: str, standalone: str, passages: list["Passage"], history: list[str],
               settings: "Settings", documents: str = DEFAULT_DOCUMENTS) -> LLMResult:
    """A generated, cited answer from the passages only; ``ok=False`` (never an exception) when unusable."""
    try:
        messages = answer_messages(question, standalone, passages, history,
                                   max(1, int(getattr(settings, "answer_sentences", 3))), documents)
        reply, _ = make_llm(settings).chat_text(messages)
    except LLMError as e:
        return LLMResult(False, "", [], [], failure_notice(e, settings), e.kind)
    except Exception as e:  # noqa: BLE001 - the engine must always get an answer
        return LLMResult(False, "", [], [], failure_notice(LLMError("invalid", repr(e)), settings), "invalid")
    if _is_refusal(reply):
        return LLMResult(False, "", [], [], NOTICE_REFUSED, "refused", reply)
    kept, dropped = ground(reply, passages)
    if not kept:
        return LLMResult(False, "", [], dropped, NOTICE_UNGROUNDED, "ungrounded", reply)
    text = " ".join(f"{s} {''.join(f'[{n}]' for n in ns)}" for s, ns in kept)
    return LLMResult(True, text, kept, dropped, _dropped_notice(len(dropped)), "ok", reply)


def llm_rewrite(question: str, history: list[str], settings: "Settings",
                documents: str = DEFAULT_DOCUMENTS) -> str | None:
    """A standalone version of a follow-up question via the LLM; ``None`` on any failure or odd reply."""
    try:
        reply, _ = make_llm(settings, max_tokens=128).chat_text(rewrite_messages(question, history, documents))
    except Exception:  # noqa: BLE001 - fall back to the heuristic rewrite
        return None
    lines = [ln.strip() for ln in _THINK.sub("", reply).splitlines() if ln.strip()]
    if not lines:
        return None
    line = re.sub(r"^(?:zelfstandige|herschreven)?\s*vraag\s*:\s*", "", lines[0], flags=re.I)
    line = line.strip().strip("\"'“”‘’`*").strip()
    if not re.search(r"\w", line) or len(line) > MAX_REWRITE_CHARS or _is_refusal(line):
        return None
    return line

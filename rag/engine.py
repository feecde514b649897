"""The answering engine: one per process, holding the store, the embedding model and term statistics."""

from __future__ import annotations

import gc
import re
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from index_store.store import StoreError, StoreReader, active_build_id, open_store, read_manifest
from index_store.embedding import shared_embedder
from rag import followup, premise, refusal
from rag.citations import cite_in_order, renumber_markers
from rag.evidence import Scored, score_evidence
from rag.features import (Evidence, QuestionView, dense_peak, dense_z, question_features, question_view,
                           unknown_words)
from rag.model import AnswerParams, load_params
from rag.selection import select
from index_store.records import ChunkRecord
from nl.answer_types import GENERAL, AnswerSpec, answer_spec
from nl.dates import RE_YEAR
from nl.legal import parse_references
from nl.questions import focus, is_dutch
from nl.questions import names_as_written
from nl.resources import table
from rag.domain import Domain, build_domain
from rag.query import alternatives, normalise_query, own_words
from rag.rerank import CrossEncoderReranker, heuristic_scores, rerank
from rag.retrieve import Candidate, Filters, hybrid
from rag.types import Answer, Passage
from vraagbaak.settings import Settings

MAX_QUESTION_CHARS = Settings.max_question_chars  # the default; the engine uses its settings
QUERY_CACHE = 512
# A swapped-out build stays open this long for the questions still using it.
RETIRE_SECONDS = 30.0
_RE_REFERENCE_LIST = re.compile("|".join(table("structure")["reference_list_titles"]), re.I)


@dataclass
class Retrieval:
    """Retrieval result for one question: ranked candidates plus what was searched for."""

    query: str
    query_vec: np.ndarray
    candidates: list[Candidate]
    timing_ms: float


@dataclass
class Trace:
    """The evidence for one standalone question: what retrieval found, the scored candidates, the refusal
    features."""

    standalone: str
    spec: AnswerSpec
    q: QuestionView
    scored: Scored
    top: list[Candidate]
    features: dict[str, float]
    details: dict
    unknown: list[str]
    known_terms: int


@dataclass
class Engine:
    settings: Settings
    store: StoreReader | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    domain: Domain = field(default_factory=Domain)
    _flat_rows: np.ndarray | None = None
    _row_offsets: np.ndarray | None = None
    _cross: CrossEncoderReranker | None = None
    _manifest_stamp: int | None = None
    _pointer_checked: float = 0.0  # a replica's last look at the server's active-build pointer
    _query_cache: dict[str, np.ndarray] = field(default_factory=dict)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock)
    # Builds swapped out, kept open a little while for questions still reading them: (store, retired at).
    _retired: list[tuple[StoreReader, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.embedder = shared_embedder(self.settings.embed_backend, self.settings.embed_model,
                                        self.settings.embed_batch_size)
        if self.settings.reranker:
            self._cross = CrossEncoderReranker(self.settings.reranker)

    # ----------------------------------------------------------------------------------------- store
    def ensure_store(self) -> StoreReader:
        """Open the active build, reopening when a newer ingest swapped the manifest (checked by its mtime,
        so a question costs one ``stat``, not a read)."""
        s = self.settings
        if s.chroma_url and self.store is not None and self.store.remote_documents is not None:
            return self._ensure_replica_store()
        try:
            stamp = (s.store_dir / "manifest.json").stat().st_mtime_ns
        except OSError:
            stamp = None
        if self.store is not None and stamp == self._manifest_stamp:
            return self.store
        with self._lock:
            manifest = read_manifest(s.store_dir)
            if self.store is None or not manifest or manifest.get("build_id") != self.store.build_id:
                self._install(open_store(s.store_dir, self.embedder.model_name, s.chroma_url,
                                         s.chroma_namespace))
                self._pointer_checked = time.monotonic()
            self._manifest_stamp = stamp
            self._close_retired()
        return self.store

    def _install(self, store: StoreReader) -> None:
        """Make ``store`` the one questions use; the previous one retires (closed a little later)."""
        self.domain = build_domain(store.manifest.get("domain"), store.manifest.get("documents", {}))
        _ = store.lexical.analyzer.sorted_vocabulary  # sorted once at open, not on the first question
        sentence_rows = [[row for _, _, row in r.sentences] or [0] for r in store.records]
        self._flat_rows = np.array([row for rows in sentence_rows for row in rows], dtype=np.int64)
        self._row_offsets = np.cumsum([0] + [len(rows) for rows in sentence_rows[:-1]])
        if self.store is not None:
            self._retired.append((self.store, time.monotonic()))
        self.store = store

    def _ensure_replica_store(self) -> StoreReader:
        """A replica follows the server's pointer: checked at most every ``replica_check_seconds``; a new
        build is read whole before it replaces the old one, so a question never sees half of it."""
        now = time.monotonic()
        if now - self._pointer_checked < self.settings.replica_check_seconds:
            return self.store
        with self._lock:
            if now - self._pointer_checked < self.settings.replica_check_seconds:
                return self.store
            self._pointer_checked = now
            try:
                build_id = active_build_id(self.settings.chroma_url, self.settings.chroma_namespace,
                                           self.store.client)
            except Exception:  # noqa: BLE001 - the server briefly unreachable: keep answering from memory
                return self.store
            if build_id and build_id != self.store.build_id:
                self._install(open_store(self.settings.store_dir, self.embedder.model_name,
                                         self.settings.chroma_url, self.settings.chroma_namespace))
                self._close_retired()
        return self.store

    def _close_retired(self) -> None:
        """Close swapped-out builds once no question can still be reading them: after ``RETIRE_SECONDS``, and
        all but the newest at once (so handles and threads stay flat however often the index is swapped)."""
        now = time.monotonic()
        keep = [(s, t) for s, t in self._retired[-1:] if now - t < RETIRE_SECONDS]
        doomed = [store for store, _ in self._retired if all(store is not s for s, _ in keep)]
        for store in doomed:
            store.close()
        self._retired = keep
        if doomed:
            gc.collect()  # Chroma's files close when its objects are freed; some sit in reference cycles

    def close(self) -> None:
        """Release the open build and any swapped-out ones."""
        with self._lock:
            for store, _ in self._retired:
                store.close()
            self._retired = []
            if self.store is not None:
                self.store.close()
                self.store = None
                self._manifest_stamp = None

    def analyze(self, text: str) -> list[str]:
        """The store's lexical analysis (stems and compound parts) of the store opened for this question."""
        store = self.store if self.store is not None else self.ensure_store()
        return store.lexical.analyzer.tokens(text)

    def _known_word(self, word: str) -> bool:
        return self.store.lexical.analyzer.stem(word) in self._stats.df

    @property
    def _stats(self):
        return self.store.lexical.stats

    @property
    def _tokens(self) -> list[list[str]]:
        return self.store.lexical.row_tokens

    @property
    def _rerank_weights(self) -> tuple[float, float, float]:
        s = self.settings
        return (s.rerank_weight_dense, s.rerank_weight_bm25, s.rerank_weight_sentence)

    def _named_units(self, question: str) -> dict[int, float]:
        """Rows of the units a question names by article, lid and onderdeel ("artikel 26 lid 2"), with weight 1
        for the most specific key and less for the enclosing ones."""
        refs = parse_references(question)
        if not refs:
            return {}
        wanted: dict[str, float] = {}
        for ref in refs:
            for depth, key in enumerate(ref.keys()):
                wanted[key] = max(wanted.get(key, 0.0), 1.0 / (depth + 1))
        return {i: wanted[r.unit_key] for i, r in enumerate(self.store.records) if r.unit_key in wanted}

    def embed_query(self, text: str) -> np.ndarray:
        """The query embedding of ``text``, remembered for the next few hundred questions (a follow-up's earlier
        question, a retried question)."""
        with self._cache_lock:
            found = self._query_cache.get(text)
        if found is None:
            found = np.asarray(self.embedder.get_query_embedding(text), dtype=np.float32)
            with self._cache_lock:
                self._query_cache[text] = found
                while len(self._query_cache) > QUERY_CACHE:
                    self._query_cache.pop(next(iter(self._query_cache)))
        return found

    def _sentence_max(self, qvec: np.ndarray) -> np.ndarray:
        """For every chunk, the cosine similarity of its best-matching sentence."""
        sims = self.store.sentence_embeddings @ qvec
        return np.maximum.reduceat(sims[self._flat_rows], self._row_offsets)

    # ------------------------------------------------------------------------------------- retrieval
    def retrieve(self, question: str, filters: Filters | dict | None = None, mode: str = "hybrid",
                 use_rerank: bool = True, prefer_docs: set[str] | None = None) -> Retrieval:
        """Ranked candidates for a (standalone) question; ``prefer_docs`` (the documents a conversation is
        about) get a bonus in the rerank."""
        t0 = time.perf_counter()
        store = self.ensure_store()
        query = normalise_query(question, self.domain, self._known_word)
        qvec = self.embed_query(query)
        flt = Filters.from_any(filters)
        sentence_max = self._sentence_max(qvec) if mode == "hybrid" else None
        q_tokens = self.analyze(query)
        named = self._named_units(question) if mode == "hybrid" else {}
        cands = hybrid(store, q_tokens, qvec, sentence_max, flt, self.settings.candidates,
                       (self.settings.weight_bm25, self.settings.weight_dense, self.settings.weight_sentence),
                       self.settings.rrf_k, mode, [row for row in named])
        depth = min(max(self.settings.rerank_depth, len(named)), len(cands))
        if named:  # a named unit is reranked wherever fusion put it
            cands = sorted(cands, key=lambda c: (c.row not in named, -c.fused))
        heuristic = heuristic_scores(cands[:depth], q_tokens, self._tokens, store.lexical.title_tokens, self._stats,
                                     self._rerank_weights)
        if use_rerank and mode == "hybrid" and cands:
            scores = self._cross.scores(question, [store.records[c.row].search_text for c in cands[:depth]]) \
                if self._cross is not None else heuristic
            years = set(RE_YEAR.findall(question))
            named_docs = self.domain.docs_named(query)
            scores = [sc + self._context_bonus(store.records[c.row], prefer_docs, years)
                      + (self.settings.named_doc_bonus if store.records[c.row].doc_id in named_docs else 0.0)
                      + self.settings.legal_reference_bonus * named.get(c.row, 0.0)
                      for sc, c in zip(scores, cands[:depth])]
            cands = rerank(cands, depth, scores)
        return Retrieval(query, qvec, cands, (time.perf_counter() - t0) * 1000)

    def _context_bonus(self, record: ChunkRecord, prefer_docs: set[str] | None, years: set[str]) -> float:
        """Rerank adjustment: a bonus for a passage from a document the conversation is about or dated in a
        named year; a penalty for reference lists (literature, publications, colophon), which match many words
        but rarely answer anything."""
        bonus = self.settings.conversation_doc_bonus if prefer_docs and record.doc_id in prefer_docs else 0.0
        bonus += self.settings.year_match_bonus if str(record.doc_year) in years else 0.0
        if _RE_REFERENCE_LIST.search(record.unit_title):
            bonus -= self.settings.reference_list_penalty
        return bonus

    def _conversation_docs(self, history: list | None, filters, mode: str) -> set[str] | None:
        """Documents the previous question was answered from: a follow-up most likely asks about them."""
        earlier = followup.history_questions(history)
        if not earlier or mode != "hybrid":
            return None
        previous = followup.rewrite(earlier[-1], earlier[:-1], self.domain)
        top = self.retrieve(previous, filters, mode=mode).candidates[:3]
        return {self.store.records[c.row].doc_id for c in top}

    def _on_domain(self, standalone: str, cleaned: str, history: list | None) -> bool:
        """Whether the question names a topic of the documents; a follow-up ("en wat werd daar besloten?")
        shares the topic of the conversation it continues."""
        if refusal.on_domain(standalone, self.domain):
            return True
        earlier = followup.history_questions(history)
        return standalone != cleaned and bool(earlier) and refusal.on_domain(earlier[-1], self.domain)

    def passage(self, cand: Candidate, n: int) -> Passage:
        r = self.store.records[cand.row]
        score = cand.rerank if cand.rerank is not None else cand.fused
        return Passage(n=n, label=r.label, doc=r.doc_id, unit=r.unit_key, text=r.text, score=score,
                       chunk_id=r.id, doc_title=r.doc_title, doc_type=r.doc_type, doc_date=r.doc_date,
                       subheading=r.subheading, unit_path=list(r.unit_path), char_start=r.char_start,
                       char_end=r.char_end, row=cand.row, rank=n)

    # --------------------------------------------------------------------------------------- answer
    @property
    def params(self) -> AnswerParams:
        return load_params(str(self.settings.answer_params) if self.settings.answer_params else None)

    def _refused(self, original: str, text: str, passages: list[Passage], t0: float, qid, standalone: str,
                 **extra) -> Answer:
        return Answer(original, text, True, [], passages, (time.perf_counter() - t0) * 1000, qid, standalone,
                      **extra)

    def trace(self, standalone: str, cleaned: str, history: list | None = None, filters: Filters | None = None,
              k: int = 5, mode: str = "hybrid", params: AnswerParams | None = None) -> Trace:
        """Everything the answer is decided from: retrieval, scored candidates and the refusal features (also
        used by ``eval.fit`` to fit the models on the dev split)."""
        store = self.ensure_store()
        flt = filters or Filters()
        own_anchor = RE_YEAR.search(cleaned)
        prefer = self._conversation_docs(history, flt, mode) if standalone != cleaned and not own_anchor else None
        ret = self.retrieve(standalone, flt, mode=mode, prefer_docs=prefer)
        spec = answer_spec(cleaned)
        if spec.kind == GENERAL:
            spec = answer_spec(standalone)
        params = params or self.params
        analyzer = store.lexical.analyzer
        asked = focus(standalone)
        fvec = None if asked == standalone.strip() else self.embed_query(normalise_query(asked, self.domain))
        q = question_view(standalone, ret.query, analyzer, self._stats, spec, ret.query_vec,
                          self.domain.docs_named(standalone), fvec, self.domain.alias_pattern(),
                          own_words(standalone, self.domain, self._known_word),
                          alternatives(standalone, self.domain, analyzer.tokens))
        named = self._named_units(standalone) if mode == "hybrid" else {}
        scored = score_evidence(store, ret.candidates, q, params, k, self.settings.evidence_pool,
                                rerank=mode == "hybrid", pinned={r for r, w in named.items() if w == 1.0},
                                pinned_bonus=self.settings.named_unit_logit_bonus)
        top = scored.ranking[:k]
        records = [store.records[c.row] for c in top]
        evidence = Evidence(
            dense_top=max((c.dense for c in top), default=0.0),
            dense_z=dense_z(all_sims := store.embeddings @ ret.query_vec),
            dense_peak=dense_peak(all_sims),
            cov_top=q.coverage(top_tokens := {t for c in top[:3] for t in self._tokens[c.row]}),
            rare_top=q.rare_share(top_tokens) if q.rare else 1.0,
            missing_years=tuple(refusal.missing_years(standalone, records[:3])),
            on_domain=self._on_domain(standalone, cleaned, history),
            missing_dates=tuple(refusal.missing_dates(standalone, records[:3])))
        qf = question_features(standalone, scored.cands, q, evidence, analyzer)
        unknown = unknown_words(standalone, analyzer)
        details = {"missing_years": list(evidence.missing_years), "missing_dates": list(evidence.missing_dates),
                   "names_not_found": [w for w in names_as_written(standalone) if w.lower() in unknown]}
        known = sum(1 for t in q.terms if t in self._stats.df)
        return Trace(standalone, spec, q, scored, top, qf, details, unknown, known)

    def answer(self, question: str, history: list | None = None, filters: Filters | dict | None = None,
               k: int | None = None, qid: str | None = None, mode: str = "hybrid") -> Answer:
        """Answer a question from the documents only, with citations; refuses when they do not answer it."""
        t0 = time.perf_counter()
        k = max(1, int(k or self.settings.top_k))
        original = question if isinstance(question, str) else str(question or "")
        cleaned = " ".join(original.split())
        messages = table("messages")
        if not re.search(r"[^\W\d_]{2,}", cleaned):
            try:
                self.ensure_store()
            except StoreError:
                pass
            empty = messages["empty_question"].format(documents=self.domain.documents,
                                                      example=self.domain.example_question)
            return self._refused(original, empty, [], t0, qid, "", diagnostics={"reason": "empty"})
        limits = self.settings
        notices = []
        if len(cleaned) > limits.max_question_chars:
            cleaned = cleaned[:limits.max_question_chars]
            notices.append(messages["question_truncated"].format(limit=limits.max_question_chars))
        history, cut = followup.recent_questions(history, limits.max_history_turns, limits.max_history_chars,
                                                 limits.max_history_question_chars)
        if cut:
            notices.append(messages["history_truncated"].format(turns=len(history),
                                                                chars=sum(len(q) for q in history)))
        notice = " ".join(notices)
        try:
            store = self.ensure_store()
        except StoreError as exc:
            return self._refused(original, str(exc), [], t0, qid, cleaned, error=str(exc),
                                 diagnostics={"reason": "store-error"})
        standalone = followup.rewrite(cleaned, history, self.domain)
        if self.settings.llm_url and followup.history_questions(history):
            from rag.llm import llm_rewrite

            standalone = llm_rewrite(cleaned, followup.history_questions(history), self.settings,
                                     self.domain.documents) or standalone
        flt = Filters.from_any(filters)
        if not flt.empty() and not flt.mask(store.records).any():
            return self._refused(original, messages["filter_empty"].format(filters=flt.describe()), [], t0, qid,
                                 standalone, notice=notice, diagnostics={"reason": "filter-empty"})
        try:
            tr = self.trace(standalone, cleaned, history, flt, k, mode)
        except StoreError as exc:
            return self._refused(original, str(exc), [], t0, qid, standalone, error=str(exc),
                                 diagnostics={"reason": "store-error"})
        passages = [self.passage(c, i + 1) for i, c in enumerate(tr.top)]
        if not is_dutch(cleaned):
            return self._refused(original, messages["not_dutch"], passages, t0, qid, standalone, notice=notice,
                                 diagnostics={"reason": "not-dutch"})
        params = self.params
        decision = refusal.decide(tr.features, params, tr.known_terms, tr.details)
        diagnostics = {**{k_: round(v, 4) for k_, v in tr.features.items()}, "reason": decision.reason,
                       "p_unanswerable": round(decision.probability, 4), "type": tr.spec.kind,
                       "unknown_words": tr.unknown, **tr.details}
        scored, q, spec = tr.scored, tr.q, tr.spec
        if decision.refuse or not scored.cands:
            text = refusal.message(decision, self.domain, spec.kind)
            return self._refused(original, text, passages, t0, qid, standalone, notice=notice,
                                 diagnostics=diagnostics)
        if self.settings.llm_url:
            from rag.llm import llm_answer

            generated = llm_answer(cleaned, standalone, passages, followup.history_questions(history), self.settings,
                                   self.domain.documents)
            if generated.ok:
                used_n = list(dict.fromkeys(n for _, ns in generated.sentences for n in ns))
                citations, ordered, renumber = cite_in_order(passages, used_n)
                text = renumber_markers(generated.text, renumber)
                return Answer(original, text, False, citations, ordered, (time.perf_counter() - t0) * 1000, qid,
                              standalone, mode="llm", notice=" ".join(x for x in (notice, generated.notice) if x),
                              sentences=[(s, renumber[ns[0]]) for s, ns in generated.sentences if ns],
                              diagnostics={**diagnostics, "dropped": generated.dropped,
                                           "llm_reason": generated.reason})
            notice = " ".join(x for x in (notice, generated.notice) if x)
            diagnostics = {**diagnostics, "llm_reason": generated.reason, "dropped": generated.dropped}
        chosen = select(scored.cands, q, params.selection, self.analyze)
        # One line per sentence: a two-sentence answer may span a paragraph break in the passage.
        said_by_rank = [(" ".join(c.text.split()), c.passage_index + 1) for c in chosen]
        citations, ordered, renumber = cite_in_order(passages, [n for _, n in said_by_rank])
        said = [(text, renumber[n]) for text, n in said_by_rank]
        answer_text = " ".join(f"{text} [{n}]" for text, n in said)
        caveat = messages["not_stated"] if decision.caveat else ""
        if premise.contradicted(cleaned, " ".join(text for text, _ in said)):
            caveat, diagnostics = messages["contradicted"], {**diagnostics, "contradicted": True}
        return Answer(original, answer_text, False, citations, ordered, (time.perf_counter() - t0) * 1000,
                      qid, standalone, notice=notice, sentences=said, diagnostics=diagnostics, caveat=caveat)


_ENGINES: dict[tuple, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def get_engine(settings: Settings) -> Engine:
    """The process-wide engine for these settings (the model and index are loaded once)."""
    key = (str(settings.store_dir), settings.embed_backend, settings.embed_model, settings.chroma_url,
           settings.reranker)
    with _ENGINES_LOCK:
        if key not in _ENGINES:
            _ENGINES[key] = Engine(settings)
        engine = _ENGINES[key]
        engine.settings = settings
        return engine


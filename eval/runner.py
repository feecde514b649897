"""``vraagbaak eval``: run the real pipeline over the eval set, score it, report it, gate on it."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from eval import metrics as M
from eval.dataset import load_items
from vraagbaak.settings import REPO_ROOT, Settings

MODES = ("hybrid", "bm25", "dense")
MODE_NAMES = {"hybrid": "hybride (ons systeem)", "bm25": "alleen BM25", "dense": "alleen dense"}


@dataclass
class QuestionResult:
    id: str
    question: str
    tags: list[str]
    answerable: bool
    mode: str
    gold_doc: str | None
    gold_unit: object
    refused: bool
    rank: int | None
    citation_ok: bool
    grounding: float | None
    unsupported: list[str]
    timing_ms: float
    answer: str
    reason: str
    retrieved: list[str] = field(default_factory=list)


def evaluate_item(engine, item: dict, mode: str) -> QuestionResult:
    """Ask one eval question through the real engine and score the answer."""
    ans = engine.answer(item["question"], history=item.get("history"), k=5, qid=item["id"], mode=mode)
    passages = [{"doc": p.doc, "unit": p.unit, "unit_path": p.unit_path, "text": p.text} for p in ans.passages]
    citations = [{"n": c.n, "text": c.text} for c in ans.citations]
    rank = M.first_hit_rank(item, passages) if item["answerable"] else None
    if ans.refused:
        ground, bad = None, []
    elif ans.mode == "llm":
        ground, bad = M.overlap_grounding(ans.answer, citations)
    else:
        ground, bad = M.grounding(ans.answer, citations)
    return QuestionResult(
        id=item["id"], question=item["question"], tags=item.get("tags", []), answerable=item["answerable"],
        mode=mode, gold_doc=item.get("doc"), gold_unit=item.get("unit"), refused=ans.refused, rank=rank,
        citation_ok=item["answerable"] and not ans.refused and M.citation_correct(item, citations),
        grounding=ground, unsupported=bad, timing_ms=ans.timing_ms, answer=ans.answer,
        reason=str(ans.diagnostics.get("reason", "")), retrieved=[f"{p.doc} / {p.unit}" for p in ans.passages],
    )


def aggregate(results: list[QuestionResult]) -> dict:
    """Aggregate metrics over a list of results (one mode)."""
    ans = [r for r in results if r.answerable]
    neg = [r for r in results if not r.answerable]
    refused = [r for r in results if r.refused]
    grounded = [r.grounding for r in results if r.grounding is not None]
    times = [r.timing_ms for r in results]
    return {
        "questions": len(results),
        "answerable": len(ans),
        "unanswerable": len(neg),
        "hit_at_1": M.mean([M.hit_at(r.rank, 1) for r in ans]),
        "hit_at_3": M.mean([M.hit_at(r.rank, 3) for r in ans]),
        "hit_at_5": M.mean([M.hit_at(r.rank, 5) for r in ans]),
        "mrr": M.mean([M.reciprocal_rank(r.rank) for r in ans]),
        "citation_correctness": M.mean([1.0 if r.citation_ok else 0.0 for r in ans]),
        "grounding": M.mean(grounded) if grounded else 0.0,
        "refusal_recall": M.mean([1.0 if r.refused else 0.0 for r in neg]) if neg else 0.0,
        "refusal_precision": (sum(1 for r in refused if not r.answerable) / len(refused)) if refused else 1.0,
        "false_refusal_rate": M.mean([1.0 if r.refused else 0.0 for r in ans]) if ans else 0.0,
        "latency_p50_ms": M.percentile(times, 50),
        "latency_p95_ms": M.percentile(times, 95),
    }


def by_tag(results: list[QuestionResult]) -> dict[str, dict]:
    tags = sorted({t for r in results for t in r.tags})
    return {t: aggregate([r for r in results if t in r.tags]) for t in tags}


@dataclass
class EvalRun:
    items: int
    sets: list[str]
    results: dict[str, list[QuestionResult]]
    aggregates: dict[str, dict]
    tags: dict[str, dict]
    seconds: float
    settings: dict

    def to_json(self) -> dict:
        return {"items": self.items, "sets": self.sets, "aggregates": self.aggregates, "by_tag": self.tags,
                "seconds": round(self.seconds, 1), "settings": self.settings,
                "results": {m: [asdict(r) for r in rs] for m, rs in self.results.items()}}


def run_eval(settings: Settings, set_paths: list[Path] | None = None, modes: tuple[str, ...] = MODES,
             engine=None) -> EvalRun:
    """Run every eval question through the pipeline, once per retrieval mode."""
    from rag.engine import get_engine

    engine = engine or get_engine(settings)
    paths = set_paths or sorted((REPO_ROOT / "eval" / "sets").glob("*.jsonl"))
    items = load_items(paths)
    t0 = time.time()
    engine.answer("warming up", k=5)  # load model and index before timing
    results = {m: [evaluate_item(engine, it, m) for it in items] for m in modes}
    return EvalRun(
        items=len(items), sets=[str(p) for p in paths], results=results,
        aggregates={m: aggregate(rs) for m, rs in results.items()},
        tags=by_tag(results["hybrid"]) if "hybrid" in results else {},
        seconds=time.time() - t0,
        settings={"embed_backend": settings.embed_backend, "embed_model": engine.embedder.model_name,
                  "top_k": 5, "weight_bm25": settings.weight_bm25, "weight_dense": settings.weight_dense,
                  "weight_sentence": settings.weight_sentence, "reranker": settings.reranker or "heuristic",
                  "rerank_weights": [settings.rerank_weight_dense, settings.rerank_weight_bm25,
                                     settings.rerank_weight_sentence],
                  "evidence": [settings.evidence_pool, settings.evidence_weight],
                  "stemmer": engine.ensure_store().lexical.analyzer.stemmer},
    )


METRIC_ROWS = [
    ("hit_at_1", "hit@1"), ("hit_at_3", "hit@3"), ("hit_at_5", "hit@5"), ("mrr", "MRR"),
    ("citation_correctness", "citaties correct"), ("grounding", "grounding"),
    ("refusal_recall", "weigeren terecht (recall)"), ("refusal_precision", "weigeren precisie"),
    ("false_refusal_rate", "onterecht geweigerd"), ("latency_p50_ms", "latency p50 (ms)"),
    ("latency_p95_ms", "latency p95 (ms)"),
]


def format_table(run: EvalRun) -> str:
    """The comparison table printed by ``vraagbaak eval``."""
    modes = list(run.aggregates)
    head = f"{'metriek':28}" + "".join(f"{MODE_NAMES.get(m, m):>24}" for m in modes)
    lines = [f"Evaluatie: {run.items} vragen ({run.aggregates[modes[0]]['answerable']} beantwoordbaar, "
             f"{run.aggregates[modes[0]]['unanswerable']} niet), {run.seconds:.0f} s", head, "-" * len(head)]
    for key, name in METRIC_ROWS:
        vals = "".join(f"{_fmt(run.aggregates[m][key], key):>24}" for m in modes)
        lines.append(f"{name:28}{vals}")
    return "\n".join(lines)


def _fmt(value: float, key: str) -> str:
    return f"{value:.0f}" if key.endswith("_ms") else f"{value:.3f}"


def run_eval_cli(args, settings: Settings) -> int:
    from eval.gate import check_gate, load_thresholds
    from eval.report import target_lines, write_reports

    try:
        run = run_eval(settings, [Path(p) for p in args.sets] if args.sets else None)
    except Exception as exc:  # noqa: BLE001 - StoreError and friends: a clear message, no traceback
        from index_store.store import StoreError

        if isinstance(exc, StoreError):
            print(str(exc), file=sys.stderr)
            return 2
        raise
    thresholds = load_thresholds()
    if args.json:
        print(json.dumps(run.to_json(), ensure_ascii=False))
    else:
        print(format_table(run))
        print("\nDoelen uit de issues (hybride):")
        for line in target_lines(run.aggregates["hybrid"], thresholds):
            print("  " + " ".join(cell.strip() for cell in line.strip("|").split("|")))
    report_dir = Path(args.report) if args.report else REPO_ROOT / "eval" / "reports" / "latest"
    failures = check_gate(run.aggregates["hybrid"], thresholds)
    paths = write_reports(run, report_dir, thresholds, failures)
    if not args.json:
        print(f"\nRapport: {paths[0]} en {paths[1]}")
    if args.gate:
        if failures:
            print("\nGATE GEFAALD:", file=sys.stderr)
            for f in failures:
                print(f"  - {f}", file=sys.stderr)
            return 1
        if not args.json:
            print("Gate: alle metrieken op of boven de drempel.")
    return 0

"""``vraagbaak eval``: run the real pipeline over the eval set, score it, report it, gate on it.

The set has two splits (``eval/sets/dev`` and ``eval/sets/test``): tune on dev, judge on test. The gate checks
the test split; the report shows both and the gap between them.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from eval import metrics as M
from eval.dataset import SPLITS, load_items, split_paths
from vraagbaak.settings import Settings

MODES = ("hybrid", "bm25", "dense")
MODE_NAMES = {"hybrid": "hybride (ons systeem)", "bm25": "alleen BM25", "dense": "alleen dense"}


@dataclass
class QuestionResult:
    id: str
    question: str
    split: str
    style: str
    tags: list[str]
    answerable: bool
    negative_kind: str
    mode: str
    gold_doc: str | None
    gold_unit: object
    refused: bool
    caveat: bool
    rank: int | None
    citation_ok: bool
    grounding: float | None
    unsupported: list[str]
    facts: int
    facts_found: int
    first_sentence_fact: bool
    answer_words: int
    timing_ms: float
    answer: str
    reason: str
    retrieved: list[str] = field(default_factory=list)

    @property
    def correct(self) -> bool:
        """All gold facts in the answer text (answerable questions with facts)."""
        return not self.refused and self.facts > 0 and self.facts_found == self.facts

    @property
    def not_confirmed(self) -> bool:
        """An unanswerable question refused, or answered only under a caveat that the documents do not say it."""
        return self.refused or self.caveat


def negative_kind(item: dict) -> str:
    for kind in ("false-premise", "near-topic", "off-topic"):
        if kind in item.get("tags", []):
            return kind
    return "unanswerable" if not item["answerable"] else ""


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
    facts = item.get("facts") or []
    text = "" if ans.refused else ans.answer
    sentences = M.split_marked(text)
    first = sentences[0][0] if sentences else ""
    return QuestionResult(
        id=item["id"], question=item["question"], split=item.get("_split", "dev"), style=M.style_of(item),
        tags=item.get("tags", []), answerable=item["answerable"], negative_kind=negative_kind(item), mode=mode,
        gold_doc=item.get("doc"), gold_unit=item.get("unit"), refused=ans.refused, caveat=bool(ans.caveat),
        rank=rank, citation_ok=item["answerable"] and not ans.refused and M.citation_correct(item, citations),
        grounding=ground, unsupported=bad, facts=len(facts), facts_found=sum(M.fact_in(f, text) for f in facts),
        first_sentence_fact=any(M.fact_in(f, first) for f in facts),
        answer_words=len(M.strip_markers(text).split()), timing_ms=ans.timing_ms, answer=ans.answer,
        reason=str(ans.diagnostics.get("reason", "")), retrieved=[f"{p.doc} / {p.unit}" for p in ans.passages],
    )


def _rate(flags: list[bool]) -> float | None:
    return M.mean([1.0 if f else 0.0 for f in flags]) if flags else None


def aggregate(results: list[QuestionResult]) -> dict:
    """Aggregate metrics over a list of results (one mode). A metric without questions is ``None``."""
    ans = [r for r in results if r.answerable]
    with_facts = [r for r in ans if r.facts]
    neg = [r for r in results if not r.answerable]
    refused = [r for r in results if r.refused]
    grounded = [r.grounding for r in results if r.grounding is not None]
    answered = [r for r in ans if not r.refused]
    times = [r.timing_ms for r in results]
    return {
        "questions": len(results),
        "answerable": len(ans),
        "unanswerable": len(neg),
        "hit_at_1": _rate([M.hit_at(r.rank, 1) > 0 for r in ans]),
        "hit_at_3": _rate([M.hit_at(r.rank, 3) > 0 for r in ans]),
        "hit_at_5": _rate([M.hit_at(r.rank, 5) > 0 for r in ans]),
        "mrr": M.mean([M.reciprocal_rank(r.rank) for r in ans]) if ans else None,
        "citation_correctness": _rate([r.citation_ok for r in ans]),
        "answer_correctness": _rate([r.correct for r in with_facts]),
        "any_fact": _rate([not r.refused and r.facts_found > 0 for r in with_facts]),
        "first_sentence_answers": _rate([not r.refused and r.first_sentence_fact for r in with_facts]),
        "mean_answer_words": M.mean([r.answer_words for r in answered]) if answered else None,
        "grounding": M.mean(grounded) if grounded else None,
        "refusal_recall": _rate([r.refused for r in neg]),
        "near_topic_refusal_recall": _rate([r.refused for r in neg if r.negative_kind == "near-topic"]),
        "false_premise_not_confirmed": _rate([r.not_confirmed for r in neg if r.negative_kind == "false-premise"]),
        "off_topic_refusal_recall": _rate([r.refused for r in neg if r.negative_kind == "off-topic"]),
        "refusal_precision": (sum(1 for r in refused if not r.answerable) / len(refused)) if refused else None,
        "false_refusal_rate": _rate([r.refused for r in ans]),
        "caveat_rate": _rate([r.caveat for r in answered]),
        "latency_p50_ms": M.percentile(times, 50),
        "latency_p95_ms": M.percentile(times, 95),
    }


def group(results: list[QuestionResult], key) -> dict[str, dict]:
    """Aggregates per value of ``key(result)`` (a style, a document)."""
    values = sorted({key(r) for r in results} - {None, ""})
    return {v: aggregate([r for r in results if key(r) == v]) for v in values}


# The metrics whose dev–test gap the report shows (issue 17).
GAP_METRICS = ("hit_at_5", "answer_correctness", "first_sentence_answers", "near_topic_refusal_recall",
               "false_refusal_rate", "false_premise_not_confirmed", "grounding")


@dataclass
class EvalRun:
    items: int
    sets: list[str]
    splits: list[str]
    results: dict[str, list[QuestionResult]]
    aggregates: dict[str, dict[str, dict]]  # split -> mode -> metrics
    styles: dict[str, dict[str, dict[str, dict]]]  # split -> mode -> style -> metrics
    docs: dict[str, dict[str, dict]]  # split -> doc -> metrics (hybrid)
    seconds: float
    settings: dict

    def gaps(self) -> dict[str, float]:
        """Dev minus test for the headline metrics of the hybrid pipeline (when both splits ran)."""
        if not {"dev", "test"} <= set(self.aggregates):
            return {}
        dev, test = self.aggregates["dev"]["hybrid"], self.aggregates["test"]["hybrid"]
        return {k: round(dev[k] - test[k], 4) for k in GAP_METRICS if dev.get(k) is not None
                and test.get(k) is not None}

    def to_json(self) -> dict:
        return {"items": self.items, "sets": self.sets, "splits": self.splits, "aggregates": self.aggregates,
                "styles": self.styles, "docs": self.docs, "gaps": self.gaps(), "seconds": round(self.seconds, 1),
                "settings": self.settings,
                "results": {m: [asdict(r) for r in rs] for m, rs in self.results.items()}}


def run_eval(settings: Settings, set_paths: list[Path] | None = None, modes: tuple[str, ...] = MODES,
             engine=None, splits: tuple[str, ...] = SPLITS) -> EvalRun:
    """Run every eval question of the given splits (or files) through the pipeline, once per retrieval mode."""
    from rag.engine import get_engine

    engine = engine or get_engine(settings)
    paths = set_paths or [p for s in splits for p in split_paths(s)]
    items = load_items(paths)
    t0 = time.time()
    engine.answer("warming up", k=5)  # load model and index before timing
    results = {m: [evaluate_item(engine, it, m) for it in items] for m in modes}
    present = [s for s in SPLITS if any(it.get("_split") == s for it in items)] or ["dev"]
    aggregates = {s: {m: aggregate([r for r in rs if r.split == s]) for m, rs in results.items()} for s in present}
    styles = {s: {m: group([r for r in rs if r.split == s], lambda r: r.style) for m, rs in results.items()}
              for s in present}
    hybrid = results.get("hybrid", next(iter(results.values())))
    docs = {s: group([r for r in hybrid if r.split == s], lambda r: r.gold_doc) for s in present}
    return EvalRun(
        items=len(items), sets=[str(p) for p in paths], splits=present, results=results, aggregates=aggregates,
        styles=styles, docs=docs, seconds=time.time() - t0,
        settings={"embed_backend": settings.embed_backend, "embed_model": engine.embedder.model_name,
                  "top_k": 5, "weight_bm25": settings.weight_bm25, "weight_dense": settings.weight_dense,
                  "weight_sentence": settings.weight_sentence, "reranker": settings.reranker or "heuristic",
                  "rerank_weights": [settings.rerank_weight_dense, settings.rerank_weight_bm25,
                                     settings.rerank_weight_sentence],
                  "evidence_pool": settings.evidence_pool,
                  "answer_params": engine.params.provenance,
                  "stemmer": engine.ensure_store().lexical.analyzer.stemmer},
    )


METRIC_ROWS = [
    ("hit_at_1", "hit@1"), ("hit_at_3", "hit@3"), ("hit_at_5", "hit@5"), ("mrr", "MRR"),
    ("citation_correctness", "citaties correct"), ("answer_correctness", "antwoord correct (alle feiten)"),
    ("any_fact", "antwoord bevat een feit"), ("first_sentence_answers", "eerste zin antwoordt"),
    ("mean_answer_words", "gem. lengte antwoord (woorden)"), ("grounding", "grounding"),
    ("refusal_recall", "weigeren terecht (recall)"), ("near_topic_refusal_recall", "weigeren bij bijna-onderwerp"),
    ("false_premise_not_confirmed", "valse premisse niet bevestigd"),
    ("off_topic_refusal_recall", "weigeren buiten onderwerp"), ("refusal_precision", "weigeren precisie"),
    ("false_refusal_rate", "onterecht geweigerd"), ("caveat_rate", "antwoord met voorbehoud"),
    ("latency_p50_ms", "latency p50 (ms)"), ("latency_p95_ms", "latency p95 (ms)"),
]


def _fmt(value: float | None, key: str) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if key.endswith("_ms") else (f"{value:.1f}" if key == "mean_answer_words" else f"{value:.3f}")


def format_table(run: EvalRun) -> str:
    """The comparison table printed by ``vraagbaak eval``: per split, the three modes."""
    lines = [f"Evaluatie: {run.items} vragen, {run.seconds:.0f} s"]
    for split in run.splits:
        aggs = run.aggregates[split]
        modes = list(aggs)
        first = aggs[modes[0]]
        head = f"{'metriek [' + split + ']':34}" + "".join(f"{MODE_NAMES.get(m, m):>24}" for m in modes)
        lines += ["", f"Split {split}: {first['questions']} vragen ({first['answerable']} beantwoordbaar, "
                      f"{first['unanswerable']} niet)", head, "-" * len(head)]
        for key, name in METRIC_ROWS:
            lines.append(f"{name:34}" + "".join(f"{_fmt(aggs[m][key], key):>24}" for m in modes))
    gaps = run.gaps()
    if gaps:
        lines += ["", "Verschil dev − test (hybride): " + ", ".join(f"{k} {v:+.3f}" for k, v in gaps.items())]
    return "\n".join(lines)


def run_eval_cli(args, settings: Settings) -> int:
    from eval.gate import GATE_SPLIT, check_gate, load_thresholds
    from eval.report import target_lines, write_reports
    from vraagbaak.settings import REPO_ROOT

    splits = SPLITS if args.split == "all" else (args.split,)
    try:
        run = run_eval(settings, [Path(p) for p in args.sets] if args.sets else None, splits=splits)
    except Exception as exc:  # noqa: BLE001 - StoreError and friends: a clear message, no traceback
        from index_store.store import StoreError

        if isinstance(exc, StoreError):
            print(str(exc), file=sys.stderr)
            return 2
        raise
    thresholds = load_thresholds()
    gated = GATE_SPLIT if GATE_SPLIT in run.aggregates else run.splits[0]
    if args.json:
        print(json.dumps(run.to_json(), ensure_ascii=False))
    else:
        print(format_table(run))
        print(f"\nDoelen uit de issues (hybride, split {gated}):")
        for line in target_lines(run.aggregates[gated]["hybrid"], thresholds):
            print("  " + " ".join(cell.strip() for cell in line.strip("|").split("|")))
    report_dir = Path(args.report) if args.report else REPO_ROOT / "eval" / "reports" / "latest"
    failures = check_gate(run.aggregates[gated]["hybrid"], thresholds)
    paths = write_reports(run, report_dir, thresholds, failures)
    if not args.json:
        print(f"\nRapport: {paths[0]} en {paths[1]}")
    if args.gate:
        if GATE_SPLIT not in run.aggregates:
            print(f"\nGATE: de gate beoordeelt de split {GATE_SPLIT}, die niet is gedraaid.", file=sys.stderr)
            return 1
        if failures:
            print("\nGATE GEFAALD:", file=sys.stderr)
            for f in failures:
                print(f"  - {f}", file=sys.stderr)
            return 1
        if not args.json:
            print(f"Gate (split {GATE_SPLIT}): alle metrieken op of boven de drempel.")
    return 0

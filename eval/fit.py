"""``python -m eval.fit``: fit the answer-selection and refusal models on the dev split only.

Writes ``rag/params/answering.json`` (or ``--out``) with its provenance: the dev files and their number of
questions, the date, the commit, the command, and the cross-validated figures it was chosen by. The test split
is never read here.

- Sentence model: logistic regression over ``rag.features.SENTENCE_FEATURES`` of every candidate of the top 5
  passages; a candidate is positive when it holds the gold quote (most of its words) or all gold facts; a pair
  or list only when none of the single sentences it spans is positive.
- Refusal model: logistic regression over ``QUESTION_FEATURES``; positive = unanswerable. The threshold is
  chosen on out-of-fold probabilities as the lowest that keeps false refusals at most ``--max-false-refusals``;
  ``C`` by the one-standard-error rule on out-of-fold refusal recall.
- Selection (margin, minimum gain) and the evidence-rerank weight: small grids scored on the dev questions.
Two rounds, because the evidence rerank and the refusal features use the sentence model.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from eval import metrics as M
from eval.dataset import load_items, split_paths
from rag import followup
from rag.features import QUESTION_FEATURES, SENTENCE_FEATURES
from rag.model import DEFAULT_PARAMS, AnswerParams, LinearModel, Selection, load_params, sigmoid
from rag.selection import select
from vraagbaak.settings import REPO_ROOT, load_settings

QUOTE_SHARE = 0.7


@dataclass
class ItemTrace:
    item: dict
    trace: object
    x: np.ndarray  # sentence features, one row per candidate
    y: np.ndarray  # 1 = the candidate answers


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", M.norm(text).lower())


def label(item: dict, cands) -> np.ndarray:
    """Which candidates answer the item: those holding most of the gold quote's words or all gold facts; a pair
    or list only when none of the single sentences it spans does."""
    if not item["answerable"]:
        return np.zeros(len(cands))
    quote = _words(item.get("quote") or "")
    facts = item.get("facts") or []

    def positive(text: str, doc: str) -> bool:
        words = set(_words(text))
        holds_quote = doc == item["doc"] and quote and sum(w in words for w in quote) / len(quote) >= QUOTE_SHARE
        return bool(holds_quote) or bool(facts) and all(M.fact_in(f, text) for f in facts)

    singles = [(c, positive(c.text, c.doc_id)) for c in cands if c.kind == "single"]
    out = []
    for c in cands:
        ok = positive(c.text, c.doc_id)
        if ok and c.kind != "single":
            # a pair or list only when none of the single sentences in it answers
            ok = not any(good and s.doc_id == c.doc_id and set(s.rows) <= set(c.rows) for s, good in singles)
        out.append(1.0 if ok else 0.0)
    return np.array(out)


def collect(engine, items: list[dict], params: AnswerParams) -> list[ItemTrace]:
    out = []
    for it in items:
        cleaned = " ".join(it["question"].split())
        standalone = followup.rewrite(cleaned, it.get("history"), engine.domain)
        tr = engine.trace(standalone, cleaned, it.get("history"), k=5, params=params)
        cands = tr.scored.cands
        x = np.array([[c.features[n] for n in SENTENCE_FEATURES] for c in cands], dtype=np.float64) \
            if cands else np.zeros((0, len(SENTENCE_FEATURES)))
        out.append(ItemTrace(it, tr, x, label(it, cands)))
    return out


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    return mean, np.where(scale > 1e-9, scale, 1.0)


def fit_linear(x: np.ndarray, y: np.ndarray, names: tuple[str, ...], c: float, balanced: bool) -> LinearModel:
    from sklearn.linear_model import LogisticRegression

    mean, scale = _standardise(x)
    model = LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=2000)
    model.fit((x - mean) / scale, y)
    return LinearModel(names, mean, scale, model.coef_[0], float(model.intercept_[0]))


def _folds(n: int, k: int = 5) -> list[np.ndarray]:
    return [np.arange(n)[i::k] for i in range(k)]


def sentence_cv(traces: list[ItemTrace], c: float) -> float:
    """Out-of-fold share of answerable dev questions whose best candidate is positive."""
    answerable = [t for t in traces if t.item["answerable"] and len(t.y)]
    hits = []
    for fold in _folds(len(answerable)):
        held = set(fold.tolist())
        train = [t for i, t in enumerate(answerable) if i not in held]
        model = fit_linear(np.vstack([t.x for t in train]), np.concatenate([t.y for t in train]),
                           SENTENCE_FEATURES, c, True)
        for i in fold:
            t = answerable[i]
            hits.append(float(t.y[int(np.argmax(model.logits(t.x, SENTENCE_FEATURES)))]))
    return float(np.mean(hits))


def fit_sentence(traces: list[ItemTrace]) -> tuple[LinearModel, dict]:
    answerable = [t for t in traces if t.item["answerable"] and len(t.y)]
    grid = {c: sentence_cv(traces, c) for c in (0.01, 0.1, 1.0)}
    best_c = max(grid, key=grid.get)
    model = fit_linear(np.vstack([t.x for t in answerable]), np.concatenate([t.y for t in answerable]),
                       SENTENCE_FEATURES, best_c, True)
    return model, {"C": best_c, "cv_best_candidate_positive": {str(k): round(v, 4) for k, v in grid.items()}}


def _question_matrix(traces: list[ItemTrace]) -> tuple[np.ndarray, np.ndarray]:
    x = np.array([[t.trace.features[n] for n in QUESTION_FEATURES] for t in traces], dtype=np.float64)
    y = np.array([0.0 if t.item["answerable"] else 1.0 for t in traces])
    return x, y


def threshold_for(p: np.ndarray, y: np.ndarray, max_false: float) -> float:
    """The lowest threshold whose false-refusal rate on answerable questions is at most ``max_false``."""
    answerable = np.sort(p[y == 0])[::-1]
    allowed = int(np.floor(max_false * len(answerable)))
    return float(answerable[allowed] + 1e-6) if allowed < len(answerable) else 0.5


def fit_refusal(traces: list[ItemTrace], max_false: float, max_caveats: float) -> tuple[LinearModel, float, float, dict]:
    x, y = _question_matrix(traces)
    report = {}
    results = []
    for c in (0.03, 0.1, 0.3, 1.0):  # most regularised first
        oof = np.zeros(len(y))
        for fold in _folds(len(y)):
            train = np.setdiff1d(np.arange(len(y)), fold)
            model = fit_linear(x[train], y[train], QUESTION_FEATURES, c, True)
            oof[fold] = sigmoid(model.logits(x[fold], QUESTION_FEATURES))
        threshold = threshold_for(oof, y, max_false)
        caveat = min(threshold, threshold_for(oof, y, max_false + max_caveats))
        recall = float(np.mean(oof[y == 1] >= threshold))
        false = float(np.mean(oof[y == 0] >= threshold))
        hedged = float(np.mean(oof[y == 1] >= caveat))
        report[str(c)] = {"threshold": round(threshold, 4), "cv_refusal_recall": round(recall, 4),
                          "cv_false_refusals": round(false, 4), "caveat_threshold": round(caveat, 4),
                          "cv_refused_or_caveat": round(hedged, 4)}
        results.append((c, recall, threshold, caveat))
    # One-standard-error rule: the most regularised C whose recall is within one standard error of the best
    # (with some 70 unanswerable dev questions, one or two questions apart is noise, not skill).
    top = max(r[1] for r in results)
    se = float(np.sqrt(top * (1 - top) / max(1, int(np.sum(y == 1)))))
    c, _, threshold, caveat = next(r for r in results if r[1] >= top - se)
    report["one_se"] = round(se, 4)
    model = fit_linear(x, y, QUESTION_FEATURES, c, True)
    report["chosen_C"] = c
    return model, threshold, caveat, report


def answer_quality(traces: list[ItemTrace], rule: Selection, engine) -> dict:
    """Answer correctness, first-sentence answers and length of the selected answers (answerable dev items
    with facts, refusals not applied)."""
    correct, first, words, cited = [], [], [], []
    store = engine.ensure_store()
    for t in traces:
        facts = t.item.get("facts") or []
        if not t.item["answerable"] or not t.trace.scored.cands:
            continue
        chosen = select(t.trace.scored.cands, t.trace.q, rule, engine.analyze)
        passages = {store.records[t.trace.top[c.passage_index].row].text for c in chosen}
        cited.append(any(M.quote_in(t.item["quote"], p) for p in passages))
        if not facts:
            continue
        text = " ".join(c.text for c in chosen)
        correct.append(all(M.fact_in(f, text) for f in facts))
        first.append(bool(chosen) and any(M.fact_in(f, chosen[0].text) for f in facts))
        words.append(len(text.split()))
    return {"answer_correctness": float(np.mean(correct)), "first_sentence_answers": float(np.mean(first)),
            "citation_correctness": float(np.mean(cited)), "mean_words": float(np.mean(words))}


def selection_objective(q: dict) -> float:
    """What the selection grid maximises: correct answers first, then citations of the gold passage, then
    brevity (a tenth of a point per 100 words)."""
    return q["answer_correctness"] + 0.5 * q["citation_correctness"] + 0.5 * q["first_sentence_answers"] \
        - 0.001 * q["mean_words"]


def tune_selection(traces: list[ItemTrace], engine, base: Selection) -> tuple[Selection, dict]:
    """The margin, minimum gain and passage rule with the best ``selection_objective``."""
    results = {}
    for margin in (0.25, 0.5, 1.0, 1.5, 2.0, 3.0):
        for gain in (0.05, 0.1, 0.15, 0.25, 0.35):
            for distinct in (False, True):
                rule = replace(base, margin=margin, min_gain=gain, distinct_passages=distinct)
                results[rule] = answer_quality(traces, rule, engine)
    best = max(results, key=lambda r: selection_objective(results[r]))
    return best, {f"{r.margin}/{r.min_gain}/{int(r.distinct_passages)}": {k: round(v, 4) for k, v in q.items()}
                  for r, q in results.items()}


def hit_at_5(engine, traces: list[ItemTrace]) -> float:
    store = engine.ensure_store()
    hits = []
    for t in traces:
        if t.item["answerable"]:
            rows = [c.row for c in t.trace.top]
            hits.append(any(M.unit_matches(t.item, store.records[r].doc_id, store.records[r].unit_path)
                            for r in rows))
    return float(np.mean(hits)) if hits else 0.0


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.fit", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(DEFAULT_PARAMS))
    parser.add_argument("--max-false-refusals", type=float, default=0.03)
    parser.add_argument("--max-caveats", type=float, default=0.10,
                        help="share of answerable dev questions that may get an answer with a caveat")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    from rag.engine import get_engine

    paths = split_paths("dev")
    items = load_items(paths)
    assert all(it["_split"] == "dev" for it in items)
    settings = load_settings()
    engine = get_engine(settings)
    params = load_params(str(settings.answer_params) if settings.answer_params else None)
    report: dict = {}
    t0 = time.time()
    for round_ in range(1, args.rounds + 1):
        traces = collect(engine, items, params)
        sentence, report["sentence"] = fit_sentence(traces)
        params = replace(params, sentence=sentence)
        if round_ == 1:
            weights = {}
            for w in (0.0, 0.5, 1.0, 2.0):
                weights[w] = hit_at_5(engine, collect(engine, items, replace(params, evidence_weight=w)))
            params = replace(params, evidence_weight=max(weights, key=lambda w: (round(weights[w], 3), -abs(w - 0.5))))
            report["evidence_weight_hit_at_5"] = {str(k): round(v, 4) for k, v in weights.items()}
        traces = collect(engine, items, params)
        refusal, threshold, caveat, report["refusal"] = fit_refusal(traces, args.max_false_refusals, args.max_caveats)
        selection, grid = tune_selection(traces, engine, params.selection)
        report["selection"] = {"chosen": f"{selection.margin}/{selection.min_gain}/{int(selection.distinct_passages)}",
                               **grid[f"{selection.margin}/{selection.min_gain}/{int(selection.distinct_passages)}"]}
        params = replace(params, refusal=refusal, refusal_threshold=threshold, caveat_threshold=caveat,
                         selection=selection)
        print(f"round {round_}: {report}", file=sys.stderr)
    params = replace(params, provenance={
        "fitted_on": [str(Path(p).relative_to(REPO_ROOT)) for p in paths], "questions": len(items),
        "answerable": sum(1 for it in items if it["answerable"]), "date": time.strftime("%Y-%m-%d"),
        "commit": _commit(), "command": "python -m eval.fit" + (" " + " ".join(argv) if argv else ""),
        "embedding_model": engine.embedder.model_name, "seconds": round(time.time() - t0, 1), "report": report,
    })
    import json

    Path(args.out).write_text(json.dumps(params.to_json(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"geschreven: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

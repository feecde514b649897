"""Eval reports: a Markdown file and a self-contained HTML page (bar charts per metric, dev and test side by
side, per style and per document)."""

from __future__ import annotations

import html
import json
from pathlib import Path

from eval.runner import METRIC_ROWS, MODE_NAMES, EvalRun, QuestionResult, _fmt

COLOURS = {"hybrid": "#1f6f8b", "bm25": "#8a5a00", "dense": "#6b3f86"}
STYLE_ROWS = [("hit_at_5", "hit@5"), ("answer_correctness", "correct"), ("first_sentence_answers", "1e zin"),
              ("refusal_recall", "weigeren"), ("false_refusal_rate", "onterecht geweigerd")]


def failures(run: EvalRun, mode: str = "hybrid", split: str | None = None) -> list[QuestionResult]:
    """Questions the pipeline got wrong: missed unit, missing facts, wrong citation, ungrounded, wrong refusal."""
    out = []
    for r in run.results.get(mode, []):
        if split and r.split != split:
            continue
        wrong = (r.answerable and (r.refused or not r.citation_ok or (r.rank is None or r.rank > 5)
                                   or (r.facts and not r.correct))) \
            or (not r.answerable and not r.not_confirmed) or (r.grounding is not None and r.grounding < 1.0)
        if wrong:
            out.append(r)
    return out


def _why(r: QuestionResult) -> str:
    if not r.answerable:
        return f"niet-beantwoordbare vraag ({r.negative_kind}) toch beantwoord"
    if r.refused:
        return f"onterecht geweigerd ({r.reason})"
    if r.rank is None or r.rank > 5:
        return "gouden eenheid niet in de top-5"
    if r.facts and not r.correct:
        return f"{r.facts_found} van de {r.facts} feiten in het antwoord"
    if not r.citation_ok:
        return f"gouden eenheid op rang {r.rank}, maar geen geciteerde passage bevat het citaat"
    return "zin niet letterlijk in de geciteerde passage"


def target_lines(aggregate: dict, thresholds: dict) -> list[str]:
    """Markdown rows comparing measured values with the issues' goals, with the shortfall where there is one."""
    rows = []
    for key, goal in thresholds.get("target", {}).items():
        value = aggregate.get(key)
        if value is None:
            continue
        lower_is_better = key in thresholds.get("max", {}) or key.endswith(("_rate", "_ms"))
        short = (value - goal) if lower_is_better else (goal - value)
        verdict = f"tekort {short:.3f}" if short > 1e-9 else "gehaald"
        rows.append(f"| {key} | {value:.3f} | {'≤' if lower_is_better else '≥'} {goal} | {verdict} |")
    return rows


def markdown(run: EvalRun, thresholds: dict, gate_failures: list[str]) -> str:
    lines = ["# Evaluatierapport Vraagbaak AI & Werk", "",
             f"{run.items} vragen uit {len(run.sets)} bestanden (splits: {', '.join(run.splits)}); instellingen: "
             f"`{json.dumps(run.settings)}`; looptijd {run.seconds:.0f} s.", ""]
    limits = {**{k: f"≥ {v}" for k, v in thresholds.get("min", {}).items()},
              **{k: f"≤ {v}" for k, v in thresholds.get("max", {}).items()}}
    cols = [(s, m) for s in run.splits for m in run.aggregates[s]]
    lines += ["| metriek | " + " | ".join(f"{s}: {MODE_NAMES.get(m, m)}" for s, m in cols) + " | drempel (test) |",
              "|---|" + "---|" * (len(cols) + 1)]
    for key, name in METRIC_ROWS:
        vals = " | ".join(_fmt(run.aggregates[s][m][key], key) for s, m in cols)
        lines.append(f"| {name} | {vals} | {limits.get(key, '')} |")
    gaps = run.gaps()
    if gaps:
        lines += ["", "## Verschil dev − test (hybride)", "", "| metriek | dev − test |", "|---|---|"]
        lines += [f"| {k} | {v:+.3f} |" for k, v in gaps.items()]
    lines += ["", "## Gate", ""]
    lines += [f"- **tekort**: {f}" for f in gate_failures] if gate_failures else ["Alle metrieken halen hun drempel."]
    gated = "test" if "test" in run.aggregates else run.splits[0]
    lines += ["", f"## Doelen uit de issues (split {gated})", "", "| metriek | gemeten | doel | verschil |",
              "|---|---|---|---|"]
    lines += target_lines(run.aggregates[gated].get("hybrid", {}), thresholds)
    for split in run.splits:
        lines += ["", f"## Per stijl, split {split} (hybride / BM25 / dense)", "",
                  "| stijl | n | " + " | ".join(n for _, n in STYLE_ROWS) + " |", "|---|---|" + "---|" * len(STYLE_ROWS)]
        per_mode = run.styles[split]
        for style, agg in per_mode.get("hybrid", {}).items():
            cells = []
            for key, _ in STYLE_ROWS:
                vals = [per_mode[m].get(style, {}).get(key) for m in per_mode]
                cells.append(" / ".join(_fmt(v, key) for v in vals))
            lines.append(f"| {style} | {agg['questions']} | " + " | ".join(cells) + " |")
        lines += ["", f"## Per document, split {split} (hybride)", "",
                  "| document | n | hit@5 | correct | 1e zin | citaties |", "|---|---|---|---|---|---|"]
        for doc, agg in run.docs[split].items():
            lines.append(f"| {doc} | {agg['answerable']} | {_fmt(agg['hit_at_5'], 'x')} | "
                         f"{_fmt(agg['answer_correctness'], 'x')} | {_fmt(agg['first_sentence_answers'], 'x')} | "
                         f"{_fmt(agg['citation_correctness'], 'x')} |")
    for split in run.splits:
        fails = failures(run, split=split)
        lines += ["", f"## Fouten (hybride, split {split}): {len(fails)}", ""]
        for r in fails:
            lines += [f"### {r.id} ({r.style}): {r.question}", "",
                      f"- waarom: {_why(r)}",
                      f"- goud: {r.gold_doc} / {r.gold_unit}",
                      f"- opgehaald: {'; '.join(r.retrieved)}",
                      f"- antwoord: {r.answer[:400]}", ""]
    return "\n".join(lines)


def bar_chart(title: str, values: dict[str, float], key: str, limit: float | None) -> str:
    """An inline SVG bar chart comparing the columns (split × mode) on one metric."""
    width, height, pad = 480, 170, 30
    present = {k: v for k, v in values.items() if v is not None}
    top = max(list(present.values()) + [limit or 0, 1e-9]) if key.endswith(("_ms", "_words")) else 1.0
    bar_w = (width - 2 * pad) / max(1, len(values)) * 0.6
    parts = [f'<svg role="img" aria-label="{html.escape(title)}" width="{width}" height="{height + 40}" '
             f'viewBox="0 0 {width} {height + 40}"><title>{html.escape(title)}</title>']
    for i, (name, v) in enumerate(values.items()):
        mode = name.split(":")[-1]
        x = pad + i * (width - 2 * pad) / len(values) + bar_w * 0.3
        h = (height - 20) * ((v or 0) / top if top else 0)
        y = height - h
        parts.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="{bar_w:.0f}" height="{h:.0f}" '
                     f'fill="{COLOURS.get(mode, "#555")}"/>')
        parts.append(f'<text x="{x + bar_w / 2:.0f}" y="{y - 4:.0f}" text-anchor="middle" font-size="12">'
                     f'{_fmt(v, key)}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.0f}" y="{height + 16}" text-anchor="middle" font-size="10">'
                     f'{html.escape(name.replace(":", " "))}</text>')
    if limit is not None and top:
        y = height - (height - 20) * (limit / top)
        parts.append(f'<line x1="{pad}" x2="{width - pad}" y1="{y:.0f}" y2="{y:.0f}" stroke="#a4261b" '
                     f'stroke-dasharray="4 3"/><text x="{width - pad}" y="{y - 3:.0f}" text-anchor="end" '
                     f'font-size="10" fill="#a4261b">drempel {limit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def html_page(run: EvalRun, thresholds: dict, gate_failures: list[str]) -> str:
    limits = {**thresholds.get("min", {}), **thresholds.get("max", {})}
    charts = "".join(
        f'<figure><figcaption>{html.escape(name)}</figcaption>'
        f'{bar_chart(name, {f"{s}:{m}": run.aggregates[s][m][key] for s in run.splits for m in run.aggregates[s]}, key, limits.get(key))}'
        f'</figure>' for key, name in METRIC_ROWS)
    body = html.escape(markdown(run, thresholds, gate_failures))
    gate = ("<p class='ok'>Gate: alle metrieken halen hun drempel.</p>" if not gate_failures else
            "<ul class='bad'>" + "".join(f"<li>{html.escape(f)}</li>" for f in gate_failures) + "</ul>")
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Evaluatierapport Vraagbaak AI &amp; Werk</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}} h1{{font-size:1.5rem}}
.charts{{display:flex;flex-wrap:wrap;gap:1rem}} figure{{margin:0;border:1px solid #ddd;padding:.5rem;border-radius:6px}}
figcaption{{font-weight:600;margin-bottom:.3rem}} pre{{white-space:pre-wrap;font-size:.8rem}}
.ok{{color:#1e7b34}} .bad{{color:#a4261b}}
</style></head><body>
<h1>Evaluatierapport Vraagbaak AI &amp; Werk</h1>
<p>{run.items} vragen; looptijd {run.seconds:.0f} s; instellingen <code>{html.escape(json.dumps(run.settings))}</code></p>
{gate}
<div class="charts">{charts}</div>
<h2>Rapport</h2>
<pre>{body}</pre>
</body></html>"""


def write_reports(run: EvalRun, folder: Path, thresholds: dict, gate_failures: list[str]) -> tuple[Path, Path]:
    """Write ``report.md``, ``report.html`` and ``results.json`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    md = folder / "report.md"
    page = folder / "report.html"
    md.write_text(markdown(run, thresholds, gate_failures), encoding="utf-8")
    page.write_text(html_page(run, thresholds, gate_failures), encoding="utf-8")
    (folder / "results.json").write_text(json.dumps(run.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
    return md, page

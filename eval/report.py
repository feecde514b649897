"""Eval reports: a Markdown file and a self-contained HTML page with one bar chart per metric."""

from __future__ import annotations

import html
import json
from pathlib import Path

from eval.runner import METRIC_ROWS, MODE_NAMES, EvalRun, QuestionResult

COLOURS = {"hybrid": "#1f6f8b", "bm25": "#e0a526", "dense": "#8f5fa8"}


def failures(run: EvalRun, mode: str = "hybrid") -> list[QuestionResult]:
    """Questions the pipeline got wrong: missed unit, wrong citation, ungrounded, or wrong refusal."""
    out = []
    for r in run.results.get(mode, []):
        wrong = (r.answerable and (r.refused or not r.citation_ok or (r.rank is None or r.rank > 5))) \
            or (not r.answerable and not r.refused) or (r.grounding is not None and r.grounding < 1.0)
        if wrong:
            out.append(r)
    return out


def _why(r: QuestionResult) -> str:
    if not r.answerable:
        return "niet-beantwoordbare vraag toch beantwoord"
    if r.refused:
        return f"onterecht geweigerd ({r.reason})"
    if r.rank is None or r.rank > 5:
        return "gouden eenheid niet in de top-5"
    if not r.citation_ok:
        return f"gouden eenheid op rang {r.rank}, maar geen geciteerde passage bevat het citaat"
    return "zin niet letterlijk in de geciteerde passage"


def markdown(run: EvalRun, thresholds: dict, gate_failures: list[str]) -> str:
    modes = list(run.aggregates)
    lines = ["# Evaluatierapport Vraagbaak AI & Werk", "",
             f"{run.items} vragen uit {len(run.sets)} bestanden; instellingen: `{json.dumps(run.settings)}`; "
             f"looptijd {run.seconds:.0f} s.", "",
             "| metriek | " + " | ".join(MODE_NAMES.get(m, m) for m in modes) + " | drempel |",
             "|---|" + "---|" * (len(modes) + 1)]
    limits = {**{k: f"≥ {v}" for k, v in thresholds.get("min", {}).items()},
              **{k: f"≤ {v}" for k, v in thresholds.get("max", {}).items()}}
    for key, name in METRIC_ROWS:
        vals = " | ".join(_fmt(run.aggregates[m][key], key) for m in modes)
        lines.append(f"| {name} | {vals} | {limits.get(key, '')} |")
    lines += ["", "## Gate", ""]
    if gate_failures:
        lines += [f"- **tekort**: {f}" for f in gate_failures]
    else:
        lines.append("Alle metrieken halen hun drempel.")
    lines += ["", "## Doelen uit de issues", "", "| metriek | gemeten | doel | verschil |", "|---|---|---|---|"]
    for line in target_lines(run.aggregates.get("hybrid", {}), thresholds):
        lines.append(line)
    lines += ["", "## Per tag (hybride)", "", "| tag | n | hit@5 | citaties | weigeren terecht | onterecht geweigerd |",
              "|---|---|---|---|---|---|"]
    for tag, agg in run.tags.items():
        lines.append(f"| {tag} | {agg['questions']} | {agg['hit_at_5']:.2f} | {agg['citation_correctness']:.2f} | "
                     f"{agg['refusal_recall']:.2f} | {agg['false_refusal_rate']:.2f} |")
    fails = failures(run)
    lines += ["", f"## Fouten (hybride): {len(fails)}", ""]
    for r in fails:
        lines += [f"### {r.id}: {r.question}", "",
                  f"- waarom: {_why(r)}",
                  f"- goud: {r.gold_doc} / {r.gold_unit}",
                  f"- opgehaald: {'; '.join(r.retrieved)}",
                  f"- antwoord: {r.answer[:400]}", ""]
    return "\n".join(lines)


def _fmt(value: float, key: str) -> str:
    return f"{value:.0f}" if key.endswith("_ms") else f"{value:.3f}"


def target_lines(aggregate: dict, thresholds: dict) -> list[str]:
    """Markdown rows comparing measured values with the issues' goals, with the shortfall where there is one."""
    rows = []
    for key, goal in thresholds.get("target", {}).items():
        value = aggregate.get(key)
        if value is None:
            continue
        lower_is_better = key in thresholds.get("max", {})
        short = (value - goal) if lower_is_better else (goal - value)
        verdict = f"tekort {short:.3f}" if short > 1e-9 else "gehaald"
        rows.append(f"| {key} | {value:.3f} | {'≤' if lower_is_better else '≥'} {goal} | {verdict} |")
    return rows


def bar_chart(title: str, values: dict[str, float], key: str, limit: float | None) -> str:
    """An inline SVG bar chart comparing the modes on one metric."""
    width, height, pad = 360, 170, 30
    top = max(list(values.values()) + [limit or 0, 1e-9]) if key.endswith("_ms") else 1.0
    bar_w = (width - 2 * pad) / max(1, len(values)) * 0.6
    parts = [f'<svg role="img" aria-label="{html.escape(title)}" width="{width}" height="{height + 40}" '
             f'viewBox="0 0 {width} {height + 40}"><title>{html.escape(title)}</title>']
    for i, (mode, v) in enumerate(values.items()):
        x = pad + i * (width - 2 * pad) / len(values) + bar_w * 0.3
        h = (height - 20) * (v / top if top else 0)
        y = height - h
        parts.append(f'<rect x="{x:.0f}" y="{y:.0f}" width="{bar_w:.0f}" height="{h:.0f}" '
                     f'fill="{COLOURS.get(mode, "#777")}"/>')
        parts.append(f'<text x="{x + bar_w / 2:.0f}" y="{y - 4:.0f}" text-anchor="middle" font-size="12">'
                     f'{_fmt(v, key)}</text>')
        parts.append(f'<text x="{x + bar_w / 2:.0f}" y="{height + 16}" text-anchor="middle" font-size="11">'
                     f'{html.escape(MODE_NAMES.get(mode, mode).split(" (")[0])}</text>')
    if limit is not None and top:
        y = height - (height - 20) * (limit / top)
        parts.append(f'<line x1="{pad}" x2="{width - pad}" y1="{y:.0f}" y2="{y:.0f}" stroke="#c0392b" '
                     f'stroke-dasharray="4 3"/><text x="{width - pad}" y="{y - 3:.0f}" text-anchor="end" '
                     f'font-size="10" fill="#c0392b">drempel {limit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def html_page(run: EvalRun, thresholds: dict, gate_failures: list[str]) -> str:
    limits = {**thresholds.get("min", {}), **thresholds.get("max", {})}
    charts = "".join(
        f'<figure><figcaption>{html.escape(name)}</figcaption>'
        f'{bar_chart(name, {m: run.aggregates[m][key] for m in run.aggregates}, key, limits.get(key))}</figure>'
        for key, name in METRIC_ROWS)
    fails = failures(run)
    rows = "".join(
        f"<tr><td>{html.escape(r.id)}</td><td>{html.escape(r.question)}</td><td>{html.escape(_why(r))}</td>"
        f"<td>{html.escape(str(r.gold_doc))} / {html.escape(str(r.gold_unit))}</td>"
        f"<td>{html.escape('; '.join(r.retrieved[:5]))}</td></tr>" for r in fails)
    targets = "".join("<tr>" + "".join(f"<td>{html.escape(cell.strip())}</td>" for cell in line.strip("|").split("|"))
                      + "</tr>" for line in target_lines(run.aggregates.get("hybrid", {}), thresholds))
    gate = ("<p class='ok'>Gate: alle metrieken halen hun drempel.</p>" if not gate_failures else
            "<ul class='bad'>" + "".join(f"<li>{html.escape(f)}</li>" for f in gate_failures) + "</ul>")
    return f"""<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Evaluatierapport Vraagbaak AI &amp; Werk</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}} h1{{font-size:1.5rem}}
.charts{{display:flex;flex-wrap:wrap;gap:1rem}} figure{{margin:0;border:1px solid #ddd;padding:.5rem;border-radius:6px}}
figcaption{{font-weight:600;margin-bottom:.3rem}} table{{border-collapse:collapse;margin-top:1rem;font-size:.85rem}}
td,th{{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top}} .ok{{color:#1e7b34}} .bad{{color:#b02a1e}}
</style></head><body>
<h1>Evaluatierapport Vraagbaak AI &amp; Werk</h1>
<p>{run.items} vragen; looptijd {run.seconds:.0f} s; instellingen <code>{html.escape(json.dumps(run.settings))}</code></p>
{gate}
<div class="charts">{charts}</div>
<h2>Doelen uit de issues</h2>
<table><thead><tr><th>metriek</th><th>gemeten</th><th>doel</th><th>verschil</th></tr></thead><tbody>{targets}</tbody></table>
<h2>Fouten (hybride): {len(fails)}</h2>
<table><thead><tr><th>id</th><th>vraag</th><th>waarom</th><th>goud</th><th>opgehaald</th></tr></thead>
<tbody>{rows}</tbody></table>
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

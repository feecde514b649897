"""A small hand-made SVG: ingest time and answer latency against corpus size (no plotting dependency)."""

from __future__ import annotations

import html
import math

COLOURS = ["#1f6f8b", "#e0a526", "#8f5fa8", "#c0392b"]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exp:
            return step * exp
    return 10 * exp


def _panel(x0: float, y0: float, w: float, h: float, title: str, unit: str, xs: list[float], xlabels: list[str],
           series: list[tuple[str, list[tuple[float, float]], str]]) -> list[str]:
    """One chart: x on a log2 scale (corpus size factor), y linear from 0."""
    out = [f'<text x="{x0 + w / 2:.1f}" y="{y0 - 14:.1f}" text-anchor="middle" font-size="15" '
           f'font-weight="bold">{html.escape(title)}</text>']
    ymax = _nice_max(max((y for _, pts, _ in series for _, y in pts), default=1.0) * 1.08)
    lx = [math.log2(x) for x in xs]
    lo, hi = min(lx), max(lx) if max(lx) > min(lx) else min(lx) + 1

    def px(x: float) -> float:
        return x0 + (math.log2(x) - lo) / (hi - lo) * w

    def py(y: float) -> float:
        return y0 + h - y / ymax * h

    out.append(f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="#fafafa" stroke="#999"/>')
    for i in range(6):
        yv = ymax * i / 5
        yy = py(yv)
        out.append(f'<line x1="{x0}" y1="{yy:.1f}" x2="{x0 + w}" y2="{yy:.1f}" stroke="#e3e3e3"/>')
        label = f"{yv:.0f}" if ymax >= 10 else f"{yv:.1f}"
        out.append(f'<text x="{x0 - 6}" y="{yy + 4:.1f}" text-anchor="end" font-size="11">{label}</text>')
    for x, lab in zip(xs, xlabels):
        xx = px(x)
        out.append(f'<line x1="{xx:.1f}" y1="{y0}" x2="{xx:.1f}" y2="{y0 + h}" stroke="#e3e3e3"/>')
        for k, part in enumerate(lab.split("\n")):
            out.append(f'<text x="{xx:.1f}" y="{y0 + h + 16 + 13 * k:.1f}" text-anchor="middle" '
                       f'font-size="11">{html.escape(part)}</text>')
    out.append(f'<text x="{x0 - 42}" y="{y0 + h / 2:.1f}" font-size="12" text-anchor="middle" '
               f'transform="rotate(-90 {x0 - 42} {y0 + h / 2:.1f})">{html.escape(unit)}</text>')
    for i, (name, pts, dash) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        if not pts:
            continue
        coords = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2.2"{dash_attr}/>')
        for x, y in pts:
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.8" fill="{colour}"><title>'
                       f'{html.escape(name)}: {y:.1f} {html.escape(unit)}</title></circle>')
            value = f"{y:.0f}" if y >= 10 else f"{y:.1f}"
            label_y = py(y) + 14 if i == 2 else py(y) - 6  # the third series labels below its points
            out.append(f'<text x="{px(x) + 6:.1f}" y="{label_y:.1f}" font-size="10" fill="{colour}">{value}</text>')
        ly = y0 + h + 52 + 16 * i  # legend below the x labels, never over the data
        out.append(f'<line x1="{x0 + 10}" y1="{ly}" x2="{x0 + 34}" y2="{ly}" stroke="{colour}" stroke-width="2.2"'
                   f'{dash_attr}/>')
        out.append(f'<text x="{x0 + 40}" y="{ly + 4}" font-size="11">{html.escape(name)}</text>')
    return out


def scaling_svg(points: list[dict]) -> str:
    """``points``: one dict per scale with keys scale, chunks, ingest_warm_s, ingest_cold_s (or None),
    answer_p50_ms, answer_p95_ms, retrieve_p50_ms."""
    points = sorted(points, key=lambda p: p["scale"])
    xs = [p["scale"] for p in points]
    labels = [f"{p['scale']}×\n{p['chunks']} chunks" for p in points]
    left = [("ingest, warme embeddingcache", [(p["scale"], p["ingest_warm_s"]) for p in points], ""),
            ("ingest, lege embeddingcache", [(p["scale"], p["ingest_cold_s"]) for p in points
                                             if p.get("ingest_cold_s") is not None], "6 4")]
    right = [("antwoord p50", [(p["scale"], p["answer_p50_ms"]) for p in points], ""),
             ("antwoord p95", [(p["scale"], p["answer_p95_ms"]) for p in points], "6 4"),
             ("alleen retrieval p50", [(p["scale"], p["retrieve_p50_ms"]) for p in points], "2 3")]
    width, height = 1000, 470
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Arial, sans-serif">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             '<text x="500" y="24" text-anchor="middle" font-size="16">Vraagbaak AI &amp; Werk — tijd tegen '
             'corpusgrootte (gedupliceerd corpus, x-as logaritmisch)</text>']
    parts += _panel(80, 70, 370, 270, "Ingest-tijd", "seconden", xs, labels, left)
    parts += _panel(590, 70, 370, 270, "Latency per vraag (warm)", "milliseconden", xs, labels, right)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"

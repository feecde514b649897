"""The cost of the conversation a question brings along: time and peak memory per history size.

``python -m bench.history [--sizes 2000,5000,10000,100000] [--json]`` over the configured index (build it
first: ``vraagbaak ingest``). Each size is measured in two shapes: one long earlier question, and many
earlier questions of about 100 characters. Peak memory is the rise of the process' resident peak (VmHWM,
reset before each question), so the model and index loaded beforehand do not count.
"""

from __future__ import annotations

import argparse
import json
import time

from vraagbaak.settings import load_settings

FOLLOW_UP = "En wat zei het kabinet daarover?"
EARLIER = "Wat zegt de SER over scholing van werknemers bij de inzet van AI op het werk en over de rol van de OR? "


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def histories(chars: int) -> dict[str, list[str]]:
    """Two histories of ``chars`` characters, each starting with its own marker so that no measurement reuses
    a query embedding cached by an earlier one."""
    long_text = f"Vraag {chars} lang: " + EARLIER * (chars // len(EARLIER) + 1)
    turns = [f"Vraag {chars}-{i}: {EARLIER}"[:100] for i in range(max(1, chars // 100))]
    return {"één lange vraag": [long_text[:chars]], "vragen van 100 tekens": turns}


def measure(engine, history: list[str]) -> dict:
    _reset_peak()
    before = _status_kb("VmRSS")
    t0 = time.perf_counter()
    answer = engine.answer(FOLLOW_UP, history=history)
    seconds = time.perf_counter() - t0
    peak = _status_kb("VmHWM")
    return {"seconds": round(seconds, 3), "peak_mb": round((peak - before) / 1024, 1),
            "process_peak_mb": round(peak / 1024), "notice": answer.notice, "refused": answer.refused}


def run(sizes: list[int]) -> list[dict]:
    from rag.engine import get_engine

    engine = get_engine(load_settings())
    engine.ensure_store()
    engine.answer(FOLLOW_UP, history=["Warm: " + EARLIER])  # warm: model, index, first-question costs
    rows = []
    for chars in sizes:
        for shape, history in histories(chars).items():
            rows.append({"chars": chars, "shape": shape, "turns": len(history), **measure(engine, history)})
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| geschiedenis (tekens) | vorm | beurten | tijd (s) | extra piekgeheugen (MB) | piek proces (MB) | ingekort |",
             "|---:|---|---:|---:|---:|---:|---|"]
    lines += [f"| {r['chars']:,} | {r['shape']} | {r['turns']:,} | {r['seconds']:.2f} | {r['peak_mb']:.1f} | "
              f"{r['process_peak_mb']:,} | {'ja' if r['notice'] else 'nee'} |".replace(",", ".") for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.history")
    parser.add_argument("--sizes", default="2000,5000,10000,100000")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rows = run([int(s) for s in args.sizes.split(",")])
    print(json.dumps(rows, ensure_ascii=False) if args.json else table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

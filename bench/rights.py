"""Rechtenwijzer timings: the evidence look-up in the index (once per build) and one report per situation of
the rights eval set, warm. ``python -m bench.rights`` prints the numbers (no targets are asserted here)."""

from __future__ import annotations

import statistics
import time

from vraagbaak.settings import load_settings

ROUNDS = 5


def main() -> None:
    from eval.rights_eval import load_cases
    from index_store.store import open_store
    from rag.rightsguide import rights, rules
    from rag.rightsguide.evidence import Evidence

    settings = load_settings()
    store = open_store(settings.store_dir)
    table = rules(settings)
    t0 = time.perf_counter()
    evidence = Evidence.build(store.records, table)
    build_ms = (time.perf_counter() - t0) * 1000
    cases = load_cases()
    rights(cases[0].situation, settings)  # opens the engine's store and builds its evidence once
    times = []
    for _ in range(ROUNDS):
        for case in cases:
            t = time.perf_counter()
            rights(case.situation, settings)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(f"chunks in index: {len(store.records)}; quotes in the rules: {len(evidence.quotes)} "
          f"(missing: {len(evidence.missing)})")
    print(f"evidence look-up: {build_ms:.0f} ms")
    print(f"report per situation (n={len(times)}): p50 {statistics.median(times):.1f} ms, "
          f"p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms, max {times[-1]:.1f} ms")


if __name__ == "__main__":
    main()

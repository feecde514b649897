"""Load: 20 concurrent clients on one shared engine for a bounded time; no errors, no wrong answers, bounded
memory growth. Throughput and latency are printed, never asserted (the machine is shared).
"""

from __future__ import annotations

import statistics
import threading
import time
from pathlib import Path

from eval.dataset import load_items, split_paths
from ingest.pipeline import run_ingest
from rag.engine import Engine
from vraagbaak.settings import REPO_ROOT

CLIENTS = 20
SECONDS = 20.0
RSS_GROWTH_LIMIT_MB = 300


def rss_mb() -> float:
    """Current resident set size of this process (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmRSS niet gevonden")


def test_twenty_concurrent_clients(corpus_store, isolated_settings) -> None:
    # A private copy of the corpus index (shared embedding cache, so no embedding): an ingest by another
    # test session into the shared test store cannot change the answers halfway through.
    report = run_ingest([isolated_settings.corpus_dir], isolated_settings, progress=False, log=lambda *_: None)
    assert report.build_id
    engine = Engine(isolated_settings)
    items = load_items(split_paths("dev"))
    questions = [(it["question"], it.get("history")) for it in items][:36]
    questions += [("", None), ("🤖" * 50, None), ("x" * 3000, None), ("wat is de hoofdstad van Frankrijk?", None)]
    # Reference answers, one at a time: under load every answer must be exactly the same.
    reference = {}
    for q, history in questions:
        reference[q] = engine.answer(q, history=history).answer
    rss_before = rss_mb()

    stop = time.monotonic() + SECONDS
    latencies: list[float] = []
    errors: list[str] = []
    mismatches: list[str] = []
    lock = threading.Lock()
    peak = [rss_before]

    def client(n: int) -> None:
        i = n
        while time.monotonic() < stop:
            q, history = questions[i % len(questions)]
            i += 7
            t0 = time.perf_counter()
            try:
                ans = engine.answer(q, history=history)
                ans.to_json()
            except Exception as exc:  # noqa: BLE001 - collected and reported below
                with lock:
                    errors.append(f"{exc.__class__.__name__}: {exc}")
                continue
            with lock:
                latencies.append((time.perf_counter() - t0) * 1000)
                if ans.answer != reference[q]:
                    mismatches.append(q[:80])

    def watch() -> None:
        while time.monotonic() < stop:
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.2)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)] + [threading.Thread(target=watch)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=SECONDS + 300)
    elapsed = time.monotonic() - started
    assert not any(t.is_alive() for t in threads), "een client bleef hangen"
    rss_after = rss_mb()

    lat = sorted(latencies)
    p = (lambda q: lat[min(len(lat) - 1, int(q * (len(lat) - 1)))]) if lat else (lambda q: 0.0)
    print(f"\nbelasting: {CLIENTS} clients, {elapsed:.1f} s, {len(latencies)} antwoorden "
          f"({len(latencies) / elapsed:.1f}/s), latency p50 {p(0.5):.0f} ms, p95 {p(0.95):.0f} ms, "
          f"max {lat[-1] if lat else 0:.0f} ms, mediaan {statistics.median(lat) if lat else 0:.0f} ms; "
          f"RSS {rss_before:.0f} -> {rss_after:.0f} MB (piek {peak[0]:.0f} MB, groei "
          f"{rss_after - rss_before:+.0f} MB, grens {RSS_GROWTH_LIMIT_MB} MB); fouten {len(errors)}, "
          f"afwijkende antwoorden {len(mismatches)}")
    assert not errors, errors[:5]
    assert not mismatches, mismatches[:5]
    assert len(latencies) >= CLIENTS  # every client got at least one answer through
    assert rss_after - rss_before < RSS_GROWTH_LIMIT_MB
    assert peak[0] - rss_before < RSS_GROWTH_LIMIT_MB

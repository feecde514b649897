"""``python -m bench.replica``: what a chat replica without a local index costs to start.

Starts a ``chroma run`` server on a free loopback port, ingests the default corpus into it (vectors from the
given embedding cache, so nothing is embedded when the cache is warm), then measures a replica's start: reading
the active build from the server and building BM25 in memory (``index_store.store.open_remote_store``), and
BM25 alone on 1× and 16× the corpus's chunk and sentence texts. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.serving import free_port
from index_store.lexical import LexicalIndex
from index_store.store import lexical_texts, open_remote_store
from ingest.pipeline import run_ingest
from vraagbaak.settings import load_settings


def _start_chroma(path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([str(Path(sys.executable).parent / "chroma"), "run", "--path", str(path), "--host",
                             "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=dict(os.environ, ANONYMIZED_TELEMETRY="False"))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=2):
                return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("de Chroma-server start niet")


def _bm25_seconds(texts: tuple[list[str], list[str], list[str]], times: int) -> float:
    t = time.perf_counter()
    LexicalIndex.build(*(part * times for part in texts))
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    base = load_settings()
    with tempfile.TemporaryDirectory(prefix="vraagbaak-replica-") as tmp:
        root = Path(tmp)
        proc, url = _start_chroma(root / "chroma")
        try:
            settings = base.with_overrides(store_dir=root / "ingest", cache_dir=base.cache_dir, chroma_url=url)
            t = time.perf_counter()
            run_ingest([settings.corpus_dir], settings, progress=False, log=lambda *_: None)
            ingest_s = time.perf_counter() - t
            opens = []
            for _ in range(args.runs):
                t = time.perf_counter()
                store = open_remote_store(root / "empty", url, settings.chroma_namespace)
                opens.append(time.perf_counter() - t)
                store.close()
            texts = lexical_texts(store.records, len(store.sentence_embeddings))
            sentences = texts[2]
            bm25 = {k: _bm25_seconds(texts, k) for k in (1, 16)}
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print("| meting | seconden |\n|---|---|")
    print(f"| ingest in de server (embeddingcache {base.cache_dir}) | {ingest_s:.1f} |")
    print(f"| replica-start: build uit de server lezen + BM25 in het geheugen (mediaan van {args.runs}) | "
          f"{statistics.median(opens):.1f} |")
    print(f"| BM25 in het geheugen, 1× ({len(store.records)} chunks, {len(sentences)} zinnen) | {bm25[1]:.1f} |")
    print(f"| BM25 in het geheugen, 16× ({16 * len(store.records)} chunks, {16 * len(sentences)} zinnen) | "
          f"{bm25[16]:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

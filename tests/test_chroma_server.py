"""Chroma server mode for real: a ``chroma run`` server on a free loopback port, ingest and ask against it.

The vectors live in the server (one collection per build, with the chunk texts and records, and two beside it
for sentence vectors and the manifest with the documents); the ingest's store folder keeps its own copy. The default corpus is ingested with the session's embedding cache, so no text is embedded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from conftest import free_port, stop_process

from index_store.store import chroma_client, collection_name, read_manifest
from ingest.pipeline import run_ingest
from rag.engine import Engine
from vraagbaak.settings import REPO_ROOT

CHROMA = Path(sys.executable).parent / "chroma"
VRAAGBAAK = [sys.executable, "-m", "vraagbaak.cli"]
QUESTIONS = [
    "heeft de OR adviesrecht als de werkgever een nieuw AI-systeem wil invoeren?",
    "Wat is Dare to be Aware?",
    "vanaf wanneer komt er dat krediet voor een leven lang leren?",
]




def heartbeat(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as resp:
            return resp.status == 200 and "heartbeat" in resp.read().decode()
    except OSError:
        return False


class ChromaServer:
    def __init__(self, path: Path, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "wb")
        self.proc = subprocess.Popen([str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1",
                                      "--port", str(self.port)], stdout=self.log, stderr=subprocess.STDOUT,
                                     env=dict(os.environ, ANONYMIZED_TELEMETRY="False"))
        deadline = time.monotonic() + 90
        while not heartbeat(self.url):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"Chroma-server start niet; zie {log}")
            time.sleep(0.2)

    def stop(self) -> None:
        stop_process(self.proc, 20)
        self.log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("chroma-server")
    srv = ChromaServer(root / "db", root / "server.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def env(server, settings):
    return dict(os.environ, VRAAGBAAK_PROFILE="test", VRAAGBAAK_CHROMA_URL=server.url,
                VRAAGBAAK_CACHE_DIR=str(settings.cache_dir), HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")


def cli(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(VRAAGBAAK + args, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=600)


def server_collections(url: str) -> dict[str, int]:
    client = chroma_client(url, None)
    return {c.name: c.count() for c in client.list_collections()}


@pytest.fixture(scope="module")
def store_a(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("server-store") / "store"


def test_ingest_into_the_server(server, env, store_a: Path) -> None:
    out = cli(["ingest", "--store", str(store_a), "--quiet"], env)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Nieuwe index" in out.stdout
    manifest = read_manifest(store_a)
    assert manifest["chroma_url"] == server.url
    assert manifest["collection"] == collection_name(manifest["build_id"])
    build = store_a / "builds" / manifest["build_id"]
    assert not (build / "chroma").exists()  # the vectors are in the server, not on local disk
    records = sum(1 for _ in open(build / "chunks.jsonl", encoding="utf-8"))
    collections = server_collections(server.url)
    name = manifest["collection"]
    assert collections[name] == records
    # and what a replica without this folder needs: sentence vectors, manifest and documents, the pointer
    assert collections[name + "-s"] == sum(1 for _ in np.load(build / "sentences.npy", mmap_mode="r"))
    assert collections[name + "-d"] == 1 + len(manifest["documents"])
    assert set(collections) == {name, name + "-s", name + "-d", "vraagbaak-active"}
    assert sum(d["chunks"] for d in manifest["documents"].values()) == records


def test_ask_against_the_server(env, store_a: Path) -> None:
    out = cli(["ask", "--json", "--store", str(store_a), QUESTIONS[0]], env)
    assert out.returncode == 0, out.stderr[-3000:]
    answer = json.loads(out.stdout)
    assert not answer["refused"] and answer["citations"]
    assert any(c["doc"] == "ser-advies-ai-en-werk-2025" for c in answer["citations"])


def test_server_answers_match_embedded_answers(server, settings, store_a: Path, engine) -> None:
    """The same corpus gives the same passages whether the vectors are in the server or embedded."""
    remote = Engine(settings.with_overrides(store_dir=store_a, cache_dir=settings.cache_dir, chroma_url=server.url))
    for q in QUESTIONS:
        for mode in ("hybrid", "dense"):
            here = [p.chunk_id for p in engine.answer(q, mode=mode).passages]
            there = [p.chunk_id for p in remote.answer(q, mode=mode).passages]
            assert len(set(here) & set(there)) >= 4, (q, mode, here, there)


def test_a_replica_without_a_folder_reads_everything_from_the_server(server, settings, store_a: Path,
                                                                     tmp_path) -> None:
    """A process with the server's URL and an empty folder answers exactly as the ingest's own process does,
    and shows passages in their document (read from the server too)."""
    here = Engine(settings.with_overrides(store_dir=store_a, cache_dir=settings.cache_dir, chroma_url=server.url))
    empty = tmp_path / "replica"
    replica = Engine(settings.with_overrides(store_dir=empty, cache_dir=settings.cache_dir, chroma_url=server.url))
    for q in QUESTIONS:
        mine, theirs = here.answer(q), replica.answer(q)
        assert (mine.answer, [c.label for c in mine.citations]) == \
            (theirs.answer, [c.label for c in theirs.citations])
    assert replica.store.build_id == here.store.build_id and replica.store.remote_documents is not None
    doc = "ser-advies-ai-en-werk-2025"
    assert replica.store.document(doc) == here.store.document(doc)
    assert not empty.exists() or not any(empty.iterdir())
    replica.close()
    here.close()


def test_reingest_is_up_to_date(env, store_a: Path) -> None:
    out = cli(["ingest", "--store", str(store_a), "--quiet"], env)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "Index is al actueel" in out.stdout


def test_two_stores_share_one_server(server, settings, store_a: Path, tmp_path) -> None:
    """Rebuilds prune only their own store's old collections, never another store's active one."""
    store_b = settings.with_overrides(store_dir=tmp_path / "store-b", cache_dir=settings.cache_dir,
                                      chroma_url=server.url)
    report = run_ingest([settings.corpus_dir], store_b, progress=False, log=lambda *_: None)
    assert report.build_id
    collection_b = read_manifest(store_b.store_dir)["collection"]
    store_a_settings = store_b.with_overrides(store_dir=store_a, cache_dir=settings.cache_dir)
    for _ in range(3):
        assert run_ingest([settings.corpus_dir], store_a_settings, rebuild=True, progress=False,
                          log=lambda *_: None).build_id
    manifest_a = read_manifest(store_a)
    collections = server_collections(server.url)
    assert collection_b in collections and manifest_a["collection"] in collections
    builds = {n.removesuffix("-s").removesuffix("-d") for n in collections if n != "vraagbaak-active"}
    ours = builds - {collection_b}
    assert len(ours) == 2  # the active build and one previous (keep=2)
    assert ours == {collection_name(b.name) for b in (store_a / "builds").iterdir()}
    assert all(n + suffix in collections for n in builds for suffix in ("", "-s", "-d"))
    ans = Engine(store_b).answer(QUESTIONS[1])
    assert not ans.refused and ans.citations


def test_server_down_gives_a_clear_message(server, env, store_a: Path) -> None:
    server.stop()
    out = cli(["ask", "--store", str(store_a), QUESTIONS[0]], env)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "Chroma-server" in out.stderr and "niet bereikbaar" in out.stderr

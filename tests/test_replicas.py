"""Stateless chat replicas on one Chroma server, for real: a ``chroma run`` server, two ``vraagbaak serve``
processes with empty local folders of their own, and ingests from a third process.

Both replicas answer from what the server holds; a re-ingest that changes a document reaches both without a
restart while questions keep coming, and an ingest killed (SIGKILL) while it writes to the server leaves the
old build serving. The documents are written by the test, so their text is embedded for real.
"""

from __future__ import annotations

import html
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from bench.serving import ask_once
from conftest import free_port, stop_process
from test_chroma_server import ChromaServer, server_collections

from index_store.store import active_build_id, collection_name, read_manifest
from vraagbaak.settings import REPO_ROOT

VRAAGBAAK = [sys.executable, "-m", "vraagbaak.cli"]
QUESTION = "Wanneer eindigt de proef met het roosterprogramma bij de thuiszorg?"
ANSWERED = "Wat doet het roosterprogramma voor de wijkteams?"
NEW_FACT = "30 april 2031"
TIMEOUT = 300


def note(extra: str = "", sections: int = 4) -> str:
    """A works council's note on a scheduling pilot (``extra`` is appended to its first section)."""
    parts = ["# Notitie proef roosterprogramma thuiszorg\n", "Datum: 3 februari 2026\n"]
    for i in range(1, sections + 1):
        parts.append(f"## {i}. Onderdeel {i} van de proef\n")
        parts.append(f"In onderdeel {i} plant het roosterprogramma de diensten van de wijkteams. De ondernemingsraad "
                     f"bespreekt elke maand met de bestuurder hoe het programma de werkdruk in wijk {i} beïnvloedt. "
                     f"Medewerkers kunnen een rooster altijd laten aanpassen door een planner.\n")
        if i == 1:
            parts.append("De proef met het roosterprogramma loopt een jaar en wordt daarna geëvalueerd. " + extra + "\n")
    return "\n".join(parts)


def big_note(paragraphs: int = 120) -> str:
    """A long document whose vectors are not cached: an ingest of it spends a while writing to the server."""
    out = ["# Verslag werkgroep digitale planning\n"]
    for i in range(paragraphs):
        out.append(f"## {i + 1}. Bespreking {i + 1}\n")
        out.append(f"Tijdens bespreking {i + 1} kwam de planning van ploeg {i % 9 + 1} aan de orde. Deelnemers wisselden "
                   f"ervaringen uit over roosters, pauzes en overwerk in periode {i + 3}. De werkgroep noteerde "
                   f"{i + 2} aandachtspunten voor het vervolg.\n")
    return "\n".join(out)


def answer_and_sources(page: str) -> tuple[str, list[str]]:
    """The last answer's text and its source labels from the page's conversation HTML."""
    last = page.rsplit("<article class='bericht antwoord-bericht'", 1)[-1]
    last = last.split(">", 1)[-1]  # the article's own attributes carry a per-answer id
    text = html.unescape(re.sub(r"<[^>]+>", " ", last))
    labels = [html.unescape(x) for x in re.findall(r"<span class='bron-label'>(.*?)</span>", last)]
    return " ".join(text.split()), labels


class Replica:
    def __init__(self, store: Path, env: dict, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = open(log, "wb")
        self.proc = subprocess.Popen(VRAAGBAAK + ["serve", "--port", str(self.port)], cwd=REPO_ROOT,
                                     env=dict(env, VRAAGBAAK_STORE_DIR=str(store)), stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                if httpx.get(self.url, timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"replica start niet; zie {log}")
            time.sleep(0.5)

    def ask(self, http, question: str = QUESTION) -> tuple[str, list[str]]:
        return answer_and_sources(ask_once(http, self.url, question))

    def stop(self) -> None:
        stop_process(self.proc, 30)
        self.log.close()


def ingest(folder: Path, store: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(VRAAGBAAK + ["ingest", "--store", str(store), "--quiet", str(folder)], cwd=REPO_ROOT,
                          env=env, capture_output=True, text=True, timeout=TIMEOUT)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, settings):
    root = tmp_path_factory.mktemp("replicas")
    server = ChromaServer(root / "db", root / "chroma.log")
    env = dict(os.environ, VRAAGBAAK_PROFILE="test", VRAAGBAAK_CHROMA_URL=server.url,
               VRAAGBAAK_CACHE_DIR=str(root / "cache"), HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False",
               VRAAGBAAK_REPLICA_CHECK_SECONDS="0.5")
    folder = root / "map"
    folder.mkdir()
    (folder / "notitie-roosterproef.md").write_text(note(), encoding="utf-8")
    out = ingest(folder, root / "ingest-store", env)
    assert out.returncode == 0, out.stderr[-3000:]
    replicas = []
    try:
        replicas = [Replica(root / f"replica-{i}", env, root / f"replica-{i}.log") for i in (1, 2)]
        yield server, env, folder, root / "ingest-store", replicas
    finally:
        for r in replicas:
            r.stop()
        server.stop()


def test_replicas_with_empty_folders_answer_alike(cluster) -> None:
    server, _, _, store, replicas = cluster
    with httpx.Client(timeout=120) as http:
        first, second = (r.ask(http, ANSWERED) for r in replicas)
    assert first == second and first[1], (first, second)
    assert "roosterprogramma" in first[0]
    # nothing of the index on their own disks: the replicas' folders hold at most a feedback file
    for i in (1, 2):
        local = store.parent / f"replica-{i}"
        assert not (local / "manifest.json").exists() and not (local / "builds").exists()
    assert active_build_id(server.url, "vraagbaak") == read_manifest(store)["build_id"]


def test_reingest_reaches_both_replicas_without_errors(cluster) -> None:
    server, env, folder, store, replicas = cluster
    errors: list[str] = []
    stop = threading.Event()
    asked = [0]

    def keep_asking() -> None:
        with httpx.Client(timeout=120) as http:
            while not stop.is_set():
                for r in replicas:
                    try:
                        r.ask(http)
                        asked[0] += 1
                    except Exception as exc:  # noqa: BLE001 - every failure is what this test counts
                        errors.append(f"{r.url}: {exc!r}")

    with httpx.Client(timeout=120) as http:
        before = [r.ask(http) for r in replicas]
    assert all(NEW_FACT not in text for text, _ in before)
    asker = threading.Thread(target=keep_asking, daemon=True)
    asker.start()
    try:
        (folder / "notitie-roosterproef.md").write_text(
            note(f"De proef met het roosterprogramma eindigt op {NEW_FACT}."), encoding="utf-8")
        out = ingest(folder, store, env)
        assert out.returncode == 0, out.stderr[-3000:]
        deadline = time.monotonic() + 120
        with httpx.Client(timeout=120) as http:
            while True:
                after = [r.ask(http) for r in replicas]
                if all(NEW_FACT in text for text, _ in after) or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
    finally:
        stop.set()
        asker.join(timeout=180)
    assert not errors, errors[:5]
    assert asked[0] >= 2
    assert after[0] == after[1] and NEW_FACT in after[0][0], after


def test_a_killed_ingest_leaves_the_old_build_serving(cluster) -> None:
    server, env, folder, store, replicas = cluster
    old_build = active_build_id(server.url, "vraagbaak")
    with httpx.Client(timeout=120) as http:
        before = [r.ask(http) for r in replicas]
    (folder / "verslag-werkgroep.md").write_text(big_note(), encoding="utf-8")
    existing = set(server_collections(server.url))
    proc = subprocess.Popen(VRAAGBAAK + ["ingest", "--store", str(store), "--quiet", str(folder)], cwd=REPO_ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + TIMEOUT
    try:
        while not set(server_collections(server.url)) - existing:  # the new build is being written
            assert proc.poll() is None, "the ingest ended before it wrote to the server"
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    assert active_build_id(server.url, "vraagbaak") == old_build
    time.sleep(1.0)  # longer than the replicas' pointer check interval
    with httpx.Client(timeout=120) as http:
        assert [r.ask(http) for r in replicas] == before
    # the next ingest completes and removes what the killed one left on the server
    (folder / "verslag-werkgroep.md").unlink()
    out = ingest(folder, store, env)
    assert out.returncode == 0, out.stderr[-3000:]
    active = read_manifest(store)["collection"]
    ours = {n for n in server_collections(server.url) if n.startswith("vraagbaak-2")}
    builds = {collection_name(p.name) for p in (store / "builds").iterdir()}
    assert {n.removesuffix("-s").removesuffix("-d") for n in ours} == builds and active in ours

"""An ingest killed (SIGKILL) at several points never damages the index, and ``vraagbaak ask`` keeps working.

Real ``vraagbaak ingest`` subprocesses on a temporary store with a small corpus: two corpus documents (their
vectors come from a copy of the session's embedding cache) plus a new document whose vectors must be
computed, so that there is an embedding phase to interrupt. Kill points: during embedding (the progress bar
appears), during Chroma writing (the new build's Chroma database file appears), just before the manifest swap
(the build's ``complete`` marker appears) and after fixed delays. After every kill the previous index must be
whole and answerable while the half-written build is still on disk; a final ingest must succeed and clean up.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from index_store.names import doc_file_name
from index_store.store import COMPLETE, _release_chroma, chroma_client, read_manifest
from vraagbaak.settings import REPO_ROOT

VRAAGBAAK = [sys.executable, "-m", "vraagbaak.cli"]
CORPUS_DOCS = ["ser-raadsvergadering-2024-10-17.txt", "ser-dare-to-be-aware-2022-10-06.txt"]
NEW_DOC = "notitie-proefproject-roosteralgoritme.md"
TIMEOUT = 300


def new_document() -> str:
    """A markdown note that is not in any embedding cache (about 40 sentences in 5 sections)."""
    topics = ["roosteralgoritme", "klachtenregeling", "scholingsbudget", "privacytoets", "evaluatie"]
    parts = ["# Notitie proefproject roosteralgoritme in de zuivelsector\n"]
    for i, topic in enumerate(topics, start=1):
        parts.append(f"\n## {i}. De {topic} van het proefproject\n")
        for j in range(1, 9):
            parts.append(f"In fase {j} bespraken de ondernemingsraad en de directie van de Friese zuivelfabriek "
                         f"de {topic}; deelnemer {i * 10 + j} vond dat de {topic} uitlegbaar moet blijven. ")
        parts.append("\n")
    return "".join(parts)


def copy_cache(src_dir: Path, dst_dir: Path) -> None:
    """A consistent copy of the shared embedding cache (SQLite backup API; the source may be in use)."""
    dst_dir.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(src_dir / "embeddings.sqlite"))
    dst = sqlite3.connect(str(dst_dir / "embeddings.sqlite"))
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


class Ingest:
    """A ``vraagbaak ingest`` subprocess whose stderr is collected in the background."""

    def __init__(self, folder: Path, store: Path, env: dict, quiet: bool = False):
        args = VRAAGBAAK + ["ingest", str(folder), "--store", str(store)] + (["--quiet"] if quiet else [])
        self.started = time.monotonic()
        self.proc = subprocess.Popen(args, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.stderr = bytearray()
        self.stdout = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        while chunk := self.proc.stderr.read1(4096):
            self.stderr.extend(chunk)

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._reader.join(timeout=10)

    def finish(self) -> int:
        self.stdout, _ = self.proc.communicate(timeout=TIMEOUT)
        self._reader.join(timeout=10)
        return self.proc.returncode


def builds_of(store: Path) -> set[str]:
    folder = store / "builds"
    return {p.name for p in folder.iterdir() if p.is_dir()} if folder.is_dir() else set()


def kill_when(ingest: Ingest, store: Path, when: str) -> str:
    """SIGKILL the ingest at the given point; return what the new build looked like at that moment."""
    before = builds_of(store)
    deadline = time.monotonic() + TIMEOUT

    def new_builds() -> list[Path]:
        return [store / "builds" / n for n in builds_of(store) - before]

    while time.monotonic() < deadline:
        if ingest.proc.poll() is not None:
            return "klaar voor het killpunt"
        if when == "embedding":
            hit = b"Embedden" in ingest.stderr
        elif when == "chroma":
            hit = any((b / "chroma" / "chroma.sqlite3").exists() for b in new_builds())
        elif when == "complete":
            hit = any((b / COMPLETE).exists() for b in new_builds())
        else:
            hit = time.monotonic() - ingest.started >= float(when)
        if hit:
            ingest.kill()
            built = new_builds()
            if not built:
                return "geen nieuwe build"
            parts = sorted(p.name for p in built[0].iterdir())
            chroma = built[0] / "chroma"
            inside = f" (chroma: {len(list(chroma.rglob('*')))} bestanden)" if chroma.is_dir() else ""
            return "build met " + (", ".join(parts) or "(leeg)") + inside
        time.sleep(0.002)
    ingest.kill()
    raise AssertionError(f"killpunt {when!r} niet bereikt binnen {TIMEOUT} s")


def check_store(store: Path) -> dict:
    """The active build is whole: manifest, chunk records, BM25, vectors and the Chroma collection agree."""
    manifest = read_manifest(store)
    assert manifest is not None, "geen manifest"
    build = store / "builds" / manifest["build_id"]
    assert (build / COMPLETE).is_file(), "actieve build is niet af"
    records = [json.loads(line) for line in open(build / "chunks.jsonl", encoding="utf-8")]
    docs = manifest["documents"]
    assert {r["doc_id"] for r in records} <= set(docs), "chunk van een document dat niet in het manifest staat"
    for doc_id, entry in docs.items():
        assert sum(r["doc_id"] == doc_id for r in records) == entry["chunks"], doc_id
        assert (build / "docs" / doc_file_name(doc_id)).is_file()
    assert manifest["counts"]["chunks"] == len(records)
    assert int((build / "lexical" / "size.txt").read_text()) == len(records)
    assert np.load(build / "embeddings.npy").shape[0] == len(records)
    assert np.load(build / "sentences.npy").shape[0] == manifest["counts"]["sentences"]
    client = chroma_client("", build / "chroma")
    try:
        collection = client.get_collection(manifest["collection"], embedding_function=None)
        assert collection.count() == len(records), "Chroma telt iets anders dan de chunk-records"
        ids = set(collection.get(include=[])["ids"])
        assert ids == {r["id"] for r in records}
    finally:
        _release_chroma(client)
    return manifest


def ask(store: Path, env: dict, question: str) -> dict:
    out = subprocess.run(VRAAGBAAK + ["ask", "--json", "--store", str(store), question], cwd=REPO_ROOT, env=env,
                         capture_output=True, text=True, timeout=TIMEOUT)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    return json.loads(out.stdout)


QUESTION = "Wat is Dare to be Aware?"


@pytest.fixture(scope="module")
def setup(tmp_path_factory, settings):
    root = tmp_path_factory.mktemp("fault")
    folder = root / "corpus"
    folder.mkdir()
    for name in CORPUS_DOCS:
        shutil.copy(settings.corpus_dir / name, folder / name)
    entries = json.loads((settings.corpus_dir / "manifest.json").read_text(encoding="utf-8"))
    (folder / "manifest.json").write_text(json.dumps({k: entries[k] for k in CORPUS_DOCS}), encoding="utf-8")
    cache = root / "cache"
    copy_cache(settings.cache_dir, cache)
    env = dict(os.environ, VRAAGBAAK_PROFILE="test", VRAAGBAAK_CACHE_DIR=str(cache), HF_HUB_OFFLINE="1",
               ANONYMIZED_TELEMETRY="False", PYTHONUNBUFFERED="1")
    env.pop("VRAAGBAAK_CHROMA_URL", None)
    store = root / "store"
    first = Ingest(folder, store, env, quiet=True)
    assert first.finish() == 0, first.stderr.decode(errors="replace")[-2000:]
    return {"folder": folder, "store": store, "env": env}


def test_killed_ingests_leave_the_index_whole(setup) -> None:
    folder, store, env = setup["folder"], setup["store"], setup["env"]
    v1 = check_store(store)
    assert set(v1["documents"]) == {n.rsplit(".", 1)[0] for n in CORPUS_DOCS}
    before = ask(store, env, QUESTION)
    assert not before["refused"]

    # A changed corpus: a new document whose vectors are not cached yet.
    (folder / NEW_DOC).write_text(new_document(), encoding="utf-8")
    log = []
    active = v1["build_id"]
    for when in ["embedding", "1.0", "chroma", "complete", "2.5"]:
        ingest = Ingest(folder, store, env)
        stage = kill_when(ingest, store, when)
        log.append((when, stage))
        manifest = check_store(store)
        if when != "complete" and not stage.startswith("klaar") and COMPLETE not in stage:
            # Killed before its build was complete: the previous index is still the active one. (With the
            # vectors cached by the earlier kills, a timed kill can land after the build finished.)
            assert manifest["build_id"] == active, (when, stage)
        # After a kill at "complete" the swap may or may not have happened; a fast machine may even finish an
        # ingest before a fixed delay ("klaar voor het killpunt").
        active = manifest["build_id"]
        # The killed build may lie half-written beside the active one; asking still works.
        answer = ask(store, env, QUESTION)
        assert answer["answer"] and not answer["refused"], (when, stage, answer)
        assert {c["doc"] for c in answer["citations"]} <= set(manifest["documents"])
    print("\nkillpunten:", *(f"\n  {w:10} -> {s}" for w, s in log))
    assert any("chroma" in s and "complete" not in s for w, s in log if w == "chroma")
    assert any(COMPLETE in s for w, s in log if w == "complete")

    # A new, uninterrupted ingest (asked during it) takes the new document in (unless the kill at "complete"
    # came after the swap, then it is already in) and removes the half-written builds either way.
    ingest = Ingest(folder, store, env, quiet=True)
    during = ask(store, env, QUESTION)
    assert during["answer"]
    assert ingest.finish() == 0, ingest.stderr.decode(errors="replace")[-2000:]
    manifest = check_store(store)
    assert "notitie-proefproject-roosteralgoritme" in manifest["documents"]
    remaining = builds_of(store)
    assert all((store / "builds" / b / COMPLETE).is_file() for b in remaining), "half-geschreven build bleef staan"
    assert len(remaining) <= 2 and manifest["build_id"] in remaining
    answer = ask(store, env, "Wat vond deelnemer 13 van de klachtenregeling in het proefproject?")
    assert any(p["doc"] == "notitie-proefproject-roosteralgoritme" for p in answer["passages"])

    # And once more: nothing changed, nothing recomputed.
    again = Ingest(folder, store, env, quiet=True)
    assert again.finish() == 0
    assert "Index is al actueel" in again.stdout.decode()

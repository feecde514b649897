"""Issue 12, the running server, for real: the page's index build over raw HTTP (``/gradio_api/queue/join``
with its ``fn_index``), with and without ``VRAAGBAAK_AUTH``, and file handles and threads over 50 index swaps
in a real process (20 swaps between two builds, then 30 to new builds made by real ingests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from index_store.store import read_manifest
from ingest.pipeline import run_ingest
from vraagbaak.settings import REPO_ROOT

from conftest import free_port

pytestmark = pytest.mark.filterwarnings("ignore:.*(no_silent_downcasting|copy keyword).*")
DOC = "# Proef\n\nDe ondernemingsraad kreeg advies over algoritmes op de werkvloer. Werknemers vroegen uitleg.\n"


def small_folder(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "proef.txt").write_text(DOC, encoding="utf-8")
    return folder


def serve(settings):
    from ui.serve import launch

    return launch(settings.with_overrides(host="127.0.0.1", port=free_port()))


def dependencies(client: httpx.Client, url: str) -> list[dict]:
    response = client.get(url + "config")
    response.raise_for_status()
    return response.json()["dependencies"]


def call(client: httpx.Client, url: str, fn_index: int, data: list, timeout: float = 300) -> dict:
    """POST /gradio_api/queue/join, then read the event stream until the call completes; returns the
    ``process_completed`` message (or ``{"status": code}`` when the join itself is refused)."""
    session = uuid.uuid4().hex
    joined = client.post(url + "gradio_api/queue/join", json={"data": data, "fn_index": fn_index, "event_data": None,
                                                                "session_hash": session, "trigger_id": None})
    if joined.status_code != 200:
        return {"status": joined.status_code, "text": joined.text}
    with client.stream("GET", url + "gradio_api/queue/data", params={"session_hash": session},
                       timeout=timeout) as stream:
        for line in stream.iter_lines():
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("msg") == "process_completed":
                    return message
    return {}


def build_index_fn(deps: list[dict]) -> int | None:
    return next((i for i, d in enumerate(deps) if d.get("api_name") == "build_index"), None)


def output_text(message: dict) -> str:
    data = (message.get("output") or {}).get("data") or [{}]
    value = data[0]
    return value.get("value", "") if isinstance(value, dict) else str(value)


def test_with_an_index_there_is_no_build_event_and_no_fn_index_changes_it(chat_server):
    url, settings = chat_server
    before = read_manifest(settings.store_dir)["build_id"]
    builds = sorted(p.name for p in (settings.store_dir / "builds").iterdir())
    with httpx.Client(timeout=60) as client:
        deps = dependencies(client, url)
        assert build_index_fn(deps) is None
        outcomes = []
        for fn_index in range(len(deps) + 2):  # every event the page has, called raw with no inputs
            try:
                outcomes.append(bool(call(client, url, fn_index, [], timeout=60).get("success")))
            except httpx.HTTPError as exc:  # the server may drop a malformed call; it must not build
                outcomes.append(type(exc).__name__)
        print(outcomes)
    assert read_manifest(settings.store_dir)["build_id"] == before
    assert sorted(p.name for p in (settings.store_dir / "builds").iterdir()) == builds


def test_without_an_index_the_build_needs_the_password_and_runs_only_once(isolated_settings, tmp_path):
    settings = isolated_settings.with_overrides(corpus_dir=small_folder(tmp_path / "corpus"),
                                                auth="beheerder:geheim-wachtwoord")
    demo, url = serve(settings)
    try:
        with httpx.Client(timeout=60) as anonymous:
            refused = call(anonymous, url, 40, [])
            assert refused["status"] == 401
            assert anonymous.get(url + "config").status_code == 401
        assert read_manifest(settings.store_dir) is None
        with httpx.Client(timeout=60) as client:
            login = client.post(url + "login", data={"username": "beheerder", "password": "geheim-wachtwoord"})
            assert login.status_code == 200, login.text
            fn = build_index_fn(dependencies(client, url))
            assert fn is not None
            done = call(client, url, fn, [])
            assert done.get("success"), done
            assert "Nieuwe index" in output_text(done)
            built = read_manifest(settings.store_dir)["build_id"]
            again = call(client, url, fn, [])
            assert "Er is al een index" in output_text(again)
            assert read_manifest(settings.store_dir)["build_id"] == built
    finally:
        demo.close()


def test_without_auth_the_build_is_refused_once_an_index_exists(isolated_settings, tmp_path):
    corpus = small_folder(tmp_path / "corpus")
    settings = isolated_settings.with_overrides(corpus_dir=corpus)
    demo, url = serve(settings)
    try:
        with httpx.Client(timeout=60) as client:
            fn = build_index_fn(dependencies(client, url))
            assert fn is not None  # no index yet: the page offers the build
            report = run_ingest([corpus], settings, progress=False, log=lambda *_: None)  # e.g. from a terminal
            assert report.build_id
            answer = call(client, url, fn, [])
            assert "Er is al een index" in output_text(answer), answer
            assert read_manifest(settings.store_dir)["build_id"] == report.build_id
    finally:
        demo.close()


SWAPS = """
import json, os, sys
from pathlib import Path
from index_store.store import _write_json_atomic, read_manifest
from ingest.pipeline import run_ingest
from rag.engine import get_engine
from vraagbaak.settings import load_settings

store, folder = Path(sys.argv[1]), Path(sys.argv[2])
settings = load_settings(store_dir=store)
doc = folder / "proef.txt"

def ingest(extra):
    doc.write_text(doc.read_text(encoding="utf-8") + extra, encoding="utf-8")
    assert run_ingest([folder], settings, progress=False, log=lambda *_: None).build_id
    return read_manifest(store)

def link(fd):
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:  # the descriptor listdir itself used
        return ""

def counts():
    fds = [fd for fd in os.listdir("/proc/self/fd") if link(fd)]
    deleted = sum(1 for fd in fds if "(deleted)" in link(fd))
    return {"fds": len(fds), "threads": len(os.listdir("/proc/self/task")), "deleted": deleted,
            "rss_mb": int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 2**20}

manifests = [ingest(" Eerste versie."), ingest(" Tweede versie.")]
engine = get_engine(settings)
samples = []
for i in range(20):  # swaps back and forth between two builds
    _write_json_atomic(store / "manifest.json", manifests[i % 2])
    assert engine.answer("Wat kreeg de ondernemingsraad?").answer
    samples.append(counts())
for n in range(30):  # swaps to new builds: real ingests, which also delete old builds
    ingest(f" Versie {n + 3}.")
    assert engine.answer("Wat kreeg de ondernemingsraad?").answer
    samples.append(counts())
import gc, time
time.sleep(1)
gc.collect()
settled = counts()  # Chroma closes its SQLite pool asynchronously: a closed build may linger for a moment
print(json.dumps(samples + [settled]))
"""


def test_index_swaps_close_the_old_builds_handles_and_threads(settings, tmp_path):
    folder = small_folder(tmp_path / "map")
    env = {**os.environ, "VRAAGBAAK_PROFILE": "test", "HF_HUB_OFFLINE": "1",
           "VRAAGBAAK_CACHE_DIR": str(settings.cache_dir)}
    proc = subprocess.run([sys.executable, "-c", SWAPS, str(tmp_path / "store"), str(folder)], capture_output=True,
                          text=True, env=env, cwd=REPO_ROOT, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    *samples, settled = json.loads(proc.stdout.strip().splitlines()[-1])
    print({k: [s[k] for s in samples[::5]] for k in samples[0]}, settled)
    warm = samples[4]
    # A build being retired keeps its Chroma pool (a few descriptors and threads) for its grace period, and on a
    # loaded machine two may overlap; a leak grows with every one of the 45 swaps, so it still fails these bounds.
    for s in samples[5:]:
        assert s["fds"] <= warm["fds"] + 5 and s["threads"] <= warm["threads"] + 5, (warm, s)
    for key in ("fds", "threads"):
        early = sum(s[key] for s in samples[5:15]) / 10
        late = sum(s[key] for s in samples[-10:]) / 10
        assert late <= early + 2, (key, [s[key] for s in samples])
    # no deleted build stays open: at most one build's files for a moment, none once settled
    assert max(s["deleted"] for s in samples) <= 8 and settled["deleted"] == 0, ([s["deleted"] for s in samples],
                                                                               settled)
    assert len(samples) == 50
    assert samples[-1]["rss_mb"] - samples[20]["rss_mb"] < 100

"""Many people at once through the real chat page: a ``vraagbaak serve`` subprocess over a built store, asked
through Gradio's HTTP API (the same ``/vraag`` endpoint the page uses) by ``users`` clients in
parallel, each asking ``per_user`` questions one after the other.

Reports per-question latency (p50/p95/max, from submit to the final answer), errors (an exception, a missing
final answer, or the page's error message) and throughput. The server is our own child process and is stopped
by its pid at the end.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from vraagbaak.settings import REPO_ROOT

FINAL = re.compile(r"<article class='bericht antwoord-bericht'[^>]*data-klaar='1'")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"de chatserver stopte met code {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "config", timeout=5) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"de chatserver op {url} kwam niet binnen {timeout:.0f} s op")


def start_server(store_dir: Path, cache_dir: Path, work: Path, env_extra: dict | None = None
                 ) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False", GRADIO_ANALYTICS_ENABLED="False",
               VRAAGBAAK_CACHE_DIR=str(cache_dir), VRAAGBAAK_FEEDBACK_DB=str(work / "serve-feedback.sqlite"),
               **(env_extra or {}))
    env.pop("VRAAGBAAK_CHROMA_URL", None)
    log_file = open(work / f"serve-{port}.log", "w", encoding="utf-8")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([sys.executable, "-m", "vraagbaak.cli", "serve", "--store", str(store_dir),
                             "--host", "127.0.0.1", "--port", str(port)], cwd=REPO_ROOT, env=env,
                            stdout=log_file, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_up(url, proc)
    except Exception:
        stop_server(proc)
        raise
    return proc, url


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def ask_once(http, url: str, question: str) -> str:
    """One question through the page's ``/vraag`` endpoint over Gradio's HTTP API (``POST`` the inputs, then
    read the event stream to its ``complete`` event); returns the final conversation HTML."""
    posted = http.post(url + "gradio_api/call/vraag", json={"data": [question, [], [], "", ""]})
    posted.raise_for_status()
    event_id = posted.json()["event_id"]
    event, final = "", None
    with http.stream("GET", url + f"gradio_api/call/vraag/{event_id}") as resp:
        resp.raise_for_status()
        for line in resp.iter_lines():
            if line.startswith("event:"):
                event = line.removeprefix("event:").strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                final = (event, json.loads(line.removeprefix("data:").strip() or "null"))
                break
    if final is None or final[0] != "complete" or not final[1]:
        raise RuntimeError(f"geen eindantwoord ({final!r:.200})")
    return final[1][0]


def load_test(url: str, questions: list[str], users: int = 20, per_user: int = 5) -> dict:
    """``users`` clients at once, each asking ``per_user`` questions in turn; all clients connect first.

    The clients speak Gradio's HTTP API directly (``httpx``): ``gradio_client`` costs more CPU per question
    than the server does (measured: 15.9 s client against 12.7 s server for 100 questions), and on one
    2-core machine that load generator's work would be counted as the server's latency."""
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(users + 1)

    def person(i: int) -> None:
        with httpx.Client(timeout=300) as http:
            try:
                http.get(url + "config").raise_for_status()
            except Exception as exc:  # noqa: BLE001 - counted as an error
                with lock:
                    errors.append(f"client {i}: {exc!r}")
            try:
                ready.wait(timeout=300)
            except threading.BrokenBarrierError:
                pass
            for j in range(per_user):
                question = questions[(i * per_user + j) % len(questions)]
                t0 = time.perf_counter()
                try:
                    html = ask_once(http, url, question)
                except Exception as exc:  # noqa: BLE001
                    with lock:
                        errors.append(f"client {i} vraag {j}: {exc!r}"[:300])
                    continue
                elapsed = time.perf_counter() - t0
                with lock:
                    if not FINAL.search(html or "") or "foutmelding" in html:
                        errors.append(f"client {i} vraag {j}: geen (goed) eindantwoord")
                    else:
                        latencies.append(elapsed)

    threads = [threading.Thread(target=person, args=(i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    try:
        ready.wait(timeout=300)
    except threading.BrokenBarrierError:
        pass
    t0 = time.perf_counter()
    for t in threads:
        t.join(timeout=900)
    wall = time.perf_counter() - t0
    return {"users": users, "per_user": per_user, "asked": users * per_user, "answered": len(latencies),
            "errors": len(errors), "error_examples": errors[:5],
            "p50_s": round(_percentile(latencies, 50), 3), "p95_s": round(_percentile(latencies, 95), 3),
            "max_s": round(max(latencies), 3) if latencies else 0.0, "wall_s": round(wall, 2),
            "answers_per_s": round(len(latencies) / wall, 2) if wall else 0.0}


def serve_bench(store_dir: Path, cache_dir: Path, work: Path, questions: list[str], users: int = 20,
                per_user: int = 5, env_extra: dict | None = None) -> dict:
    """Start a real server over ``store_dir``, warm it up, run the load test, stop it."""
    import httpx

    t0 = time.perf_counter()
    proc, url = start_server(store_dir, cache_dir, work, env_extra)
    started_s = time.perf_counter() - t0
    load_start = os.getloadavg()[0]
    try:
        with httpx.Client(timeout=300) as warm:
            for q in questions[:3]:
                ask_once(warm, url, q)
        result = load_test(url, questions, users, per_user)
    finally:
        stop_server(proc)
    result["server_start_s"] = round(started_s, 1)
    result["load_avg_1min"] = [round(load_start, 2), round(os.getloadavg()[0], 2)]
    return result

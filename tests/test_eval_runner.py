"""The eval runner, reports and gate (issue 4), run for real through the ``vraagbaak eval`` command."""

from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from eval.dataset import load_items, split_paths
from eval.gate import check_gate, load_thresholds
from eval.metrics import first_hit_rank, grounding, split_marked
from eval.runner import METRIC_ROWS, MODE_NAMES, _fmt
from vraagbaak.settings import REPO_ROOT

VRAAGBAAK = Path(sys.executable).parent / "vraagbaak"
CHROMIUM = Path("/usr/bin/chromium")
# The runner's own tests run the dev split; the gate test runs the test split (the gate judges it).
SETS = split_paths("dev")


def vraagbaak(args: list[str], **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("VRAAGBAAK_")}
    full_env.update(VRAAGBAAK_PROFILE="test", HF_HUB_OFFLINE="1", **env)
    t0 = time.perf_counter()
    proc = subprocess.run([str(VRAAGBAAK), *args], capture_output=True, text=True, env=full_env, cwd=REPO_ROOT,
                          timeout=3600)
    print(f"vraagbaak {' '.join(args)}: {time.perf_counter() - t0:.0f} s, exit {proc.returncode}")
    return proc


@pytest.fixture(scope="module")
def eval_run(corpus_store, tmp_path_factory):
    """``vraagbaak eval --split dev --report DIR`` on the test profile's index of the real corpus."""
    report_dir = tmp_path_factory.mktemp("eval-report")
    proc = vraagbaak(["eval", "--split", "dev", "--report", str(report_dir)])
    print(proc.stdout)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc, report_dir, json.loads((report_dir / "results.json").read_text(encoding="utf-8"))


# ------------------------------------------------------------------------------------------ the command


def test_eval_prints_the_table_with_three_modes(eval_run):
    proc, _, results = eval_run
    lines = proc.stdout.splitlines()
    n_items = len(load_items(SETS))
    assert re.match(rf"Evaluatie: {n_items} vragen, \d+ s", lines[0])
    assert re.match(r"Split dev: \d+ vragen \(\d+ beantwoordbaar, \d+ niet\)", lines[2])
    header = lines[3]
    for mode in ("hybrid", "bm25", "dense"):
        assert MODE_NAMES[mode] in header
    assert header.index(MODE_NAMES["hybrid"]) < header.index(MODE_NAMES["bm25"]) < header.index(MODE_NAMES["dense"])
    assert "test" not in results["aggregates"]  # a dev run shows nothing of the test split
    for key, name in METRIC_ROWS:
        row = next(line for line in lines if line.startswith(name + " ") or line.startswith(name + "\t"))
        values = row[len(name):].split()
        assert len(values) == 3, row
        for mode, shown in zip(("hybrid", "bm25", "dense"), values):
            assert shown == _fmt(results["aggregates"]["dev"][mode][key], key), (key, mode)
    folder = eval_run[1]
    assert f"Rapport: {folder / 'report.md'} en {folder / 'report.html'}" in proc.stdout


def test_eval_writes_markdown_html_and_json(eval_run):
    _, folder, results = eval_run
    assert {p.name for p in folder.iterdir()} >= {"report.md", "report.html", "results.json"}
    items = load_items(SETS)
    assert results["items"] == len(items)
    assert set(results["aggregates"]["dev"]) == {"hybrid", "bm25", "dense"}
    for mode in ("hybrid", "bm25", "dense"):
        per_q = results["results"][mode]
        assert [r["id"] for r in per_q] == [it["id"] for it in items]
        agg = results["aggregates"]["dev"][mode]
        answerable = [r for r in per_q if r["answerable"]]
        hits = sum(1 for r in answerable if r["rank"] is not None and r["rank"] <= 5)
        assert agg["hit_at_5"] == pytest.approx(hits / len(answerable))
        assert agg["questions"] == len(items)
        with_facts = [r for r in answerable if r["facts"]]
        correct = sum(1 for r in with_facts if not r["refused"] and r["facts_found"] == r["facts"])
        assert agg["answer_correctness"] == pytest.approx(correct / len(with_facts))
    assert set(results["styles"]["dev"]["hybrid"]) >= {"paraphrase", "typo", "long", "followup", "near_topic"}
    md = (folder / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Evaluatierapport Vraagbaak AI & Werk")
    assert "| metriek | dev: hybride (ons systeem) | dev: alleen BM25 | dev: alleen dense | drempel (test) |" in md
    assert "## Gate" in md and "## Per stijl, split dev" in md and "## Fouten (hybride, split dev)" in md
    gate = check_gate(results["aggregates"]["dev"]["hybrid"], load_thresholds())
    for failure in gate:
        assert f"- **tekort**: {failure}" in md
    if not gate:
        assert "Alle metrieken halen hun drempel." in md
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == len(METRIC_ROWS)


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def _png_colour_share(data: bytes, rgb: tuple[int, int, int]) -> float:
    """Share of pixels of exactly this colour, decoding the PNG with zlib (8-bit RGB/RGBA, no interlace)."""
    width, height = _png_size(data)
    bit_depth, colour_type = data[24], data[25]
    assert bit_depth == 8 and colour_type in (2, 6)
    channels = 3 if colour_type == 2 else 4
    pos, idat = 8, b""
    while pos < len(data):
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        kind = data[pos + 4:pos + 8]
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    prev = bytearray(stride)
    count = 0
    i = 0
    for _ in range(height):
        ftype = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, channels):
            if (line[x], line[x + 1], line[x + 2]) == rgb:
                count += 1
        prev = line
    return count / (width * height)


def test_html_report_renders_in_headless_chromium(eval_run, tmp_path):
    from playwright.sync_api import sync_playwright

    _, folder, results = eval_run
    assert CHROMIUM.is_file(), "apt-get install -y chromium (make browser)"
    shot = tmp_path / "report.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--headless", "--no-sandbox", "--disable-gpu",
                                          "--disable-background-networking"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            t0 = time.perf_counter()
            page.goto((folder / "report.html").as_uri())
            page.wait_for_selector("figure svg")
            print(f"report page loaded in {time.perf_counter() - t0:.2f} s")
            assert page.title() == "Evaluatierapport Vraagbaak AI & Werk"
            charts = page.locator("figure svg")
            assert charts.count() == len(METRIC_ROWS)
            for i in range(charts.count()):
                box = charts.nth(i).bounding_box()
                assert box and box["width"] >= 300 and box["height"] >= 150, box
                assert charts.nth(i).is_visible()
                assert charts.nth(i).locator("rect").count() == 3  # one bar per mode of the one split
            captions = page.locator("figcaption").all_inner_texts()
            assert captions == [name for _, name in METRIC_ROWS]
            hit5 = f"{results['aggregates']['dev']['hybrid']['hit_at_5']:.3f}"
            assert hit5 in page.locator("figure").nth(2).inner_text()
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    data = shot.read_bytes()
    width, height = _png_size(data)
    print(f"screenshot {shot}: {width}x{height}, {len(data)} bytes")
    assert width >= 1400 and height >= 900 and len(data) > 30_000
    # the hybrid bars (#1f6f8b) are really painted
    assert _png_colour_share(data, (0x1F, 0x6F, 0x8B)) > 0.002


# ------------------------------------------------------------------------------------------- the gate


def test_the_gate_fails_for_a_crippled_retriever(eval_run, tmp_path):
    """Retrieval broken on purpose through its settings: BM25 and the sentence ranking switched off and the
    rerank turned upside down (the least similar of the dense candidates first). The gate must fail and say
    on what."""
    report = tmp_path / "crippled-report"
    crippled = dict(VRAAGBAAK_WEIGHT_BM25="0", VRAAGBAAK_WEIGHT_SENTENCE="0", VRAAGBAAK_RERANK_WEIGHT_DENSE="-1",
                    VRAAGBAAK_RERANK_WEIGHT_BM25="0", VRAAGBAAK_RERANK_WEIGHT_SENTENCE="0",
                    VRAAGBAAK_RERANK_DEPTH="40")
    proc = vraagbaak(["eval", "--split", "test", "--gate", "--report", str(report)], **crippled)
    print(proc.stderr[-2000:])
    assert proc.returncode == 1
    results = json.loads((report / "results.json").read_text(encoding="utf-8"))
    assert results["settings"]["weight_bm25"] == 0.0 and results["splits"] == ["test"]
    expected = check_gate(results["aggregates"]["test"]["hybrid"], load_thresholds())
    assert expected
    assert "GATE GEFAALD" in proc.stderr
    named = re.findall(r"^  - (\w+) = ", proc.stderr, re.M)
    assert named == [f.split(" ")[0] for f in expected]
    for failure in expected:
        assert failure in proc.stderr
    assert {"hit_at_5", "answer_correctness"} & set(named)
    # crippled relative to the thresholds the real system meets, not just failing on its own
    assert results["aggregates"]["test"]["hybrid"]["hit_at_5"] < load_thresholds()["min"]["hit_at_5"]


def test_a_dev_run_cannot_pass_the_gate(corpus_store, tmp_path):
    """The gate judges the test split: asking it to gate a dev-only run fails instead of passing."""
    proc = vraagbaak(["eval", "--split", "dev", "--set", str(SETS[0]), "--gate", "--report", str(tmp_path / "r")])
    assert proc.returncode == 1 and "de gate beoordeelt de split test" in proc.stderr


# ------------------------------------------------------------------------------------------ unit tests


def test_split_marked():
    assert split_marked("Zin een. [1] Zin twee. [2][3]") == [("Zin een.", [1]), ("Zin twee.", [2, 3])]
    assert split_marked("Zin een. [1] [2] Slot zonder bron.") == [("Zin een.", [1, 2]), ("Slot zonder bron.", [])]
    assert split_marked("Zonder markers.") == [("Zonder markers.", [])]
    assert split_marked("") == []


def test_grounding():
    citations = [{"n": 1, "text": "De OR heeft  adviesrecht bij de invoering van een “technologische voorziening”."},
                 {"n": 2, "text": "Het kabinet voert het levenlanglerenkrediet in."}]
    ok = "De OR heeft adviesrecht bij de invoering van een \"technologische voorziening\". [1] " \
         "Het kabinet voert het levenlanglerenkrediet in. [2]"
    assert grounding(ok, citations) == (1.0, [])
    # a sentence cited to the wrong passage, a sentence without marker, a marker without passage
    wrong = ("Het kabinet voert het levenlanglerenkrediet in. [1] "
             "De OR heeft adviesrecht bij de invoering van een \"technologische voorziening\". [1] Zomaar iets.")
    score, bad = grounding(wrong, citations)
    assert score == pytest.approx(1 / 3)
    assert bad == ["Het kabinet voert het levenlanglerenkrediet in.", "Zomaar iets."]
    # a paraphrase is not grounded, however close
    assert grounding("De OR heeft adviesrecht. [1]", citations) == (0.0, ["De OR heeft adviesrecht."])
    assert grounding("Het kabinet voert het levenlanglerenkrediet in. [7]", citations) == \
        (0.0, ["Het kabinet voert het levenlanglerenkrediet in."])
    assert grounding("", citations) == (0.0, [])
    # one of several markers is enough
    assert grounding("Het kabinet voert het levenlanglerenkrediet in. [1][2]", citations)[0] == 1.0


def test_first_hit_rank():
    item = {"doc": "ser-advies-ai-en-werk-2025", "unit": "6.3"}
    passages = [
        {"doc": "ser-advies-ai-en-werk-2025", "unit": "6.2", "unit_path": ["6", "6.2"]},
        {"doc": "ser-raadsvergadering-2024-10-17", "unit": "6.3", "unit_path": ["6.3"]},  # same key, other doc
        {"doc": "ser-advies-ai-en-werk-2025", "unit": "6.3.2", "unit_path": ["6", "6.3", "6.3.2"]},  # below gold
    ]
    assert first_hit_rank(item, passages) == 3
    assert first_hit_rank({**item, "unit": "6.3.2"}, passages) == 3
    assert first_hit_rank({**item, "unit": "6"}, passages) == 1
    assert first_hit_rank({**item, "unit": ["5.1", "6.2"]}, passages) == 1
    assert first_hit_rank({**item, "unit": "6.3.1"}, passages) is None
    assert first_hit_rank(item, []) is None
    # without a unit path, the passage's own unit is used
    assert first_hit_rank(item, [{"doc": "ser-advies-ai-en-werk-2025", "unit": "6.3"}]) == 1


def test_check_gate():
    thresholds = {"min": {"hit_at_5": 0.9, "grounding": 1.0}, "max": {"false_refusal_rate": 0.1}}
    good = {"hit_at_5": 0.95, "grounding": 1.0, "false_refusal_rate": 0.05}
    assert check_gate(good, thresholds) == []
    assert check_gate({**good, "hit_at_5": 0.9, "false_refusal_rate": 0.1}, thresholds) == []  # limits included
    bad = {"hit_at_5": 0.85, "grounding": 0.99, "false_refusal_rate": 0.2}
    failures = check_gate(bad, thresholds)
    assert failures == ["hit_at_5 = 0.850 < 0.9 (tekort 0.050)", "grounding = 0.990 < 1.0 (tekort 0.010)",
                        "false_refusal_rate = 0.200 > 0.1 (te hoog met 0.100)"]
    missing = check_gate({"grounding": 1.0}, thresholds)
    assert [f.split(" ")[0] for f in missing] == ["hit_at_5", "false_refusal_rate"]
    assert all("ontbreekt" in f for f in missing)
    real = load_thresholds()
    assert set(real["min"]) >= {"hit_at_5", "answer_correctness", "first_sentence_answers", "grounding",
                                "near_topic_refusal_recall", "false_premise_not_confirmed"}
    assert set(real["max"]) >= {"false_refusal_rate"}

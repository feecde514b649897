"""The ingest pipeline (issue 2), for real: a small copy of the corpus in tmp, the real embedding model and a
real Chroma store on disk (``isolated_settings``: a fresh store that shares the session's embedding cache)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from index_store.names import doc_file_name
from index_store.store import StoreError, open_store, read_manifest
from ingest.pipeline import format_report, run_ingest
from vraagbaak.settings import REPO_ROOT

CORPUS = REPO_ROOT / "corpus"
SMALL = ("kabinetsreactie-robotisering-digitalisering.txt", "ser-raadsvergadering-2024-10-17.txt",
         "ser-dare-to-be-aware-2022-10-06.txt")
KAB_ID, MTG_ID, DTBA_ID = (Path(n).stem for n in SMALL)


def small_corpus(folder: Path) -> Path:
    """Three of the five documents plus their manifest entries (so labels, and thus cached vectors, match)."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    for name in SMALL:
        shutil.copy(CORPUS / name, folder / name)
    (folder / "manifest.json").write_text(json.dumps({n: manifest[n] for n in SMALL}, ensure_ascii=False),
                                          encoding="utf-8")
    return folder


def ingest(folder: Path, settings, **kw):
    t0 = time.perf_counter()
    lines: list[str] = []
    report = run_ingest([folder], settings, progress=False, log=lines.append, **kw)
    print(f"ingest {folder.name}: {time.perf_counter() - t0:.1f} s, build {report.build_id}, "
          f"embedded {report.embedded_chunks} passages / {report.embedded_sentences} sentences")
    report.log_lines = lines  # type: ignore[attr-defined]
    return report


def records_by_doc(settings) -> dict[str, dict[str, str]]:
    """doc id -> {chunk id: content hash} of the active build."""
    store = open_store(settings.store_dir)
    out: dict[str, dict[str, str]] = {}
    for r in store.records:
        out.setdefault(r.doc_id, {})[r.id] = r.content_hash
    return out


def status(report, doc_id: str):
    return next(d for d in report.documents if d.doc_id == doc_id)


@pytest.fixture
def baseline(corpus_store, isolated_settings, tmp_path):
    """A small corpus ingested into a fresh store (vectors come from the shared cache of the session corpus)."""
    folder = small_corpus(tmp_path / "corpus")
    first = ingest(folder, isolated_settings)
    assert first.build_id and not first.up_to_date
    assert {d.doc_id for d in first.documents if d.status == "nieuw"} == {KAB_ID, MTG_ID, DTBA_ID}
    return folder, isolated_settings, first


def test_reingest_of_unchanged_corpus_computes_no_embeddings(baseline):
    folder, settings, first = baseline
    # the texts were already embedded for the session corpus: even the first build computed nothing new
    assert first.embedded_chunks == 0 and first.embedded_sentences == 0
    again = ingest(folder, settings)
    assert again.up_to_date
    assert again.embedded_chunks == 0 and again.embedded_sentences == 0
    assert again.build_id == first.build_id
    assert {d.status for d in again.documents} == {"ongewijzigd"}
    print(format_report(again))


def test_changing_one_file_reembeds_only_that_file(baseline):
    folder, settings, first = baseline
    before = records_by_doc(settings)
    path = folder / SMALL[1]
    text = path.read_text(encoding="utf-8")
    old = "De heer Putters, voorzitter, opent de vergadering met een woord van welkom."
    assert text.count(old) == 1
    marker = uuid.uuid4().hex[:10]
    path.write_text(text.replace(old, f"De heer Putters, voorzitter, opent de vergadering met een woord van "
                                      f"welkom aan de gasten uit Zeeland (testcode {marker})."), encoding="utf-8")
    report = ingest(folder, settings)
    assert not report.up_to_date and report.build_id != first.build_id
    changed = status(report, MTG_ID)
    assert changed.status == "gewijzigd"
    assert changed.embedded >= 1
    assert changed.embedded < changed.chunks  # only the chunks whose text changed
    assert report.embedded_chunks == changed.embedded
    assert report.embedded_sentences >= 1
    for doc_id in (KAB_ID, DTBA_ID):
        assert status(report, doc_id).status == "ongewijzigd"
        assert status(report, doc_id).embedded == 0
    after = records_by_doc(settings)
    assert after[KAB_ID] == before[KAB_ID] and after[DTBA_ID] == before[DTBA_ID]  # same ids, same texts
    assert set(after[MTG_ID]) == set(before[MTG_ID])
    differing = [cid for cid in after[MTG_ID] if after[MTG_ID][cid] != before[MTG_ID][cid]]
    assert differing and all("agendapunt 1::" in cid for cid in differing)
    store = open_store(settings.store_dir)
    assert any(marker in r.text for r in store.records)
    assert store.collection.count() == len(store.records)


def test_removing_a_file_deletes_its_chunks(baseline):
    folder, settings, first = baseline
    (folder / SMALL[2]).unlink()
    report = ingest(folder, settings)
    assert status(report, DTBA_ID).status == "verwijderd"
    assert report.embedded_chunks == 0
    store = open_store(settings.store_dir)
    assert DTBA_ID not in {r.doc_id for r in store.records}
    assert {r.doc_id for r in store.records} == {KAB_ID, MTG_ID}
    assert store.collection.count() == len(store.records)
    assert store.collection.get(where={"doc_id": DTBA_ID})["ids"] == []
    assert DTBA_ID not in read_manifest(settings.store_dir)["documents"]
    assert not (store.build_dir / "docs" / doc_file_name(DTBA_ID)).exists()
    assert (store.build_dir / "docs" / doc_file_name(KAB_ID)).is_file()


def test_corrupt_and_empty_files_are_reported_and_skipped(corpus_store, isolated_settings, tmp_path):
    folder = small_corpus(tmp_path / "corpus")
    (folder / "kapot.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    (folder / "leeg.txt").write_bytes(b"")
    (folder / "alleen-spaties.md").write_text("   \n\n  \n", encoding="utf-8")
    report = ingest(folder, isolated_settings)
    assert report.build_id
    skipped = {Path(d.path).name: d.message for d in report.skipped}
    assert set(skipped) == {"kapot.pdf", "leeg.txt", "alleen-spaties.md"}
    assert skipped["kapot.pdf"].startswith("geen geldig PDF-bestand")
    assert skipped["leeg.txt"] == "het bestand is leeg"
    assert skipped["alleen-spaties.md"] == "het bestand is leeg"
    summary = format_report(report)
    print(summary)
    assert re.search(r"kapot\.pdf\s+overgeslagen .*\(geen geldig PDF-bestand", summary)
    assert "3 bestand(en) overgeslagen" in summary
    store = open_store(isolated_settings.store_dir)
    assert {r.doc_id for r in store.records} == {KAB_ID, MTG_ID, DTBA_ID}


def test_ingest_with_no_readable_files_keeps_the_previous_index(baseline, tmp_path):
    folder, settings, first = baseline
    before = read_manifest(settings.store_dir)
    junk = tmp_path / "onleesbaar"
    junk.mkdir()
    (junk / "kapot.pdf").write_bytes(b"dit is geen pdf")
    (junk / "leeg.md").write_bytes(b"")
    report = ingest(junk, settings)
    assert report.build_id == first.build_id
    assert any("bestaande index blijft ongewijzigd" in line for line in report.log_lines)
    assert {Path(d.path).name for d in report.skipped} == {"kapot.pdf", "leeg.md"}
    assert not any(d.status == "verwijderd" for d in report.documents)  # nothing was removed
    summary = format_report(report)
    print(summary)
    assert "Nieuwe index" not in summary and "blijft ongewijzigd" in summary
    assert read_manifest(settings.store_dir) == before
    store = open_store(settings.store_dir)
    assert {r.doc_id for r in store.records} == {KAB_ID, MTG_ID, DTBA_ID}
    # and an empty folder behaves the same
    empty = tmp_path / "leeg"
    empty.mkdir()
    assert ingest(empty, settings).build_id == first.build_id
    assert read_manifest(settings.store_dir) == before


def test_a_store_built_with_another_model_asks_for_a_rebuild(baseline):
    folder, settings, first = baseline
    built_with = read_manifest(settings.store_dir)["embedding"]["model"]
    assert open_store(settings.store_dir, embed_model_name=built_with).build_id == first.build_id
    with pytest.raises(StoreError) as info:
        open_store(settings.store_dir, embed_model_name="other")
    message = str(info.value)
    assert "--rebuild" in message
    assert "Bouw de index opnieuw" in message and "embeddingmodel" in message
    assert built_with in message and "'other'" in message


def test_cli_ingest_prints_the_per_document_summary(corpus_store, tmp_path):
    folder = small_corpus(tmp_path / "corpus")
    store = tmp_path / "cli-store"
    env = {**os.environ, "VRAAGBAAK_PROFILE": "test", "HF_HUB_OFFLINE": "1"}
    vraagbaak = Path(sys.executable).parent / "vraagbaak"  # the installed console script
    assert vraagbaak.is_file()
    cmd = [str(vraagbaak), "ingest", "--store", str(store), "--quiet", str(folder)]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=600)
    print(f"vraagbaak ingest: {time.perf_counter() - t0:.1f} s\n{proc.stdout}\n{proc.stderr[-2000:]}")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    header = out.splitlines()[0].split()
    assert header == ["document", "status", "units", "chunks", "tokens"]
    manifest = read_manifest(store)
    for name in SMALL:
        doc = manifest["documents"][Path(name).stem]
        row = next(line for line in out.splitlines() if line.startswith(name[:52]))
        assert row.split()[1:5] == ["nieuw", str(doc["units"]), str(doc["chunks"]), str(doc["tokens"])], row
    assert re.search(r"totaal \d+\.\d s\.", out)
    assert re.search(r"Nieuwe index \S+: \d+ chunks", out)
    # a second run reports the index as up to date, again with its time
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=600)
    assert proc.returncode == 0
    assert re.search(r"Index is al actueel: niets opnieuw berekend \(\d+\.\d s\)\.", proc.stdout)
    assert all("ongewijzigd" in line for line in proc.stdout.splitlines()[1:4])

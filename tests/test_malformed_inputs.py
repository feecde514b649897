"""Malformed files in the ingest folder are reported per file in Dutch; the good files are indexed as usual.

One real ingest into a temporary store (sharing the session's embedding cache, so the corpus files cost no
embedding time), then questions against it through the real engine.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from index_store.store import read_manifest
from ingest.pipeline import format_report, run_ingest
from rag.engine import Engine

GOOD = ["ser-raadsvergadering-2021-11-19.txt", "ser-dare-to-be-aware-2022-10-06.txt"]
DIACRITICS_DIR = "map met spaties én accenten"
DIACRITICS_FILE = "Één café-verslag over coöperaties ë.txt"
DIACRITICS_TEXT = (
    "Verslag van de bijeenkomst over coöperaties en kunstmatige intelligentie\n\n"
    "De werkgroep Zeeuwse platformcoöperaties besprak hoe coöperatieve bezorgplatforms algoritmisch "
    "management eerlijk kunnen inrichten. Volgens de werkgroep moeten bezorgers zelf kunnen zien hoe het "
    "algoritme ritten verdeelt.\n"
)
CP1252_TEXT = (
    "Notitie over de pilot met roosteralgoritmes\n\n"
    "De pilot met roosteralgoritmes in de Friese zuivelcoöperatie liep zes maanden. De medewerkers "
    "vonden de roosters eerlijker, maar wilden inspraak in de regels van het algoritme.\n"
)
BIG_MB = 50


@pytest.fixture(scope="module")
def messy(tmp_path_factory, settings):
    """A folder with good corpus files and every kind of bad file, ingested once."""
    root = tmp_path_factory.mktemp("messy")
    folder = root / "invoer"
    folder.mkdir()
    corpus = settings.corpus_dir
    for name in GOOD:
        shutil.copy(corpus / name, folder / name)
    # Same metadata as the real corpus, so the good files are byte-for-byte the same documents.
    entries = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    (folder / "manifest.json").write_text(json.dumps({k: entries[k] for k in GOOD}, ensure_ascii=False),
                                          encoding="utf-8")

    (folder / "kapot.pdf").write_bytes(bytes(range(256)) * 40)  # binary junk with a .pdf name
    (folder / "leeg.txt").write_bytes(b"")
    (folder / "programma.exe").write_bytes(b"MZ\x90\x00" * 100)
    (folder / "nep.docx").write_bytes(b"PK\x03\x04 dit is geen zip")
    block = ("Dit is een veel te groot tekstbestand over AI en werk. " * 1000 + "\n").encode()
    with open(folder / "groot.txt", "wb") as fh:
        for _ in range(BIG_MB * 1_000_000 // len(block) + 1):
            fh.write(block)
    (folder / "ongeldig-utf8.txt").write_bytes(CP1252_TEXT.encode("cp1252"))
    sub = folder / DIACRITICS_DIR
    sub.mkdir()
    (sub / DIACRITICS_FILE).write_text(DIACRITICS_TEXT, encoding="utf-8")

    store_settings = settings.with_overrides(store_dir=root / "store", cache_dir=settings.cache_dir)
    report = run_ingest([folder], store_settings, progress=False, log=lambda *_: None)
    return {"folder": folder, "settings": store_settings, "report": report, "text": format_report(report)}


def by_name(report, name: str):
    found = [d for d in report.documents if Path(d.path).name == name]
    assert len(found) == 1, (name, [d.path for d in report.documents])
    return found[0]


def test_big_file_is_really_big(messy) -> None:
    assert (messy["folder"] / "groot.txt").stat().st_size > BIG_MB * 1_000_000


@pytest.mark.parametrize("name, words", [
    ("kapot.pdf", ["geen geldig pdf-bestand"]),
    ("leeg.txt", ["leeg"]),
    ("groot.txt", ["te groot", "50,", "maximaal 20 mb"]),
    ("programma.exe", ["bestandstype .exe", "niet ondersteund"]),
    ("nep.docx", ["geen geldig word-bestand"]),
])
def test_bad_files_are_skipped_with_a_dutch_reason(messy, name: str, words: list[str]) -> None:
    doc = by_name(messy["report"], name)
    assert doc.status == "overgeslagen"
    for w in words:
        assert w in doc.message.lower(), doc.message
    # The printed report names the file and gives the reason on its line.
    line = next(ln for ln in messy["text"].splitlines() if ln.startswith(name))
    assert doc.message in line


def test_report_summary_counts_the_skipped_files(messy) -> None:
    assert "5 bestand(en) overgeslagen" in messy["text"]
    assert "Traceback" not in messy["text"]


def test_invalid_utf8_is_read_with_a_warning(messy) -> None:
    doc = by_name(messy["report"], "ongeldig-utf8.txt")
    assert doc.status == "nieuw" and doc.chunks >= 1
    assert "geen geldige UTF-8" in doc.message and "Windows-1252" in doc.message


def test_path_with_spaces_and_diacritics_is_indexed(messy) -> None:
    doc = by_name(messy["report"], DIACRITICS_FILE)
    assert doc.status == "nieuw" and doc.chunks >= 1
    manifest = read_manifest(messy["settings"].store_dir)
    entry = manifest["documents"][doc.doc_id]
    assert entry["file"] == DIACRITICS_FILE
    assert DIACRITICS_DIR in entry["path"]


def test_nothing_else_affected(messy, corpus_store) -> None:
    """Exactly the good files are in the index, with the same chunks as in the normal corpus index."""
    manifest = read_manifest(messy["settings"].store_dir)
    files = sorted(d["file"] for d in manifest["documents"].values())
    assert files == sorted(GOOD + ["ongeldig-utf8.txt", DIACRITICS_FILE])
    reference = read_manifest(corpus_store.store_dir)["documents"]
    for name in GOOD:
        doc_id = name.rsplit(".", 1)[0]
        assert manifest["documents"][doc_id]["chunks"] == reference[doc_id]["chunks"]
        assert manifest["documents"][doc_id]["hash"] == reference[doc_id]["hash"]
    # Nothing of the big file was chunked or embedded.
    build = messy["settings"].store_dir / "builds" / manifest["build_id"]
    records = [json.loads(line) for line in open(build / "chunks.jsonl", encoding="utf-8")]
    assert {r["source_file"] for r in records} == set(files)
    assert not any("veel te groot tekstbestand" in r["text"] for r in records)
    assert manifest["counts"]["chunks"] == len(records)


@pytest.fixture(scope="module")
def messy_engine(messy):
    return Engine(messy["settings"])


@pytest.mark.parametrize("question, doc_id, phrase", [
    ("Wat was de oproep van raadslid Jeannine Peek over de digitale revolutie?",
     "ser-raadsvergadering-2021-11-19", "Peek"),
    ("Wat is de bijeenkomst Dare to be Aware?", "ser-dare-to-be-aware-2022-10-06", "Dare to be Aware"),
])
def test_good_files_are_answerable(messy_engine, question: str, doc_id: str, phrase: str) -> None:
    ans = messy_engine.answer(question)
    assert not ans.refused, ans.diagnostics
    assert any(c.doc == doc_id for c in ans.citations)
    assert any(phrase in p.text for p in ans.passages)


def test_diacritics_file_is_answerable(messy_engine) -> None:
    ans = messy_engine.answer("Wat zei de werkgroep over platformcoöperaties en algoritmisch management?")
    assert any("platformcoöperaties" in p.text for p in ans.passages)


def test_cp1252_file_is_answerable(messy_engine) -> None:
    ans = messy_engine.answer("Hoe lang liep de pilot met roosteralgoritmes in de zuivelcoöperatie?")
    assert any("zuivelcoöperatie" in p.text for p in ans.passages)

"""Issue 12, ingest side, for real (real files, symlinks, FIFOs, Chroma on disk): nothing is written outside
the store, nothing is read from outside the ingested folder, a second folder needs --add or --replace, crafted
Word/HTML/XML files are reported within seconds, and the embedding cache can be pruned."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from index_store.embedding_cache import EmbeddingCache
from index_store.names import doc_file_name, doc_id_problem, inside
from index_store.store import open_store, read_manifest
from ingest.pipeline import format_report, run_ingest
from ingest.readers import UnreadableFileError, read_document
from ingest.sources import FolderConflictError
from vraagbaak.settings import REPO_ROOT

TEXT = ("# Proef {n}\n\nDe ondernemingsraad van bedrijf {n} kreeg advies over algoritmes op de werkvloer. "
        "Werknemers vroegen om uitleg over het systeem {n}.\n")
VRAAGBAAK = [sys.executable, "-m", "vraagbaak.cli"]


def write_doc(folder: Path, name: str, n: str = "een") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(TEXT.format(n=n), encoding="utf-8")
    return path


def ingest(folder, settings, **kw):
    return run_ingest([folder], settings, progress=False, log=lambda *_: None, **kw)


def skipped(report) -> dict[str, str]:
    return {Path(d.path).name: d.message for d in report.skipped}


def all_files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


# --- 1. document ids ----------------------------------------------------------------------------------------


NASTY_IDS = ["../../buiten/X", "/tmp/absoluut/X", "a\x00b", "x" * 300, "..", "a\nb", "C:\\windows\\x", ""]


@pytest.mark.parametrize("doc_id", NASTY_IDS + ["gewoon-id", "Rapport (v2) — definitief", "é" * 200])
def test_every_id_maps_to_one_safe_file_name(doc_id, tmp_path):
    name = doc_file_name(doc_id)
    assert re.fullmatch(r"[a-z0-9._-]{1,48}-[0-9a-f]{16}\.json", name), name
    assert inside(tmp_path, tmp_path / name)
    assert doc_file_name(doc_id + "1") != name


def test_bad_doc_ids_are_per_document_errors_and_nothing_is_written_outside(isolated_settings, tmp_path):
    folder = tmp_path / "map"
    outside = tmp_path / "buiten"
    outside.mkdir()
    ids = {"omhoog.txt": "../../buiten/X", "absoluut.txt": str(outside / "X"), "nul.txt": "a\x00b",
           "lang.txt": "x" * 300, "punten.txt": "..", "getal.txt": 5, "goed.txt": "Rapport (v2) — definitief"}
    for i, name in enumerate(ids):
        write_doc(folder, name, str(i))
    (folder / "manifest.json").write_text(json.dumps({n: {"doc_id": d} for n, d in ids.items()}), encoding="utf-8")
    before = all_files(tmp_path)
    report = ingest(folder, isolated_settings)
    assert report.build_id, format_report(report)
    reasons = skipped(report)
    assert set(reasons) == set(ids) - {"goed.txt"}, reasons
    assert all(r.startswith("ongeldig doc_id in manifest.json") for r in reasons.values()), reasons
    assert "te lang (300 tekens" in reasons["lang.txt"] and "NUL" in reasons["nul.txt"]
    assert "pad" in reasons["omhoog.txt"] and "pad" in reasons["absoluut.txt"] and "tekst" in reasons["getal.txt"]
    store_dir = isolated_settings.store_dir
    new = {p for p in all_files(tmp_path) - before if not inside(store_dir, p)}
    assert new == set(), new  # not one file outside the store
    assert list(outside.iterdir()) == []
    store = open_store(store_dir)
    docs = list((store.build_dir / "docs").iterdir())
    assert [p.name for p in docs] == [doc_file_name("Rapport (v2) — definitief")]
    assert store.document("Rapport (v2) — definitief")["file"] == "goed.txt"
    print(format_report(report))


# --- 2. discovery: symlinks, loops, odd names ---------------------------------------------------------------


def test_links_out_of_the_folder_loops_and_odd_names_are_reported_not_followed(isolated_settings, tmp_path):
    folder = tmp_path / "map"
    write_doc(folder, "echt.txt", "echt")
    secret = write_doc(tmp_path / "geheim", "geheim.txt", "GEHEIMWOORDZEVEN")
    write_doc(tmp_path / "elders", "elders.txt", "ELDERSWOORD")
    links = {"passwd.txt": Path("/etc/passwd"), "geheim-link.txt": secret, "elders": tmp_path / "elders",
             "lus-a.txt": folder / "lus-b.txt", "lus-b.txt": folder / "lus-a.txt", "zelf": folder,
             "kapot.txt": folder / "bestaat-niet.txt", "alias.txt": folder / "echt.txt"}
    for name, target in links.items():
        (folder / name).symlink_to(target)
    write_doc(folder, ".verborgen.txt", "verborgen")
    write_doc(folder, "regel\neinde.txt", "regel")
    write_doc(folder, "..\\..\\etc.md", "etc")
    write_doc(folder, "tab\tnaam.txt", "tab")
    os.mkfifo(folder / "pijp.txt")
    t0 = time.perf_counter()
    report = ingest(folder, isolated_settings)
    assert time.perf_counter() - t0 < 120  # the FIFO is never opened (it would block)
    reasons = skipped(report)
    expected = {"passwd.txt": "naar buiten", "geheim-link.txt": "naar buiten", "elders": "naar buiten",
                "lus-a.txt": "lus", "lus-b.txt": "lus", "zelf": "naar een map", "kapot.txt": "niet bestaat",
                "alias.txt": "al via een andere naam", ".verborgen.txt": "verborgen",
                "regel\neinde.txt": "stuurtekens", "..\\..\\etc.md": "verborgen", "tab\tnaam.txt": "stuurtekens",
                "pijp.txt": "geen gewoon bestand"}
    assert set(reasons) == set(expected), reasons
    for name, words in expected.items():
        assert words in reasons[name], (name, reasons[name])
    store = open_store(isolated_settings.store_dir)
    texts = " ".join(r.text for r in store.records)
    assert {r.doc_id for r in store.records} == {"echt"}
    assert "GEHEIMWOORDZEVEN" not in texts and "ELDERSWOORD" not in texts and "root:" not in texts
    summary = format_report(report)
    print(summary)
    rows = summary.splitlines()
    assert any(row.startswith("regel\\x0aeinde.txt") for row in rows)  # escaped, on one line
    assert any(row.startswith("tab\\x09naam.txt") for row in rows)
    assert not any(row.startswith("einde.txt") for row in rows)
    assert len([r for r in rows if re.search(r" overgeslagen +0 +0 +0  \(", r)]) == len(expected)


# --- 7. a second folder -------------------------------------------------------------------------------------


def test_a_second_folder_needs_add_or_replace(isolated_settings, tmp_path):
    a, b = tmp_path / "map-a", tmp_path / "map-b"
    write_doc(a, "alfa.txt", "alfa")
    write_doc(b, "beta.txt", "beta")
    first = ingest(a, isolated_settings)
    assert first.build_id
    before = read_manifest(isolated_settings.store_dir)
    with pytest.raises(FolderConflictError) as info:
        ingest(b, isolated_settings)
    assert "--add" in str(info.value) and "--replace" in str(info.value) and str(a.resolve()) in str(info.value)
    assert read_manifest(isolated_settings.store_dir) == before  # nothing changed
    # the CLI says the same, on stderr, with rc 2
    env = {**os.environ, "VRAAGBAAK_PROFILE": "test", "HF_HUB_OFFLINE": "1",
           "VRAAGBAAK_CACHE_DIR": str(isolated_settings.cache_dir)}
    proc = subprocess.run(VRAAGBAAK + ["ingest", str(b), "--store", str(isolated_settings.store_dir), "--quiet"],
                          capture_output=True, text=True, env=env, cwd=REPO_ROOT, timeout=600)
    assert proc.returncode == 2, proc.stderr
    assert "andere map" in proc.stderr and "--add" in proc.stderr and "Traceback" not in proc.stderr
    assert read_manifest(isolated_settings.store_dir) == before
    # --add keeps both
    added = ingest(b, isolated_settings, mode="add")
    assert {d.doc_id for d in added.documents if d.status != "overgeslagen"} == {"alfa", "beta"}
    assert {r.doc_id for r in open_store(isolated_settings.store_dir).records} == {"alfa", "beta"}
    assert read_manifest(isolated_settings.store_dir)["sources"] == [str(a.resolve()), str(b.resolve())]
    # both folders again: nothing to do; one of them alone is a conflict again
    assert run_ingest([a, b], isolated_settings, progress=False, log=lambda *_: None).up_to_date
    with pytest.raises(FolderConflictError):
        ingest(a, isolated_settings)
    # --replace keeps only the new folder
    replaced = ingest(b, isolated_settings, mode="replace")
    assert {d.doc_id for d in replaced.documents if d.status == "verwijderd"} == {"alfa"}
    assert {r.doc_id for r in open_store(isolated_settings.store_dir).records} == {"beta"}


# --- 8. crafted files ---------------------------------------------------------------------------------------

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                 '"/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                 'document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def crafted_docx(path: Path, head: str, repeat: bytes, count: int, tail: str) -> Path:
    """A real .docx whose document.xml is ``head + repeat * count + tail``, written in chunks (bounded memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        zf.writestr("[Content_Types].xml", CONTENT_TYPES)
        zf.writestr("_rels/.rels", RELS)
        with zf.open("word/document.xml", "w", force_zip64=True) as fh:
            fh.write(head.encode())
            block = repeat * 10_000
            for _ in range(count // 10_000):
                fh.write(block)
            fh.write(repeat * (count % 10_000))
            fh.write(tail.encode())
    return path


def bombs(folder: Path) -> dict[str, str]:
    """File name -> words its reason must contain."""
    folder.mkdir(parents=True, exist_ok=True)
    body = f'<?xml version="1.0"?><w:document {W}><w:body>'
    end = "</w:body></w:document>"
    crafted_docx(folder / "lege-alineas.docx", body, b"<w:p/>", 25_000_000, end)  # 150 MB in ~250 KB
    crafted_docx(folder / "veel-tekst.docx", body + "<w:p><w:r><w:t>", b"aaaaaaaaaa", 15_000_000,
                 "</w:t></w:r></w:p>" + end)
    crafted_docx(folder / "veel-alineas.docx", body, b"<w:p/>", 7_000_000, end)  # 42 MB: under the size limit
    crafted_docx(folder / "diep.docx", body, b"<w:p>", 100_000, end)
    laughs = ('<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa">'
              + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi"))
              + f']><w:document {W}><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p>' + end)
    crafted_docx(folder / "lachjes.docx", laughs, b"", 0, "")
    (folder / "lachjes.xml").write_text(laughs.replace("w:document", "toestand"), encoding="utf-8")
    (folder / "diep.html").write_text("<html><body>" + "<div>" * 100_000 + "Diepe tekst." + "</div>" * 100_000
                                      + "</body></html>", encoding="utf-8")
    return {"lege-alineas.docx": "zip-bom", "veel-tekst.docx": "zip-bom", "veel-alineas.docx": "te veel onderdelen",
            "diep.docx": "te diep genest", "lachjes.docx": "DTD", "lachjes.xml": "entiteiten"}


READ_ONE = """
import json, sys, time
from pathlib import Path
from ingest.readers import read_document, UnreadableFileError
t0 = time.perf_counter()
try:
    doc = read_document(Path(sys.argv[1]))
    outcome = {"read": len(doc.text)}
except UnreadableFileError as exc:
    outcome = {"skipped": exc.reason}
outcome["seconds"] = time.perf_counter() - t0
# VmHWM, not ru_maxrss: the latter starts at the parent's size when forked from a large test process
outcome["peak_mb"] = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]) / 1024
print(json.dumps(outcome))
"""


def test_crafted_word_xml_and_html_files_are_reported_within_seconds_in_bounded_memory(tmp_path):
    folder = tmp_path / "bommen"
    expected = bombs(folder)
    sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
    assert sizes["lege-alineas.docx"] < 1_000_000  # really a bomb: 150 MB of XML in under 1 MB
    for name in [*expected, "diep.html"]:
        proc = subprocess.run([sys.executable, "-c", READ_ONE, str(folder / name)], capture_output=True, text=True,
                              cwd=REPO_ROOT, timeout=120)
        assert proc.returncode == 0, proc.stderr
        outcome = json.loads(proc.stdout)
        print(name, sizes[name], outcome)
        assert outcome["seconds"] < 15 and outcome["peak_mb"] < 400, (name, outcome)
        if name in expected:
            assert expected[name] in outcome.get("skipped", ""), (name, outcome)
        else:  # deep HTML is read, the deep part as plain text
            assert outcome.get("read", 0) > 0, outcome


def test_a_bomb_among_good_files_is_skipped_and_the_rest_ingests(isolated_settings, tmp_path):
    folder = tmp_path / "map"
    write_doc(folder, "goed.txt", "goed")
    crafted_docx(folder / "bom.docx", f'<?xml version="1.0"?><w:document {W}><w:body>', b"<w:p/>", 25_000_000,
                 "</w:body></w:document>")
    t0 = time.perf_counter()
    report = ingest(folder, isolated_settings)
    assert report.build_id and time.perf_counter() - t0 < 120
    assert "zip-bom" in skipped(report)["bom.docx"]
    assert {r.doc_id for r in open_store(isolated_settings.store_dir).records} == {"goed"}


# --- 9. the embedding cache ---------------------------------------------------------------------------------


def test_prune_cache_drops_only_what_no_kept_build_uses(settings, tmp_path):
    from ingest.cache_prune import format_pruned, prune_cache

    own = settings.with_overrides(store_dir=tmp_path / "store", cache_dir=tmp_path / "cache", cache_prune_days=0)
    folder = tmp_path / "map"
    path = write_doc(folder, "doc.txt", "eerste")
    for version in ("tweede", "derde", "vierde"):  # three builds later, the first one is pruned (keep = 2)
        assert ingest(folder, own).build_id
        path.write_text(TEXT.format(n=version), encoding="utf-8")
    assert ingest(folder, own).build_id
    cache_file = own.cache_dir / "embeddings.sqlite"
    cache = EmbeddingCache(cache_file)
    cache.put_many("ander-model", {"oud": __import__("numpy").zeros(4, dtype="float32")})
    before = cache.count()
    cache.close()
    result = prune_cache(own)
    print(format_pruned(result))
    assert result.builds == 2 and result.deleted >= 2 and result.kept == before - result.deleted
    # everything the active build needs is still cached: a rebuild embeds nothing
    again = run_ingest([folder], own, rebuild=True, progress=False, log=lambda *_: None)
    assert again.build_id and again.embedded_chunks == 0 and again.embedded_sentences == 0
    # an entry used recently (by another store sharing the cache) stays with the default setting
    cache = EmbeddingCache(cache_file)
    cache.put_many("ander-model", {"vers": __import__("numpy").zeros(4, dtype="float32")})
    cache.close()
    assert prune_cache(own.with_overrides(cache_prune_days=7)).deleted == 0


def test_doc_id_problem_accepts_what_file_names_give():
    from ingest.metadata import doc_id_for

    for name in ["Rapport 2024.pdf", "é" * 300 + ".txt", "..hidden.md", "a b c.docx"]:
        assert doc_id_problem(doc_id_for(Path(name))) == "", name


def test_reading_an_unreadable_docx_says_so(tmp_path):
    bad = tmp_path / "kapot.docx"
    bad.write_bytes(b"PK\x03\x04 geen zip")
    with pytest.raises(UnreadableFileError) as info:
        read_document(bad)
    assert "geen geldig Word-bestand" in info.value.reason


# --- 9. Chroma failing in the middle of an ingest -----------------------------------------------------------


def test_chroma_server_killed_mid_ingest_gives_the_dutch_message(isolated_settings, tmp_path, monkeypatch):
    from chromadb.api.models.Collection import Collection

    from index_store.store import StoreError
    from test_chroma_server import ChromaServer

    server = ChromaServer(tmp_path / "db", tmp_path / "chroma.log")
    try:
        settings = isolated_settings.with_overrides(chroma_url=server.url)
        folder = tmp_path / "map"
        path = write_doc(folder, "doc.txt", "chroma")
        first = ingest(folder, settings)
        assert first.build_id
        before = read_manifest(settings.store_dir)
        original = Collection.add

        def add_after_kill(self, *args, **kwargs):  # the server dies just as the vectors are sent
            server.proc.kill()
            server.proc.wait(timeout=20)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(Collection, "add", add_after_kill)
        path.write_text(TEXT.format(n="gewijzigd"), encoding="utf-8")
        with pytest.raises(StoreError) as info:
            ingest(folder, settings)
        message = str(info.value)
        print(message, repr(info.value.__cause__))
        assert message.startswith("De vectorindex (Chroma) gaf een fout tijdens het inlezen")
        assert "De vorige index blijft in gebruik" in message
        assert read_manifest(settings.store_dir) == before
    finally:
        server.stop()

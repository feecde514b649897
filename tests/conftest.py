"""Shared fixtures: the real default corpus ingested once per session into the test profile's store."""

from __future__ import annotations

import os
import socket
import subprocess

os.environ.setdefault("VRAAGBAAK_PROFILE", "test")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import pytest  # noqa: E402

from vraagbaak.settings import REPO_ROOT, Settings, load_settings  # noqa: E402

# The default corpus, by file name.
CORPUS = REPO_ROOT / "corpus"
ADVIES = "ser-advies-ai-en-werk-2025.md"
MTG_2021 = "ser-raadsvergadering-2021-11-19.txt"
MTG_2024 = "ser-raadsvergadering-2024-10-17.txt"
DTBA = "ser-dare-to-be-aware-2022-10-06.txt"
KABINET = "kabinetsreactie-robotisering-digitalisering.txt"
ALL_FILES = (ADVIES, MTG_2021, MTG_2024, DTBA, KABINET)


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Test-profile settings: store and embedding cache under .cache/test (never the user's index)."""
    return load_settings(profile="test")


@pytest.fixture(scope="session")
def corpus_files():
    """Every file of the default corpus read, cleaned and parsed exactly as the ingest does, by file name."""
    from ingest.metadata import load_manifest
    from ingest.pipeline import parse_file

    return {name: parse_file(CORPUS / name) for name in load_manifest(CORPUS)}


@pytest.fixture(scope="session")
def corpus_store(settings: Settings) -> Settings:
    """The default corpus ingested for real (embeddings cached across runs); returns its settings."""
    from ingest.pipeline import run_ingest

    report = run_ingest([settings.corpus_dir], settings, progress=False, log=lambda *_: None)
    assert report.up_to_date or report.build_id
    return settings


@pytest.fixture(scope="session")
def engine(corpus_store: Settings):
    from rag.engine import get_engine

    return get_engine(corpus_store)


@pytest.fixture
def isolated_settings(settings: Settings, tmp_path) -> Settings:
    """A fresh store in a temporary folder that still shares the session's embedding cache."""
    return settings.with_overrides(store_dir=tmp_path / "store", cache_dir=settings.cache_dir)


def make_record(text: str, sentences: list[tuple[int, int, int]] | None = None, **fields):
    """A chunk record for unit tests of answering: ``text`` with its sentence spans and rows."""
    from index_store.records import ChunkRecord
    from nl.sentences import sentence_spans

    spans = sentences if sentences is not None else [(s, e, i) for i, (s, e) in enumerate(sentence_spans(text))]
    base = dict(id="d::1::0", doc_id="d", doc_title="", doc_citation="", doc_type="document", doc_date="",
                doc_year=0, doc_date_int=0, source_file="d.txt", unit_key="1", unit_number="1", unit_title="",
                unit_path=["1"], unit_level=1, label="d — §1", subheading="", chunk_index=0, char_start=0,
                char_end=len(text), content_hash="", tokens=0, page_start=0, page_end=0, text=text,
                search_text=text, sentences=spans)
    base.update(fields)
    return ChunkRecord(**base)


@pytest.fixture(scope="session")
def corpus_domain():
    """The domain of the default corpus, as the engine builds it from an index of that corpus."""
    import json

    from ingest.metadata import load_domain_file, merge_domains
    from rag.domain import build_domain

    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    docs = {name.rsplit(".", 1)[0]: entry for name, entry in manifest.items()}
    return build_domain(merge_domains([load_domain_file(CORPUS)[0]]), docs)


def stop_process(proc, timeout: float = 20) -> None:
    """Terminate a child process, killing it when it does not stop within ``timeout`` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chat_server(corpus_store: Settings, tmp_path_factory):
    """A real chat page on a free loopback port over the test index, with its own feedback file:
    ``(url, settings)``."""
    from ui.serve import launch

    settings = corpus_store.with_overrides(host="127.0.0.1", port=free_port(),
                                           feedback_db=tmp_path_factory.mktemp("feedback") / "feedback.sqlite")
    demo, url = launch(settings)
    yield url, settings
    demo.close()


@pytest.fixture(scope="session")
def own_folder(tmp_path_factory):
    """A user's own folder (issue 13), built by the tests: law XML and HTML, cao text, PDFs, Word, Markdown."""
    from own_documents import build_own_folder

    return build_own_folder(tmp_path_factory.mktemp("eigen") / "or-map")


@pytest.fixture(scope="session")
def mixed_store(settings: Settings, own_folder, tmp_path_factory):
    """The default corpus and the user's folder ingested together for real into a store of their own:
    ``(settings, report)``."""
    from ingest.pipeline import run_ingest

    mixed = settings.with_overrides(store_dir=tmp_path_factory.mktemp("gemengd") / "store",
                                    cache_dir=settings.cache_dir)
    report = run_ingest([settings.corpus_dir, own_folder], mixed, progress=False, log=lambda *_: None)
    assert report.build_id and not report.skipped, [(d.path, d.message) for d in report.skipped]
    return mixed, report

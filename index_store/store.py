"""Persisted index: each ingest writes a complete new build beside the old one, then swaps the manifest.

Layout of the store folder::

    manifest.json              the active build (written last, atomically); model, chunker, documents
    builds/<id>/chroma/        Chroma PersistentClient folder (embedded mode)
    builds/<id>/lexical/       BM25 index (bm25s)
    builds/<id>/chunks.jsonl   chunk records (text + metadata), row order = BM25 row order
    builds/<id>/sentences.npy  sentence embeddings (rows referenced from the chunk records)
    builds/<id>/docs/<slug>-<hash>.json  cleaned document text and unit tree (for showing passages in context);
                               the file name is derived from the doc id (index_store.names), never the id itself
    builds/<id>/complete       written when the build is whole; unfinished builds are removed later
    cache/embeddings.sqlite    embedding cache, kept across builds

A build folder is only referenced by the manifest once it is complete, so an ingest killed at any point
leaves the previous index in use. In Chroma server mode the collection name carries the build id.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from index_store.lexical import LexicalIndex
from index_store.names import doc_file_name, doc_id_problem, inside
from index_store.records import ChunkRecord
from index_store import remote
from nl.resources import table
from nl.text import ANALYSIS_VERSION

SCHEMA_VERSION = 1
MANIFEST = "manifest.json"
COMPLETE = "complete"


class StoreError(RuntimeError):
    """A problem with the index store; the message is Dutch and says what to do."""


def new_build_id() -> str:
    return time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def read_manifest(store_dir: Path) -> dict | None:
    path = store_dir / MANIFEST
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def _write_json_atomic(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def chroma_client(chroma_url: str, path: Path | None):
    """A Chroma client: HTTP when a server URL is configured, else embedded on disk. Telemetry off."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        url = urlparse(chroma_url)
        try:
            return chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                       ssl=url.scheme == "https", settings=chroma_settings)
        except Exception as exc:  # noqa: BLE001 - chromadb raises ValueError when the server is down
            raise StoreError(
                f"De Chroma-server op {chroma_url} is niet bereikbaar ({exc.__class__.__name__}). Start de server "
                "(chroma run --path MAP --port POORT) of maak VRAAGBAAK_CHROMA_URL leeg voor de lokale index."
            ) from exc
    assert path is not None
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def collection_name(build_id: str) -> str:
    return f"vraagbaak-{build_id}".replace("T", "t")


CHROMA_KEYS = ("doc_id", "doc_type", "doc_date", "doc_year", "doc_date_int", "unit_key", "unit_number",
               "label", "subheading", "chunk_index", "char_start", "char_end", "content_hash", "tokens",
               "page_start", "page_end")


def _chroma_metadata(record: ChunkRecord, row: int, whole: bool) -> dict:
    """The filterable fields; with ``whole`` (server mode) also the row and the whole record, for replicas."""
    meta = {k: getattr(record, k) for k in CHROMA_KEYS if getattr(record, k) is not None}
    if whole:
        meta.update(row=row, **{remote.RECORD_KEY: remote.record_metadata(record)})
    return meta


def lexical_texts(records: list[ChunkRecord], n_sentences: int) -> tuple[list[str], list[str], list[str]]:
    """What the BM25 index is built from: each chunk's search text and title line, and every sentence."""
    return ([r.search_text for r in records], [f"{r.unit_title} {r.subheading}" for r in records],
            sentence_texts(records, n_sentences))


def sentence_texts(records: list[ChunkRecord], n_rows: int) -> list[str]:
    """The text of every indexed sentence, by its sentence-vector row."""
    out = [""] * n_rows
    for r in records:
        for s, e, row in r.sentences:
            if 0 <= row < n_rows and not out[row]:
                out[row] = r.text[s:e]
    return out


@dataclass
class BuildInput:
    """Everything a build needs; produced by the ingest pipeline."""

    records: list[ChunkRecord]
    embeddings: np.ndarray
    sentence_embeddings: np.ndarray
    documents: dict[str, dict]
    manifest: dict


def write_build(store_dir: Path, build: BuildInput, chroma_url: str = "", keep: int = 2,
                on_progress=None, namespace: str = "vraagbaak") -> str:
    """Write a complete new build and make it the active one. Returns the build id. In server mode the
    server gets the whole build too and its ``namespace`` pointer moves to it last (``index_store.remote``)."""
    store_dir.mkdir(parents=True, exist_ok=True)
    builds = store_dir / "builds"
    builds.mkdir(exist_ok=True)
    build_id = new_build_id()
    partial = builds / build_id
    partial.mkdir()

    client = chroma_client(chroma_url, None if chroma_url else partial / "chroma")
    name = collection_name(build_id)
    manifest = _final_manifest(build, build_id, name, chroma_url)
    try:
        collection = client.create_collection(name, embedding_function=None,
                                              configuration={"hnsw": {"space": "cosine"}})
        step = 256
        for i in range(0, len(build.records), step):
            part = build.records[i:i + step]
            collection.add(ids=[r.id for r in part],
                           embeddings=build.embeddings[i:i + step].tolist(),
                           documents=[r.text for r in part],
                           metadatas=[_chroma_metadata(r, i + j, bool(chroma_url)) for j, r in enumerate(part)])
            if on_progress:
                on_progress(min(i + step, len(build.records)), len(build.records))
        del collection
        if chroma_url:
            remote.write_side_collections(client, name, build.sentence_embeddings, manifest, build.documents)
    except Exception as exc:  # noqa: BLE001 - whatever Chroma raises (a server gone mid-write: httpx errors)
        raise StoreError(table("messages")["chroma_failed"].format(error=exc.__class__.__name__)) from exc
    finally:
        _release_chroma(client)

    LexicalIndex.build(*lexical_texts(build.records, len(build.sentence_embeddings))).save(partial / "lexical")
    with open(partial / "chunks.jsonl", "w", encoding="utf-8") as fh:
        for r in build.records:
            fh.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
    np.save(partial / "sentences.npy", build.sentence_embeddings.astype(np.float16))
    np.save(partial / "embeddings.npy", build.embeddings.astype(np.float32))
    docs_dir = partial / "docs"
    docs_dir.mkdir()
    for doc_id, doc in build.documents.items():
        target = docs_dir / doc_file_name(doc_id)
        if doc_id_problem(doc_id) or not inside(docs_dir, target):  # the ingest checks ids first; never trust it
            raise StoreError(f"Ongeldig document-id {doc_id!r}: {doc_id_problem(doc_id) or 'buiten de index'}.")
        target.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    (partial / COMPLETE).write_text(build_id)
    _write_json_atomic(store_dir / MANIFEST, manifest)
    if chroma_url:
        client = chroma_client(chroma_url, None)
        try:
            remote.activate(client, namespace, manifest)
        except Exception as exc:  # noqa: BLE001 - the server went away between writing and activating
            raise StoreError(table("messages")["chroma_failed"].format(error=exc.__class__.__name__)) from exc
        finally:
            _release_chroma(client)
    prune_builds(store_dir, keep=keep, chroma_url=chroma_url)
    return build_id


def _final_manifest(build: BuildInput, build_id: str, name: str, chroma_url: str) -> dict:
    manifest = dict(build.manifest)
    manifest.update(schema=SCHEMA_VERSION, build_id=build_id, collection=name, chroma_url=chroma_url,
                    created_at=time.strftime("%Y-%m-%dT%H:%M:%S"))
    return manifest


def _release_chroma(client) -> None:
    """Let go of one Chroma client: its system (SQLite, HNSW files, threads) stops when no other client of the
    same path uses it. Other stores' clients in this process are left alone."""
    try:
        client.close()
    except Exception:  # noqa: BLE001 - closing is best effort
        pass


def prune_builds(store_dir: Path, keep: int = 2, chroma_url: str = "") -> list[str]:
    """Delete unfinished builds and all but the ``keep`` newest finished ones (never the active one)."""
    builds = store_dir / "builds"
    if not builds.is_dir():
        return []
    manifest = read_manifest(store_dir) or {}
    active = manifest.get("build_id")
    # oldest first by when they were completed (two builds of the same second have random id suffixes)
    finished = [p.name for p in sorted((p for p in builds.iterdir() if (p / COMPLETE).is_file()),
                                       key=lambda p: ((p / COMPLETE).stat().st_mtime_ns, p.name))]
    doomed = [p for p in builds.iterdir() if p.is_dir() and not (p / COMPLETE).is_file() and p.name != active]
    doomed += [builds / n for n in finished[:-keep] if n != active]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    if chroma_url and doomed:
        # Only the collections of this store's own doomed builds: other stores may share the server.
        try:
            client = chroma_client(chroma_url, None)
            existing = {col if isinstance(col, str) else col.name for col in client.list_collections()}
            for path in doomed:
                name = collection_name(path.name)
                for each in (name, *remote.side_collections(name)):
                    if each in existing:
                        client.delete_collection(each)
            _release_chroma(client)
        except Exception:  # noqa: BLE001 - pruning is best effort
            pass
    return [p.name for p in doomed]


@dataclass
class StoreReader:
    """A read-only view of one build: chunk records, BM25, Chroma collection and embeddings."""

    store_dir: Path
    manifest: dict
    records: list[ChunkRecord]
    lexical: LexicalIndex
    collection: Any
    embeddings: np.ndarray
    sentence_embeddings: np.ndarray
    _docs: dict[str, dict] = field(default_factory=dict)

    client: Any = None
    remote_documents: Any = None  # a replica's ``-d`` collection: documents are read from the server

    def close(self) -> None:
        """Release the build's Chroma client and cached documents (the arrays go with the last reference)."""
        if self.client is not None:
            _release_chroma(self.client)
            self.client = None
        self.collection = None
        self.remote_documents = None
        self._docs.clear()

    @property
    def build_dir(self) -> Path:
        return self.store_dir / "builds" / self.manifest["build_id"]

    @property
    def build_id(self) -> str:
        return self.manifest["build_id"]

    def document(self, doc_id: str) -> dict:
        """The cleaned text and unit tree of a document."""
        if doc_id not in self._docs and self.remote_documents is not None:
            self._docs[doc_id] = remote.read_document(self.remote_documents, doc_id)
        if doc_id not in self._docs:
            if doc_id_problem(doc_id):
                raise KeyError(doc_id)
            docs = self.build_dir / "docs"
            path = docs / doc_file_name(doc_id)
            if not path.is_file() and inside(docs, legacy := docs / f"{doc_id}.json"):
                path = legacy  # a build written before file names were derived from the id
            self._docs[doc_id] = json.loads(path.read_text(encoding="utf-8"))
        return self._docs[doc_id]

    def dense_query(self, vector: np.ndarray, n: int, where: dict | None = None) -> list[tuple[int, float]]:
        """Nearest chunks by cosine similarity from Chroma: ``(row, similarity)``, best first."""
        n = max(1, min(n, len(self.records)))
        try:
            result = self.collection.query(query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
                                           n_results=n, where=where or None, include=["distances"])
        except Exception as exc:  # noqa: BLE001 - e.g. the Chroma server went away
            raise StoreError(f"De vectorindex (Chroma) geeft geen antwoord ({exc.__class__.__name__}). "
                             "Controleer de Chroma-server of bouw de index opnieuw met: vraagbaak ingest") from exc
        rows = self._row_of
        return [(rows[i], 1.0 - float(d)) for i, d in zip(result["ids"][0], result["distances"][0])]

    @property
    def _row_of(self) -> dict[str, int]:
        if not hasattr(self, "_row_cache"):
            object.__setattr__(self, "_row_cache", {r.id: i for i, r in enumerate(self.records)})
        return self._row_cache  # type: ignore[attr-defined]


def _check_manifest(manifest: dict, embed_model_name: str | None) -> None:
    if manifest.get("schema") != SCHEMA_VERSION:
        raise StoreError("De index heeft een oud formaat. Bouw hem opnieuw met: vraagbaak ingest --rebuild")
    built_with = manifest.get("embedding", {}).get("model")
    if embed_model_name and built_with != embed_model_name:
        raise StoreError(
            f"De index is gebouwd met embeddingmodel '{built_with}', maar nu is '{embed_model_name}' ingesteld. "
            "Bouw de index opnieuw met: vraagbaak ingest --rebuild"
        )


def is_replica(store_dir: Path, chroma_url: str) -> bool:
    """A process with a Chroma server and no index of its own reads the server's active build."""
    return bool(chroma_url) and read_manifest(store_dir) is None


def active_build_id(chroma_url: str, namespace: str, client=None) -> str | None:
    """The build the server's pointer names (one HTTP request)."""
    own = client is None
    client = client or chroma_client(chroma_url, None)
    try:
        pointer = remote.active(client, namespace)
    finally:
        if own:
            _release_chroma(client)
    return pointer["build_id"] if pointer else None


def open_remote_store(store_dir: Path, chroma_url: str, namespace: str,
                      embed_model_name: str | None = None) -> StoreReader:
    """Open the server's active build without any local file: records, vectors and manifest from Chroma, the
    BM25 index built in memory from the chunk texts."""
    client = chroma_client(chroma_url, None)
    try:
        pointer = remote.active(client, namespace)
        if pointer is None:
            raise StoreError(f"De Chroma-server op {chroma_url} heeft nog geen index (naamruimte {namespace!r}). "
                             "Bouw hem met: VRAAGBAAK_CHROMA_URL=... vraagbaak ingest")
        try:
            build = remote.read_build(client, pointer)
        except Exception as exc:  # noqa: BLE001 - a build pruned between pointer and read, a server gone
            raise StoreError(f"De index op de Chroma-server is niet te lezen ({exc.__class__.__name__}). "
                             "Probeer het opnieuw of bouw de index opnieuw met: vraagbaak ingest") from exc
        _check_manifest(build.manifest, embed_model_name)
        lexical = LexicalIndex.build(*lexical_texts(build.records, len(build.sentence_embeddings)))
    except BaseException:
        _release_chroma(client)
        raise
    return StoreReader(store_dir=store_dir, manifest=build.manifest, records=build.records, lexical=lexical,
                       collection=build.collection, embeddings=build.embeddings,
                       sentence_embeddings=build.sentence_embeddings, client=client,
                       remote_documents=build.documents)


def open_store(store_dir: Path, embed_model_name: str | None = None, chroma_url: str = "",
               namespace: str = "vraagbaak") -> StoreReader:
    """Open the active build, checking it was made with the configured embedding model (a replica: the
    Chroma server's active build, see ``is_replica``)."""
    if is_replica(store_dir, chroma_url):
        return open_remote_store(store_dir, chroma_url, namespace, embed_model_name)
    manifest = read_manifest(store_dir)
    if manifest is None:
        raise StoreError(
            f"Er is nog geen index in {store_dir}. Bouw hem met: vraagbaak ingest (of make run)."
        )
    _check_manifest(manifest, embed_model_name)
    build_dir = store_dir / "builds" / manifest["build_id"]
    if not build_dir.is_dir():
        raise StoreError(f"De index in {store_dir} is onvolledig. Bouw hem opnieuw met: vraagbaak ingest --rebuild")
    url = chroma_url or manifest.get("chroma_url", "")
    if bool(url) != bool(manifest.get("chroma_url", "")):
        raise StoreError("De index is gebouwd voor een andere Chroma-modus (server of lokaal). "
                         "Bouw hem opnieuw met: vraagbaak ingest --rebuild")
    with open(build_dir / "chunks.jsonl", encoding="utf-8") as fh:
        records = [ChunkRecord.from_json(json.loads(line)) for line in fh]
    client = chroma_client(url, None if url else build_dir / "chroma")
    try:
        collection = client.get_collection(manifest["collection"], embedding_function=None)
    except Exception as exc:  # noqa: BLE001
        _release_chroma(client)
        raise StoreError(f"De Chroma-collectie van de index is niet gevonden ({exc.__class__.__name__}). "
                         "Bouw de index opnieuw met: vraagbaak ingest --rebuild") from exc
    try:
        n_sentences = int(np.load(build_dir / "sentences.npy", mmap_mode="r").shape[0])
        lexical = LexicalIndex.load(build_dir / "lexical", *lexical_texts(records, n_sentences))
        if lexical.analysis_version != ANALYSIS_VERSION:
            raise StoreError("De index is gebouwd met een oudere versie van de taalanalyse. "
                             "Bouw hem opnieuw met: vraagbaak ingest")
        embeddings = np.load(build_dir / "embeddings.npy")
        sentence_embeddings = np.load(build_dir / "sentences.npy").astype(np.float32)
    except BaseException:
        _release_chroma(client)
        raise
    return StoreReader(
        store_dir=store_dir,
        manifest=manifest,
        records=records,
        lexical=lexical,
        collection=collection,
        embeddings=embeddings,
        sentence_embeddings=sentence_embeddings,
        client=client,
    )

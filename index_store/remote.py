"""A build as a Chroma server holds it, so that chat replicas need no shared disk.

Per build, beside the chunk collection (vectors, texts as documents, each record as metadata)::

    <collection>-s   sentence vectors; id = the sentence-vector row
    <collection>-d   the build's manifest (id ``manifest``) and each document's cleaned text and unit tree
                     (id ``doc:<doc id>``), as JSON documents

and one pointer per namespace, ``<namespace>-active``: a collection whose metadata names the active build. An
ingest writes everything first and flips the pointer last, so a replica sees either the old build or the
complete new one; a killed ingest never moves it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from index_store.records import ChunkRecord

SENTENCES, DOCUMENTS = "-s", "-d"
MANIFEST_ID, DOC_PREFIX = "manifest", "doc:"
RECORD_KEY = "record"
PAGE = 1000
_UNIT = [1.0]  # the JSON collections are looked up by id; Chroma still wants a vector per item


def pointer_name(namespace: str) -> str:
    return f"{namespace}-active"


def side_collections(collection: str) -> tuple[str, str]:
    return collection + SENTENCES, collection + DOCUMENTS


def record_metadata(record: ChunkRecord) -> str:
    """The record without its text (the collection's document), as JSON."""
    data = record.to_json()
    data.pop("text")
    return json.dumps(data, ensure_ascii=False)


def _batches(n: int, size: int):
    for i in range(0, n, size):
        yield i, min(n, i + size)


def write_side_collections(client, collection: str, sentence_vectors: np.ndarray, manifest: dict,
                           documents: dict[str, dict], batch: int = 1000) -> None:
    """The sentence vectors and the JSON records of one build."""
    sentences_name, documents_name = side_collections(collection)
    sentences = client.create_collection(sentences_name, embedding_function=None,
                                         configuration={"hnsw": {"space": "cosine"}})
    # rounded as the local build stores them, so a replica scores exactly as a process with the folder does
    vectors = np.asarray(sentence_vectors).astype(np.float16).astype(np.float32)
    for i, j in _batches(len(vectors), batch):
        sentences.add(ids=[str(r) for r in range(i, j)], embeddings=vectors[i:j].tolist())
    docs = client.create_collection(documents_name, embedding_function=None)
    items = [(MANIFEST_ID, manifest)] + [(DOC_PREFIX + d, doc) for d, doc in documents.items()]
    for i, j in _batches(len(items), 100):
        part = items[i:j]
        docs.add(ids=[k for k, _ in part], embeddings=[_UNIT] * len(part),
                 documents=[json.dumps(v, ensure_ascii=False) for _, v in part])


def activate(client, namespace: str, manifest: dict) -> None:
    """Make the build of ``manifest`` the active one of ``namespace`` (one metadata write)."""
    meta = {"build_id": manifest["build_id"], "collection": manifest["collection"]}
    pointer = client.get_or_create_collection(pointer_name(namespace), embedding_function=None, metadata=meta)
    pointer.modify(metadata=meta)


def active(client, namespace: str) -> dict | None:
    """``{"build_id", "collection"}`` of the active build, or None when nothing was published."""
    try:
        meta = client.get_collection(pointer_name(namespace), embedding_function=None).metadata or {}
    except Exception:  # noqa: BLE001 - chromadb raises NotFoundError / ValueError by version
        return None
    return meta if meta.get("build_id") and meta.get("collection") else None


@dataclass
class RemoteBuild:
    """Everything a replica reads of one build."""

    manifest: dict
    records: list[ChunkRecord]
    embeddings: np.ndarray
    sentence_embeddings: np.ndarray
    collection: object
    documents: object  # the ``-d`` collection, read lazily


def _page(collection, include: list[str]):
    total = collection.count()
    for offset in range(0, total, PAGE):
        yield collection.get(include=include, limit=PAGE, offset=offset)


def read_build(client, pointer: dict) -> RemoteBuild:
    """The active build's records, vectors and manifest, in the row order the ingest wrote."""
    name = pointer["collection"]
    sentences_name, documents_name = side_collections(name)
    collection = client.get_collection(name, embedding_function=None)
    docs = client.get_collection(documents_name, embedding_function=None)
    manifest = json.loads(docs.get(ids=[MANIFEST_ID], include=["documents"])["documents"][0])
    rows: list[tuple[int, ChunkRecord, np.ndarray]] = []
    for got in _page(collection, ["documents", "metadatas", "embeddings"]):
        for text, meta, vector in zip(got["documents"], got["metadatas"], got["embeddings"]):
            data = json.loads(meta[RECORD_KEY])
            data["text"] = text
            rows.append((int(meta["row"]), ChunkRecord.from_json(data), np.asarray(vector, dtype=np.float32)))
    rows.sort(key=lambda r: r[0])
    sentence_rows: dict[int, np.ndarray] = {}
    for got in _page(client.get_collection(sentences_name, embedding_function=None), ["embeddings"]):
        for i, vector in zip(got["ids"], got["embeddings"]):
            sentence_rows[int(i)] = np.asarray(vector, dtype=np.float32)
    dim = len(rows[0][2]) if rows else 0
    sentences = np.stack([sentence_rows[i] for i in range(len(sentence_rows))]) if sentence_rows \
        else np.zeros((0, dim), dtype=np.float32)
    embeddings = np.stack([v for _, _, v in rows]) if rows else np.zeros((0, dim), dtype=np.float32)
    return RemoteBuild(manifest, [r for _, r, _ in rows], embeddings, sentences, collection, docs)


def read_document(documents, doc_id: str) -> dict:
    got = documents.get(ids=[DOC_PREFIX + doc_id], include=["documents"])
    if not got["documents"]:
        raise KeyError(doc_id)
    return json.loads(got["documents"][0])

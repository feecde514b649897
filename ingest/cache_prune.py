"""``vraagbaak ingest --prune-cache``: drop the cached embeddings that no kept build of the store uses.

The cache may be shared by several stores (the test profile does this), so an entry another store's ingest
used within ``settings.cache_prune_days`` days stays too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from index_store.embedding_cache import EmbeddingCache, text_key
from index_store.records import ChunkRecord
from index_store.store import COMPLETE
from ingest.pipeline import sentence_embed_text
from vraagbaak.settings import Settings


@dataclass
class Pruned:
    builds: int
    kept: int
    deleted: int
    cache: Path


def build_keys(build_dir: Path, model: str) -> set[tuple[str, str]]:
    """``(model, key)`` of every passage and sentence text a build embedded."""
    keys: set[tuple[str, str]] = set()
    with open(build_dir / "chunks.jsonl", encoding="utf-8") as fh:
        for line in fh:
            record = ChunkRecord.from_json(json.loads(line))
            keys.add((model, text_key(record.search_text)))
            keys |= {(model, text_key(sentence_embed_text(record, s, e))) for s, e, _ in record.sentences}
    return keys


def used_keys(store_dir: Path, model: str) -> tuple[int, set[tuple[str, str]]]:
    """The keys of every finished build in the store (the active one and those kept for a swap back)."""
    builds = [p for p in sorted((store_dir / "builds").glob("*")) if (p / COMPLETE).is_file()]
    keys: set[tuple[str, str]] = set()
    for build in builds:
        keys |= build_keys(build, model)
    return len(builds), keys


def prune_cache(settings: Settings) -> Pruned:
    from index_store.embedding import shared_embedder

    model = shared_embedder(settings.embed_backend, settings.embed_model, settings.embed_batch_size).model_name
    n_builds, keep = used_keys(settings.store_dir, model)
    path = settings.cache_dir / "embeddings.sqlite"
    cache = EmbeddingCache(path)
    try:
        deleted = cache.prune(keep, settings.cache_prune_days * 86400)
        kept = cache.count()
    finally:
        cache.close()
    return Pruned(n_builds, kept, deleted, path)


def format_pruned(p: Pruned) -> str:
    return (f"Embeddingcache {p.cache}: {p.deleted} ongebruikte embedding(s) verwijderd, {p.kept} bewaard "
            f"(gebruikt door {p.builds} indexversie(s) of onlangs door een andere index).")

"""The ingest job: discover files, read, clean, parse, chunk, embed (cached) and write a new store build."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from index_store.embedding_cache import EmbeddingCache, text_key
from index_store.names import MAX_DOC_ID_CHARS
from index_store.records import ChunkRecord
from index_store.store import BuildInput, prune_builds, read_manifest, write_build
from ingest.catalogue import catalogue_entry, format_catalogue
from ingest.chunking import Chunk, chunk_document
from ingest.cleaning import CleanResult, clean_document
from index_store.embedding import shared_embedder
from ingest.metadata import doc_info, load_domain_file, load_manifest, merge_domains
from ingest.discovery import discover as find_files
from ingest.sources import conflict, paths_for, resolved, uncovered
from ingest.read_limits import ReadLimits
from ingest.readers import RawDocument, UnreadableFileError, read_document
from nl.sentences import sentence_spans
from nl.text import ANALYSIS_VERSION, STEMMER
from ingest.structure import ParsedDocument, assemble, pages_of, parse_units
from vraagbaak.settings import Settings
from vraagbaak.terminal import escape_name

# Bump when cleaning, parsing or chunking changes what gets indexed: a new version forces a rebuild.
PIPELINE_VERSION = "11"
# How the cleaning stage reads each reader format: markdown-like text, PDF layout text with font headings, or
# plain layout text.
CLEANING_FORMAT = {"md": "md", "docx": "md", "html": "md", "xml": "md", "pdf": "pdf", "txt": "txt"}


@dataclass
class DocReport:
    path: str
    doc_id: str = ""
    status: str = ""  # nieuw | gewijzigd | ongewijzigd | verwijderd | overgeslagen
    units: int = 0
    chunks: int = 0
    tokens: int = 0
    embedded: int = 0
    message: str = ""


@dataclass
class IngestReport:
    documents: list[DocReport] = field(default_factory=list)
    build_id: str = ""
    up_to_date: bool = False
    seconds: float = 0.0
    embed_seconds: float = 0.0
    embedded_chunks: int = 0
    embedded_sentences: int = 0
    embedded_tokens: int = 0  # model tokens of the texts embedded (not found in the cache)
    kept_previous: bool = False  # nothing readable was found: the previous index stays as it was
    catalogue: dict[str, dict] = field(default_factory=dict)  # the store manifest's documents after the ingest

    @property
    def skipped(self) -> list[DocReport]:
        return [d for d in self.documents if d.status == "overgeslagen"]


@dataclass
class PreparedDoc:
    path: Path
    file_hash: str
    parsed: ParsedDocument
    chunks: list[Chunk]
    warnings: list[str]
    paged: bool = False  # a PDF (or text with page breaks): its labels name the pages


def page_note(first: int, last: int) -> str:
    """``, p. 14`` or ``, p. 14–15``: where in a PDF a passage stands."""
    return f", p. {first}" if first == last else f", p. {first}–{last}"


def discover(paths: list[Path]) -> tuple[list[Path], list[DocReport]]:
    """Files to ingest under the given paths, and the ones skipped with a reason (``ingest.discovery``)."""
    found = find_files(paths)
    return found.files, [DocReport(sk.path, status="overgeslagen", message=sk.reason) for sk in found.skipped]


@dataclass
class ParsedFile:
    """One file read, cleaned and parsed into units, with its manifest entry (if any)."""

    raw: RawDocument
    cleaned: CleanResult
    parsed: ParsedDocument
    entry: dict | None


def parse_file(path: Path, max_bytes: int = 20_000_000, limits: ReadLimits | None = None) -> ParsedFile:
    """Read, clean and parse one file (raises ``UnreadableFileError`` with a Dutch reason)."""
    raw = read_document(path, max_bytes=max_bytes, limits=limits)
    entry = load_manifest(path.parent).get(path.name)
    cleaned = clean_document(raw.text, CLEANING_FORMAT.get(raw.fmt, "txt"))
    if not cleaned.blocks:
        raise UnreadableFileError(path, "na het opschonen bleef er geen tekst over")
    info = doc_info(path, raw, entry, cleaned.blocks)
    return ParsedFile(raw, cleaned, assemble(parse_units(cleaned.blocks, info), info), entry)


def prepare(path: Path, settings: Settings) -> PreparedDoc:
    """Read, clean, parse and chunk one file (raises ``UnreadableFileError`` with a Dutch reason)."""
    pf = parse_file(path, max_bytes=int(settings.max_file_mb * 1_000_000), limits=ReadLimits.from_settings(settings))
    raw, entry, parsed = pf.raw, pf.entry, pf.parsed
    chunks = chunk_document(parsed, settings.chunk_tokens, settings.chunk_overlap_tokens, settings.tokenizer,
                            settings.list_chunk_tokens)
    meta_hash = hashlib.sha256(json.dumps(entry or {}, sort_keys=True).encode()).hexdigest()[:8]
    file_hash = hashlib.sha256(raw.text.encode("utf-8")).hexdigest()[:24] + meta_hash
    return PreparedDoc(path, file_hash, parsed, chunks, list(raw.warnings), paged=raw.fmt == "pdf" or "\f" in raw.text)


def _date_int(date: str) -> int:
    digits = date.replace("-", "")
    return int(digits) if digits.isdigit() and len(digits) == 8 else 0


def chunk_records(doc: PreparedDoc) -> list[ChunkRecord]:
    """Store records of a document's chunks, each carrying everything needed to cite it."""
    info = doc.parsed.info
    units = {u.key: u for u in doc.parsed.units}
    records = []
    for c in doc.chunks:
        unit = units[c.unit_key]
        pages = pages_of(unit, c.start - unit.start, c.end - unit.start)
        label = unit.label + (page_note(*pages) if pages and doc.paged else "")
        header = label + (f"\n{c.subheading}" if c.subheading else "") + (f"\n{unit.context}" if unit.context else "")
        records.append(ChunkRecord(
            id=c.chunk_id,
            doc_id=info.doc_id,
            doc_title=info.title,
            doc_citation=info.citation,
            doc_type=info.doc_type,
            doc_date=info.date,
            doc_year=int(info.date[:4]) if info.date[:4].isdigit() else 0,
            doc_date_int=_date_int(info.date),
            source_file=doc.path.name,
            unit_key=unit.key,
            unit_number=unit.number,
            unit_title=unit.title,
            unit_path=list(unit.path),
            unit_level=unit.level,
            label=label,
            subheading=c.subheading,
            chunk_index=c.index,
            char_start=c.start,
            char_end=c.end,
            content_hash=c.content_hash,
            tokens=c.tokens,
            page_start=pages[0] if pages else 0,
            page_end=pages[1] if pages else 0,
            text=c.text,
            search_text=f"{header}\n{c.text}",
            context=unit.context,
        ))
    return records


def document_record(doc: PreparedDoc, ingested_at: str) -> dict:
    info = doc.parsed.info
    return {
        "doc_id": info.doc_id, "title": info.title, "citation": info.citation, "doc_type": info.doc_type,
        "date": info.date, "structure": info.structure, "file": doc.path.name, "ingested_at": ingested_at,
        "text": doc.parsed.text,
        "units": [{"key": u.key, "number": u.number, "title": u.title, "level": u.level, "parent": u.parent,
                   "path": list(u.path), "label": u.label, "start": u.start, "end": u.end,
                   "subheadings": u.subheadings, "pages": list(u.pages) if u.pages else None}
                  for u in doc.parsed.units],
    }


def settings_fingerprint(settings: Settings, model_name: str) -> dict:
    return {"pipeline": PIPELINE_VERSION, "embedding_model": model_name, "chunk_tokens": settings.chunk_tokens,
            "chunk_overlap_tokens": settings.chunk_overlap_tokens, "tokenizer": settings.tokenizer,
            "list_chunk_tokens": settings.list_chunk_tokens,
            "chroma_url": settings.chroma_url, "stemmer": STEMMER, "analysis": ANALYSIS_VERSION}


@contextlib.contextmanager
def ingest_lock(store_dir: Path) -> Iterator[None]:
    """One ingest at a time per store (a second one waits)."""
    store_dir.mkdir(parents=True, exist_ok=True)
    with open(store_dir / ".ingest.lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("Er loopt al een ingest op deze index; wachten tot die klaar is…", file=sys.stderr)
            fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class _Progress:
    """A tqdm bar on stderr when wanted, otherwise silent."""

    def __init__(self, total: int, desc: str, enabled: bool):
        self.bar = None
        if enabled and total:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit="tekst", file=sys.stderr, leave=False)

    def update(self, n: int) -> None:
        if self.bar:
            self.bar.update(n)

    def close(self) -> None:
        if self.bar:
            self.bar.close()


def _embed_batch(embedder) -> Callable[[list[str]], np.ndarray]:
    """The embedder's direct matrix call when it has one (ours do), else llama-index's batch API."""
    direct = getattr(embedder, "embed_passages", None)
    if direct is not None:
        return direct
    return lambda texts: np.asarray(embedder.get_text_embedding_batch(texts), dtype=np.float32)


def embed_cached(texts: list[str], embedder, cache: EmbeddingCache, batch_size: int, desc: str,
                 progress: bool) -> tuple[np.ndarray, dict[str, str]]:
    """Vectors for ``texts``, computing only those not in the cache (each distinct text once). Returns the
    vectors and the texts computed (by cache key)."""
    model = embedder.model_name
    keys = [text_key(t) for t in texts]
    found = cache.get_many(model, sorted(set(keys)))
    missing: dict[str, str] = {}
    for k, t in zip(keys, texts):
        if k not in found and k not in missing:
            missing[k] = t
    embed = _embed_batch(embedder)
    bar = _Progress(len(missing), desc, progress)
    todo = list(missing.items())
    for i in range(0, len(todo), batch_size):
        batch = todo[i:i + batch_size]
        vectors = embed([t for _, t in batch])
        new = {k: v for (k, _), v in zip(batch, vectors)}
        cache.put_many(model, new)
        found.update(new)
        bar.update(len(batch))
    bar.close()
    dim = len(next(iter(found.values()))) if found else 0
    matrix = np.stack([found[k] for k in keys]) if keys else np.zeros((0, dim), dtype=np.float32)
    return matrix.astype(np.float32, copy=False), missing


def token_total(embedder, texts) -> int:
    """Tokens the model reads for ``texts`` (0 when the embedder cannot count them)."""
    count = getattr(embedder, "token_count", None)
    return sum(count(t) for t in texts) if count is not None else 0


def embedding_texts(records: list[ChunkRecord]) -> tuple[list[str], list[str], list[str]]:
    """What an ingest embeds for ``records``: the passages (their ``search_text``) and the distinct sentences
    (with their context; spans are attached to the records), with the chunk id of each sentence."""
    sentences, chunk_ids = sentence_table(records)
    return [r.search_text for r in records], sentences, chunk_ids


def sentence_embed_text(record: ChunkRecord, start: int, end: int) -> str:
    """What is embedded for one sentence of a chunk: its context, then the sentence."""
    context = record.subheading or record.context or record.unit_title or record.doc_citation
    return f"{context}. {record.text[start:end]}"


def sentence_table(records: list[ChunkRecord]) -> tuple[list[str], list[str]]:
    """Attach sentence spans to each record; return the unique sentence texts to embed (with context)."""
    index: dict[tuple[str, int, int], int] = {}
    texts: list[str] = []
    keys: list[str] = []
    for r in records:
        spans = []
        for s, e in sentence_spans(r.text):
            key = (r.doc_id, r.char_start + s, r.char_start + e)
            if key not in index:
                index[key] = len(texts)
                texts.append(sentence_embed_text(r, s, e))
                keys.append(r.id)
            spans.append([s, e, index[key]])
        r.sentences = spans
    return texts, keys


def prepare_all(files: list[Path], settings: Settings, report: IngestReport) -> list[PreparedDoc]:
    """Read, clean, parse and chunk every file; unreadable ones go into the report and are skipped."""
    prepared: list[PreparedDoc] = []
    seen_ids: set[str] = set()
    for path in files:
        try:
            doc = prepare(path, settings)
        except UnreadableFileError as exc:
            report.documents.append(DocReport(str(path), status="overgeslagen", message=exc.reason))
            continue
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop the rest
            report.documents.append(DocReport(str(path), status="overgeslagen",
                                              message=f"kon niet worden verwerkt ({exc.__class__.__name__}: {exc})"))
            continue
        info = doc.parsed.info
        if info.doc_id in seen_ids:  # same file name in two folders
            suffix = hashlib.sha1(str(path).encode("utf-8", "surrogatepass")).hexdigest()[:6]
            info.doc_id = f"{info.doc_id[:MAX_DOC_ID_CHARS - 7]}-{suffix}"
            for c in doc.chunks:
                c.doc_id = info.doc_id
        seen_ids.add(info.doc_id)
        prepared.append(doc)
    return prepared


def compare_with_store(prepared: list[PreparedDoc], old_docs: dict, report: IngestReport) -> None:
    """Report each document as new, changed or unchanged against the active build, and removed ones."""
    for doc in prepared:
        old = old_docs.get(doc.parsed.info.doc_id)
        status = "nieuw" if old is None else ("ongewijzigd" if old.get("hash") == doc.file_hash else "gewijzigd")
        report.documents.append(DocReport(
            str(doc.path), doc.parsed.info.doc_id, status, len(doc.parsed.units), len(doc.chunks),
            sum(c.tokens for c in doc.chunks), message="; ".join(doc.warnings)))
    current = {d.parsed.info.doc_id for d in prepared}
    for doc_id, old in old_docs.items():
        if doc_id not in current:
            report.documents.append(DocReport(old.get("file", doc_id), doc_id, "verwijderd"))


def folder_domain(paths: list[Path], report: IngestReport) -> dict:
    """The merged ``domain.toml`` data of the ingested folders (problems reading one go into the report)."""
    parts = []
    for root in paths:
        folder = root if root.is_dir() else root.parent
        data, problems = load_domain_file(folder)
        parts.append(data)
        report.documents += [DocReport(str(folder / "domain.toml"), status="overgeslagen", message=m) for m in problems]
    return merge_domains(parts)


def store_manifest(settings: Settings, model_name: str, fingerprint: dict, prepared: list[PreparedDoc],
                   report: IngestReport, old_docs: dict, now: str, dim: int, sentences: int,
                   domain: dict | None = None) -> dict:
    """The manifest of a new build: model, chunker settings, and per document its hash and counts."""
    status = {d.doc_id: d.status for d in report.documents}
    documents = {}
    for doc in prepared:
        info = doc.parsed.info
        unchanged = status.get(info.doc_id) == "ongewijzigd"
        documents[info.doc_id] = {
            "file": doc.path.name, "path": str(doc.path.absolute()), "hash": doc.file_hash, "title": info.title,
            "citation": info.citation, "doc_type": info.doc_type, "date": info.date,
            "units": len(doc.parsed.units), "chunks": len(doc.chunks), "tokens": sum(c.tokens for c in doc.chunks),
            "ingested_at": old_docs.get(info.doc_id, {}).get("ingested_at", now) if unchanged else now,
            **catalogue_entry(doc.parsed),
        }
    return {
        "fingerprint": fingerprint,
        "embedding": {"backend": settings.embed_backend, "model": model_name, "dim": dim},
        "chunker": {"tokens": settings.chunk_tokens, "overlap_tokens": settings.chunk_overlap_tokens,
                    "tokenizer": settings.tokenizer, "pipeline": PIPELINE_VERSION},
        "documents": documents,
        "domain": domain or {},
        "counts": {"documents": len(prepared), "chunks": sum(len(d.chunks) for d in prepared), "sentences": sentences},
    }


def run_ingest(paths: list[Path], settings: Settings, rebuild: bool = False, progress: bool = True,
               log: Callable[[str], None] = print, mode: str = "auto") -> IngestReport:
    """Ingest the files under ``paths`` into the store of ``settings``; a no-op when nothing changed.

    ``mode``: ``auto`` refuses (``FolderConflictError``) when the store holds documents of a folder ``paths``
    do not cover; ``replace`` then drops them; ``add`` ingests the store's folders together with ``paths``."""
    started = time.time()
    report = IngestReport()
    paths = paths_for(mode, read_manifest(settings.store_dir) or {}, paths)
    files, skipped = discover(paths)
    report.documents.extend(skipped)
    prepared = prepare_all(files, settings, report)
    domain = folder_domain(paths, report)
    embedder = shared_embedder(settings.embed_backend, settings.embed_model, settings.embed_batch_size)
    fingerprint = settings_fingerprint(settings, embedder.model_name)
    with ingest_lock(settings.store_dir):
        previous = read_manifest(settings.store_dir) or {}
        old_docs = previous.get("documents", {}) if previous.get("fingerprint") == fingerprint else {}
        compare_with_store(prepared, old_docs, report)
        unchanged = bool(previous and not rebuild and old_docs and previous.get("domain", {}) == domain and
                         all(d.status == "ongewijzigd" for d in report.documents if d.status != "overgeslagen") and
                         (settings.store_dir / "builds" / previous.get("build_id", "?")).is_dir())
        if unchanged or not prepared:
            report.up_to_date = unchanged
            report.build_id = previous.get("build_id", "")
            report.catalogue = old_docs if unchanged else {}
            if unchanged:
                prune_builds(settings.store_dir, chroma_url=settings.chroma_url)  # debris of a killed ingest
            else:
                # Nothing was removed: the previous build stays active, so do not report its documents as gone.
                report.documents = [d for d in report.documents if d.status != "verwijderd"]
                report.kept_previous = bool(report.build_id)
                log("Geen leesbare documenten gevonden: de bestaande index blijft ongewijzigd.")
            report.seconds = time.time() - started
            return report

        others = uncovered(previous, paths)
        if others and mode == "auto":
            raise conflict(settings.store_dir, others, paths)
        records = [r for doc in prepared for r in chunk_records(doc)]
        passage_texts, sentence_texts, _ = embedding_texts(records)
        cache = EmbeddingCache(settings.cache_dir / "embeddings.sqlite")
        t0 = time.time()
        # Passages and sentences in one job (one progress bar, full batches across the boundary).
        all_vectors, computed = embed_cached(passage_texts + sentence_texts, embedder, cache,
                                             settings.embed_batch_size, "Embedden", progress)
        cache.close()
        report.embed_seconds = time.time() - t0
        vectors, sent_vectors = all_vectors[:len(passage_texts)], all_vectors[len(passage_texts):]
        new_chunks = {k for k in map(text_key, passage_texts) if k in computed}
        report.embedded_chunks = len(new_chunks)
        report.embedded_sentences = len(computed) - len(new_chunks)
        report.embedded_tokens = token_total(embedder, computed.values())
        for d in report.documents:
            d.embedded = sum(1 for r in records if r.doc_id == d.doc_id and text_key(r.search_text) in new_chunks)
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        manifest = store_manifest(settings, embedder.model_name, fingerprint, prepared, report, old_docs, now,
                                  int(vectors.shape[1]) if vectors.size else 0, len(sentence_texts), domain)
        manifest["sources"] = resolved(paths)
        build = BuildInput(records, vectors, sent_vectors,
                           {doc.parsed.info.doc_id: document_record(doc, now) for doc in prepared}, manifest)
        report.build_id = write_build(settings.store_dir, build, settings.chroma_url,
                                      namespace=settings.chroma_namespace)
        report.catalogue = manifest["documents"]
    report.seconds = time.time() - started
    return report


def format_report(report: IngestReport) -> str:
    """The per-document summary printed by ``vraagbaak ingest`` (Dutch)."""
    lines = [f"{'document':52} {'status':12} {'units':>6} {'chunks':>7} {'tokens':>8}"]
    for d in sorted(report.documents, key=lambda d: (d.status == "overgeslagen", d.path)):
        name = escape_name(Path(d.path).name)[:52]
        lines.append(f"{name:52} {d.status:12} {d.units:6d} {d.chunks:7d} {d.tokens:8d}"
                     + (f"  ({escape_name(d.message)})" if d.message else ""))
    total_chunks = sum(d.chunks for d in report.documents if d.status != "overgeslagen")
    lines.append("")
    if report.up_to_date:
        lines.append(f"Index is al actueel: niets opnieuw berekend ({report.seconds:.1f} s).")
    elif report.kept_previous:
        lines.append(f"Geen leesbare documenten gevonden: de bestaande index {report.build_id} blijft ongewijzigd "
                     f"({report.seconds:.1f} s).")
    elif not report.build_id:
        lines.append(f"Geen leesbare documenten gevonden: er is geen index gebouwd ({report.seconds:.1f} s).")
    else:
        lines.append(f"Nieuwe index {report.build_id}: {total_chunks} chunks; "
                     f"{report.embedded_chunks} passages en {report.embedded_sentences} zinnen nieuw ge-embed "
                     f"({report.embed_seconds:.1f} s); totaal {report.seconds:.1f} s.")
    if report.skipped:
        lines.append(f"{len(report.skipped)} bestand(en) overgeslagen; zie de regels hierboven.")
    catalogue = format_catalogue(report.catalogue, only_inferred=True)
    if catalogue:
        lines += ["", catalogue]
    return "\n".join(lines)

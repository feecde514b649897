"""The ``vraagbaak`` command: a thin dispatcher to ingest, docs, ask, rechten, serve, eval and bench."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vraagbaak.settings import Settings, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(store_dir=getattr(args, "store", None), top_k=getattr(args, "k", None))


def cmd_ingest(args: argparse.Namespace) -> int:
    from ingest.pipeline import format_report, run_ingest

    settings = _settings(args)
    paths = [Path(p) for p in args.paths] or [settings.corpus_dir]
    if args.prune_cache and not args.paths:
        return prune_cache_cli(settings)
    mode = "add" if args.add else "replace" if args.replace else "auto"
    report = run_ingest(paths, settings, rebuild=args.rebuild, progress=not args.quiet, mode=mode)
    print(format_report(report))
    if args.prune_cache:
        prune_cache_cli(settings)
    return 0 if (report.up_to_date or report.build_id) else 1


def prune_cache_cli(settings: Settings) -> int:
    from ingest.cache_prune import format_pruned, prune_cache

    print(format_pruned(prune_cache(settings)))
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from index_store.store import read_manifest
    from ingest.catalogue import format_catalogue

    settings = _settings(args)
    manifest = read_manifest(settings.store_dir)
    if not manifest or not manifest.get("documents"):
        print(f"Er is nog geen index in {settings.store_dir}. Bouw hem met: vraagbaak ingest [MAP]", file=sys.stderr)
        return 1
    print(format_catalogue(manifest["documents"]))
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    from rag.cli_ask import run_ask

    return run_ask(args, _settings(args))


def cmd_rights(args: argparse.Namespace) -> int:
    from rag.cli_rights import run_rights

    return run_rights(args, _settings(args))


def cmd_serve(args: argparse.Namespace) -> int:
    from ui.serve import run_serve

    settings = load_settings(store_dir=args.store, host=args.host, port=args.port)
    return run_serve(settings, ensure_index=args.ensure_index)


def cmd_eval(args: argparse.Namespace) -> int:
    if args.rechten:
        from eval.rights_eval import run_rights_eval_cli

        return run_rights_eval_cli(args, _settings(args))
    from eval.runner import run_eval_cli

    return run_eval_cli(args, _settings(args))


def cmd_bench(args: argparse.Namespace) -> int:
    from bench.run import run_bench_cli

    return run_bench_cli(args, _settings(args))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vraagbaak", description="Vraagbaak AI & Werk")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="documenten inlezen en de index bouwen")
    p.add_argument("paths", nargs="*", help="bestanden of mappen (standaard: het meegeleverde corpus)")
    p.add_argument("--store", help="map van de index")
    p.add_argument("--rebuild", action="store_true", help="alles opnieuw opbouwen")
    p.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--add", action="store_true",
                       help="deze map toevoegen aan de index; documenten uit andere mappen blijven")
    which.add_argument("--replace", action="store_true",
                       help="de index vervangen door alleen deze map (documenten uit andere mappen gaan eruit)")
    p.add_argument("--prune-cache", action="store_true",
                   help="embeddings uit de cache verwijderen die geen bewaarde indexversie meer gebruikt")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("docs", help="de ingelezen documenten met hun titel, datum, soort en structuur")
    p.add_argument("--store", help="map van de index")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("ask", help="een vraag stellen")
    p.add_argument("question", nargs="?", help="de vraag (zonder vraag: interactief)")
    p.add_argument("--k", type=int, help="aantal passages (standaard 5)")
    p.add_argument("--store", help="map van de index")
    p.add_argument("--json", action="store_true", help="antwoord als JSON")
    p.add_argument("--questions", help="JSONL-bestand met {id, question} per regel")
    p.add_argument("--history", help="JSON-lijst met eerdere vragen (voor vervolgvragen)")
    p.add_argument("--doc", action="append", help="alleen in dit document zoeken (doc-id)")
    p.add_argument("--type", action="append", dest="doc_type", help="alleen dit documenttype")
    p.add_argument("--from", dest="date_from", help="vanaf datum (JJJJ-MM-DD)")
    p.add_argument("--to", dest="date_to", help="tot en met datum (JJJJ-MM-DD)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("rechten", help="Rechtenwijzer: welke rechten kunnen gelden bij een AI-systeem")
    p.add_argument("beschrijving", nargs="*", help="beschrijving van het AI-systeem (of gebruik --situatie)")
    p.add_argument("--situatie", help='JSON-bestand met {"beschrijving", "kenmerken", "vertegenwoordiging", '
                                      '"werknemers"}; - = standaardinvoer')
    p.add_argument("--json", action="store_true", help="het overzicht als JSON")
    p.add_argument("--store", help="map van de index")
    p.set_defaults(func=cmd_rights)

    p = sub.add_parser("serve", help="de chatpagina starten")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--store", help="map van de index")
    p.add_argument("--ensure-index", action="store_true", help="eerst het corpus inlezen als de index ontbreekt of verouderd is")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("eval", help="de evaluatieset draaien")
    p.add_argument("--set", action="append", dest="sets", help="JSONL-bestand(en); standaard de gekozen split(s)")
    p.add_argument("--split", choices=("dev", "test", "all"), default="all",
                   help="dev (om op af te stemmen), test (om op te beoordelen; de gate) of all (standaard)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--report", help="map voor het rapport (Markdown + HTML)")
    p.add_argument("--gate", action="store_true", help="falen als een metriek onder de drempel zakt")
    p.add_argument("--rechten", action="store_true",
                   help="de Rechtenwijzer scoren op eval/rights/situations.jsonl (verwachte rechten per situatie)")
    p.add_argument("--store", help="map van de index")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("bench", help="snelheid en kwaliteit meten tegen baselines")
    p.add_argument("--store", help="map van de index")
    p.add_argument("--out", default="bench", help="map voor results.md en results.json")
    p.add_argument("--scales", default="1,4,16", help="corpusgroottes voor de schaalmeting")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    from index_store.store import StoreError
    from index_store.embedding import EmbeddingConfigError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (StoreError, EmbeddingConfigError, ValueError) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

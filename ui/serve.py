"""``vraagbaak serve``: optionally bring the index up to date, then start the chat page."""

from __future__ import annotations

import ipaddress
import os
import sys
import time

from vraagbaak.settings import Settings

QUEUE_PER_WORKER = 25


def parse_auth(value: str) -> list[tuple[str, str]] | None:
    """``user:pass`` (several separated by commas) as Gradio's auth list; empty = no password."""
    pairs = []
    for item in (value or "").split(","):
        item = item.strip()
        if not item:
            continue
        user, sep, password = item.partition(":")
        if not sep or not user or not password:
            raise ValueError("VRAAGBAAK_AUTH moet de vorm gebruiker:wachtwoord hebben.")
        pairs.append((user, password))
    return pairs or None


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def blas_one_thread() -> None:
    """One BLAS thread per request in the chat server. numpy's OpenBLAS otherwise starts a thread per core for
    every small matrix product of a question and spin-waits between them; with several questions at once those
    threads fight the embedder's for the same cores (measured with ``bench.serving``, 20 users: server CPU per
    answer 133 → 73–75 ms). An explicit ``OPENBLAS_NUM_THREADS`` from the user wins."""
    if "OPENBLAS_NUM_THREADS" not in os.environ:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")


def launch(settings: Settings, quiet: bool = True):
    """Build the page and serve it in a background thread. Returns ``(demo, url)``; stop with ``demo.close()``."""
    from ui.app import build_app
    from ui import rights_tab
    from ui.assets import CSS, HEAD, theme
    from ui.i18n import dutch_everywhere

    blas_one_thread()
    demo = build_app(settings)
    demo.queue(default_concurrency_limit=settings.concurrency,
               max_size=max(1, settings.concurrency) * QUEUE_PER_WORKER)
    _, url, _ = demo.launch(
        server_name=settings.host, server_port=settings.port, auth=parse_auth(settings.auth),
        auth_message="Log in voor Vraagbaak AI & Werk.", prevent_thread_lock=True, quiet=quiet,
        show_error=False, theme=theme(), css=CSS + rights_tab.CSS, head=HEAD + rights_tab.HEAD, ssr_mode=False, pwa=False, mcp_server=False,
        enable_monitoring=False, footer_links=["api"], i18n=dutch_everywhere(),
        app_kwargs={"docs_url": None, "redoc_url": None},
    )
    return demo, url


def run_serve(settings: Settings, ensure_index: bool) -> int:
    try:
        auth = parse_auth(settings.auth)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    if ensure_index:
        from index_store.store import StoreError
        from ingest.pipeline import format_report, run_ingest

        print("Index controleren (alleen gewijzigde documenten worden opnieuw ingelezen)…", flush=True)
        try:
            print(format_report(run_ingest([settings.corpus_dir], settings)), flush=True)
        except StoreError as exc:  # e.g. the index holds another folder: it stays as it is
            print(f"{exc}\nDe chatpagina start met de bestaande index.", file=sys.stderr)
        except Exception as exc:  # noqa: BLE001 - the page then explains how to build the index
            print(f"Het inlezen is mislukt ({exc.__class__.__name__}: {exc}); de chatpagina start toch en legt "
                  "uit hoe je de index bouwt.", file=sys.stderr)
    if not auth and not _is_loopback(settings.host):
        print(f"Let op: de pagina is bereikbaar op {settings.host} zonder wachtwoord. "
              "Stel VRAAGBAAK_AUTH=gebruiker:wachtwoord in om dat te voorkomen.", file=sys.stderr)
    try:
        demo, url = launch(settings)
    except OSError as exc:
        print(f"De chatpagina kon niet starten op {settings.host}:{settings.port}: {exc}. "
              "Is de poort al in gebruik? Kies een andere met --port.", file=sys.stderr)
        return 1
    print(f"Vraagbaak AI & Werk draait op {url} (stoppen met Ctrl-C)", flush=True)
    try:
        while demo.is_running:
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nChatpagina gestopt.")
    finally:
        demo.close()
    return 0

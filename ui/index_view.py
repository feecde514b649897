"""The index as the page shows it: is there one, which documents it holds, and building it from the page."""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass, field

import gradio as gr

from index_store.store import StoreError
from nl.resources import table
from rag.engine import get_engine
from ui import render
from vraagbaak.settings import Settings


@dataclass
class IndexView:
    """What the page needs from the current index (or why there is none)."""

    ok: bool
    problem: str = ""
    documents: dict[str, dict] = field(default_factory=dict)

    @property
    def doc_choices(self) -> list[tuple[str, str]]:
        """(shown name, doc id) for the document filter, newest first."""
        docs = sorted(self.documents.items(), key=lambda kv: kv[1].get("date", ""), reverse=True)
        return [(d.get("citation") or d.get("title") or doc_id, doc_id) for doc_id, d in docs]

    @property
    def type_choices(self) -> list[tuple[str, str]]:
        kinds = sorted({d.get("doc_type", "") for d in self.documents.values() if d.get("doc_type")})
        return [(render.doc_type_label(k), k) for k in kinds]

    @property
    def status_html(self) -> str:
        return "" if self.ok else render.missing_index_html(self.problem)


def current(settings: Settings) -> IndexView:
    """Open (or reuse) the index; a missing or unusable one becomes a Dutch explanation, never a traceback."""
    try:
        store = get_engine(settings).ensure_store()
    except StoreError as exc:
        return IndexView(False, str(exc))
    except Exception as exc:  # noqa: BLE001 - e.g. a damaged build folder
        return IndexView(False, f"De index kon niet worden geopend ({exc.__class__.__name__}). "
                                "Bouw hem opnieuw met: vraagbaak ingest --rebuild")
    return IndexView(True, documents=dict(store.manifest.get("documents", {})))


def page_updates(view: IndexView) -> tuple:
    """Values for (status banner, build button, build log, documents table, document filter, type filter)."""
    return (
        gr.update(value=view.status_html, visible=not view.ok),
        gr.update(visible=not view.ok, interactive=True, value="Index nu bouwen"),
        gr.update(visible=False),
        render.documents_html(view.documents),
        gr.update(choices=view.doc_choices),
        gr.update(choices=view.type_choices),
    )


def build_allowed(settings: Settings, username: str | None) -> str:
    """Why the page may not build the index now (Dutch), or ``""``: only while there is no index, and only for
    a logged-in user when the page has a password."""
    from ui.serve import parse_auth

    if parse_auth(settings.auth) and not username:
        return "Log eerst in om de index te bouwen."
    if current(settings).ok:
        return table("messages")["build_not_allowed"]
    return ""


def build_from_page(settings: Settings, request, progress: gr.Progress) -> str:
    """The page's "Index nu bouwen": checked again on every call, whatever the page showed."""
    refusal = build_allowed(settings, getattr(request, "username", None))
    return refusal or build(settings, progress)


def build(settings: Settings, progress: gr.Progress) -> str:
    """Ingest the bundled corpus into the configured store (a no-op when it is up to date)."""
    from ingest.pipeline import format_report, run_ingest

    progress(0, desc="Documenten inlezen…")
    lines: list[str] = []
    try:
        report = run_ingest([settings.corpus_dir], settings, progress=True, log=lines.append)
    except StoreError as exc:  # e.g. the store holds another folder: the Dutch message says what to do
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - shown on the page; the terminal gets the traceback
        traceback.print_exc(file=sys.stderr)
        return (f"Het bouwen van de index is mislukt ({exc.__class__.__name__}). "
                "Probeer het in een terminal met: vraagbaak ingest")
    progress(1, desc="Klaar")
    return "\n".join(lines + [format_report(report)])

"""The "Rechtenwijzer" tab: describe the planned AI system, check the features read from the description, and see
per right a card with its status, article, why, and the quoted sentences; a source opens in the tab's own source
column (as in the chat); the report exports as Markdown and PDF. Also the chat's pointer to the tab.

``RightsTab.build`` lays the tab out inside a ``gr.Tab``; ``RightsTab.wire`` connects it to the page (the tabs and
the chat's turns). The card HTML is made by pure functions over the report; every text is escaped.
"""

from __future__ import annotations

import re
import sys
import traceback
import uuid
from dataclasses import asdict

import gradio as gr

from index_store.store import StoreError
from nl.situation import infer_employees, infer_features, infer_representation
from rag.context import passage_context
from rag.engine import get_engine
from rag.rightsguide import Recht, RightsReport, SituationError, rights, rules
from rag.rightsguide.chat import rights_pointer
from rag.rightsguide.table import APPLIES, NOT_APPLICABLE, POSSIBLE, RulesTable
from ui import render
from ui.render import esc
from ui.rights_export import write_report_exports
from vraagbaak.settings import Settings

TAB_ID = "rechtenwijzer"
PICK_ID = "rw-bron-keuze"
OPEN_ID = "rw-open"
PANEL_ID = "rw-passage-paneel"
STATUS_CSS = {APPLIES: "van-toepassing", POSSIBLE: "mogelijk", NOT_APPLICABLE: "niet"}
STATUS_LABEL = {APPLIES: "Van toepassing", POSSIBLE: "Mogelijk van toepassing", NOT_APPLICABLE: "Niet van toepassing"}
INTRO = ("<h2 class='rw-kop'>Rechtenwijzer</h2><p class='rw-uitleg'>Beschrijf het AI-systeem dat je werkgever wil "
         "invoeren. De Rechtenwijzer leest er kenmerken uit (vink aan of uit wat niet klopt) en zet de rechten en "
         "plichten op een rij die de documenten daarbij noemen, elk met de zin waarin ze het zeggen. Geen "
         "juridisch advies: de wettekst is leidend.</p>")
EMPTY_REPORT = ("<div class='rw-leeg'><p>Beschrijf het systeem en klik op <strong>Toon de rechten</strong>. "
                "Je krijgt per recht een kaart: van toepassing, mogelijk van toepassing, of niet van toepassing en "
                "waarom.</p></div>")
SOURCE_PLACEHOLDER = ("<div class='passage-leeg'><p><strong>Bron</strong></p><p>Klik op een kaart op de bron onder "
                      "een citaat: dan staat hier de hele passage, met de geciteerde zin gemarkeerd.</p></div>")
PLACEHOLDER_DESCRIPTION = "bijv. een systeem dat bijhoudt hoe snel magazijnmedewerkers orders verzamelen en wie achterloopt"
LAW_TEXT = " <span class='recht-soort'>(wettekst uit je eigen documenten)</span>"
FAILED = "Er ging iets mis bij het opstellen van het overzicht. Probeer het opnieuw."


# ------------------------------------------------------------------------------------------ HTML (pure)
def inferred_html(description: str, table: RulesTable) -> str:
    """Which features were read from the description, and from which words."""
    hits = [h for h in infer_features(description) if h.feature in table.features]
    if not description.strip():
        return ""
    if not hits:
        return ("<p class='rw-afgeleid'>Uit de beschrijving zijn geen kenmerken af te leiden; vink zelf aan wat "
                "past.</p>")
    items = "; ".join(f"{esc(table.features[h.feature].name)} (uit: {esc(', '.join(h.words))})" for h in hits)
    return f"<p class='rw-afgeleid'>Afgeleid uit je beschrijving: {items}.</p>"


def source_link(report_id: str, i: int, j: int) -> str:
    return f"#bron-rw-{report_id}-{i}-{j}"


def _card(right: Recht, i: int, report_id: str) -> str:
    css = STATUS_CSS[right.status]
    heading = f"rw-recht-{report_id}-{i}"
    depends = (f"<p class='recht-afhankelijk'><strong>Hangt af van:</strong> {esc(right.afhankelijk_van)}</p>"
               if right.afhankelijk_van else "")
    quotes = "".join(
        f"<li><blockquote class='recht-citaat'>“{esc(b.quote)}”</blockquote>"
        f"<a class='bron-link' href='{source_link(report_id, i, j)}' data-keuze='{PICK_ID}' data-paneel='{PANEL_ID}'>"
        f"<span class='bron-label'>{esc(b.label)}</span>{LAW_TEXT if b.soort == 'artikel' else ''}</a></li>"
        for j, b in enumerate(right.bronnen))
    ask = (f"<button type='button' class='actie rw-vraag' data-vraag='{esc(right.vraag)}'>Vraag de chat: "
           f"{esc(right.vraag)}</button>" if right.vraag and right.status != NOT_APPLICABLE else "")
    return (f"<article class='recht-kaart {css}' aria-labelledby='{heading}' data-recht='{esc(right.id)}' "
            f"data-status='{esc(right.status)}'>"
            f"<header><h4 id='{heading}'>{esc(right.naam)}</h4>"
            f"<span class='recht-status'>{STATUS_LABEL[right.status]}</span></header>"
            f"<p class='recht-artikel'>{esc(right.artikel)}</p>"
            f"<p class='recht-waarom'><strong>Waarom:</strong> {esc(right.waarom)}</p>{depends}"
            f"<ul class='recht-bronnen' aria-label='Bronnen'>{quotes}</ul>{ask}</article>")


def report_html(report: RightsReport, table: RulesTable, report_id: str) -> str:
    """The report as cards grouped by status, then the caveat with its own sentences."""
    if report.melding:
        return f"<div class='foutmelding'><p>{esc(report.melding)}</p></div>"
    cards = list(report.rechten + report.niet_van_toepassing)
    parts = []
    for status in (APPLIES, POSSIBLE, NOT_APPLICABLE):
        group = [(i, r) for i, r in enumerate(cards) if r.status == status]
        if group:
            parts.append(f"<h3 class='rw-groep'>{STATUS_LABEL[status]} ({len(group)})</h3>")
            parts.extend(_card(r, i, report_id) for i, r in group)
    s = report.situatie
    assumed = (" <em>(aangenomen; kies hierboven iets anders als dat niet klopt)</em>"
               if "vertegenwoordiging" in s.aangenomen else "")
    used = ", ".join(table.features[f].name for f in s.kenmerken) or "geen"
    head = (f"<p class='rw-situatie'><strong>Kenmerken:</strong> {esc(used)}. <strong>Vertegenwoordiging:</strong> "
            f"{esc(table.representations.get(s.vertegenwoordiging, s.vertegenwoordiging))}{assumed}"
            f"{f'. <strong>Werknemers:</strong> {s.werknemers}' if s.werknemers is not None else ''}.</p>")
    caveat = "".join(f"<li>“{esc(b.quote)}” <span class='bron-label'>— {esc(b.label)}</span></li>"
                     for b in report.voorbehoud_bronnen)
    return (f"<section class='rw-rapport' aria-label='Rechten voor deze situatie' data-rapport='{report_id}'>"
            f"{head}{''.join(parts)}<div class='rw-voorbehoud'><h3 class='rw-groep'>Voorbehoud</h3>"
            f"<p class='voorbehoud'>{esc(report.voorbehoud)}</p><ul>{caveat}</ul></div></section>")


def pointer_html(turn: dict) -> str:
    """Under a chat answer to "welke rechten heeft de OR bij …": the summary and a link to the tab."""
    pointer = turn.get("rechtenwijzer")
    if not pointer:
        return ""
    return (f"<aside class='rw-wijzer' aria-label='Rechtenwijzer'><p><strong>Rechtenwijzer.</strong> "
            f"{esc(pointer['samenvatting'])}</p><p><a class='rw-open' href='#rechtenwijzer-{esc(turn['id'])}'>"
            "Bekijk de rechten voor deze situatie in de Rechtenwijzer</a></p></aside>")


def pointer_json(question: str, settings: Settings) -> dict | None:
    """What a chat turn keeps of the Rechtenwijzer's pointer for its question (``None``: no rights question)."""
    try:
        pointer = rights_pointer(question, settings)
    except Exception:  # noqa: BLE001 - the chat answer stands without the pointer; the log gets the traceback
        traceback.print_exc(file=sys.stderr)
        return None
    return pointer.to_json() if pointer else None


# --------------------------------------------------------------------------------------------- the tab
class RightsTab:
    """The tab's components and event handlers for one page."""

    def __init__(self, settings: Settings):
        self.settings = settings

    @property
    def table(self) -> RulesTable:
        return rules(self.settings)

    def build(self) -> None:
        table = self.table
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300, elem_id="rw-invoer"):
                gr.HTML(INTRO, apply_default_css=False)
                self.description = gr.Textbox(label="Beschrijving van het AI-systeem", lines=3, max_lines=8,
                                              elem_id="rw-beschrijving", placeholder=PLACEHOLDER_DESCRIPTION)
                self.features = gr.CheckboxGroup(
                    choices=[(f.label, f.id) for f in table.features.values()],
                    label="Kenmerken van het systeem", elem_id="rw-kenmerken",
                    info="Aangevinkt wat uit de beschrijving volgt; pas aan wat niet klopt.")
                self.inferred = gr.HTML("", elem_id="rw-afgeleid", apply_default_css=False)
                with gr.Row():
                    self.representation = gr.Radio(
                        choices=[(label, key) for key, label in table.representations.items()], value="or",
                        label="Vertegenwoordiging", elem_id="rw-vertegenwoordiging")
                    self.employees = gr.Textbox(label="Aantal werknemers (als je het weet)", value="", max_lines=1,
                                                elem_id="rw-werknemers", placeholder="bijv. 120")
                with gr.Row(elem_id="rw-knoppen"):
                    self.show_btn = gr.Button("Toon de rechten", variant="primary", elem_id="rw-toon", min_width=160)
                    self.export_md = gr.DownloadButton("Exporteer als Markdown", size="sm", interactive=False,
                                                       elem_id="rw-exporteer", min_width=180)
                    self.export_pdf = gr.DownloadButton("Exporteer als PDF", size="sm", interactive=False,
                                                        elem_id="rw-exporteer-pdf", min_width=150)
                with gr.Accordion("Wat betekenen de kenmerken?", open=False):
                    gr.HTML("<dl class='rw-kenmerken-uitleg'>" + "".join(
                        f"<dt>{esc(f.label)}</dt><dd>{esc(f.explanation)}</dd>"
                        for f in table.features.values()) + "</dl>", apply_default_css=False)
                self.report = gr.HTML(EMPTY_REPORT, elem_id="rw-rapport", apply_default_css=False)
            with gr.Column(scale=2, min_width=300, elem_id="rw-bron-kolom"):
                gr.HTML("<div class='bron-kop'><h2>Bron in context</h2></div>", apply_default_css=False)
                self.panel = gr.HTML(SOURCE_PLACEHOLDER, elem_id=PANEL_ID, apply_default_css=False)
        self.state = gr.State(None)

    def wire(self, tabs: gr.Tabs, turns: gr.State) -> None:
        """Events: reading the description, showing the report, opening a source, and opening the tab from a
        chat answer's pointer."""
        pick = gr.Textbox(visible="hidden", elem_id=PICK_ID, label="bron rechtenwijzer")
        opener = gr.Textbox(visible="hidden", elem_id=OPEN_ID, label="open rechtenwijzer")
        quick = dict(api_visibility="private", concurrency_limit=None)
        report_out = [self.report, self.state, self.export_md, self.export_pdf]
        self.description.change(self.read, self.description,
                                [self.features, self.representation, self.employees, self.inferred],
                                trigger_mode="always_last", show_progress="hidden", **quick)
        inputs = [self.description, self.features, self.representation, self.employees]
        gr.on([self.show_btn.click], self.show, inputs, report_out, api_name="rechten",
              concurrency_limit=self.settings.concurrency)
        pick.change(self.show_source, [pick, self.state], self.panel, show_progress="minimal", **quick)
        opener.change(self.open_from_chat, [opener, turns],
                      [tabs, *inputs, self.inferred, *report_out, self.panel], **quick)

    # -------------------------------------------------------------------------------------- handlers
    def read(self, description: str):
        """The features, representation and number of employees read from the description (pre-ticked)."""
        description = description or ""
        table = self.table
        features = [h.feature for h in infer_features(description) if h.feature in table.features]
        representation = infer_representation(description)
        employees = infer_employees(description)
        return (gr.update(value=features), gr.update(value=representation) if representation else gr.skip(),
                gr.update(value=str(employees)) if employees is not None else gr.skip(),
                inferred_html(description, table))

    def report_for(self, situation: dict):
        """``(report, error message)`` for a situation."""
        try:
            return rights(situation, self.settings), ""
        except SituationError as exc:
            return None, str(exc)
        except StoreError as exc:
            return None, f"{exc} Zie de melding bovenaan de pagina."
        except Exception:  # noqa: BLE001 - the page shows a Dutch message, the log gets the traceback
            traceback.print_exc(file=sys.stderr)
            return None, FAILED

    def _shown(self, report: RightsReport | None, error: str) -> tuple:
        off = gr.update(value=None, interactive=False)
        if report is None:
            return f"<div class='foutmelding'><p>{esc(error)}</p></div>", None, off, off
        report_id = uuid.uuid4().hex[:10]
        table = self.table
        sources = {f"{i}-{j}": {"n": j + 1, **asdict(b)}
                   for i, r in enumerate(report.rechten + report.niet_van_toepassing) for j, b in enumerate(r.bronnen)}
        if report.melding:
            return report_html(report, table, report_id), None, off, off
        md, pdf = write_report_exports(report, table)
        return (report_html(report, table, report_id), {"id": report_id, "sources": sources},
                gr.update(value=str(md), interactive=True), gr.update(value=str(pdf), interactive=True))

    def show(self, description, features, representation, employees):
        """"Toon de rechten": the report for the situation as the user has it now (the ticked features)."""
        # Nothing described and nothing ticked is a mistake here, not "any AI system": the situation then says so.
        ticked = list(features or []) or (None if not (description or "").strip() else [])
        situation = {"beschrijving": description or "", "kenmerken": ticked, "vertegenwoordiging": representation or None}
        typed = str(employees or "").strip().replace(".", "")
        if typed:
            situation["werknemers"] = int(typed) if re.fullmatch(r"-?\d+", typed) else typed
        return self._shown(*self.report_for(situation))

    def show_source(self, key: str, state: dict | None) -> str:
        """The passage of a card's source ``bron-rw-<report id>-<i>-<j>``, the quoted sentence marked."""
        parts = (key or "").split("|")[0].removeprefix("#").split("-")
        if len(parts) != 5 or parts[:2] != ["bron", "rw"]:
            return SOURCE_PLACEHOLDER
        source = (state or {}).get("sources", {}).get(f"{parts[3]}-{parts[4]}") \
            if (state or {}).get("id") == parts[2] else None
        if source is None:
            return ("<div class='passage-leeg'><p>Deze bron hoort bij een eerder overzicht. Klik opnieuw op "
                    "<strong>Toon de rechten</strong>.</p></div>")
        ctx = None
        try:
            ctx = passage_context(get_engine(self.settings).ensure_store(), source["chunk_id"])
        except StoreError:
            pass
        if ctx is not None and ctx.text != source["text"]:
            ctx = None
        return render.passage_html(source, ctx, [source["quote"]])

    def open_from_chat(self, key: str, turns: list[dict]):
        """A chat answer's "Bekijk de rechten …": the tab, filled in with that question's situation."""
        turn_id = (key or "").split("|")[0].removeprefix("#").removeprefix("rechtenwijzer-")
        turn = next((t for t in turns or [] if t["id"] == turn_id and t.get("rechtenwijzer")), None)
        if turn is None:
            return (gr.skip(),) * 11
        situation = turn["rechtenwijzer"]["situatie"]
        description = situation.get("beschrijving", "")
        features = [h.feature for h in infer_features(description) if h.feature in self.table.features]
        representation = situation.get("vertegenwoordiging") or "or"
        shown = self._shown(*self.report_for({**situation, "kenmerken": features,
                                              "vertegenwoordiging": representation}))
        return (gr.Tabs(selected=TAB_ID), description, features, representation, "",
                inferred_html(description, self.table), *shown, SOURCE_PLACEHOLDER)


CSS = """
/* Rechtenwijzer */
.rw-kop { font-size: 1.3em; font-weight: 700; margin: 0.2em 0 0.2em 0; }
.rw-uitleg, .rw-afgeleid, .rw-situatie { color: var(--body-text-color-subdued); margin: 0 0 0.5em 0; }
.rw-afgeleid:empty { display: none; }
.rw-leeg { color: var(--body-text-color-subdued); }
.rw-rapport, .rw-leeg, .rw-wijzer { text-align: left; }
.rw-groep { font-size: 1.1em; font-weight: 700; margin: 0.9em 0 0.4em 0; }
.recht-kaart { border: 1px solid var(--border-color-primary); border-left-width: 6px; border-radius: 8px;
  padding: 0.6em 0.9em; margin: 0 0 0.7em 0; background: var(--background-fill-primary); }
.recht-kaart.van-toepassing { border-left-color: #15803d; }
.recht-kaart.mogelijk { border-left-color: #b45309; }
.recht-kaart.niet { border-left-color: #64748b; }
.recht-kaart header { display: flex; flex-wrap: wrap; align-items: baseline; justify-content: space-between;
  gap: 0.4em; }
.recht-kaart h4 { font-size: 1.02em; font-weight: 700; margin: 0; }
.recht-status { font-size: 0.82em; font-weight: 700; padding: 0.1em 0.5em; border-radius: 999px;
  border: 1px solid currentColor; }
.van-toepassing .recht-status { color: #166534; }
.mogelijk .recht-status { color: #92400e; }
.niet .recht-status { color: #475569; }
.dark .van-toepassing .recht-status { color: #86efac; }
.dark .mogelijk .recht-status { color: #fcd34d; }
.dark .niet .recht-status { color: #cbd5e1; }
.recht-artikel { font-weight: 600; margin: 0.15em 0 0.35em 0; }
.recht-waarom, .recht-afhankelijk { margin: 0 0 0.4em 0; }
ul.recht-bronnen { list-style: none; padding-left: 0; margin: 0.3em 0; }
ul.recht-bronnen li { margin: 0 0 0.45em 0; }
blockquote.recht-citaat { margin: 0 0 0.1em 0; padding-left: 0.7em; border-left: 3px solid var(--border-color-primary);
  font-style: italic; }
.recht-kaart a.bron-link { font-size: 0.9em; color: var(--vb-link) !important; text-decoration: underline; }
.recht-soort { color: var(--body-text-color-subdued); }
button.rw-vraag { margin-top: 0.2em; text-align: left; }
.rw-voorbehoud { border-top: 1px solid var(--border-color-primary); margin-top: 0.8em; }
.rw-voorbehoud ul { font-size: 0.9em; padding-left: 1.2em; }
dl.rw-kenmerken-uitleg { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 0.8em; font-size: 0.9em;
  text-align: left; }
dl.rw-kenmerken-uitleg dt { font-weight: 600; }
dl.rw-kenmerken-uitleg dd { margin: 0; }
#rw-bron-kolom { position: sticky; top: 0.5em; align-self: flex-start; max-height: calc(100vh - 1em);
  overflow-y: auto; flex-wrap: nowrap !important; }
.rw-wijzer { border-left: 4px solid #15803d; background: rgba(21, 128, 61, 0.08); padding: 0.5em 0.8em;
  border-radius: 6px; margin-top: 0.6em; }
.rw-wijzer p { margin: 0 0 0.3em 0; }
a.rw-open { color: var(--vb-link) !important; font-weight: 600; }
"""

# The tab's part of the page script: a card's "Vraag de chat" puts its question in the chat and sends it; a chat
# answer's "Bekijk de rechten …" opens the tab with that situation (through a hidden textbox).
HEAD = """
<script>
(() => {
  const send = (id, key) => window.vraagbaakSend ? window.vraagbaakSend(id, key) : false;  // ui/assets.py
  document.addEventListener('click', (ev) => {
    const t = ev.target;
    if (!t || !t.closest) return;
    const ask = t.closest('button.rw-vraag');
    if (ask) {
      ev.preventDefault();
      const tab = Array.from(document.querySelectorAll('[role=tab]')).find((b) => b.textContent.trim() === 'Vragen');
      if (tab) tab.click();
      setTimeout(() => {
        const box = document.querySelector('#vraag textarea');
        if (!box) return;
        box.value = ask.dataset.vraag || '';
        box.dispatchEvent(new Event('input', { bubbles: true }));
        setTimeout(() => { const b = document.querySelector('#verstuur'); if (b) b.click(); }, 150);
      }, 150);
      return;
    }
    const open = t.closest('a[href^="#rechtenwijzer-"]');
    if (open) {
      ev.preventDefault();
      send('__OPEN__', open.getAttribute('href').slice(1));
    }
  }, true);
  // A source opened from a card: its passage is brought into view once the server has rendered it (the column
  // cannot stay in view by itself: the page container clips sticky positioning).
  let opened = false;
  document.addEventListener('click', (ev) => {
    const t = ev.target;
    opened = !!(t && t.closest && t.closest('a.bron-link[data-paneel="__PANEL__"]'));
  }, true);
  const follow = () => {
    const panel = document.getElementById('__PANEL__');
    if (!panel) { setTimeout(follow, 200); return; }
    new MutationObserver(() => {
      if (!opened) return;
      opened = false;
      const r = panel.getBoundingClientRect();
      if (r.top < 0 || r.top > window.innerHeight - 80) panel.scrollIntoView({ block: 'start' });
    }).observe(panel, { childList: true, subtree: true });
  };
  // The tab's source column scrolls on its own: reachable and named for keyboard users.
  const region = () => {
    const column = document.getElementById('rw-bron-kolom');
    if (!column) { setTimeout(region, 200); return; }
    column.tabIndex = 0; column.setAttribute('role', 'region'); column.setAttribute('aria-label', 'Bron bij de Rechtenwijzer');
  };
  const start = () => { region(); follow(); };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
</script>
""".replace("__OPEN__", OPEN_ID).replace("__PANEL__", PANEL_ID)

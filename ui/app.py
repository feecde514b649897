"""The page layout and its event wiring (gr.Blocks). Behaviour lives in ui.chat and ui.index_view; what runs in
the browser (clearing the question box, holding back a second question) in ui.assets.HEAD."""

from __future__ import annotations

import json

import gradio as gr

from ui import index_view, render
from ui.assets import PANEL_ID, PICK_ID, RATE_ID
from ui.chat import ChatService
from ui.conversation import conversation_html
from ui.feedback import FeedbackStore
from ui.rights_tab import RightsTab
from vraagbaak.settings import Settings

TITLE = "Vraagbaak AI & Werk"
EXAMPLES = [
    "Heeft de OR instemmingsrecht bij een AI-systeem dat werknemers volgt?",
    "Wat adviseert de SER over scholing van werknemers bij de inzet van AI?",
    "Wat is er in de raadsvergadering van 17 oktober 2024 besproken over AI?",
    "Hoe reageerde het kabinet op de SER-verkenning Mens en technologie?",
    "Welke rol moeten sociale partners spelen bij de invoering van AI op het werk?",
]
INTRO = (f"<h1>{TITLE}</h1><p>Stel een vraag over wat de SER zei, besloot of adviseerde over AI en werk. "
         "<span class='uitleg-lang'>Elk antwoord komt uit de documenten zelf, met bronvermelding: klik op een "
         "bronnummer om de passage te lezen.</span></p>")
SOURCES_HEAD = ("<div class='bron-kop'><h2>Bron in context</h2>"
                "<button type='button' class='actie bron-sluiten'>Sluiten</button></div>")
# Run in the browser before an ask event's inputs are sent (see ui.assets.HEAD).
START = "(...args) => window.vraagbaak.start(args)"
START_RETRY = "(...args) => window.vraagbaak.start(args, null, true)"
DONE = "() => { window.vraagbaak.done(); }"
# The export files were rewritten for this many answers (a new conversation: none).
EXPORTED = "(n) => { window.vraagbaak.exported(n); }"
EXPORTED_EMPTY = "() => { window.vraagbaak.exported(0); }"


def start_example(question: str) -> str:
    return f"(...args) => window.vraagbaak.start(args, {json.dumps(question)})"


def build_app(settings: Settings, feedback: FeedbackStore | None = None) -> gr.Blocks:
    """The chat page for ``settings`` (works without an index: it then explains how to build one)."""
    feedback = feedback or FeedbackStore(settings.feedback_db)
    chat = ChatService(settings, feedback)
    rights_tab = RightsTab(settings)
    view = index_view.current(settings)

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.HTML(INTRO, elem_id="kop", apply_default_css=False)
        status = gr.HTML(view.status_html, visible=not view.ok, elem_id="index-status")
        with gr.Row():
            build_btn = gr.Button("Index nu bouwen", variant="primary", visible=not view.ok, scale=0, min_width=240,
                                  elem_id="index-bouwen")
        build_log = gr.Textbox(label="Verslag van het inlezen", lines=8, visible=False, interactive=False,
                               elem_id="inleesverslag")
        turns = gr.State([])

        with gr.Tabs() as tabs:
            with gr.Tab("Vragen", id="vragen"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=300):
                        conversation = gr.HTML(conversation_html([]), elem_id="gesprek", apply_default_css=False)
                        with gr.Row(equal_height=True, elem_id="invoer"):
                            question = gr.Textbox(show_label=False, label="Vraag", elem_id="vraag", lines=1,
                                                  max_lines=5, scale=5, autofocus=True,
                                                  placeholder="Stel je vraag over AI en werk…")
                            send = gr.Button("Vraag", variant="primary", scale=1, min_width=80, elem_id="verstuur")
                        with gr.Row(elem_id="gesprek-knoppen"):
                            retry = gr.Button("Opnieuw", size="sm", elem_id="opnieuw", min_width=100)
                            new = gr.Button("Nieuw gesprek", size="sm", elem_id="nieuw-gesprek", min_width=120)
                            export_md = gr.DownloadButton("Exporteer gesprek", size="sm", interactive=False,
                                                          elem_id="exporteer", min_width=150)
                            export_pdf = gr.DownloadButton("Als PDF", size="sm", interactive=False,
                                                           elem_id="exporteer-pdf", min_width=90)
                        with gr.Column(elem_id="voorbeelden"):
                            gr.HTML("<h2 class='klein'>Voorbeeldvragen</h2>", apply_default_css=False)
                            example_buttons = [gr.Button(q, size="sm", elem_classes="voorbeeld") for q in EXAMPLES]
                        with gr.Accordion("Filters: documenten, soort en periode", open=False):
                            docs = gr.Dropdown(choices=view.doc_choices, multiselect=True, label="Documenten",
                                               info="Leeg = alle documenten")
                            doc_types = gr.CheckboxGroup(choices=view.type_choices, label="Soort document",
                                                         info="Niets aangevinkt = alle soorten")
                            with gr.Row():
                                date_from = gr.Textbox("", label="Vanaf", placeholder="bijv. 2021 of 2021-11-19")
                                date_to = gr.Textbox("", label="Tot en met", placeholder="bijv. 2024 of 2024-12-31")
                    with gr.Column(scale=2, min_width=300, elem_id="bron-kolom"):
                        gr.HTML(SOURCES_HEAD, apply_default_css=False)
                        panel = gr.HTML(render.PLACEHOLDER, elem_id=PANEL_ID, label="bron", show_label=False,
                                        apply_default_css=False)
            with gr.Tab("Rechtenwijzer", id="rechtenwijzer"):
                rights_tab.build()
            with gr.Tab("Documenten", id="documenten"):
                gr.Markdown("De documenten in de index, met hoe ze zijn opgedeeld en wanneer ze zijn ingelezen.")
                documents = gr.HTML(render.documents_html(view.documents), elem_id="documenten",
                                    apply_default_css=False)
                with gr.Row():
                    refresh = gr.Button("Vernieuwen", size="sm", scale=0, min_width=140)
        pick = gr.Textbox(visible="hidden", elem_id=PICK_ID, label="bron")
        rating = gr.Textbox(visible="hidden", elem_id=RATE_ID, label="beoordeling")
        exported_for = gr.Textbox(visible="hidden", elem_id="export-aantal", label="export")
        rights_tab.wire(tabs, turns)

        filters = [docs, doc_types, date_from, date_to]
        shown = [conversation, question, turns]
        answering = dict(concurrency_limit=settings.concurrency, concurrency_id="antwoord", show_progress="hidden")

        def then_finish(event):
            """After an answer the page takes questions again, and the exports are brought up to date."""
            event.then(None, None, None, js=DONE, api_visibility="private")
            # always_last: an answer that finishes while the previous answer's files are still being written
            # gets its own export right after (the default would drop it).
            event.then(chat.exports_for, turns, [export_md, export_pdf, exported_for], api_visibility="private",
                       concurrency_limit=None, trigger_mode="always_last").then(
                None, exported_for, None, js=EXPORTED, api_visibility="private")
            return event

        asks = [then_finish(gr.on([question.submit, send.click], chat.respond, [question, turns, *filters], shown,
                                  js=START, api_name="vraag", **answering))]
        for button, text in zip(example_buttons, EXAMPLES):
            asks.append(then_finish(button.click(chat.respond, [question, turns, *filters], shown,
                                                 js=start_example(text), api_visibility="private", **answering)))
        asks.append(then_finish(retry.click(chat.retry, [turns, *filters], shown, js=START_RETRY,
                                            api_name="opnieuw", **answering)))
        new.click(chat.clear, None, [conversation, turns, panel, export_md, export_pdf], cancels=asks, js=DONE,
                  api_name="nieuw_gesprek", concurrency_limit=None).then(None, None, None, js=EXPORTED_EMPTY,
                                                                          api_visibility="private")
        rating.change(chat.rate, [rating, turns], None, api_visibility="private", concurrency_limit=None)
        pick.change(chat.show_source, [pick, turns], panel, api_visibility="private", concurrency_limit=None,
                    show_progress="minimal")

        page = [status, build_btn, build_log, documents, docs, doc_types]

        def refresh_page():
            return index_view.page_updates(index_view.current(settings))

        def refresh_after_build():  # everything but the build log, which keeps the ingest report
            status_u, button_u, _, *rest = refresh_page()
            return status_u, button_u, *rest

        def start_build():
            return (gr.update(interactive=False, value="Bezig met bouwen…"),
                    gr.update(visible=True, value="De documenten worden ingelezen; dit kan enkele minuten duren."))

        def build_index(request: gr.Request, progress=gr.Progress(track_tqdm=True)):
            return gr.update(value=index_view.build_from_page(settings, request, progress), visible=True)

        demo.load(refresh_page, None, page, api_visibility="private", concurrency_limit=None)
        refresh.click(refresh_page, None, page, api_visibility="private", concurrency_limit=None)
        if not view.ok:  # with an index there is no build event at all (no fn_index to call)
            build_btn.click(start_build, None, [build_btn, build_log], api_visibility="private", queue=False).then(
                build_index, None, build_log, api_visibility="private", concurrency_limit=1).then(
                refresh_after_build, None, page[:2] + page[3:], api_visibility="private")
    return demo

"""The page layout and its event wiring (gr.Blocks). Behaviour lives in ui.chat and ui.index_view."""

from __future__ import annotations

import gradio as gr

from ui import index_view, render
from ui.assets import PANEL_ID, PICK_ID
from ui.chat import ChatService
from ui.feedback import FeedbackStore
from vraagbaak.settings import Settings

TITLE = "Vraagbaak AI & Werk"
EXAMPLES = [
    "Heeft de OR instemmingsrecht bij een AI-systeem dat werknemers volgt?",
    "Wat adviseert de SER over scholing van werknemers bij de inzet van AI?",
    "Wat is er in de raadsvergadering van 17 oktober 2024 besproken over AI?",
    "Hoe reageerde het kabinet op de SER-verkenning Mens en technologie?",
    "Welke rol moeten sociale partners spelen bij de invoering van AI op het werk?",
]
INTRO = (f"# {TITLE}\n"
         "Stel een vraag over wat de SER zei, besloot of adviseerde over AI en werk. Elk antwoord komt uit de "
         "documenten zelf, met bronvermelding: klik op een bronnummer om de passage te lezen.")
CHAT_PLACEHOLDER = ("**Stel hieronder je vraag**, of kies een voorbeeldvraag. Je kunt doorvragen: "
                    "een vervolgvraag gebruikt het gesprek tot nu toe.")


def build_app(settings: Settings, feedback: FeedbackStore | None = None) -> gr.Blocks:
    """The chat page for ``settings`` (works without an index: it then explains how to build one)."""
    feedback = feedback or FeedbackStore(settings.feedback_db)
    chat = ChatService(settings, feedback)
    view = index_view.current(settings)

    with gr.Blocks(title=TITLE, analytics_enabled=False) as demo:
        gr.Markdown(INTRO, elem_id="kop")
        status = gr.HTML(view.status_html, visible=not view.ok, elem_id="index-status")
        with gr.Row():
            build_btn = gr.Button("Index nu bouwen", variant="primary", visible=not view.ok, scale=0, min_width=240,
                                  elem_id="index-bouwen")
        build_log = gr.Textbox(label="Verslag van het inlezen", lines=8, visible=False, interactive=False,
                               elem_id="inleesverslag")
        turns = gr.State([])

        with gr.Tabs():
            with gr.Tab("Vragen", id="vragen"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        chatbot = gr.Chatbot(label="Gesprek", height=560, elem_id="gesprek",
                                             placeholder=CHAT_PLACEHOLDER, latex_delimiters=[],
                                             buttons=["copy"], sanitize_html=True)
                        with gr.Row(equal_height=True):
                            question = gr.Textbox(show_label=False, label="Vraag", elem_id="vraag", lines=1,
                                                  max_lines=5, scale=5, autofocus=True,
                                                  placeholder="Stel je vraag over AI en werk…")
                            send = gr.Button("Vraag", variant="primary", scale=1, min_width=90, elem_id="verstuur")
                        with gr.Row():
                            retry = gr.Button("Opnieuw", size="sm", elem_id="opnieuw")
                            new = gr.Button("Nieuw gesprek", size="sm", elem_id="nieuw-gesprek")
                        with gr.Accordion("Filters: documenten, soort en periode", open=False):
                            docs = gr.Dropdown(choices=view.doc_choices, multiselect=True, label="Documenten",
                                               info="Leeg = alle documenten")
                            doc_types = gr.CheckboxGroup(choices=view.type_choices, label="Soort document",
                                                         info="Niets aangevinkt = alle soorten")
                            with gr.Row():
                                date_from = gr.Textbox("", label="Vanaf", placeholder="bijv. 2021 of 2021-11-19")
                                date_to = gr.Textbox("", label="Tot en met", placeholder="bijv. 2024 of 2024-12-31")
                        gr.Examples(examples=[[q] for q in EXAMPLES], inputs=[question], label="Voorbeeldvragen")
                    with gr.Column(scale=2, min_width=320, elem_id="bron-kolom"):
                        gr.Markdown("### Bron in context")
                        panel = gr.HTML(render.PLACEHOLDER, elem_id=PANEL_ID, label="bron", show_label=False)
            with gr.Tab("Documenten", id="documenten"):
                gr.Markdown("De documenten in de index, met hoe ze zijn opgedeeld en wanneer ze zijn ingelezen.")
                documents = gr.HTML(render.documents_html(view.documents), elem_id="documenten")
                with gr.Row():
                    refresh = gr.Button("Vernieuwen", size="sm", scale=0, min_width=140)
        pick = gr.Textbox(visible="hidden", elem_id=PICK_ID, label="bron")

        filters = [docs, doc_types, date_from, date_to]
        gr.on([question.submit, send.click], chat.respond, [question, chatbot, turns, *filters],
              [chatbot, question, turns], api_name="vraag", concurrency_limit=settings.concurrency)
        gr.on([retry.click, chatbot.retry], chat.retry, [chatbot, turns, *filters], [chatbot, question, turns],
              api_name="opnieuw", concurrency_limit=settings.concurrency)
        gr.on([new.click, chatbot.clear], chat.clear, None, [chatbot, question, turns, panel],
              api_name="nieuw_gesprek", concurrency_limit=None)
        chatbot.like(chat.like, [turns], None, api_visibility="private", concurrency_limit=None)
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

        def build_index(progress=gr.Progress(track_tqdm=True)):
            return gr.update(value=index_view.build(settings, progress), visible=True)

        demo.load(refresh_page, None, page, api_visibility="private", concurrency_limit=None)
        refresh.click(refresh_page, None, page, api_visibility="private", concurrency_limit=None)
        build_btn.click(start_build, None, [build_btn, build_log], api_visibility="private", queue=False).then(
            build_index, None, build_log, api_visibility="private", concurrency_limit=1).then(
            refresh_after_build, None, page[:2] + page[3:], api_visibility="private")
    return demo

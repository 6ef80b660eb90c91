"""The Gradio chat: question box, multi-turn chat, and a "Bronnen" panel for the latest answer.

API (`gradio_client.Client(url).predict(question, api_name="/chat")`):
  input   question: str. The session's earlier turns are kept in server-side state (one
          history per client session) and passed to `ask` as (question, answer-text) pairs.
  output  a tuple of 3:
          [0] chat: the whole session as Gradio 6 messages, each {"role": "user"|"assistant",
              "content": [{"type": "text", "text": str}], "metadata": None, "options": None}
              (Markdown; markers are links `[[n]](#bron-<turn>-<n>)`, text is HTML-escaped);
          [1] sources: str, the HTML of the "Bronnen" panel;
          [2] answer: dict, `Answer.as_json()`: question, answer, refused, seconds, citations
              (each: n, source, title, date, page, char_start, char_end, quote, score,
              verified, context_before, context_after), answerer, sentences, notice,
              query, related (a refusal's closest passages, shaped like citations). If
              `ask` fails: answer is the Dutch error text, citations is empty and
              "error" is set. An empty question changes nothing.

In the browser the chat streams (ui/chat_flow.py): the question shows at once, generated text
appears as it comes, and questions sent meanwhile wait their turn.
"""

from __future__ import annotations

from collections.abc import Callable

import gradio as gr

from ui import render
from ui.chat_flow import Ask, make_answer_next, make_chat, send
from ui.staff_tabs import add_staff_tabs
from ui.styles import COPY_JS, DUTCH_LABELS_JS, MARKER_JS, SOURCES_CSS


def create_app(
    ask: Ask,
    *,
    title: str = "Vraagbaak",
    find: Callable | None = None,
    documents: Callable | None = None,
    original: Callable | None = None,
    about: str = "",
    examples: list[str] | None = None,
    admin=None,
    page_images: Callable | None = None,
    current_version: Callable[[str], str | None] | None = None,
    open_passage: Callable | None = None,
) -> gr.Blocks:
    """The chat around `ask(question, history) -> Answer` (see the module docstring); with
    `find`/`documents`/`original`, also the staff tabs (exact wording, document library).
    `about` (what the collection holds) and `examples` (questions) show on the empty chat;
    `admin` (ui/admin.py `AdminActions`) adds the "Beheer" tab. `current_version(source)`
    (its indexed version) marks citations of an older version; `open_passage(source, start,
    end, version)` (rag/cited.py) lets staff open a citation again, also of an older version."""
    chat = make_chat(ask, current_version)
    answer_next = make_answer_next(ask, current_version)
    placeholder = "\n\n".join(x for x in (render.escape_text(about),
                                           "Nog geen vragen gesteld.") if x)
    with gr.Blocks(title=title, analytics_enabled=False) as app:
        gr.Markdown(f"# {render.escape_text(title)}\nStel een vraag over de documenten. Elk "
                    "antwoord noemt zijn bronnen; klik op een nummer zoals [1] om de passage "
                    "te zien.")
        with gr.Tabs():
            with gr.Tab("Vraag"):
                state = gr.State([])
                asked = gr.State([])
                scope = gr.State([])
                note = (gr.Markdown("Vragen gaan over alle documenten.", elem_id="vb-scope")
                        if find is not None else None)
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        chatbot = gr.Chatbot(label="Gesprek", elem_id="vb-chat", height=520,
                                             buttons=["copy"], feedback_options=None,
                                             placeholder=placeholder)
                        with gr.Row():
                            question = gr.Textbox(placeholder="Stel een vraag…", show_label=False,
                                                  label="Vraag", scale=5, autofocus=True,
                                                  container=False, elem_id="vb-vraag")
                            send_button = gr.Button("Vraag", variant="primary", scale=1,
                                                    min_width=90, elem_id="vb-verstuur")
                        if examples:
                            gr.Examples(examples=[[x] for x in examples], inputs=[question],
                                        label="Voorbeeldvragen (klik om over te nemen)")
                    with gr.Column(scale=2, min_width=300):
                        sources = gr.HTML(render.render_sources(None), label="Bronnen",
                                          show_label=True, container=True, padding=True,
                                          max_height=640,
                                          elem_id="vb-bronnen", css_template=SOURCES_CSS,
                                          js_on_load=MARKER_JS + DUTCH_LABELS_JS + COPY_JS)
                with gr.Accordion("Technische details (JSON)", open=False):
                    answer_json = gr.JSON(label="Antwoord als JSON", elem_id="vb-json")

            if find is not None:
                add_staff_tabs(find, documents, original, scope=scope, note=note,
                               page_images=page_images, open_passage=open_passage)
            if admin is not None and documents is not None:
                from ui.admin_tab import add_admin_tab

                add_admin_tab(admin, documents)

        outputs = [chatbot, sources, answer_json, state]
        # the API: one call per question (hidden button; the page uses the two steps below)
        api = gr.Button(visible=False)
        api.click(chat, [question, state, scope], outputs, api_name="chat")
        for trigger in (send_button.click, question.submit):
            trigger(send, [question, state, asked], [question, chatbot, asked], queue=False,
                    show_progress="hidden", api_visibility="private",
                    trigger_mode="multiple").then(
                answer_next, [state, asked, scope], outputs, show_progress="hidden",
                api_visibility="private", trigger_mode="multiple")
        chatbot.clear(lambda: ([], [], render.render_sources(None), None), None,
                      [state, asked, sources, answer_json], api_visibility="private")
    return app

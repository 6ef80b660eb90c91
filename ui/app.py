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
              verified, context_before, context_after). If `ask` fails: answer is the Dutch
              error text, citations is empty and "error" is set. An empty question changes
              nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import gradio as gr

from rag.types import Answer
from ui import render
from ui.staff_tabs import add_staff_tabs
from ui.styles import MARKER_JS, SOURCES_CSS
from vectorstore.records import Filters

log = logging.getLogger(__name__)

Ask = Callable[..., Answer]  # ask(question, history[, filters=Filters]) -> Answer
Turn = dict  # {"question", "answer", "message", "error"?}: one turn of the session state

def _history(state: list[Turn]) -> list[tuple[str, str]]:
    """Earlier turns as (standalone question, answer text): a follow-up of a follow-up keeps
    the topic."""
    return [(t.get("query") or t["question"], t["answer"]) for t in state if not t.get("error")]


def _messages(state: list[Turn]) -> list[dict]:
    out: list[dict] = []
    for t in state:
        out.append({"role": "user", "content": render.escape_text(t["question"])})
        out.append({"role": "assistant", "content": t["message"]})
    return out


def make_chat(ask: Ask) -> Callable:
    """The `/chat` callback: (question, state, scope) -> (chat, sources HTML, answer JSON,
    state). With chosen sources in `scope`, `ask` gets `filters=` restricting retrieval to
    them."""

    def chat(question: str, state: list[Turn] | None, scope: list[str] | None = None):
        state = list(state or [])
        question = (question or "").strip()
        if not question:  # nothing to ask: leave everything as it is
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        turn = len(state) + 1
        try:
            if scope:
                answer = ask(question, _history(state), filters=Filters(sources=scope))
            else:
                answer = ask(question, _history(state))
        except Exception:
            log.exception("ask failed for question %r", question)
            state.append({"question": question, "answer": "", "message": render.ERROR_MESSAGE,
                          "error": True})
            data = Answer(question=question, answer=render.ERROR_MESSAGE).as_json()
            data["error"] = "Het beantwoorden is mislukt."
            return _messages(state), render.render_note(render.ERROR_NOTE), data, state
        message = render.render_message(answer, turn)
        state.append({"question": question, "answer": answer.answer, "message": message,
                      "query": answer.query})
        return _messages(state), render.render_sources(answer, turn), answer.as_json(), state

    return chat


def create_app(
    ask: Ask,
    *,
    title: str = "Vraagbaak",
    find: Callable | None = None,
    documents: Callable | None = None,
    original: Callable | None = None,
) -> gr.Blocks:
    """The chat around `ask(question, history) -> Answer` (see the module docstring); with
    `find`/`documents`/`original`, also the staff tabs (exact wording, document library)."""
    chat = make_chat(ask)
    with gr.Blocks(title=title, analytics_enabled=False) as app:
        gr.Markdown(f"# {render.escape_text(title)}\nStel een vraag over de documenten. Elk "
                    "antwoord noemt zijn bronnen; klik op een nummer zoals [1] om de passage "
                    "te zien.")
        with gr.Tabs():
            with gr.Tab("Vraag"):
                state = gr.State([])
                scope = gr.State([])
                note = (gr.Markdown("Vragen gaan over alle documenten.", elem_id="vb-scope")
                        if find is not None else None)
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=360):
                        chatbot = gr.Chatbot(label="Gesprek", elem_id="vb-chat", height=520,
                                             buttons=["copy"], feedback_options=None,
                                             placeholder="Nog geen vragen gesteld.")
                        with gr.Row():
                            question = gr.Textbox(placeholder="Stel een vraag…", show_label=False,
                                                  label="Vraag", scale=5, autofocus=True,
                                                  container=False, elem_id="vb-vraag")
                            send = gr.Button("Vraag", variant="primary", scale=1, min_width=90,
                                             elem_id="vb-verstuur")
                    with gr.Column(scale=2, min_width=300):
                        sources = gr.HTML(render.render_sources(None), label="Bronnen",
                                          show_label=True, container=True, padding=True,
                                          max_height=640,
                                          elem_id="vb-bronnen", css_template=SOURCES_CSS,
                                          js_on_load=MARKER_JS)
                with gr.Accordion("Technische details (JSON)", open=False):
                    answer_json = gr.JSON(label="Antwoord als JSON", elem_id="vb-json")

            if find is not None:
                add_staff_tabs(find, documents, original, scope=scope, note=note)

        outputs = [chatbot, sources, answer_json, state]
        send.click(chat, [question, state, scope], outputs, api_name="chat").then(
            lambda: "", None, question, api_visibility="private")
        question.submit(chat, [question, state, scope], outputs,
                        api_visibility="private").then(
            lambda: "", None, question, api_visibility="private")
        chatbot.clear(lambda: ([], render.render_sources(None), None), None,
                      [state, sources, answer_json], api_visibility="private")
    return app

"""The chat's event handlers, apart from the layout (ui/app.py).

In the browser a question takes two steps: `send` (immediate, not queued) puts it in the chat
with a Dutch "bezig" line and empties the box; `answer_next` (queued, one at a time per
session) answers the oldest waiting question, streaming generated text into the chat, then
shows the grounded answer and its sources. A question sent while another is being answered
waits its turn; text typed meanwhile is never wiped. The `/chat` API (`make_chat`) answers in
one call, for scripts.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator

import gradio as gr

from rag.types import Answer
from ui import render
from vectorstore.records import Filters

log = logging.getLogger(__name__)

Ask = Callable[..., Answer]  # ask(question, history[, filters=, on_token=]) -> Answer
Current = Callable[[str], str | None] | None  # source -> its indexed version (short), or None
Turn = dict  # {"question", "answer", "message", "query"?, "error"?}: one answered turn

MAX_QUESTION_CHARS = 1000
TOO_LONG = (f"Uw vraag is te lang (meer dan {MAX_QUESTION_CHARS} tekens). Stel een korte vraag; "
            "plak geen hele teksten.")
BUSY = "*Bezig met zoeken …*"
WAITING = "*Wacht op de vorige vraag …*"


def history(state: list[Turn]) -> list[tuple[str, str]]:
    """Earlier turns as (standalone question, answer text): a follow-up of a follow-up keeps
    the topic."""
    return [(t.get("query") or t["question"], t["answer"]) for t in state if not t.get("error")]


def messages(state: list[Turn], pending: list[str] | None = None,
             partial: str = "") -> list[dict]:
    """The chat: answered turns, then the waiting questions (the first with the text
    generated so far, if any)."""
    out: list[dict] = []
    for t in state:
        out.append({"role": "user", "content": render.escape_text(t["question"])})
        out.append({"role": "assistant", "content": t["message"]})
    for i, q in enumerate(pending or []):
        out.append({"role": "user", "content": render.escape_text(q)})
        busy = f"{render.escape_text(partial)} …" if partial else BUSY
        out.append({"role": "assistant", "content": busy if i == 0 else WAITING})
    return out


def _ask(ask: Ask, question: str, state: list[Turn], scope: list[str] | None,
         on_token: Callable[[str], None] | None = None) -> Answer:
    kwargs = {"filters": Filters(sources=scope)} if scope else {}
    if on_token is not None:
        kwargs["on_token"] = on_token
    return ask(question, history(state), **kwargs)


def _too_long(question: str) -> Answer | None:
    """A refusal for a question over MAX_QUESTION_CHARS (never sent to retrieval or a model)."""
    if len(question) <= MAX_QUESTION_CHARS:
        return None
    return Answer(question=question[:200] + " …", answer=TOO_LONG, refused=True)


def _turn(question: str, state: list[Turn], answer: Answer | None,
          current: Current = None) -> tuple[Turn, str, dict]:
    """The answered turn, the sources HTML and the answer JSON (or the error turn)."""
    if answer is None:
        data = Answer(question=question, answer=render.ERROR_MESSAGE).as_json()
        data["error"] = "Het beantwoorden is mislukt."
        return ({"question": question, "answer": "", "message": render.ERROR_MESSAGE,
                 "error": True}, render.render_note(render.ERROR_NOTE), data)
    n = len(state) + 1
    turn = {"question": question, "answer": answer.answer, "query": answer.query,
            "message": render.render_message(answer, n)}
    return turn, render.render_sources(answer, n, current), answer.as_json()


def make_chat(ask: Ask, current: Current = None) -> Callable:
    """The `/chat` API: (question, state, scope) -> (chat, sources HTML, answer JSON, state),
    in one call. With chosen sources in `scope`, retrieval is restricted to them. `current`
    marks citations of a version that is no longer the indexed one."""

    def chat(question: str, state: list[Turn] | None, scope: list[str] | None = None):
        state = list(state or [])
        question = (question or "").strip()
        if not question:  # nothing to ask: leave everything as it is
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        answer = _too_long(question)
        if answer is not None:
            question = answer.question
        else:
            try:
                answer = _ask(ask, question, state, scope)
            except Exception:
                log.exception("ask failed for question %r", question[:200])
                answer = None
        turn, sources, data = _turn(question, state, answer, current)
        state.append(turn)
        return messages(state), sources, data, state

    return chat


def send(question: str, state: list[Turn] | None, asked: list[str] | None):
    """Step 1 (immediate): the question into the chat, the box emptied. `asked` holds every
    question of the session in order (appended in place, so an answer being streamed sees it);
    the first `len(state)` of them are answered."""
    question = (question or "").strip()
    if not question:
        return gr.skip(), gr.skip(), gr.skip()
    if len(question) > MAX_QUESTION_CHARS:  # shown shortened; answered with TOO_LONG
        question = question[: MAX_QUESTION_CHARS + 1]
    asked = asked if asked is not None else []
    asked.append(question)
    state = list(state or [])
    return "", messages(state, asked[len(state):]), asked


def make_answer_next(ask: Ask, current: Current = None) -> Callable[..., Iterator]:
    """Step 2 (queued, one per send): answer the oldest waiting question, streaming."""

    def answer_next(state: list[Turn] | None, asked: list[str] | None,
                    scope: list[str] | None = None):
        state, asked = list(state or []), asked if asked is not None else []
        if len(asked) <= len(state):
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip()
            return
        question = asked[len(state)]
        refused = _too_long(question)
        if refused is not None:
            turn, sources, data = _turn(refused.question, state, refused)
            state.append(turn)
            yield messages(state, asked[len(state):]), sources, data, state
            return
        tokens: queue.Queue = queue.Queue()
        result: dict = {}

        def run() -> None:
            try:
                result["answer"] = _ask(ask, question, state, scope, on_token=tokens.put)
            except Exception:
                log.exception("ask failed for question %r", question)
            finally:
                tokens.put(None)

        threading.Thread(target=run, daemon=True).start()
        text = ""
        while (piece := tokens.get()) is not None:
            text += piece
            yield messages(state, asked[len(state):], text), gr.skip(), gr.skip(), gr.skip()
        turn, sources, data = _turn(question, state, result.get("answer"), current)
        state.append(turn)
        yield messages(state, asked[len(state):]), sources, data, state

    return answer_next

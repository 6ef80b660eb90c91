"""The `/chat` API of the Gradio app, called through gradio_client on a loopback port."""

from __future__ import annotations

import pytest

from tests.ui_server import FAIL_WORD, LETTER, QUOTES, REFUSE_WORD, RELATED_WORD, running_app

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def served():
    if not LETTER.exists():
        pytest.fail(f"corpus file missing: {LETTER}")
    with running_app() as (url, ask):
        yield url, ask


def _text(message: dict) -> str:
    return "".join(part["text"] for part in message["content"] if part.get("type") == "text")


def test_chat_api_returns_citations(served):
    from gradio_client import Client

    url, ask = served
    client = Client(url, verbose=False)
    chat, sources, data = client.predict("Wat vraagt het sociaal werk?", api_name="/chat")

    text = LETTER.read_text(encoding="utf-8")
    assert [c["quote"] for c in data["citations"]] == QUOTES
    for c in data["citations"]:
        assert c["source"] == str(LETTER)
        assert text[c["char_start"]:c["char_end"]] == c["quote"]
        assert c["verified"] is True
    assert data["refused"] is False
    assert [m["role"] for m in chat] == ["user", "assistant"]
    assert "[[1]](#bron-1-1)" in _text(chat[1])
    assert "&lt;i&gt;Let op&lt;/i&gt;" in _text(chat[1])
    assert f"<mark>{QUOTES[0]}</mark>" in sources

    # The same client session keeps its history: the second call passes turn 1 to `ask`.
    first_answer = data["answer"]
    chat, _, data = client.predict("En verder?", api_name="/chat")
    assert len(chat) == 4 and "#bron-2-1" in _text(chat[3])
    assert ask.calls[-1] == ("En verder?", [("Wat vraagt het sociaal werk?", first_answer)])


def test_chat_api_refusal_and_error(served):
    from gradio_client import Client

    client = Client(served[0], verbose=False)
    chat, sources, data = client.predict(f"Kun je {REFUSE_WORD}?", api_name="/chat")
    assert data["refused"] is True and data["citations"] == []
    assert "Geen bronnen: de documenten geven hier geen antwoord op." in sources
    assert data["related"] == []

    # a refusal with the passages closest to the question: shown, and said to be no answer
    chat, sources, data = client.predict(f"Iets {RELATED_WORD}s?", api_name="/chat")
    assert data["refused"] is True and data["citations"] == []
    assert [r["quote"] for r in data["related"]] == [QUOTES[0]]
    assert f"<mark>{QUOTES[0]}</mark>" in sources and "Geen antwoord gevonden" in sources
    assert "geen antwoord geven" in _text(chat[-1])

    chat, sources, data = client.predict(f"{FAIL_WORD} maar", api_name="/chat")
    assert data["citations"] == [] and data["error"]
    assert "het beantwoorden van de laatste vraag is mislukt" in sources
    assert _text(chat[-1]).startswith("Er ging iets mis")
    assert "stacktrace" not in _text(chat[-1]) and "Traceback" not in _text(chat[-1])

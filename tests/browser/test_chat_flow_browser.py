"""The chat as people use it, in headless Chromium: the question shows at once, generated
text streams in, a question sent meanwhile waits its turn, typed text is never wiped, the busy
state is Dutch, and the empty chat shows what the collection holds with example questions."""

from __future__ import annotations

import pytest

from tests.ui_server import SLOW_WORD, STREAM_WORD, running_app

pytestmark = pytest.mark.browser

ABOUT = "Deze vraagbaak bevat 2 documenten over de verkiezingen van 2021."
EXAMPLES = ["Wat vraagt het sociaal werk aan Rutte?", "Waarom doet Rutte geen beloften?"]


def _page(browser, url):
    context = browser.new_context(locale="nl-NL", viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="load")
    return context, page


def _bots(page):
    return page.locator('#vb-chat [data-testid="bot"]')


def test_question_shows_at_once_streams_and_queues(browser):
    with running_app(about=ABOUT, examples=EXAMPLES) as (url, ask):
        ask.delay = 0.4
        context, page = _page(browser, url)
        box = page.get_by_placeholder("Stel een vraag…")

        box.fill(f"Een {STREAM_WORD} vraag over het sociaal werk?")
        box.press("Enter")
        # the question is in the chat while the answer is still being made, in Dutch
        page.wait_for_selector('#vb-chat [data-testid="user"]', timeout=3_000)
        assert "sociaal werk" in page.locator('#vb-chat [data-testid="user"]').first.inner_text()
        assert box.input_value() == ""
        page.wait_for_function(
            "() => [...document.querySelectorAll('#vb-chat [data-testid=\"bot\"]')]"
            ".some(b => b.innerText.includes('Dit antwoord komt'))", timeout=10_000)
        streamed = _bots(page).last.inner_text()
        assert "Dit antwoord komt" in streamed and "Investeren" not in streamed  # partial

        # a second question with Enter while the first is answered: it waits, it is not lost
        box.fill(f"Een {SLOW_WORD} tweede vraag?")
        box.press("Enter")
        page.wait_for_function(
            "() => document.querySelectorAll('#vb-chat [data-testid=\"user\"]').length == 2",
            timeout=3_000)
        # text typed meanwhile survives both answers landing
        box.fill("half getypt")
        page.wait_for_function(
            "() => [...document.querySelectorAll('#vb-chat [data-testid=\"bot\"]')]"
            ".filter(b => b.innerText.includes('Investeren in mensen')).length == 2",
            timeout=30_000)
        assert box.input_value() == "half getypt"
        assert [q for q, _ in ask.calls] == [f"Een {STREAM_WORD} vraag over het sociaal werk?",
                                              f"Een {SLOW_WORD} tweede vraag?"]
        assert len(ask.calls[1][1]) == 1  # the second question saw the first as history
        body = page.locator("body").inner_text()
        assert "processing" not in body.lower()
        labels = page.evaluate("() => [...document.querySelectorAll('[aria-label]')]"
                               ".map(e => e.getAttribute('aria-label'))")
        english = [x for x in labels if x in ("Clear", "Copy message", "chatbot conversation")
                   or x.startswith(("bot's message", "user's message"))]
        assert not english and "Gesprek wissen" in labels
        context.close()


def test_the_empty_chat_says_what_it_holds_and_offers_examples(browser):
    with running_app(about=ABOUT, examples=EXAMPLES) as (url, ask):
        context, page = _page(browser, url)
        assert ABOUT in page.locator("#vb-chat").inner_text()
        page.get_by_text(EXAMPLES[0], exact=True).first.click()
        box = page.get_by_placeholder("Stel een vraag…")
        page.wait_for_function(
            f"() => document.querySelector('#vb-vraag textarea').value == {EXAMPLES[0]!r}",
            timeout=3_000)
        box.press("Enter")
        page.wait_for_selector("#vb-bronnen mark", timeout=15_000)
        assert ask.calls[-1][0] == EXAMPLES[0]
        context.close()

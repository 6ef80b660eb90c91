"""The chat in headless Debian Chromium: answer, highlighted quote, clickable marker, offline."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import is_local
from tests.ui_server import LETTER, QUOTES, RELATED_WORD, running_app

pytestmark = pytest.mark.browser

SCREENSHOT = Path("/tmp/vraagbaak_chat.png")


def test_chat_shows_answer_sources_and_marker_link(browser):
    if not LETTER.exists():
        pytest.fail(f"corpus file missing: {LETTER}")
    with running_app() as (url, ask):
        context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 900})
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(url, wait_until="load")

        page.get_by_placeholder("Stel een vraag…").fill("Wat vraagt het sociaal werk?")
        page.get_by_role("button", name="Vraag", exact=True).click()
        page.wait_for_selector("#vb-bronnen mark", timeout=30_000)

        bot = page.locator('#vb-chat [data-testid="bot"]').last
        assert "Sociaal werkers maakten in coronatijd het verschil" in bot.inner_text()
        assert "<i>Let op</i>" in bot.inner_text()  # shown literally, not as HTML
        marks = page.locator("#vb-bronnen mark")
        assert [marks.nth(i).inner_text() for i in range(marks.count())] == QUOTES
        assert page.get_by_placeholder("Stel een vraag…").input_value() == ""
        assert ask.calls == [("Wat vraagt het sociaal werk?", [])]

        link = bot.locator('a[href="#bron-1-2"]')
        assert link.inner_text() == "[2]"
        link.click()
        target = page.locator("#bron-1-2")
        page.wait_for_function(
            "() => document.getElementById('bron-1-2').classList.contains('vb-doel')",
            timeout=5_000)
        assert "vb-doel" not in (page.locator("#bron-1-1").get_attribute("class") or "")
        time.sleep(0.6)  # smooth scrolling
        assert target.evaluate(
            "el => { const r = el.getBoundingClientRect(); "
            "const p = el.closest('#vb-bronnen').getBoundingClientRect(); "
            "return r.top >= p.top - 1 && r.top < p.bottom; }")
        assert len(context.pages) == 1 and urlparse(page.url).path == "/"

        # each source block copies its citation (issue 18): the memo-ready form
        button = page.locator("#bron-1-2 button.vb-kopieer")
        assert button.inner_text() == "Kopieer bronvermelding"
        button.click()
        page.wait_for_function("() => window.__vbGekopieerd !== undefined", timeout=5_000)
        copied = page.evaluate("() => window.__vbGekopieerd")
        assert copied.startswith("“" + QUOTES[1].split()[0]) and " — " in copied, copied
        assert button.inner_text() == "Gekopieerd"

        # a refusal shows the closest passages, said to be no answer (session 16)
        page.get_by_placeholder("Stel een vraag…").fill(f"Iets {RELATED_WORD}s?")
        page.get_by_role("button", name="Vraag", exact=True).click()
        page.wait_for_selector("#vb-bronnen .vb-verwant mark", timeout=30_000)
        panel = page.locator("#vb-bronnen .vb-verwant")
        assert "Geen antwoord gevonden" in panel.inner_text()
        assert panel.locator("mark").inner_text() == QUOTES[0]
        bot = page.locator('#vb-chat [data-testid="bot"]').last
        assert "geen antwoord geven" in bot.inner_text()

        page.screenshot(path=str(SCREENSHOT), full_page=True)
        context.close()

    external = [u for u in requests if not is_local(u)]
    assert requests and not external, external

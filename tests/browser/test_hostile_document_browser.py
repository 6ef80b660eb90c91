"""A document that carries script, event handlers, a `javascript:` link and a remote Markdown
image, indexed for real and shown through phrase search, the document viewer and a chat answer
in Chromium: no script runs (no dialog), no request leaves 127.0.0.1, and the text is shown as
text."""

from __future__ import annotations

import uuid

import pytest

from tests.browser.conftest import is_local
from tests.ui_server import running_app

pytestmark = pytest.mark.browser

HOSTILE = (
    "Het college besluit over de nieuwe bibliotheek. <script>alert('script')</script> "
    "Zie ook <img src=x onerror=\"alert('img')\"> en [klik hier](javascript:alert('link')). "
    "![logo](http://example.com/logo.png) De raad stemt in met het voorstel.\n"
)


def test_document_markup_never_runs_or_calls_out(browser, tmp_path):
    from ingest.chunker import ChunkingConfig
    from rag.phrase import PhraseIndex
    from rag.types import Answer, Citation
    from vectorstore.chroma_client import make_client
    from vectorstore.embedders import FakeEmbedder
    from vectorstore.indexer import Indexer
    from vectorstore.store import ChromaStore

    doc = tmp_path / "vijandig.txt"
    doc.write_text(HOSTILE, encoding="utf-8")
    store = ChromaStore(make_client(in_memory=True), FakeEmbedder(),
                        name=f"h{uuid.uuid4().hex[:8]}")
    try:
        assert not Indexer(store, ChunkingConfig(), progress=False).ingest([doc]).failed
        source = store.documents()[0].source
        text = store.original(source)

        def ask(question, history, filters=None, on_token=None):
            start = text.index("Zie ook")
            end = text.index("De raad")
            quote = text[start:end].strip()
            c = Citation(n=1, source=source, title="Vijandig", date=None, page=None,
                         char_start=start, char_end=start + len(quote), quote=quote,
                         score=1.0, verified=True, context_before=text[:start],
                         context_after=text[start + len(quote):])
            return Answer(question=question, answer=f"{quote} [1]", citations=[c])

        with running_app(ask=ask, find=PhraseIndex(store).find, documents=store.documents,
                         original=store.original) as (url, _):
            context = browser.new_context(locale="nl-NL")
            page = context.new_page()
            dialogs, requests = [], []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(url, wait_until="load")

            box = page.get_by_placeholder("Stel een vraag…")
            box.fill("Wat besluit het college?")
            box.press("Enter")
            page.wait_for_selector("#vb-bronnen mark", timeout=15_000)
            bot = page.locator('#vb-chat [data-testid="bot"]').last.inner_text()
            assert "onerror" in bot and "javascript:alert" in bot  # shown as text

            page.get_by_role("tab", name="Zoek exacte tekst").click()
            page.get_by_label("Zin", exact=True).fill("nieuwe bibliotheek")
            page.get_by_role("button", name="Zoek", exact=True).click()
            page.locator("#vb-resultaten .vb-hit").first.wait_for(timeout=15_000)
            page.wait_for_timeout(1500)
            assert "<script>" in page.locator("#vb-viewer").inner_text()  # literally
            for link in page.locator("a[href^='javascript:']").all():
                link.click()
            page.wait_for_timeout(500)
            context.close()
        assert dialogs == []
        external = [u for u in requests if not is_local(u)]
        assert requests and not external, external
    finally:
        store.reset()

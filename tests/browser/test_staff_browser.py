"""The staff tabs in headless Debian Chromium, used the way a staff member would: "Zoek exacte
tekst" (phrase search over the real corpus, source viewer, copyable citation, fuzzy mode) and
"Documenten" (the library, filtered by title and date). Real phrase index over a real ingest of
../shared/corpus (fake embedder, in-memory Chroma; only the chat's `ask` is a fake). Offline.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import is_local
from tests.ui_server import LETTER, corpus_store, running_app
from vectorstore.records import Filters

pytestmark = pytest.mark.browser

SCREENSHOT = Path("/tmp/vraagbaak_staff.png")
TIMEOUT = 30_000

# The letter's PDF extraction breaks this phrase over two lines ("de zorg- en \nwelzijns…").
PHRASE = "de zorg- en welzijnsdriehoek"
PHRASE_IN_LETTER = re.compile(r"de zorg- en\s+welzijnsdriehoek")
# A misspelt phrase (two typos) whose original spans a blank line: only fuzzy finds it.
TYPO = "haarvatten van de samenleefing"
TYPO_IN_LETTER = re.compile(r"haarvaten van de\s+samenleving")
MANY = "sociaal"  # five whole-word occurrences in the letter
MANY_IN_LETTER = re.compile(r"(?<!\w)sociaal(?!\w)", re.IGNORECASE)

# Offset of the passage mark inside the viewer's document text (textContent, so the exact
# characters the server sent, line breaks included).
MARK_OFFSET_JS = """el => {
  const doc = el.querySelector('.vb-doc'), mark = doc && doc.querySelector('mark');
  if (!mark) return -1;
  const range = document.createRange();
  range.setStart(doc, 0);
  range.setEndBefore(mark);
  return range.toString().length;
}"""
# Whether the passage mark lies inside the visible part of the viewer's scroll box.
MARK_VISIBLE_JS = """el => {
  const mark = el.querySelector('mark');
  let box = mark.parentElement;
  while (box && box !== el.parentElement && box.scrollHeight <= box.clientHeight + 1)
    box = box.parentElement;
  const r = mark.getBoundingClientRect(), b = (box || el).getBoundingClientRect();
  return r.top >= b.top - 1 && r.bottom <= b.bottom + 1 && r.height > 0;
}"""


def _fold(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def staff_app():
    """The real app (chat + staff tabs) over the real corpus; yields (url, ask, store)."""
    if not LETTER.exists():
        pytest.fail(f"corpus file missing: {LETTER}")
    from rag.phrase import PhraseIndex

    with corpus_store() as store:
        index = PhraseIndex(store)
        with running_app(find=index.find, documents=store.documents,
                         original=store.original) as (url, ask):
            yield url, ask, store


@pytest.fixture
def page(browser, staff_app):
    """A fresh page on the app; after the test, no request may have left localhost."""
    url = staff_app[0]
    context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    pg = context.new_page()
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    pg.goto(url, wait_until="load")
    yield pg
    context.close()
    external = [u for u in requests if not is_local(u)]
    assert requests and not external, external


def _letter(store) -> tuple[str, str]:
    """(source, original text) of LETTER as the catalog holds it."""
    source = next(d.source for d in store.documents() if d.source.endswith(LETTER.name))
    return source, store.original(source)


# Gradio shows a status tracker on an output while its event runs. Watch the trackers of the
# given outputs: `__vbRan` turns true once one of them shows (so also when the new value equals
# the old one); done when that happened and all are hidden again.
WATCH_JS = """ids => {
  window.__vbRan = false;
  const trackers = ids.map(id => document.querySelector(`#${id} [data-testid=status-tracker]`))
    .filter(t => t);
  window.__vbTrackers = trackers;
  const seen = () => {
    if (trackers.some(t => !t.classList.contains('hide'))) window.__vbRan = true;
  };
  window.__vbObserver && window.__vbObserver.disconnect();
  window.__vbObserver = new MutationObserver(seen);
  trackers.forEach(t => window.__vbObserver.observe(t, {attributes: true}));
}"""
DONE_JS = "() => window.__vbRan && window.__vbTrackers.every(t => t.classList.contains('hide'))"


def _run(page, action, *outputs: str) -> None:
    """Do `action` (a click or a key press) and wait until its event has updated `outputs`."""
    page.evaluate(WATCH_JS, list(outputs))
    action()
    page.wait_for_function(DONE_JS, timeout=TIMEOUT)


def _search(page, phrase: str, *, fuzzy: bool = False, submit: bool = False) -> None:
    """Type `phrase`, set the fuzzy box, search (button or Enter), wait for the results."""
    box = page.get_by_label("Zin", exact=True)
    box.fill(phrase)
    page.get_by_label("Ook bijna-gelijke tekst").set_checked(fuzzy)
    button = page.get_by_role("button", name="Zoek", exact=True)
    _run(page, (lambda: box.press("Enter")) if submit else button.click,
         "vb-resultaten", "vb-viewer", "vb-bronvermelding")


def _hits(page) -> list[dict]:
    return page.locator("#vb-resultaten .vb-hit").evaluate_all(
        "els => els.map(el => ({kop: el.querySelector('.vb-hit-kop').textContent,"
        " meta: el.querySelector('.vb-hit-meta').textContent,"
        " marks: [...el.querySelectorAll('mark')].map(m => m.textContent)}))")


def _citation(page) -> str:
    return page.locator("#vb-bronvermelding textarea").input_value()


def test_phrase_across_line_break_viewer_and_citation(page, staff_app):
    _, ask, store = staff_app
    source, original = _letter(store)
    assert original == LETTER.read_text(encoding="utf-8")  # the PDF extraction, verbatim
    match = PHRASE_IN_LETTER.search(original)
    assert match and "\n" in match.group(0)  # the extraction really breaks the phrase
    wording, start, end = match.group(0), match.start(), match.end()
    title = next(d.title for d in store.documents() if d.source == source)

    page.get_by_role("tab", name="Zoek exacte tekst").click()
    assert "Nog niet gezocht" in page.locator("#vb-resultaten").inner_text()
    _search(page, PHRASE)

    # the hit list: one hit, the letter, the original wording marked (line break and all)
    results = page.locator("#vb-resultaten")
    assert "1 resultaat." in results.inner_text()
    hits = _hits(page)
    assert len(hits) == 1, hits
    assert hits[0]["kop"] == f"1. {title}"
    assert f"{Path(source).name} [{start}:{end}]" in hits[0]["meta"]
    assert str(Path(source).parent) not in hits[0]["meta"]  # no server path for citizens
    assert hits[0]["marks"] == [wording]
    assert results.locator("mark").first.is_visible()

    # the source viewer: the whole letter, the passage marked at its own offsets, in view
    viewer = page.locator("#vb-viewer")
    page.wait_for_selector("#vb-viewer mark#vb-passage", timeout=TIMEOUT)
    assert viewer.locator(".vb-hit-kop").inner_text() == title
    assert viewer.locator(".vb-doc").evaluate("el => el.textContent") == original
    assert viewer.locator("mark").evaluate_all("ms => ms.map(m => m.textContent)") == [wording]
    assert viewer.evaluate(MARK_OFFSET_JS) == start
    page.wait_for_function(f"() => ({MARK_VISIBLE_JS})(document.querySelector('#vb-viewer'))",
                           timeout=5_000)  # scrolled there after the search

    # the result picker and the copyable citation: quote in its folded wording, then the title
    assert page.locator("#vb-keuze input").input_value() == f"1. {title}"
    citation = _citation(page)
    assert citation == f"“{_fold(wording)}” — {title}"
    assert PHRASE in citation and title in citation
    copy = re.compile("copy|kopi", re.I)  # Gradio's label, made Dutch by the app
    page.locator("#vb-bronvermelding").get_by_role("button", name=copy).click()
    page.wait_for_function("c => navigator.clipboard.readText().then(t => t === c)",
                           arg=citation, timeout=5_000)

    # fuzzy: a misspelt phrase is not found exactly, but found with the box ticked
    typo = TYPO_IN_LETTER.search(original)
    assert typo and "\n\n" in typo.group(0)
    _search(page, TYPO, submit=True)
    assert "Niet gevonden." in results.inner_text() and _hits(page) == []
    assert _citation(page) == "" and viewer.locator("mark").count() == 0
    _search(page, TYPO, fuzzy=True)
    hits = _hits(page)
    assert len(hits) == 1, hits
    assert hits[0]["marks"] == [typo.group(0)]
    score = re.search(r"gelijkenis (\d\.\d\d)", hits[0]["meta"])
    assert score and 0.75 <= float(score.group(1)) < 1.0, hits[0]["meta"]
    assert viewer.evaluate(MARK_OFFSET_JS) == typo.start()
    assert _citation(page) == f"“{_fold(typo.group(0))}” — {title}"
    # fuzzy without the hyphen still lands on the original, hyphen and line break included
    _search(page, "de zorg en welzijnsdriehoek", fuzzy=True)
    assert [h["marks"] for h in _hits(page)] == [[wording]]

    # markup in a phrase is not echoed as HTML (the corpus itself holds no "<" or "&")
    _search(page, "<b>nergens</b>")
    assert "Niet gevonden." in results.inner_text()
    assert results.locator("b").count() == 0
    assert ask.calls == []  # searching never asks the chat
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_pick_another_hit_moves_viewer(page, staff_app):
    _, _, store = staff_app
    _, original = _letter(store)
    expected = list(MANY_IN_LETTER.finditer(original))
    assert len(expected) >= 3

    page.get_by_role("tab", name="Zoek exacte tekst").click()
    _search(page, MANY)
    hits = _hits(page)
    assert f"{len(expected)} resultaten." in page.locator("#vb-resultaten").inner_text()
    assert [h["marks"] for h in hits] == [[m.group(0)] for m in expected]
    viewer = page.locator("#vb-viewer")
    assert viewer.evaluate(MARK_OFFSET_JS) == expected[0].start()

    last = expected[-1]
    page.locator("#vb-keuze input").click()
    options = page.get_by_role("option")
    assert options.count() == len(expected)
    _run(page, options.nth(len(expected) - 1).click, "vb-viewer", "vb-bronvermelding")
    assert viewer.evaluate(MARK_OFFSET_JS) == last.start()
    assert viewer.locator("mark").evaluate_all("ms => ms.map(m => m.textContent)") == [
        last.group(0)]
    page.wait_for_function(f"() => ({MARK_VISIBLE_JS})(document.querySelector('#vb-viewer'))",
                           timeout=5_000)
    assert page.locator("#vb-keuze input").input_value().startswith(f"{len(expected)}. ")
    assert _citation(page).startswith(f"“{last.group(0)}” — ")


def _table(page) -> list[list[str]]:
    return page.locator("#vb-docs .virtual-body [role=row]").evaluate_all(
        "rows => rows.map(r => [...r.querySelectorAll('[role=gridcell]')]"
        ".map(c => c.innerText.trim()))")


def _wait_table(page, rows: list[list[str]]) -> None:
    try:
        page.wait_for_function(
            "want => JSON.stringify([...document.querySelectorAll("
            "'#vb-docs .virtual-body [role=row]')].map(r => [...r.querySelectorAll("
            "'[role=gridcell]')].map(c => c.innerText.trim())).filter(r => r.some(x => x)))"
            " === JSON.stringify(want)", arg=rows, timeout=10_000)
    except Exception:  # show what the table does hold
        assert [r for r in _table(page) if any(r)] == rows
        raise


def test_document_library_lists_and_filters(page, staff_app):
    _, ask, store = staff_app
    docs = store.documents()
    assert len(docs) == 2
    rows = sorted(([d.title, d.date or "", d.type, str(d.chunks), d.source] for d in docs),
                  key=lambda r: (r[1], r[0]))
    letter = next(r for r in rows if r[4].endswith(LETTER.name))
    news = next(r for r in rows if r is not letter)
    assert letter[0] and news[0] and letter[0] != news[0]
    assert all(r[2] and int(r[3]) > 0 for r in rows)

    page.get_by_role("tab", name="Documenten").click()
    table = page.locator("#vb-docs")
    table.locator(".virtual-body [role=row]").first.wait_for(timeout=TIMEOUT)
    headers = table.locator("[role=columnheader]").evaluate_all(
        "hs => hs.map(h => h.innerText.trim())")
    assert headers == ["Titel", "Datum", "Type", "Chunks", "Bron"]
    _wait_table(page, rows)

    # a distinctive word of the news title, typed in lower case, Enter: only that document
    word = next(w for w in news[0].split() if len(w) > 4 and w.lower() not in letter[0].lower())
    title_box = page.get_by_label("Titel bevat")
    title_box.fill(word.lower())
    title_box.press("Enter")
    _wait_table(page, [news])

    title_box.fill(letter[0][:8].upper())
    page.get_by_role("button", name="Filter", exact=True).click()
    _wait_table(page, [letter])

    # a date range keeps only dated documents in it; a title that matches nothing: empty
    title_box.fill("")
    page.get_by_label("Datum vanaf").fill(news[1][:4])
    page.get_by_role("button", name="Filter", exact=True).click()
    _wait_table(page, [r for r in rows if r[1]])
    page.get_by_label("Datum vanaf").fill("")
    title_box.fill("bestaat-niet-xyz")
    page.get_by_role("button", name="Filter", exact=True).click()
    _wait_table(page, [])
    title_box.fill("")
    title_box.press("Enter")
    _wait_table(page, rows)
    assert ask.calls == []


ANSWERED_JS = """() => [...document.querySelectorAll('#vb-chat [data-testid="bot"]')]
  .filter(b => !b.innerText.includes('Bezig met zoeken')).length"""


def _ask(page, question: str) -> None:
    """Ask in the chat and wait until the answer has replaced the busy line."""
    page.get_by_role("tab", name="Vraag").click()
    before = page.evaluate(ANSWERED_JS)
    page.get_by_placeholder("Stel een vraag…").fill(question)
    page.get_by_role("button", name="Vraag", exact=True).click()
    page.wait_for_function(f"() => ({ANSWERED_JS})() > {before}", timeout=TIMEOUT)


def test_chosen_documents_restrict_chat_questions(page, staff_app):
    _, ask, store = staff_app
    source, _ = _letter(store)
    letter = next(d for d in store.documents() if d.source == source)
    news = next(d for d in store.documents() if d.source != source)
    before = len(ask.filters)

    page.get_by_role("tab", name="Documenten").click()
    page.locator("#vb-doc-keuze").get_by_label(letter.title, exact=False).check()
    page.get_by_role("tab", name="Vraag").click()
    note = page.locator("#vb-scope")
    note.get_by_text("alleen over 1 gekozen document").wait_for(timeout=TIMEOUT)
    assert letter.title in note.inner_text() and news.title not in note.inner_text()
    _ask(page, "Wat vraagt het sociaal werk?")
    assert ask.filters[before:] == [Filters(sources=[source])]

    # "Kies de gefilterde documenten": the title filter picks the news item instead
    page.get_by_role("tab", name="Documenten").click()
    word = next(w for w in news.title.split() if len(w) > 4 and w not in letter.title)
    page.get_by_label("Titel bevat").fill(word)
    page.get_by_role("button", name="Kies de gefilterde documenten").click()
    page.get_by_role("tab", name="Vraag").click()
    page.wait_for_function(
        "t => document.querySelector('#vb-scope').innerText.includes(t)", arg=news.title,
        timeout=TIMEOUT)
    _ask(page, "En de campagne?")
    assert ask.filters[-1] == Filters(sources=[news.source])

    # "Alle documenten": no restriction any more
    page.get_by_role("tab", name="Documenten").click()
    page.get_by_role("button", name="Alle documenten").click()
    page.get_by_role("tab", name="Vraag").click()
    note.get_by_text("Vragen gaan over alle documenten.").wait_for(timeout=TIMEOUT)
    _ask(page, "Nog een vraag?")
    assert ask.filters[-1] is None
    assert [c[0] for c in ask.calls[-3:]] == ["Wat vraagt het sociaal werk?", "En de campagne?",
                                              "Nog een vraag?"]

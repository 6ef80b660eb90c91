"""Staff tabs for the Gradio app: "Zoek exacte tekst" (phrase search, source viewer, citation)
and "Documenten" (the indexed documents, filterable).

Call `add_staff_tabs(find, documents, original)` inside a `gr.Blocks` context. API endpoints:
  /zoek_tekst (phrase: str, fuzzy: bool, inside_words: bool = False; whole words unless
      inside_words) -> [results HTML, hits (list of PhraseHit.as_json()
      plus "citation"), hit choice (dropdown), citation of the first hit, viewer HTML]
  /toon_hit (hits, n: int) -> [citation, viewer HTML of the whole document, match marked]
  /toon_bron (source: str, start: int, end: int, version: str) -> [citation, viewer HTML]:
      a citation opened again, also from an older version kept at re-ingest (marked so)
  /documenten (title: str, date_from: str, date_to: str) -> table rows
      [titel, datum, type, chunks, bron]
  /kies_documenten (sources: list[str]) -> the note shown above the chat; questions in the
      "Vraag" tab are then answered from those documents only (empty list: all documents)
"""

from __future__ import annotations

import html
from collections.abc import Callable

from rag.citation_format import location, source_view
from rag.cited import PassageError
from ui.render import file_name
from ui.sources import resolve_source

LIMIT = 50
HEADERS = ["Titel", "Datum", "Type", "Chunks", "Bron"]
CSS = """
.vb-hit { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 8px 12px;
  margin-bottom: 8px; background: var(--background-fill-secondary); }
.vb-hit-kop { font-weight: 600; }
.vb-hit-meta { font-size: 0.85em; color: var(--body-text-color-subdued); overflow-wrap: anywhere; }
.vb-hit-tekst, .vb-doc { white-space: pre-wrap; font-size: 0.92em; line-height: 1.45; }
.vb-hit mark, .vb-doc mark { background: #fde68a; color: #111827; border-radius: 2px; }
.vb-pdf-pagina { margin: 0 0 12px 0; }
.vb-pdf-pagina img { max-width: 100%; border: 1px solid #d1d5db; }
.vb-pdf-pagina figcaption { font-size: 0.85em; color: #4b5563; }
.vb-leeg { color: var(--body-text-color-subdued); font-style: italic; }
.vb-oud-melding { margin: 4px 0 8px 0; padding: 4px 8px; border-radius: 4px;
  background: #fef3c7; color: #78350f; }
"""
SCROLL_JS = "() => { const m = document.querySelector('#vb-viewer mark');" \
            " if (m) m.scrollIntoView({block: 'center'}); }"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _where(h: dict) -> str:
    return location(h.get("date"), h.get("page"))


def render_hits(hits: list[dict], fuzzy: bool) -> str:
    if not hits:
        return '<p class="vb-leeg">Niet gevonden.</p>'
    more = " (of meer)" if len(hits) >= LIMIT else ""
    out = [f"<p>{len(hits)} resultaten{more}.</p>" if len(hits) != 1 else "<p>1 resultaat.</p>"]
    for n, h in enumerate(hits, 1):
        score = f"gelijkenis {h['score']:.2f}" if fuzzy else ""
        loc = f"{file_name(h['source'])} [{h['char_start']}:{h['char_end']}]"
        meta = " · ".join(x for x in (_where(h), score, loc) if x)
        out.append(
            f'<div class="vb-hit"><div class="vb-hit-kop">{n}. {_e(h["title"])}</div>'
            f'<div class="vb-hit-meta">{_e(meta)}</div>'
            f'<div class="vb-hit-tekst">…{_e(h["context_before"])}<mark>{_e(h["text"])}</mark>'
            f'{_e(h["context_after"])}…</div></div>')
    return "".join(out)


def render_document(title: str, original: str, start: int, end: int,
                    pages: list | None = None) -> str:
    """The document's text with the passage marked; for a PDF, first the page(s) themselves
    with the passage highlighted (`pages`: `ui.pdf_page.PageImage`s)."""
    before, passage, after = source_view(original, start, end)
    images = "".join(
        f'<figure class="vb-pdf-pagina"><figcaption>Pagina {p.page}'
        f'{"" if p.boxes else " (passage niet teruggevonden op de pagina)"}</figcaption>'
        f'<img src="{p.data_uri()}" alt="Pagina {p.page} van {_e(title)}"></figure>'
        for p in pages or [])
    return (f'<div class="vb-hit-kop">{_e(title)}</div>{images}<div class="vb-doc">{_e(before)}'
            f'<mark id="vb-passage">{_e(passage)}</mark>{_e(after)}</div>')


def filter_documents(docs: list, title: str = "", date_from: str = "",
                     date_to: str = "") -> list[list]:
    """Rows of `docs` whose title (or source) contains `title` and whose date lies in
    [date_from, date_to] (YYYY, YYYY-MM or YYYY-MM-DD; undated documents drop out)."""
    title, date_from, date_to = (x.strip() for x in (title or "", date_from or "", date_to or ""))
    rows = []
    for d in docs:
        if title and title.lower() not in f"{d.title} {d.source}".lower():
            continue
        if (date_from or date_to) and not d.date:
            continue
        if date_from and d.date[: len(date_from)] < date_from:
            continue
        if date_to and d.date[: len(date_to)] > date_to:
            continue
        rows.append([d.title, d.date or "", d.type, d.chunks, d.source])
    return sorted(rows, key=lambda r: (r[1], r[0]))


def document_choices(docs: list) -> list[tuple[str, str]]:
    """(label, source) per document for the selection, sorted like the table."""
    rows = filter_documents(docs)
    return [(f"{r[0]} ({r[1]})" if r[1] else r[0], r[4]) for r in rows]


def scope_note(sources: list[str] | None, docs: list) -> str:
    """The Dutch note above the chat saying which documents questions are restricted to."""
    if not sources:
        return "Vragen gaan over alle documenten."
    titles = {d.source: d.title for d in docs}
    names = ", ".join(f"*{_e(titles.get(s, s))}*" for s in sources)
    return (f"Vragen gaan alleen over {len(sources)} gekozen document"
            f"{'en' if len(sources) != 1 else ''}: {names} (wijzig dit in **Documenten**).")


def render_passage(p) -> str:
    """The viewer for a citation opened again (rag/cited.py `CitedPassage`): the note for an
    older version above the document with the passage marked."""
    note = (f'<div class="vb-oud-melding" role="note">{_e(p.older_note)}</div>'
            if p.older_note else "")
    body = render_document(p.title, p.before + p.text + p.after, len(p.before),
                           len(p.before) + len(p.text))
    return note + body


def add_staff_tabs(find: Callable, documents: Callable, original: Callable,
                   scope=None, note=None, page_images: Callable | None = None,
                   open_passage: Callable | None = None) -> None:
    """Add the staff tabs to the enclosing `gr.Blocks`.

    find(phrase, fuzzy=False, limit=50, whole_words=True) -> list of PhraseHit; documents() ->
    list of DocumentRecord; original(source) -> the document's original text (or None). `scope` (a
    `gr.State` holding the chosen sources) and `note` (a `gr.Markdown` above the chat) receive
    the selection made in the "Documenten" tab. `page_images(source, start, end)`: for a
    PDF, its pages holding the span, highlighted (or None: the text view only).
    `open_passage(source, start, end, version)` -> `CitedPassage` (or raises with a Dutch
    message) adds "Bronvermelding openen".
    """
    import gradio as gr

    def search(phrase: str, fuzzy: bool, inside_words: bool = False):
        phrase = (phrase or "").strip()
        if not phrase:
            return ('<p class="vb-leeg">Typ een zin om te zoeken.</p>', [],
                    gr.update(choices=[], value=None), "", "")
        hits = []
        for h in find(phrase, fuzzy=bool(fuzzy), limit=LIMIT,
                      whole_words=not inside_words):
            hits.append({**h.as_json(), "citation": h.citation()})
        choices = [(f"{n}. {h['title']}" + (f" ({_where(h)})" if _where(h) else ""), n - 1)
                   for n, h in enumerate(hits, 1)]
        citation, viewer = show(hits, 0) if hits else ("", "")
        return (render_hits(hits, bool(fuzzy)), hits,
                gr.update(choices=choices, value=0 if hits else None), citation, viewer)

    def show(hits: list[dict] | None, n: int | None):
        if not hits or n is None or not 0 <= int(n) < len(hits):
            return "", ""
        h = hits[int(n)]
        text = original(h["source"])
        if text is None:
            return h["citation"], '<p class="vb-leeg">Document niet meer in de index.</p>'
        pages = (page_images(h["source"], h["char_start"], h["char_end"])
                 if page_images is not None else None)
        return h["citation"], render_document(h["title"], text, h["char_start"], h["char_end"],
                                              pages)

    def list_documents(title: str, date_from: str, date_to: str):
        return filter_documents(documents(), title, date_from, date_to)

    with gr.Tab("Zoek exacte tekst", elem_id="vb-tab-zoek"):
        with gr.Row():
            phrase = gr.Textbox(label="Zin", placeholder="bijv. de zorg- en welzijnsdriehoek",
                                scale=5, elem_id="vb-zin")
            fuzzy = gr.Checkbox(label="Ook bijna-gelijke tekst", value=False, scale=1,
                                elem_id="vb-fuzzy")
            inside = gr.Checkbox(label="Ook binnen woorden", value=False, scale=1,
                                 elem_id="vb-binnen-woorden")
            go = gr.Button("Zoek", variant="primary", scale=1, min_width=90, elem_id="vb-zoek")
        with gr.Row(equal_height=False):
            with gr.Column(scale=1):
                results = gr.HTML('<p class="vb-leeg">Nog niet gezocht.</p>', label="Resultaten",
                                  show_label=True, max_height=640, css_template=CSS,
                                  container=True, elem_id="vb-resultaten")
            with gr.Column(scale=1):
                pick = gr.Dropdown(label="Resultaat", choices=[], type="value",
                                   elem_id="vb-keuze")
                citation = gr.Textbox(label="Kopieer bronvermelding", buttons=["copy"],
                                      interactive=False, lines=3, elem_id="vb-bronvermelding")
                viewer = gr.HTML("", label="Document", show_label=True, max_height=520,
                                 css_template=CSS, container=True, elem_id="vb-viewer")
        with gr.Accordion("Resultaten als JSON", open=False):
            hits_state = gr.JSON(value=[], label="Resultaten", elem_id="vb-hits-json")
        outs = [results, hits_state, pick, citation, viewer]
        go.click(search, [phrase, fuzzy, inside], outs, api_name="zoek_tekst").then(
            None, js=SCROLL_JS, api_visibility="private")
        phrase.submit(search, [phrase, fuzzy, inside], outs, api_visibility="private").then(
            None, js=SCROLL_JS, api_visibility="private")
        pick.input(show, [hits_state, pick], [citation, viewer], api_name="toon_hit").then(
            None, js=SCROLL_JS, api_visibility="private")
        if open_passage is not None:
            _add_open_citation(open_passage, documents, citation, viewer)

    with gr.Tab("Documenten", elem_id="vb-tab-documenten") as docs_tab:
        with gr.Row():
            title = gr.Textbox(label="Titel bevat", scale=3, elem_id="vb-doc-titel")
            date_from = gr.Textbox(label="Datum vanaf", placeholder="JJJJ of JJJJ-MM-DD",
                                   scale=1, elem_id="vb-doc-vanaf")
            date_to = gr.Textbox(label="Datum tot en met", placeholder="JJJJ of JJJJ-MM-DD",
                                 scale=1, elem_id="vb-doc-tot")
            refresh = gr.Button("Filter", scale=1, min_width=90, elem_id="vb-doc-filter")
        table = gr.Dataframe(value=list_documents("", "", ""), headers=HEADERS,
                             datatype=["str", "str", "str", "number", "str"],
                             interactive=False, wrap=True, max_height=600, elem_id="vb-docs")
        inputs = [title, date_from, date_to]
        refresh.click(list_documents, inputs, table, api_name="documenten")
        docs_tab.select(list_documents, inputs, table, api_visibility="private")  # up to date
        for box in inputs:
            box.submit(list_documents, inputs, table, api_visibility="private")
        if scope is None or note is None:  # both or neither (create_app passes both)
            return
        chosen = gr.CheckboxGroup(label="Vragen beperken tot deze documenten (geen keuze: "
                                  "alle documenten)", choices=document_choices(documents()),
                                  value=[], elem_id="vb-doc-keuze")
        with gr.Row():
            take = gr.Button("Kies de gefilterde documenten", scale=1, elem_id="vb-doc-kies")
            drop = gr.Button("Alle documenten", scale=1, elem_id="vb-doc-alle")

        def choose(sources: list[str] | None):
            sources = list(sources or [])
            return sources, scope_note(sources, documents())

        chosen.change(choose, chosen, [scope, note], api_name="kies_documenten")
        take.click(lambda *a: [r[4] for r in list_documents(*a)], inputs, chosen,
                   api_visibility="private")
        drop.click(lambda: [], None, chosen, api_visibility="private")


def _add_open_citation(open_passage: Callable, documents: Callable, citation, viewer) -> None:
    """"Bronvermelding openen": a citation's document, offsets and version (from a memo, or
    `ask --json`) shown again in the viewer; an older version is marked as such."""
    import gradio as gr

    def reopen(source: str, start, end, version: str):
        source = (source or "").strip()
        match = resolve_source([d.source for d in documents()], source) if source else None
        if match is None:
            return "", f'<p class="vb-leeg">Document niet gevonden: {_e(source)}</p>'
        try:
            p = open_passage(match, int(start or 0), int(end or 0), (version or "").strip()
                             or None)
        except PassageError as exc:  # a Dutch reason
            return "", f'<p class="vb-leeg">{_e(exc)}</p>'
        return p.citation or "", render_passage(p)

    with gr.Accordion("Bronvermelding openen (document, tekens, versie)", open=False,
                      elem_id="vb-open-bron"):
        with gr.Row():
            source = gr.Textbox(label="Document (bestandsnaam of pad)", scale=3,
                                elem_id="vb-open-document")
            start = gr.Number(label="Van teken", precision=0, value=0, scale=1,
                              elem_id="vb-open-van")
            end = gr.Number(label="Tot teken", precision=0, value=0, scale=1,
                            elem_id="vb-open-tot")
            version = gr.Textbox(label="Versie (leeg: huidige)", scale=1,
                                 elem_id="vb-open-versie")
            go = gr.Button("Open", scale=1, min_width=90, elem_id="vb-open")
        go.click(reopen, [source, start, end, version], [citation, viewer],
                 api_name="toon_bron").then(None, js=SCROLL_JS, api_visibility="private")

"""Pure renderers: an `Answer` as chat Markdown and as the HTML of the "Bronnen" panel.

Every piece of text from the answer or the documents is HTML-escaped. Citation markers `[n]`
become Markdown links to `#bron-<turn>-<n>`; the matching source block carries that id, so a
marker of an older answer never points at a source of a newer one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from rag.cited import older_version_note
from rag.types import Answer, Citation, ShortAnswer

REFUSAL_NOTE = "Geen bronnen: de documenten geven hier geen antwoord op."
NO_SOURCES_YET = "Nog geen bronnen. Stel een vraag; de bronnen bij het antwoord verschijnen hier."
NO_CITATIONS = "Geen bronnen bij dit antwoord."
RELATED_NOTE = ("Geen antwoord gevonden. Deze passages gaan wel over uw vraag, maar beantwoorden "
                "haar niet zeker: lees ze zelf na.")
RELATED_HINT = "Bij de bronnen staan passages die over uw vraag gaan, maar die geen antwoord geven."
ERROR_NOTE = "Geen bronnen: het beantwoorden van de laatste vraag is mislukt."
ERROR_MESSAGE = (
    "Er ging iets mis bij het beantwoorden van uw vraag. Probeer het opnieuw of neem contact op "
    "met de beheerder."
)

_MARKER = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")


def file_name(source: str) -> str:
    """What citizens see of a source: its file name, never the server's path to it."""
    return source.replace("\\", "/").rsplit("/", 1)[-1]


def source_id(turn: int, n: int) -> str:
    """The HTML id of citation `n` of answer number `turn` (1-based)."""
    return f"bron-{turn}-{n}"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def escape_text(text: str) -> str:
    """Escape text for a Markdown chat message, so HTML and Markdown in it (a `javascript:`
    link, a remote image, emphasis) show literally, as the document has them."""
    return _MARKDOWN.sub(r"\\\1", escape(text, quote=False))


def render_message(answer: Answer, turn: int = 1) -> str:
    """The chat text of `answer`: escaped, with known markers `[n]` as links to their source;
    a notice (LLM unreachable, sentences dropped) and a rewritten question in small print."""
    notes = [f"*{escape_text(answer.notice)}*" if answer.notice else "",
             f"*Gezocht als: {escape_text(answer.query)}*" if answer.query else ""]
    tail = "".join(f"\n\n{x}" for x in notes if x)
    if answer.refused and answer.related:
        return escape_text(answer.answer) + f"\n\n*{escape_text(RELATED_HINT)}*" + tail
    if answer.refused or not answer.citations:
        return escape_text(answer.answer) + tail
    known = {c.n for c in answer.citations}

    def linked(text: str) -> str:
        """Escaped text with its known markers as links (nothing else becomes Markdown)."""
        out, pos = [], 0
        for m in _MARKER.finditer(text):
            out.append(escape_text(text[pos:m.start()]))
            numbers = [int(x) for x in m.group(1).split(",")]
            if all(n in known for n in numbers):
                out.append(", ".join(f"[[{n}]](#{source_id(turn, n)})" for n in numbers))
            else:
                out.append(escape_text(m.group(0)))
            pos = m.end()
        return "".join(out) + escape_text(text[pos:])

    body = linked(answer.answer)
    if answer.short is not None:  # the answering phrase, quoted as it stands in the source
        body = (f"**Kort antwoord:** {linked(f'{answer.short.text} [{answer.short.n}]')}"
                f"\n\n{body}")
    return body + tail


def _meta(c: Citation) -> str:
    parts = [f"Datum: {escape(c.date)}" if c.date else "Datum onbekend"]
    if c.page is not None:
        parts.append(f"pagina {c.page}")
    parts.append(f"tekens {c.char_start}–{c.char_end}")
    return " · ".join(parts)


_MD_HEADING = re.compile(r"^[ \t]*#{1,6}[ \t]*", re.MULTILINE)


def strip_markup(text: str) -> str:
    """Context for display without Markdown heading marks ("### Artikel 9" -> "Artikel 9");
    the quote itself is shown exactly as stored."""
    return _MD_HEADING.sub("", text)


def _quote_html(c: Citation, short: ShortAnswer | None) -> str:
    """The quote, with the short answer (when it lies in this quote) in <strong>."""
    if short is None or short.n != c.n:
        return escape(c.quote)
    a, b = short.char_start - c.char_start, short.char_end - c.char_start
    if not (0 <= a < b <= len(c.quote)):
        return escape(c.quote)
    return (f"{escape(c.quote[:a])}<strong class=\"vb-kort\">{escape(c.quote[a:b])}</strong>"
            f"{escape(c.quote[b:])}")


def render_citation(c: Citation, turn: int = 1, short: ShortAnswer | None = None,
                    current: Callable[[str], str | None] | None = None) -> str:
    """One source block: number, title, date, page, the quote marked inside its context, the
    official reference, a button that copies the citation, and a note when the quoted version
    is no longer the indexed one (`current(source)` -> its short version)."""
    check = (
        '<span class="vb-check vb-ok">letterlijk gecontroleerd</span>'
        if c.verified
        else '<span class="vb-check vb-niet">niet gecontroleerd</span>'
    )
    passage = (f"{escape(strip_markup(c.context_before))}<mark>{_quote_html(c, short)}</mark>"
               f"{escape(strip_markup(c.context_after))}")
    old = older_version_note(c.version, current(c.source)) if current is not None else None
    version = f" · versie {escape(c.version)}" if c.version else ""
    return (
        f'<section class="vb-bron{" vb-oud" if old else ""}" id="{source_id(turn, c.n)}" '
        f'data-n="{c.n}">'
        f'<div class="vb-kop"><span class="vb-nr">[{c.n}]</span> '
        f'<span class="vb-titel">{escape(c.title or c.source)}</span></div>'
        f'<div class="vb-meta">{_meta(c)}{version} · {check}</div>'
        + (f'<div class="vb-oud-melding" role="note">{escape(old)}</div>' if old else "")
        + f'<div class="vb-passage">{passage}</div>'
        + (f'<div class="vb-verwijzing">{escape(c.reference)}</div>' if c.reference else "")
        + f'<div class="vb-bestand">{escape(file_name(c.source))}</div>'
        f'<button type="button" class="vb-kopieer" data-bron="{escape(c.cite(), quote=True)}" '
        f'aria-label="Kopieer bronvermelding van bron {c.n}">Kopieer bronvermelding</button>'
        "</section>"
    )


def render_note(text: str) -> str:
    """The panel with only a (Dutch) note in it."""
    return f'<div class="vb-bronnen"><p class="vb-leeg">{escape(text)}</p></div>'


def render_sources(answer: Answer | None, turn: int = 1,
                   current: Callable[[str], str | None] | None = None) -> str:
    """The "Bronnen" panel for the latest answer (`None`: nothing asked yet); `current`:
    see `render_citation`."""
    if answer is None:
        return render_note(NO_SOURCES_YET)
    if answer.refused and not answer.related:
        return render_note(REFUSAL_NOTE)
    if not answer.refused and not answer.citations:
        return render_note(NO_CITATIONS)
    # a refusal shows its related passages: no answer, but the closest passages to read
    shown = answer.related if answer.refused else answer.citations
    if current is not None:  # one lookup per document, however many of its sentences are shown
        versions = {s: current(s) for s in {c.source for c in shown}}
        current = versions.__getitem__
    short = None if answer.refused else answer.short
    blocks = "".join(render_citation(c, turn, short, current) for c in shown)
    if answer.refused:
        return (f'<div class="vb-bronnen vb-verwant"><p class="vb-leeg">{escape(RELATED_NOTE)}'
                f"</p>{blocks}</div>")
    return f'<div class="vb-bronnen">{blocks}</div>'

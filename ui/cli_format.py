"""Text and JSON shapes printed by the CLI (the JSON keys are a stable contract)."""

from __future__ import annotations

import textwrap

from rag.citation_format import headline
from rag.types import Answer, Citation
from vectorstore.indexer import IngestReport
from vectorstore.records import DocumentRecord, Hit


def hit_json(h: Hit, reference: str | None = None) -> dict:
    return {
        "source": h.source,
        "title": h.title,
        "date": h.date,
        "page": h.page,
        "char_start": h.char_start,
        "char_end": h.char_end,
        "text": h.original,
        "score": round(h.score, 6),
        "pages": list(h.pages),
        "chunk_id": h.chunk_id,
        "reference": reference,  # where the passage starts: artikel/lid, Handelingen, ...
        "structure": dict(h.structure),  # artikel, lid, kop, publicatie, spreker(s)
    }


def answer_text(a: Answer) -> str:
    lines = [f"Kort antwoord: {a.short.text} [{a.short.n}]\n"] if a.short else []
    lines.append(a.answer)
    if a.notice:
        lines.append(f"({a.notice})")
    if a.query:
        lines.append(f"(gezocht als: {a.query})")
    if a.citations:
        lines.append("\nBronnen:")
    _sources(lines, a.citations)
    if a.refused and a.related:
        lines.append("\nGeen antwoord, wel passages over uw vraag (lees ze zelf na):")
        _sources(lines, a.related)
    return "\n".join(lines)


def _sources(lines: list[str], citations: list[Citation]) -> None:
    for c in citations:
        lines.append(f"[{c.n}] " + headline(c.title, c.date, c.page))
        lines.append(f"    {c.source} [{c.char_start}:{c.char_end}]")
        lines.append(textwrap.indent(c.quote, "    | ", lambda _line: True))


def about(docs: list[DocumentRecord], shown: int = 3) -> str:
    """One sentence on what the collection holds, for the empty chat."""
    if not docs:
        return "Er zijn nog geen documenten toegevoegd."
    titles = [d.title for d in docs[:shown]]
    more = f" en {len(docs) - shown} andere" if len(docs) > shown else ""
    word = "document" if len(docs) == 1 else "documenten"
    return f"Deze vraagbaak kent {len(docs)} {word}: {'; '.join(titles)}{more}."


def document_json(d: DocumentRecord) -> dict:
    return {"source": d.source, "title": d.title, "date": d.date, "chunks": d.chunks,
            "type": d.type}


def hits_text(hits: list[Hit]) -> str:
    if not hits:
        return "Geen resultaten."
    blocks = []
    for n, h in enumerate(hits, 1):
        head = f"{n}. " + headline(h.title, h.date, h.page) + f"  score {h.score:.3f}"
        loc = f"   {h.source} [{h.char_start}:{h.char_end}]"
        body = textwrap.indent(h.original, "   | ", lambda _line: True)
        blocks.append(f"{head}\n{loc}\n{body}")
    return "\n\n".join(blocks)


def document_table(docs: list[DocumentRecord]) -> str:
    if not docs:
        return "De index is leeg."
    lines = [f"{'datum':<10}  {'type':<5} {'chunks':>6}  titel / bron"]
    for d in docs:
        lines.append(f"{d.date or '-':<10}  {d.type:<5} {d.chunks:>6}  {d.title}\n"
                     f"{'':<25}{d.source}")
    lines.append(f"{len(docs)} documenten, {sum(d.chunks for d in docs)} chunks")
    return "\n".join(lines)


def ingest_summary(r: IngestReport) -> str:
    parts = [
        f"{len(r.added)} toegevoegd",
        f"{len(r.updated)} bijgewerkt",
        f"{len(r.unchanged)} ongewijzigd",
        f"{len(r.removed)} verwijderd",
        f"{len(r.failed)} overgeslagen",
        f"{r.chunks_added} chunks geëmbed in {r.seconds:.1f} s",
    ]
    return ", ".join(parts)

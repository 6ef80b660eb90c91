"""Dutch sentence boundaries on normalised text."""

from __future__ import annotations

import re

# Abbreviations after which a full stop does not end a sentence (lower-cased, without dot).
ABBREVIATIONS = frozenset(
    """
    a.d art artt bijv blz b.v bv ca cf d.d d.i dhr drs dr d.w.z e.a e.d e.v enz etc fig
    i.c i.h.b i.p.v i.o ir jl jhr lid m.a.w m.b.t m.i.v max min mevr mr mw nl no nr nrs
    o.a o.b.v o.i.d o.m p pag par prof resp sr st t.a.v t.b.v t.g.v t.o.v t.w vgl vs z.g z.s.m zgn
    """.split()
)

_CANDIDATE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n")
_NEXT_START = re.compile(r"\s*[\"'“‘(\[]?[A-ZÀ-Þ0-9•\-–]|\s*['’][st]\s")


def _ends_with_abbreviation(text: str, dot: int) -> bool:
    start = max(text.rfind(" ", 0, dot), text.rfind("\n", 0, dot)) + 1
    token = text[start:dot].lstrip("(\"'“‘").lower()
    if not token:
        return False
    if token in ABBREVIATIONS:
        return True
    return len(token) == 1 and token.isalpha()  # an initial: "J. de Vries"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """`[start, end)` spans of the sentences in `text`, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _CANDIDATE.finditer(text):
        if m.group() != "\n":
            if not _NEXT_START.match(text, m.end()):
                continue
            if m.group()[0] == "." and len(m.group()) == 1 and _ends_with_abbreviation(
                text, m.start()
            ):
                continue
        _append(spans, text, start, m.end())
        start = m.end()
    _append(spans, text, start, len(text))
    return spans


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))

"""Page furniture in PDF-extracted text: running headers, footers and page numbers.

Election programmes extracted from PDF carry their running header glued into sentences
("... Systeemverandering VERKIEZINGSPROGRAMMA PARTIJ VOOR DE DIEREN TWEEDE KAMERVERKIEZINGEN
2021 51 De Partij voor de Dieren wil ..."). `furniture_spans` finds such spans locally (no
document statistics needed, so it works on a chunk as well as on a document): a run of at least
five words in capitals, with a year or page number glued to or following it, and lines holding
only a page number. Callers cut sentences there; the offsets stay those of the original.
"""

from __future__ import annotations

import re

_CAPS_WORD = r"[A-ZÀ-Þ][A-ZÀ-Þ'’\-]+"
_FURNITURE = re.compile(
    rf"(?:(?<=\s)|^)(?:{_CAPS_WORD}[ \t]+){{4,}}{_CAPS_WORD}"
    r"(?:[ \t]*\d{1,6})?(?:[ \t]+\d{1,3}\b)?"
    r"|^[ \t]*\d{1,3}[ \t]*$",
    re.MULTILINE,
)


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """`[start, end)` spans of running headers / page numbers in `text`."""
    return [(m.start(), m.end()) for m in _FURNITURE.finditer(text) if m.group().strip()]


def cut(spans: list[tuple[int, int]], furniture: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans with the furniture cut out (a span may become two); pieces keep only
    text outside the furniture, trimmed of whitespace by the caller's offsets."""
    if not furniture:
        return spans
    out = []
    for s, e in spans:
        pos = s
        for fs, fe in furniture:
            if fe <= pos or fs >= e:
                continue
            if fs > pos:
                out.append((pos, fs))
            pos = max(pos, fe)
        if pos < e:
            out.append((pos, e))
    return out

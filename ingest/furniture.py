"""Page furniture in PDF-extracted text: running headers, footers and page numbers.

Election programmes extracted from PDF carry their running header glued into sentences
("... Systeemverandering VERKIEZINGSPROGRAMMA PARTIJ VOOR DE DIEREN TWEEDE KAMERVERKIEZINGEN
2021 51 De Partij voor de Dieren wil ..."). `furniture_spans` finds such spans locally (no
document statistics needed, so it works on a chunk as well as on a document): a run of at least
five words in capitals, with a year or page number glued to or following it, and lines holding
only a page number. Callers cut sentences there; the offsets stay those of the original.

`line_numbers` finds the numbers of numbered lines (a programme printed with line numbers in
the margin: "Het inkomen van veel jongeren, 11\nzelfstandigen ..."). Those sit inside
sentences: callers leave them out of a sentence's text instead of cutting it.
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


_LINE_END_NUMBER = re.compile(r"(?:(?<=\S)[ \t]+|^[ \t]*)(\d{1,4})[ \t]*$", re.MULTILINE)
# a heading's own number ("### Artikel 3", "Hoofdstuk 2") counts nothing
_HEADING_NUMBER = re.compile(r"^[ \t]*#|(?:\b(?:artikel|hoofdstuk|paragraaf|afdeling|titel|"
                             r"bijlage|deel)|§)(?:[ \t]+[a-z])?[ \t]*$",
                             re.IGNORECASE | re.MULTILINE)
_LINE_WINDOW = 4  # a numbered line's neighbour in the numbering is at most this many lines on


def line_numbers(text: str) -> list[tuple[int, int]]:
    """`[start, end)` spans (the number and the blanks before it) of line-final numbers (or a
    line's only word) that count the lines: at least three within a few lines of each other,
    each increasing by no more than the lines between them. A number that ends one line only
    ("... in 2021") is not one."""
    found = []  # (line index, value, span)
    for m in _LINE_END_NUMBER.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if _HEADING_NUMBER.search(text, line_start, m.start()):
            continue
        line = text.count("\n", 0, m.start())
        found.append((line, int(m.group(1)), (m.start(), m.end(1))))
    linked = [False] * len(found)
    for i in range(1, len(found)):
        (la, va, _), (lb, vb, _) = found[i - 1], found[i]
        if 0 < lb - la <= _LINE_WINDOW and 0 < vb - va <= lb - la + 1:
            linked[i] = True  # i follows i - 1 in one numbering
    out: list[tuple[int, int]] = []
    run: list[int] = []
    for i in range(len(found) + 1):
        if i < len(found) and (linked[i] or not run):
            run.append(i)
            continue
        if len(run) >= 3:
            out.extend(found[j][2] for j in run)
        run = [i] if i < len(found) else []
    return out

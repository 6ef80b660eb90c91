"""Page furniture in PDF-extracted text: running headers, footers and page numbers.

Election programmes extracted from PDF carry their running header glued into sentences
("... Systeemverandering VERKIEZINGSPROGRAMMA PARTIJ VOOR DE DIEREN TWEEDE KAMERVERKIEZINGEN
2021 51 De Partij voor de Dieren wil ..."). `furniture_spans` finds such spans locally (no
document statistics needed, so it works on a chunk as well as on a document): a run of at least
five words in capitals, with a year or page number glued to or following it, and lines holding
only a page number. Callers cut sentences there; the offsets stay those of the original.
`repeated_lines` finds the running headers that need the whole document to be seen (a line
in any case that repeats on every page: "FVD Concept verkiezingsprogramma 2021-2025"); the
chunker keeps those spans with each chunk.

`line_numbers` finds the numbers of numbered lines (a programme printed with line numbers in
the margin: "Het inkomen van veel jongeren, 11\nzelfstandigen ..."). Those sit inside
sentences: callers leave them out of a sentence's text instead of cutting it.
"""

from __future__ import annotations

import re
from bisect import bisect_left

_CAPS_WORD = r"[A-ZÀ-Þ][A-ZÀ-Þ'’\-]+"
_FURNITURE = re.compile(
    rf"(?:(?<=\s)|^)(?:{_CAPS_WORD}[ \t]+){{4,}}{_CAPS_WORD}(?![a-zß-ÿ])"
    r"(?:[ \t]*\d{1,6})?(?:[ \t]+\d{1,3}\b)?"
    r"|^[ \t]*\d{1,3}[ \t]*$",
    re.MULTILINE,
)


def furniture_spans(text: str) -> list[tuple[int, int]]:
    """`[start, end)` spans of running headers / page numbers in `text`."""
    return [(m.start(), m.end()) for m in _FURNITURE.finditer(text) if m.group().strip()]


def all_furniture(text: str, offsets: list[int],
                  headers: list[tuple[int, int]] | tuple[tuple[int, int], ...]
                  ) -> list[tuple[int, int]]:
    """Spans to cut out of normalised `text`, sorted: its page furniture (`furniture_spans`)
    and the document's running headers `headers`, spans of the original mapped through
    `offsets` (per normalised character, its original index, increasing)."""
    mapped = [(bisect_left(offsets, a), bisect_left(offsets, b)) for a, b in headers]
    return sorted(furniture_spans(text) + mapped)


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


# Line numbers of a programme whose lines the extraction joined into one ("... 14  15 Het
# begin van het leven 16 Nieuw leven begint ..."): a free-standing number followed, a line or
# a few later, by the next one, and so on
_INLINE_NUMBER = re.compile(r"(?<!\S)(\d{1,2})(?=\s)")
_INLINE_MAX_GAP = 300  # characters between two numbered lines' numbers at most
_LETTERED = re.compile(r"(?<![^\W\d_])[A-Z][ \t]+$")  # an article's letter: "artikel G 4"
_INLINE_RUN = 4  # numbers in a row (n, n + 1, ...) that count lines, not items or amounts


def _in_heading(text: str, pos: int) -> bool:
    """Whether `pos` lies on a Markdown heading line ("### Artikel  D 4")."""
    line_start = text.rfind("\n", max(0, pos - 120), pos)
    return (line_start >= 0 or pos < 120) and text.startswith("#", line_start + 1)


def inline_line_numbers(text: str) -> list[tuple[int, int]]:
    """`[start, end)` spans of line numbers standing inside running text: runs of at least
    `_INLINE_RUN` free-standing numbers, each the one before plus one, at most
    `_INLINE_MAX_GAP` characters apart; not a number that "artikel", "hoofdstuk", "lid" and
    the like count, nor one in a Markdown heading."""
    found = [(m.start(), m.end(), int(m.group(1))) for m in _INLINE_NUMBER.finditer(text)
             if not _NUMBER_WORD.search(text, max(0, m.start() - 20), m.start())
             and not _LETTERED.search(text, max(0, m.start() - 3), m.start())
             and not _in_heading(text, m.start())]
    by_value: dict[int, list[int]] = {}
    for i, (_, _, value) in enumerate(found):
        by_value.setdefault(value, []).append(i)
    nexts: list[list[tuple[int, int]]] = []  # per number: (index, gap) of the next values
    for i, (_, end, value) in enumerate(found):
        later = by_value.get(value + 1, [])
        options = []
        for k in later[bisect_left(later, i + 1):]:
            gap = found[k][0] - end
            if gap > _INLINE_MAX_GAP:
                break
            options.append((k, gap))
        nexts.append(options)
    sure = sorted(o[0][1] for o in nexts if len(o) == 1)
    line = sure[len(sure) // 2] if sure else 0  # a line's usual length
    length = [1] * len(found)
    best: dict[int, int] = {}
    for i in range(len(found) - 1, -1, -1):  # the longest run on; of equals, a line's length
        if nexts[i]:
            k = min(nexts[i], key=lambda o: (-length[o[0]], abs(o[1] - line)))[0]
            best[i], length[i] = k, 1 + length[k]
    out: list[tuple[int, int]] = []
    taken: set[int] = set()  # in a run, or passed over by one (an amount: "die 18 jaar")
    for i in range(len(found)):
        if i in taken or length[i] < _INLINE_RUN:
            continue
        j: int | None = i
        while j is not None:
            taken.update(k for k, _ in nexts[j])
            taken.add(j)
            out.append(found[j][:2])
            j = best.get(j)
    return sorted(out)


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


# Running headers and footers that a document repeats on its pages: found per document (they
# need the whole text to be seen repeating), in text from paged output only (a PDF, or text
# extracted from one); structured formats (XML, HTML, Markdown, DOCX) repeat lines as content
# ("De voorzitter:", "Motie").
PAGED_TYPES = frozenset({"pdf", "txt"})
MIN_REPEATS = 5  # a line seen this often (numbers aside) is furniture, not content
_NUMBERS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]{2,}")
_TRAILING_PAGE = re.compile(r"[ \t]+#$")
_CONTENT_END = tuple(".,:;!?")
# a header glued to the text that follows it, ending in a number ("JA21 Verkiezingsprogramma
# 2021natie in staat"): the line's start up to a number a letter follows, when long enough to
# be no list label ("JA21 wil 6Een referendum")
_GLUED_HEADER = re.compile(r"^(\S.*?\d)(?=[^\W\d_])")
_MIN_GLUED_CHARS = 20


def _is_header_form(line: str) -> bool:
    """A repeated line can be a running header: two words or more, starts with a letter or
    digit (no bullet, no Markdown heading), and is no sentence, list lead-in or label (it
    does not end in punctuation, a trailing page number aside: "Onze keuzes: 1")."""
    return (len(_WORD.findall(line)) >= 2 and line[0].isalnum() and len(line) <= 120
            and not _TRAILING_PAGE.sub("", line).endswith(_CONTENT_END))


def _words_pattern(words: list[list[str]]) -> str:
    """The regex of a header's words, each given as its literal parts between numbers: any
    number between the parts, any blanks between the words."""
    return r"[ \t]+".join(r"\d+".join(re.escape(p) for p in parts) for parts in words)


def _glued_start(header: str) -> str:
    """Where a header may start: glued to the text before it, but not inside a word. One in
    capitals after no capital ("gezinnenCDA-VERKIEZINGSPROGRAMMA", not "NIEUWSCDA-..."),
    another after no letter or digit."""
    return r"(?<![A-ZÀ-Þ])" if header[0].isupper() else r"(?<![^\W_])"


def _without_blanks(m: re.Match[str]) -> tuple[int, int]:
    """A match's `[start, end)` without the blanks it starts with."""
    return m.end() - len(m.group().lstrip()), m.end()


def _header_pattern(line: str) -> str:
    """The regex of a repeated line: any number where it has one, any blanks between words,
    its trailing page number optional; a header ending in a letter is not a word's start."""
    body = _TRAILING_PAGE.sub("", line)
    pattern = _words_pattern([word.split("#") for word in body.split(" ")])
    if body != line:
        pattern += r"(?:[ \t]*\d{1,3})?"
    return pattern + (r"(?![^\W\d_])" if body[-1].isalpha() else "")


_OPENING_WORDS = 4  # lines are grouped by their first words (numbers masked)


def _line_openings(original: str, min_repeats: int) -> list[str]:
    """Running headers glued to whatever follows them on their line, with no number to end
    them ("Verkiezingsprogramma 2021 – 2025 Volt NederlandWie we zijn", "VERKIEZINGSPROGRAMMA
    VAN DE SP 17 MAART 2021 STEL EEN DAADINLEIDING"): the text that `min_repeats` or more lines
    open with, pages apart (`_MIN_PAGE_GAP`), ending where three or more of them go on
    differently; at least `_OPENING_WORDS` words, a number among them (a year, a date; not
    "BIJ1 staat voor een") and a header's form.
    Numbers masked ("#"), as `repeated_lines` keys its headers."""
    groups: dict[str, list[tuple[int, str]]] = {}
    pos = 0
    for raw in original.split("\n"):
        words = raw.split()
        if len(words) > _OPENING_WORDS:
            groups.setdefault(_NUMBERS.sub("#", " ".join(words[:_OPENING_WORDS])), []).append(
                (pos, " ".join(words)))
        pos += len(raw) + 1
    out = []
    for found in groups.values():
        if len(found) < min_repeats:
            continue
        if not _pages_apart([pos for pos, _ in found]):
            continue
        shared = _common_prefix([_NUMBERS.sub("#", text) for _, text in found])
        if (len(shared.split()) >= _OPENING_WORDS and "#" in shared.split()
                and _is_header_form(shared)):
            out.append(shared)
    return out


def repeated_lines(original: str, min_repeats: int = MIN_REPEATS) -> list[tuple[int, int]]:
    """`[start, end)` spans of `original` holding a running header or footer.

    A header is a line that, its numbers masked, occurs `min_repeats` times or more on its
    own and has a header's form (`_is_header_form`). All its occurrences are cut, also where
    the PDF extraction glued it to the text before or after it ("onze families en
    gezinnenCDA-VERKIEZINGSPROGRAMMA 2021-2025 Thuis14", "Concept-verkiezingsprogramma
    2021-2025 2En we willen"), with the page number that opens its line."""
    counts: dict[str, int] = {}
    glued: dict[str, int] = {}  # "JA21 Verkiezingsprogramma 2021natie in staat ...": never alone
    for raw in original.split("\n"):
        text = " ".join(raw.split())
        line = _NUMBERS.sub("#", text)
        if line:
            counts[line] = counts.get(line, 0) + 1
        m = _GLUED_HEADER.match(text)
        if m and len(m.group(1)) >= _MIN_GLUED_CHARS:
            key = _NUMBERS.sub("#", m.group(1))
            glued[key] = glued.get(key, 0) + 1
    patterns = {_header_pattern(line): line for line, n in counts.items()
                if n >= min_repeats and _is_header_form(line)}
    patterns.update({_words_pattern([w.split("#") for w in key.split(" ")]): key
                     for key in [*(k for k, n in glued.items() if n >= min_repeats),
                                 *_line_openings(original, min_repeats)]
                     if _is_header_form(key)})
    if not patterns:
        return []
    # one alternation per start guard (`_glued_start`), each longest first
    guarded: dict[str, list[str]] = {}
    for pattern, h in sorted(patterns.items(), key=lambda ph: len(ph[1]), reverse=True):
        guarded.setdefault(_glued_start(h), []).append(pattern)
    alts = [f"{guard}(?:{'|'.join(patterns)})" for guard, patterns in guarded.items()]
    one = re.compile(rf"(?:^[ \t]*\d{{1,3}}[ \t]+)?(?:{'|'.join(alts)})", re.MULTILINE)
    return [_without_blanks(m) for m in one.finditer(original)]


# A running header glued into the text after its page number ("... weren. 12 Verkiezingsprogramma
# 2021 -2025  -  Economie en Ondernemenworden omgezet"): never a line of its own, so
# `repeated_lines` cannot see it; the page numbers that open it increase through the document.
_PAGE_NUMBER = r"(?<!\d)(?<!\d[.,])\d{1,3}"  # not a decimal's second part
# the number may stand behind a bar: "... niemand vallen.126 | Verkiezingsprogramma 2021 - 2025"
_PAGE_HEAD = re.compile(rf"({_PAGE_NUMBER})[ \t]*(?:\|[ \t]*)?(?=[A-ZÀ-Þ])")
_HEAD_WORDS = 3  # occurrences are grouped by their first words (numbers masked)
_MIN_PAGE_GAP = 1000  # median characters between two occurrences: pages, not a numbered list
_MIN_INCREASING = 0.8  # share of occurrences whose number exceeds the one before
_GLUED_OR_END = re.compile(r"[^\W_]|[ \t]*(?:\d{1,3}[ \t]*)?(?:\n|$)")
_LONG_HEADER_WORDS = 6  # a header this long is no word's beginning where it is glued to one
_NUMBER_WORD = re.compile(r"(?:\b(?:artikel|hoofdstuk|paragraaf|afdeling|titel|bijlage|deel|"
                          r"lid|pagina|blz|nr|nummer)\.?|§)[ \t]*$", re.IGNORECASE)


def _word_end(texts: list[str], k: int) -> bool:
    """Whether the common prefix `texts[0][:k]` ends a word: one text ends or has a blank
    there, three or more go on differently, or a lower-case letter is followed by a capital
    (PDF text glued: "verhaalWe")."""
    if k == 0 or texts[0][k - 1].isspace():
        return False
    after = {t[k] if len(t) > k else " " for t in texts}
    return (any(c.isspace() for c in after) or len(after) >= 3
            or (texts[0][k - 1].islower() and any(c.isupper() for c in after)))


def _common_prefix(texts: list[str]) -> str:
    """The longest common prefix of `texts` that ends a word (`_word_end`), or at a blank
    inside it; never across a line break."""
    first, n = texts[0], min(len(t) for t in texts)
    k = 0
    while k < n and first[k] != "\n" and all(t[k] == first[k] for t in texts):
        k += 1
    if _word_end(texts, k):
        return first[:k]
    while k > 0 and not first[k - 1].isspace():
        k -= 1
    return first[:k].rstrip()


def _word_start(texts: list[str], k: int) -> bool:
    """Whether the common suffix `texts[0][-k:]` starts a word: one text has a blank or
    nothing before it, or three or more differ there (mirror of `_word_end`)."""
    if k == 0 or texts[0][-k].isspace():
        return False
    before = {t[-k - 1] if len(t) > k else " " for t in texts}
    return any(c.isspace() for c in before) or len(before) >= 3


def _common_suffix(texts: list[str]) -> str:
    """The longest common suffix of `texts` that starts a word (`_word_start`), or after a
    blank inside it; never across a line break."""
    first, n = texts[0], min(len(t) for t in texts)
    k = 0
    while k < n and first[-k - 1] != "\n" and all(t[-k - 1] == first[-k - 1] for t in texts):
        k += 1
    if _word_start(texts, k):
        return first[len(first) - k:]
    while k > 0 and not first[-k].isspace():
        k -= 1
    return first[len(first) - k:].lstrip() if k else ""


def _pages_apart(starts: list[int]) -> bool:
    """Whether occurrences at `starts` (two or more, in order) lie pages apart: a median gap
    of `_MIN_PAGE_GAP` characters or more (a numbered list's items lie close together)."""
    gaps = sorted(b - a for a, b in zip(starts, starts[1:], strict=False))
    return gaps[len(gaps) // 2] >= _MIN_PAGE_GAP


def _page_header_texts(original: str, min_repeats: int) -> list[str]:
    """The fixed text of each running header that follows a page number: occurrences of a
    page number followed by the same first words (numbers masked), `min_repeats` or more,
    whose numbers mostly increase and which lie pages apart (a numbered list's items lie close
    together); the header is what all of them share. A number after "artikel", "lid" and the
    like is not a page number."""
    groups: dict[str, list[tuple[int, int, int]]] = {}  # head -> (number, start, text start)
    for m in _PAGE_HEAD.finditer(original):
        line_start = original.rfind("\n", 0, m.start()) + 1
        if _NUMBER_WORD.search(original, line_start, m.start()):
            continue
        words = original[m.end():m.end() + 80].split("\n", 1)[0].split()[:_HEAD_WORDS]
        if len(words) < 2 or not _WORD.search(" ".join(words)):
            continue
        head = _NUMBERS.sub("#", " ".join(words))
        groups.setdefault(head, []).append((int(m.group(1)), m.start(), m.end()))
    out = []
    for found in groups.values():
        if len(found) < min_repeats:
            continue
        numbers = [n for n, _, _ in found]
        rising = sum(b > a for a, b in zip(numbers, numbers[1:], strict=False))
        if (rising < _MIN_INCREASING * (len(found) - 1)
                or not _pages_apart([start for _, start, _ in found])):
            continue
        shared = _common_prefix([original[t:t + 200] for _, _, t in found])
        if len(shared.split()) >= 2 and _WORD.search(shared):
            out.append(shared)
    return out


def page_headers(original: str, min_repeats: int = MIN_REPEATS) -> list[tuple[int, int]]:
    """`[start, end)` spans of running headers that follow a page number mid-line
    (`_page_header_texts`): every occurrence of such a header, with its page number where one
    opens it, also where it is glued to the text before or after it. A variable part that
    several occurrences share after it (the chapter: "Economie en Ondernemen") is cut with it."""
    spans: list[tuple[int, int]] = []
    for shared in _page_header_texts(original, min_repeats):
        body = _words_pattern([_NUMBERS.split(w) for w in shared.split()])
        # glued anywhere, but not inside a word (`_glued_start`); a short one before no
        # lower-case letter ("Nu doorpakkenWopke" is cut); a long one may be glued to a word
        # ("... lees je op d66.nl/eennieuwbeginbescherming tegen ...")
        long = len(shared.split()) >= _LONG_HEADER_WORDS
        after = ("" if long else r"(?![a-zß-ÿ])" if shared[-1].islower() else
                 r"(?![^\W\d_])" if shared[-1].isalpha() else "")
        found = list(re.finditer(rf"(?:(?P<page>{_PAGE_NUMBER})[ \t]*(?:\|[ \t]*)?)?"
                                 rf"{_glued_start(shared)}{body}{after}", original))
        before = _shared_before(original, found, min_repeats)
        rests = [original[m.end():m.end() + 200] for m in found]
        pads = [len(r) - len(r.lstrip(" \t")) for r in rests]
        rests = [r.lstrip(" \t") for r in rests]
        by_next: dict[str, list[int]] = {}  # the part after it that several occurrences share
        for i, rest in enumerate(rests):
            if rest[:1].isalpha() and not long:  # a long one is whole: "Voorwoord" stays
                by_next.setdefault(rest[:3], []).append(i)
        extra = [0] * len(rests)
        for members in by_next.values():
            more = len(_common_prefix([rests[i] for i in members])) if len(members) >= 2 else 0
            # a chapter is glued to the text after it, or ends the line, somewhere
            # ("Defensieduidelijk", "Veiligheid73"); the first word that two glued sentences
            # happen to share ("De gemeente", "De overheid") is followed by a blank each time
            if more and any(_GLUED_OR_END.match(rests[i], more) for i in members):
                for i in members:
                    extra[i] = pads[i] + more
        for m, more, less in zip(found, extra, before, strict=True):
            start, end = _without_blanks(m)
            spans.append((start - less, end + more))
    return sorted(spans)


def _shared_before(original: str, found: list[re.Match[str]], min_repeats: int) -> list[int]:
    """Per header occurrence, the length of the fixed text printed before its page number
    that most occurrences share ("Een nieuw begin - Laat iedereen vrij, maar niemand
    vallen.126 | Verkiezingsprogramma ..."), or 0. Shared by at least half the occurrences
    (and `min_repeats`) and two words long, so the text a few happen to end with stays."""
    out = [0] * len(found)
    texts: dict[int, str] = {}
    for i, m in enumerate(found):
        if m.group("page"):
            window = max(0, m.start() - 200)
            line_start = original.rfind("\n", window, m.start()) + 1
            texts[i] = original[max(line_start, window):m.start()]
    by_end: dict[str, list[int]] = {}
    for i, text in texts.items():
        if text[-3:].strip():
            by_end.setdefault(text[-3:], []).append(i)
    for members in by_end.values():
        if len(members) < max(min_repeats, len(texts) / 2):
            continue
        shared = _common_suffix([texts[i] for i in members])
        if len(_WORD.findall(shared)) >= 2:
            for i in members:
                out[i] = len(shared)
    return out


def running_headers(original: str) -> list[tuple[int, int]]:
    """The running headers of a paged document's text: `repeated_lines` and `page_headers`,
    sorted, overlapping spans merged."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(repeated_lines(original) + page_headers(original)):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out

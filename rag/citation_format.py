"""Citations in a standard Dutch form, and slicing an original around a passage.

    format_citation("Brief", "2018-04-05", 2, "de zorg- en\\nwelzijnsdriehoek")
    -> '“de zorg- en welzijnsdriehoek” — Brief, 5 april 2018, p. 2'

The quote is the verbatim original wording; only its whitespace is folded to single spaces
(line breaks of a PDF extraction are layout, not wording). A quote longer than `max_chars` is
shortened at a word boundary and ends with "…".
"""

from __future__ import annotations

import re

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
ELLIPSIS = "…"
_WS = re.compile(r"\s+")


def format_date(date: str | None) -> str:
    """'2018-04-05' -> '5 april 2018'; '2021-02' -> 'februari 2021'; '2021' -> '2021'."""
    if not date:
        return ""
    parts = date.split("-")
    try:
        nums = [int(p) for p in parts[:3]]
    except ValueError:
        return date
    if len(nums) >= 2 and 1 <= nums[1] <= 12:
        month = MONTHS[nums[1] - 1]
        if len(nums) == 3 and nums[2]:
            return f"{nums[2]} {month} {nums[0]}"
        return f"{month} {nums[0]}"
    return str(nums[0])


def shorten(text: str, max_chars: int) -> str:
    """`text` with whitespace folded, cut at a word boundary to at most `max_chars` + "…"."""
    text = _WS.sub(" ", text).strip()
    if max_chars <= 0 or len(text) <= max_chars:
        return text
    cut = text[: max_chars - len(ELLIPSIS) + 1]
    space = cut.rfind(" ")
    # cut at a word boundary unless it lies too far back
    cut = cut[:space] if space > max_chars // 3 else cut[: max_chars - len(ELLIPSIS)]
    return cut.rstrip(" ,;:.-–—") + ELLIPSIS


def location(date: str | None, page: int | None) -> str:
    """`2018-04-05, p. 2` (as stored; parts that are unknown are left out)."""
    return ", ".join(x for x in (date, f"p. {page}" if page else None) if x)


def headline(title: str, date: str | None, page: int | None) -> str:
    """`Title (2018-04-05, p. 2)`: a source's heading in the CLI and the staff tabs."""
    where = location(date, page)
    return title + (f" ({where})" if where else "")


def quoted(quote: str, max_chars: int = 300) -> str:
    """The quote between “ ”, or between ‘ ’ when it holds double quotes itself (no nested
    “ “ ” ”; the wording inside stays exactly as written)."""
    text = shorten(quote, max_chars)
    return f"‘{text}’" if any(c in text for c in "“”\"„") else f"“{text}”"


def format_citation(title: str, date: str | None, page: int | None, quote: str,
                    max_chars: int = 300, reference: str | None = None) -> str:
    """`“quote” — Title, 5 april 2018, p. 2` (parts that are unknown are left out), or
    `“quote” — artikel 2, tweede lid, Grondwet` when the passage has an official `reference`
    (rag/references.py)."""
    where = reference or ", ".join(
        x for x in (title.strip(), location(format_date(date), page)) if x)
    return quoted(quote, max_chars) + (" — " + where if where else "")


def _snap_back(text: str, pos: int, limit: int) -> int:
    """Move `pos` forward to the start of a word (not past `limit`)."""
    if pos <= 0:
        return 0
    space = text.find(" ", pos, limit)
    nl = text.find("\n", pos, limit)
    cands = [c for c in (space, nl) if c != -1]
    return min(cands) + 1 if cands else pos


def _snap_forward(text: str, pos: int, limit: int) -> int:
    """Move `pos` back to the end of a word (not before `limit`)."""
    if pos >= len(text):
        return len(text)
    cut = max(text.rfind(" ", limit, pos), text.rfind("\n", limit, pos))
    return cut if cut > limit else pos


def source_view(original: str, start: int, end: int,
                context: int | None = None) -> tuple[str, str, str]:
    """(before, passage, after) of `original` around `[start, end)`.

    `context=None`: the whole document. Otherwise about `context` characters each side, cut
    at word boundaries. Offsets are clamped to the text.
    """
    n = len(original)
    start = max(0, min(start, n))
    end = max(start, min(end, n))
    if context is None:
        return original[:start], original[start:end], original[end:]
    b = _snap_back(original, start - context, start) if start - context > 0 else 0
    a = _snap_forward(original, end + context, end) if end + context < n else n
    return original[b:start], original[start:end], original[end:a]

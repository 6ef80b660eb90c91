"""Normalise extracted text for retrieval while keeping a map back to the original.

PDF-extracted text has hard line breaks inside sentences, words hyphenated across lines and
blank lines in the middle of sentences. `normalize` joins those, folds whitespace, and keeps
paragraph breaks as a single "\\n" where the text really starts a new block. Every character of
the normalised text records the index of the original character it came from, so a span of the
normalised text maps back to the exact original wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"(?P<hyph>(?<=[^\W\d_])-[ \t]*\r?\n\s*(?=[a-zà-ÿ]))"  # word- \n word -> joined
    r"|(?P<ws>\s+)"
)
_SENTENCE_END = set(".!?:;")
_BLOCK_START = set("#*•-–—>|") | set("0123456789")
# a number that goes on with the sentence: a percentage, or a lower-case word after it
_CONTINUES = re.compile(r"\d+(?:[.,]\d+)?(?:[ \t]*%|[ \t]+[a-z])")


@dataclass(frozen=True)
class Normalized:
    """Normalised text plus, per character, the index of its original character."""

    text: str
    offsets: list[int]
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised `[start, end)` span to the `[start, end)` span of the original."""
        if end <= start:
            pos = self.offsets[start] if start < len(self.offsets) else self.original_length
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


def _is_paragraph_break(run: str, prev: str, nxt: str, rest: str = "") -> bool:
    """Whether the whitespace `run` between `prev` and `nxt` (and `rest`, the text from `nxt`
    on) breaks a paragraph. A line that starts with a number is a list item or page number,
    except in a sentence that goes on ("tenminste\\n50% minder energie", "voor\\n2030 en")."""
    if "\n" not in run or not prev or not nxt:
        return False
    if prev in _SENTENCE_END:
        return True
    if nxt in _BLOCK_START:
        return not (prev.islower() or prev == ",") or not _CONTINUES.match(rest)
    blank_line = run.count("\n") >= 2
    return blank_line and (nxt.isupper() or nxt in "\"'“‘(") and prev not in "-–("


def normalize(original: str) -> Normalized:
    """Join hyphenated line breaks, fold whitespace, keep real paragraph breaks as "\\n"."""
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _TOKEN.finditer(original):
        for i in range(pos, m.start()):
            out.append(original[i])
            offsets.append(i)
        pos = m.end()
        if m.group("hyph") is not None:
            continue
        if not out or m.end() == len(original):
            continue  # leading / trailing whitespace
        nxt = original[m.end()]
        rest = original[m.end(): m.end() + 24] if nxt.isdigit() else ""
        sep = "\n" if _is_paragraph_break(m.group("ws"), out[-1], nxt, rest) else " "
        out.append(sep)
        offsets.append(m.start())
    for i in range(pos, len(original)):
        out.append(original[i])
        offsets.append(i)
    return Normalized("".join(out), offsets, len(original))

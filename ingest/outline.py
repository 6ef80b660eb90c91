"""A document's structure, read once: which unit every offset falls in.

`Outline(original, identifier)` finds the units a civil servant cites by
(rules in ingest/structure.py) and answers, by bisection, for any offset:
- laws in Markdown: `artikel` and `lid` (member), and the `kop` (chapter, title or afdeling
  heading) the article sits under;
- officielebekendmakingen publications: `publicatie` ("Handelingen II 2017/18, nr. 70,
  item 10") and, in Handelingen, the `spreker` of the spreekbeurt;
- other Markdown texts: the nearest heading above as `kop`.

The chunker uses it twice: `hard_starts` (articles: a chunk never straddles two) and
`soft_starts` (spreekbeurten: a chunk holds whole spreekbeurten where they fit), and every
chunk gets `at(chunk.char_start)` plus the speakers it holds as its `structure` metadata.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from ingest.structure import (
    _ARTICLE,
    _MEMBER,
    LawPlace,
    Publication,
    article_blocks,
    publication,
    speaker_lines,
)

_ANY_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]*(\S[^\n]*?)[ \t#]*$", re.MULTILINE)


def _last(positions: list[int], offset: int) -> int:
    """Index of the last position <= offset, or -1."""
    return bisect_right(positions, offset) - 1


class Outline:
    """Structural units of one document (its original text) and where each offset sits."""

    def __init__(self, original: str, identifier: str | None = None) -> None:
        self._pub = publication(identifier, original)
        self.is_law = self._pub is None and _ARTICLE.search(original) is not None
        self._articles = [(m.start(), m.end(), m.group(1)) for m in _ARTICLE.finditer(original)]
        self._art_pos = [a[0] for a in self._articles]
        heads = [(m.start(), " ".join(m.group(1).split())) for m in _ANY_HEADING.finditer(original)]
        # a kop is any heading that is not itself an article heading
        art_starts = set(self._art_pos)
        self._heads = [h for h in heads if h[0] not in art_starts]
        self._head_pos = [h[0] for h in self._heads]
        self._any_head_pos = [h[0] for h in heads]
        self._members = [(m.start(), int(m.group(1))) for m in _MEMBER.finditer(original)]
        self._member_pos = [m[0] for m in self._members]
        handelingen = self._pub is not None and self._pub.kind == "handelingen"
        self._speakers = speaker_lines(original) if handelingen else []
        self._speaker_pos = [s[0] for s in self._speakers]
        self._blocks = article_blocks(original) if self.is_law else []

    @property
    def hard_starts(self) -> list[int]:
        """Offsets where a chunk must begin: each article (with the headings right above)."""
        return self._blocks

    @property
    def soft_starts(self) -> list[int]:
        """Offsets where a chunk should begin when the unit does not fit: each spreekbeurt."""
        return self._speaker_pos

    @property
    def publication(self) -> Publication | None:
        """The officielebekendmakingen publication the document is, if any."""
        return self._pub

    def place(self, offset: int) -> LawPlace | None:
        """The article (and member) of a law that holds `offset`; None outside any article
        (a heading after the article closes it) or in a text that is no law."""
        i = _last(self._art_pos, offset) if self.is_law else -1
        if i < 0:
            return None
        _, end, number = self._articles[i]
        nxt = _last(self._any_head_pos, offset)  # a later heading closes the article
        if nxt >= 0 and self._any_head_pos[nxt] >= end:
            return None
        j = _last(self._member_pos, offset)
        return LawPlace(number, self._members[j][1] if j >= 0 and self._member_pos[j] >= end
                        else None)

    def speaker(self, offset: int) -> str | None:
        """The speaker of the Handelingen spreekbeurt holding `offset` ("De heer Koerhuis
        (VVD)"); None before the first and in other documents."""
        s = _last(self._speaker_pos, offset)
        return self._speakers[s][1] if s >= 0 else None

    def at(self, offset: int) -> dict[str, str]:
        """The structural place of `offset` (keys: artikel, lid, kop, publicatie, spreker;
        only those that apply)."""
        out: dict[str, str] = {}
        if self._pub is not None:
            out["publicatie"] = self._pub.cite()
        if art := self.place(offset):
            out["artikel"] = art.article
            if art.member:
                out["lid"] = str(art.member)
        if (h := _last(self._head_pos, offset)) >= 0 and self._pub is None:
            out["kop"] = self._heads[h][1]
        if who := self.speaker(offset):
            out["spreker"] = who
        return out

    def speakers(self, start: int, end: int) -> list[str]:
        """The speakers of the spreekbeurten overlapping `[start, end)`, in order, once each."""
        i = max(_last(self._speaker_pos, start), 0)
        out: list[str] = []
        for pos, name in self._speakers[i:]:
            if pos >= end:
                break
            if (pos >= start or not out) and name not in out:
                out.append(name)
        return out

    def of_span(self, start: int, end: int) -> dict[str, str]:
        """`at(start)`, plus `sprekers` (all speakers, "; "-joined) when a chunk holds more
        than one spreekbeurt. A law's chunk that opens with chapter headings names the
        article that follows them."""
        out = self.at(start)
        if self.is_law and "artikel" not in out:
            i = bisect_left(self._art_pos, start)
            if i < len(self._art_pos) and self._art_pos[i] < end:
                out = self.at(self._art_pos[i])
        names = self.speakers(start, end)
        if len(names) > 1:
            out["sprekers"] = "; ".join(names)
        return out

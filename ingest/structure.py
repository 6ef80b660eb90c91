"""Where a passage sits in a document's structure, as a civil servant cites it.

Pure functions over a document's original text (and the publication identifier an
officielebekendmakingen XML file carries):
- laws in Markdown (`### Artikel 2`, members `1.`, `2.` at the start of a line): the article
  and member (lid) at an offset; Awb-style numbers such as `3:4` are kept as written;
- Handelingen (`h-tk-20172018-70-10`): chamber, vergaderjaar, number and agenda item, and the
  speaker of the spreekbeurt at an offset (the spreker lines of the extracted text);
- Kamerstukken (`kst-35570-3`): dossier and number, the vergaderjaar from the text;
- Staatscourant and Staatsblad (`stcrt-2018-12345`, `stb-2017-82`): year and number.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

ORDINALS = ("eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste",
            "negende", "tiende", "elfde", "twaalfde", "dertiende", "veertiende", "vijftiende",
            "zestiende", "zeventiende", "achttiende", "negentiende", "twintigste")

_ARTICLE = re.compile(r"^#{2,}\s*Artikel\s+([0-9][0-9a-zA-Z:.]*?|[A-Z][a-z]?[ \t]\d+[a-z]*"
                      r"|[IVXLC]+[a-z]?)\.?\s*$", re.MULTILINE)
_HEADING_OR_BLANK = re.compile(r"^(?:#{1,6}[^\n]*|[ \t]*)$")
_MEMBER = re.compile(r"^[ \t]*(\d{1,2})\.[ \t]+\S", re.MULTILINE)
_HANDELINGEN = re.compile(r"\bh-(tk|ek)-(\d{4})(\d{4})-(\d+)-(\d+)\b")
_KAMERSTUK = re.compile(r"\bkst-(\d+)-(\d+)\b")
_STAATSCOURANT = re.compile(r"\b(stcrt|stb)-(\d{4})-(\d+)\b")
_VERGADERJAAR = re.compile(r"Vergaderjaar\s+(\d{4})\s*[–-]\s*(\d{4})")
_SPEAKER = re.compile(
    r"^((?:De heer|Mevrouw|De voorzitter|Voorzitter|Minister|Staatssecretaris|Minister-"
    r"president|De minister|De staatssecretaris)\b[^\n]{0,100}):[ \t]*$", re.MULTILINE)
_IDENTIFIER = re.compile(r"\b((?:h|kst|stcrt|stb|trb|ah|blg)-[a-z0-9-]+?)(?:/|\.xml\b|$)")


def speaker_lines(text: str) -> list[tuple[int, str]]:
    """(start, speaker) of each Handelingen speaker line in `text` ("Minister De Jonge:"):
    the spreekbeurt it opens runs to the next one."""
    return [(m.start(), m.group(1).strip()) for m in _SPEAKER.finditer(text)]


def is_speaker_line(text: str) -> bool:
    """A Handelingen speaker line on its own ("De heer Kops (PVV):"): a turn's label, not
    something the speaker says."""
    return bool(_SPEAKER.fullmatch(text.strip()))


@lru_cache(maxsize=1024)  # the answerer asks for every candidate sentence of a passage
def _speaker_index(text: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
    lines = speaker_lines(text)
    return tuple(pos for pos, _ in lines), tuple(name for _, name in lines)


def speaker_before(text: str, offset: int) -> str | None:
    """The speaker of the spreekbeurt holding `offset` in `text`: the last speaker line that
    starts before it (a speaker line itself, quoted as a sentence, still counts to the turn
    before, as the answerer has always had it), or None."""
    starts, names = _speaker_index(text)
    i = bisect_left(starts, offset) - 1
    return names[i] if i >= 0 else None


@dataclass(frozen=True)
class LawPlace:
    article: str
    member: int | None = None

    def cite(self, law: str | None) -> str:
        """`artikel 2, tweede lid, Grondwet` (`artikel 3:4 Awb`-style numbers as written)."""
        parts = [f"artikel {self.article}"]
        if self.member:
            word = ORDINALS[self.member - 1] if self.member <= len(ORDINALS) else f"{self.member}e"
            parts.append(f"{word} lid")
        text = ", ".join(parts)
        return f"{text}, {law}" if law else text


def article_blocks(original: str) -> list[int]:
    """Where each article begins, taking along the headings right above it (a chapter, title
    or afdeling that opens with this article), in order."""
    out = []
    for m in _ARTICLE.finditer(original):
        start = m.start()
        while start > 0:
            prev = original.rfind("\n", 0, start - 1) + 1
            if not _HEADING_OR_BLANK.match(original[prev:start - 1]):
                break
            start = prev
        out.append(start)
    return out


def is_law(original: str) -> bool:
    """A text with article headings (`### Artikel 1`)."""
    return _ARTICLE.search(original) is not None


@dataclass(frozen=True)
class Publication:
    """An officielebekendmakingen publication: Handelingen or Kamerstukken."""

    kind: str  # "handelingen" | "kamerstukken" | "staatscourant" | "staatsblad"
    chamber: str  # "I" | "II"
    year: str | None  # vergaderjaar "2017/18"
    number: str  # Handelingen: vergadering; Kamerstukken: the nr. within the dossier
    item: str | None = None  # Handelingen: agenda item
    dossier: str | None = None  # Kamerstukken: "35 570"

    def cite(self, page: int | None = None) -> str:
        """`Handelingen II 2017/18, nr. 70, item 10`; `Kamerstukken II 2020/21, 35 570, nr. 3,
        p. 4`."""
        if self.kind in ("staatscourant", "staatsblad"):
            short = "Stcrt." if self.kind == "staatscourant" else "Stb."
            return f"{short} {self.year}, {self.number}" + (f", p. {page}" if page else "")
        if self.kind == "handelingen":
            text = f"Handelingen {self.chamber} {self.year}, nr. {self.number}"
            text += f", item {self.item}" if self.item else ""
            return text
        text = f"Kamerstukken {self.chamber} {self.year or ''}".rstrip()
        text += f", {self.dossier}, nr. {self.number}"
        return text + (f", p. {page}" if page else "")


def _year(first: str, second: str) -> str:
    return f"{first}/{second[2:]}"


def _dossier(number: str) -> str:
    """Dossier numbers are written in groups of three from the right: 35570 -> 35 570."""
    groups = []
    while len(number) > 3:
        groups.insert(0, number[-3:])
        number = number[:-3]
    return " ".join([number, *groups])


def publication(identifier: str | None, original: str = "") -> Publication | None:
    """The publication an identifier (`h-tk-20172018-70-10`, `kst-35570-3`) names."""
    if not identifier:
        return None
    if m := _HANDELINGEN.search(identifier):
        chamber = "II" if m.group(1) == "tk" else "I"
        return Publication("handelingen", chamber, _year(m.group(2), m.group(3)), m.group(4),
                           m.group(5))
    if m := _STAATSCOURANT.search(identifier):
        kind = "staatscourant" if m.group(1) == "stcrt" else "staatsblad"
        return Publication(kind, "", m.group(2), m.group(3))
    if m := _KAMERSTUK.search(identifier):
        y = _VERGADERJAAR.search(original[:3000])
        chamber = "I" if "Eerste Kamer" in original[:3000] else "II"
        return Publication("kamerstukken", chamber, _year(*y.groups()) if y else None,
                           m.group(2), dossier=_dossier(m.group(1)))
    return None


def identifier_of(text: str) -> str | None:
    """The publication identifier in a metadata URL or file name
    (`https://zoek.officielebekendmakingen.nl/h-tk-20172018-70-10/metadata.xml`)."""
    m = _IDENTIFIER.search(text)
    return m.group(1) if m else None

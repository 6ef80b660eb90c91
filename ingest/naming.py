"""The name a citation gives a document, so that a reader can find it.

    a law          -> its citeertitel or short name: "Grondwet", "Wet op de lijkbezorging"
    a programme    -> "Verkiezingsprogramma PVV 2021"
    a letter       -> "Brief van <afzender> aan de heer Rutte" (sender where the text or the
                      sidecar names one)
    Handelingen    -> the item's title, else "Handelingen II 2017/18, nr. 70, item 1"
    anything else  -> the title the loader found

Pure functions over the loader's title, the original text and the file name; a sidecar's
`title` still overrides everything (ingest/loaders.py).
"""

from __future__ import annotations

import re

from ingest.structure import is_law, publication
from ingest.titles import citeertitel, clean_title

_PAREN_NAME = re.compile(r"\(([^()]{3,120})\)\s*$")
_DATED_LAW = re.compile(r"^(?:Rijks)?[Ww]et van \d{1,2} \w+ (\d{4}),? houdende")
_JAARTAL = re.compile(r"\s+met vermelding van het jaartal.*$", re.IGNORECASE)
_BWB = re.compile(r"[_ ]?BWBR\d+$", re.IGNORECASE)
_SALUTATION = re.compile(r"^[ \t]*Geachte[ \t]+((?:heer|mevrouw|(?:dames en heren))\b[^,\n]{0,60})"
                         r"[ \t]*,", re.MULTILINE | re.IGNORECASE)
_CLOSING = re.compile(r"^[ \t]*(?:Met vriendelijke groet(?:en)?|Hoogachtend|Namens)[^\n]*\n"
                      r"(?:[ \t]*\n)*[ \t]*([^\n]{3,80}?)[ \t]*$", re.MULTILINE | re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(20\d\d|19\d\d)(?!\d)")
_PROGRAMME = re.compile(r"\bverkiezings-?\s*programma", re.IGNORECASE)

# party names as their programmes and citations write them, by the keys a file name or text uses
PARTIES = {
    "vvd": "VVD", "pvv": "PVV", "cda": "CDA", "d66": "D66", "groenlinks": "GroenLinks",
    "sp": "SP", "pvda": "PvdA", "christenunie": "ChristenUnie",
    "pvdd": "Partij voor de Dieren (PvdD)", "partij voor de dieren": "Partij voor de Dieren (PvdD)",
    "50plus": "50PLUS", "vijftigplus": "50PLUS", "sgp": "SGP", "denk": "DENK",
    "fvd": "Forum voor Democratie (FvD)", "forum voor democratie": "Forum voor Democratie (FvD)",
    "ja21": "JA21", "volt": "Volt", "bij1": "BIJ1", "bbb": "BoerBurgerBeweging (BBB)",
    "boerburgerbeweging": "BoerBurgerBeweging (BBB)",
}  # a long name carries the short one citizens use ("Wat wil de BBB ...")
_PARTY_IN_TEXT = re.compile(r"\b(VVD|PVV|CDA|D66|GroenLinks|SP|PvdA|ChristenUnie|Partij voor de "
                            r"Dieren|50PLUS|SGP|DENK|Forum voor Democratie|JA21|Volt|BIJ1|"
                            r"BoerBurgerBeweging)\b")


def law_title(title: str, original: str, stem: str) -> str:
    """A law's citeertitel where its text gives one (a "met vermelding van het jaartal"
    title gets the year of its Staatsblad), else the name in parentheses of a "Wet van ...,
    houdende ... (Naam)" title, "Grondwet", or the name in the file name for an untitled
    "Wet van <datum>, houdende ..."."""
    title = " ".join(title.split())
    dated = _DATED_LAW.match(title)
    if (cite := citeertitel(original)) and cite.lower() != title.lower():
        if _JAARTAL.search(cite) or cite.endswith("…"):
            cite = _JAARTAL.sub("", cite).rstrip("…").strip()
            if dated and not _YEAR.search(cite):
                cite = f"{cite} {dated.group(1)}"
        return cite
    if m := _PAREN_NAME.search(title):
        return m.group(1).strip()
    if title.startswith("Grondwet"):
        return "Grondwet"
    if dated and (name := _BWB.sub("", stem).replace("_", " ").strip()) and "wet" in name.lower():
        return name[0].upper() + name[1:]
    return title


def programme_party(stem: str, original: str) -> str | None:
    """The party of an election programme: from its file name ("PVV_2021"), else the party
    its opening text names most often."""
    words = re.split(r"[_\-\s.]+", stem.lower())
    for word in words:
        if word in PARTIES:
            return PARTIES[word]
    counts: dict[str, int] = {}
    for m in _PARTY_IN_TEXT.finditer(original[:20000]):
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    if not counts:
        return None
    return PARTIES.get(max(counts, key=counts.__getitem__).lower(), max(counts, key=counts.get))


def is_programme(place: str, original: str) -> bool:
    """An election programme: its folder or file name says so, or its opening text names
    itself one ("Verkiezingsprogramma", also "VERKIEZINGS- PROGRAMMA")."""
    if _PROGRAMME.search(place):
        return True
    return any(not original[m.end():m.end() + 1].isalpha() and original[m.end():m.end() + 1] != "'"
               for m in _PROGRAMME.finditer(original[:3000]))


def programme_title(stem: str, original: str) -> str | None:
    """"Verkiezingsprogramma PVV 2021" (year from the file name or the opening text)."""
    party = programme_party(stem, original)
    if party is None:
        return None
    year = _YEAR.search(stem) or _YEAR.search(original[:3000])
    return f"Verkiezingsprogramma {party}" + (f" {year.group(1)}" if year else "")


def letter_parties(original: str) -> tuple[str | None, str | None]:
    """(sender, addressee) of a letter: the addressee from its salutation ("Geachte heer
    Rutte," -> "de heer Rutte"), the sender from the line after its closing ("Met
    vriendelijke groet," / "Namens"); None where the text does not say."""
    m = _SALUTATION.search(original[:1500])
    if m is None:
        return None, None
    addressee = " ".join(m.group(1).split())
    if not addressee.lower().startswith("dames"):
        addressee = "de " + addressee[0].lower() + addressee[1:]
    close = _CLOSING.search(original, m.end())
    sender = close.group(1).strip(" ,") if close else None
    return sender or None, addressee


def letter_title(original: str, sender: str | None = None,
                 addressee: str | None = None) -> str | None:
    """"Brief van <sender> aan <addressee>" (or "Brief aan <addressee>"); None when the text
    is not a letter."""
    found_sender, found_addressee = letter_parties(original)
    sender, addressee = sender or found_sender, addressee or found_addressee
    if addressee is None:
        return None
    return f"Brief van {sender} aan {addressee}" if sender else f"Brief aan {addressee}"


def document_name(title: str, original: str, stem: str, identifier: str | None = None,
                  meta: dict[str, str] | None = None, folder: str = "") -> str:
    """The name citations give a document (see the module docstring); `meta` is the sidecar
    (`title`, `afzender`, `geadresseerde`), `folder` the name of the folder it lies in."""
    meta = meta or {}
    if meta.get("title"):
        return meta["title"]
    pub = publication(identifier, original)
    if pub is not None:
        return pub.cite() if title.startswith("Handelingen ") else title
    if is_law(original) or citeertitel(original):
        return clean_title(law_title(title, original, stem), limit=200) or title
    if is_programme(f"{folder} {stem}", original) and (name := programme_title(stem, original)):
        return name
    letter = letter_title(original, meta.get("afzender"), meta.get("geadresseerde"))
    return letter or title

"""Who says a sentence in the Handelingen, and whom a question asks about.

"Wat zegt minister De Jonge over ...?", "Waarom vindt VVD-Kamerlid Veldman ...?": the answer is
in that speaker's spreekbeurt, not in the motion another member read out just before it.
"""

from __future__ import annotations

import re

from ingest.structure import speaker_before
from vectorstore.records import Hit

_NAME = (r"((?:(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]en|[Tt]er)\s+)*"
         r"[A-Z][^\W\d_]+(?:-[A-Z][^\W\d_]+)?)")
# a speaker as a question names one: "minister De Jonge", "GroenLinks-Kamerlid Van der Lee",
# "PVV'er Agema", "mevrouw Dijksma"
_TITLED = re.compile(r"\b(?:[Mm]inister(?:-president)?|[Ss]taatssecretaris|[Pp]remier|"
                     r"(?:[A-Z][\w]*-)?[Kk]amerlid|[Dd]e\s+heer|[Mm]evrouw|[A-Z][\w]*'er)\s+"
                     + _NAME)
_VOLGENS = re.compile(r"\bvolgens\s+(?:de\s+|het\s+)?$", re.IGNORECASE)
_SAYS = re.compile(r"\b(?:zegt|zei|vindt|vond|antwoordt|antwoordde|schrijft|schreef|noemt|"
                   r"noemde|erkent|verklaart|verklaarde)\s+$", re.IGNORECASE)


def sentence_speaker(hit: Hit, offset: int) -> str | None:
    """The speaker of the spreekbeurt holding `offset` (into the document) in a Handelingen
    passage, or None: a passage may hold a Kamerlid's motion and the minister's answer."""
    who = hit.structure.get("spreker")
    if who and hit.structure.get("sprekers"):
        who = speaker_before(hit.original, offset - hit.char_start) or who
    return who


def asked_speaker(question: str) -> str | None:
    """The last word of the name of the speaker whose words `question` asks for ("jonge" in
    "volgens minister De Jonge"): the one after "volgens" or a verb of speech, else the only
    titled name; None when there is none or it is ambiguous."""
    found = [(m, m.group(1).split()[-1].lower()) for m in _TITLED.finditer(question)]
    for m, name in found:
        before = question[: m.start()]
        if _VOLGENS.search(before) or _SAYS.search(before):
            return name
    names = {name for _, name in found}
    return names.pop() if len(names) == 1 else None


def spoken_by(speaker: str | None, name: str) -> bool:
    """Whether the speaker line ("Minister De Jonge", "Mevrouw Agema ( PVV )") is `name`'s."""
    return bool(speaker) and name in re.findall(r"[^\W\d_][\w'-]*", speaker.lower())

"""Opening a citation again: the cited passage of a document version, as staff check it.

`open_passage(catalog, source, start, end, version)` reads the indexed version, or an older
version kept when the document was re-ingested (vectorstore/versions.py), and returns the
passage with its context, its citation and whether it comes from an older version. The CLI's
`show` and the app's viewer both use it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from rag.citation_format import format_citation, source_view
from rag.references import official_reference, short_version
from rag.types import SourceSpan


def older_version_note(version: str | None, current: str | None) -> str | None:
    """The Dutch note for a passage quoted from document version `version` when the index
    now holds `current` (None: the document is gone); None when it is the indexed one."""
    if not version:
        return None
    if current is None:
        return f"Dit document (versie {version}) staat niet meer in de index."
    if current != version:
        return (f"Uit een oudere versie ({version}) van dit document; de geïndexeerde "
                f"versie is {current}.")
    return None


class PassageError(Exception):
    """The passage cannot be opened; the message says why, in Dutch."""


@dataclass(frozen=True)
class CitedPassage(SourceSpan):
    """A passage opened again, with its whole context (`before`, `after`)."""

    before: str
    after: str
    citation: str | None
    reference: str | None
    version: str | None
    older_version: bool  # not the version the index holds now
    current_version: str | None

    def as_json(self) -> dict:
        """The `show --json` shape (`current_version` added compatibly)."""
        return asdict(self)

    @property
    def older_note(self) -> str | None:
        """The Dutch note for a citation from an older version (None for the current one)."""
        return older_version_note(self.version, self.current_version)


def open_passage(catalog, source: str, start: int, end: int | None = None,
                 version: str | None = None, context: int | None = None) -> CitedPassage:
    """The passage `[start, end)` of `source` in `version` (a prefix of its sha256; None: the
    indexed version). `catalog`: `document`, `original`, `version`, `versions.versions`."""
    current = catalog.document(source)
    original = catalog.original(source) if current is not None else None
    if current is None or original is None:
        raise PassageError(f"document niet gevonden in de index: {source}")
    rec = current
    if version:
        found = catalog.version(source, version)
        if found is None:
            kept = ", ".join(short_version(m["sha256"]) for m in catalog.versions.versions(source))
            raise PassageError(f"versie {version} van {source} niet gevonden (huidige versie "
                               f"{short_version(current.sha256)}; bewaard: {kept or 'geen'})")
        rec, original = found
    end = start if end is None else end
    if not 0 <= start <= end <= len(original):
        raise PassageError(f"ongeldige positie [{start}:{end}] (document heeft "
                           f"{len(original)} tekens)")
    page = next((p for p, (s, e) in sorted(rec.pages.items()) if s <= start < e), None)
    before, text, after = source_view(original, start, end, context)
    ref = official_reference(rec.title, rec.identifier, original, start, page)
    return CitedPassage(
        source=source, title=rec.title, date=rec.date, page=page, char_start=start,
        char_end=end, text=text, before=before, after=after,
        citation=format_citation(rec.title, rec.date, page, text, reference=ref) if text else None,
        reference=ref, version=short_version(rec.sha256),
        older_version=rec.sha256 != current.sha256,
        current_version=short_version(current.sha256))

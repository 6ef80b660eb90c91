"""Date helpers for the loaders: prefixes, ISO/PDF/Dutch date strings -> `YYYY[-MM[-DD]]`."""

from __future__ import annotations

import re
from datetime import date

# A news item may start with " date 2021-02 " in front of its first sentence.
DATE_PREFIX = re.compile(r"^\s*date\s+(\d{4}(?:-\d{2}(?:-\d{2})?)?)\s+", re.IGNORECASE)

DUTCH_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("januari", "jan"),
            ("februari", "feb"),
            ("maart", "mrt", "mar"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augustus", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_PDF = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?!\d)")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?!\d)")
_DMY = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
_DUTCH = re.compile(r"\b(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})\b", re.IGNORECASE)


def split_date_prefix(text: str) -> tuple[str | None, str]:
    """Return `(date, rest)`: a leading `date YYYY[-MM[-DD]]` prefix parsed and removed."""
    match = DATE_PREFIX.match(text)
    if not match:
        return None, text
    value = normalise_date(match.group(1))
    if value is None:
        return None, text
    return value, text[match.end() :]


def _format(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or None when the parts are not a real date."""
    try:
        date(year, month or 1, day or 1)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def normalise_date(value: str | None) -> str | None:
    """Normalise ISO (`2021-02-03T10:00Z`), PDF (`D:20210203...`), `3-2-2021` and Dutch
    (`donderdag 5 april 2018`) dates to `YYYY-MM-DD` / `YYYY-MM` / `YYYY`; None if unparseable."""
    if not value:
        return None
    text = value.strip()
    for pattern in (_PDF, _ISO, _COMPACT):
        if match := pattern.match(text):
            return _format(*(_int(g) for g in match.groups()))
    if match := _DMY.search(text):
        return _format(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    if match := _DUTCH.search(text):
        month = DUTCH_MONTHS.get(match.group(2).lower())
        if month:
            return _format(int(match.group(3)), month, int(match.group(1)))
    return None

"""Metadata filters: restrict retrieval to chosen documents and/or a date range.

One `Filters` value gives both the Chroma `where` dict (dense) and the lexical index's
arguments; `parse_where` reads such a `where` dict back, so a retriever that only receives
`where` (the QA chain's `retrieve(query, k, where)`) can filter its lexical side too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from vectorstore.store import date_key

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _check_date(value: str) -> str:
    if not _DATE.match(value):
        raise ValueError(f"ongeldige datum {value!r}: gebruik JJJJ, JJJJ-MM of JJJJ-MM-DD")
    return value


def date_upper_key(date: str) -> int:
    """Inclusive upper bound: '2021' -> 20219999, '2021-02' -> 20210299, a day -> that day."""
    parts = date.split("-")
    key = date_key(date)
    if len(parts) == 1:
        return key + 9999
    if len(parts) == 2:
        return key + 99
    return key


@dataclass(frozen=True)
class Filters:
    """Documents (indexed sources) and/or an inclusive date range (JJJJ[-MM[-DD]])."""

    sources: list[str] | None = None
    date_from: str | None = None
    date_to: str | None = None

    def __post_init__(self) -> None:
        for d in (self.date_from, self.date_to):
            if d is not None:
                _check_date(d)

    @property
    def empty(self) -> bool:
        return self.sources is None and self.date_from is None and self.date_to is None

    def date_range(self) -> tuple[int, int] | None:
        """Inclusive `date_key` range; documents without a date never fall inside one."""
        if self.date_from is None and self.date_to is None:
            return None
        lo = date_key(self.date_from) if self.date_from else 1
        hi = date_upper_key(self.date_to) if self.date_to else 99999999
        return lo, hi

    def where(self) -> dict | None:
        """The Chroma `where` dict (None when there is no filter)."""
        clauses: list[dict] = []
        if self.sources is not None:
            clauses.append({"source": {"$in": list(self.sources)}})
        rng = self.date_range()
        if rng is not None:  # the lower bound (>= 1) also keeps undated documents out
            clauses.append({"date_key": {"$gte": rng[0]}})
            if self.date_to is not None:
                clauses.append({"date_key": {"$lte": rng[1]}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def lexical(self) -> dict:
        """Keyword arguments for `LexicalIndex.search`."""
        return {
            "sources": set(self.sources) if self.sources is not None else None,
            "date_range": self.date_range(),
        }


def parse_where(where: dict | None) -> dict:
    """`LexicalIndex.search` keyword arguments equivalent to a Chroma `where` dict.

    Understands what `Filters.where` writes plus `{"source": "..."}`, `$eq`, `$gt`, `$lt`;
    anything else raises ValueError (better than silently ignoring a filter).
    """
    sources: set[str] | None = None
    lo, hi = None, None

    def clause(c: dict) -> None:
        nonlocal sources, lo, hi
        if len(c) != 1:
            clauses(({k: v} for k, v in c.items()))
            return
        (key, cond), = c.items()
        if key == "$and":
            clauses(cond)
        elif key == "source":
            got = _sources(cond)
            sources = got if sources is None else sources & got
        elif key == "date_key":
            for op, v in (cond.items() if isinstance(cond, dict) else [("$eq", cond)]):
                v = int(v)
                if op in ("$gte", "$gt", "$eq"):
                    v2 = v + 1 if op == "$gt" else v
                    lo = v2 if lo is None else max(lo, v2)
                if op in ("$lte", "$lt", "$eq"):
                    v2 = v - 1 if op == "$lt" else v
                    hi = v2 if hi is None else min(hi, v2)
                if op not in ("$gte", "$gt", "$eq", "$lte", "$lt"):
                    raise ValueError(f"filter niet ondersteund: date_key {op}")
        else:
            raise ValueError(f"filter niet ondersteund voor lexicaal zoeken: {key}")

    def clauses(cs: Iterable[dict]) -> None:
        for c in cs:
            clause(c)

    if where:
        clause(where)
    date_range = None
    if lo is not None or hi is not None:
        date_range = (lo if lo is not None else -(10**12), hi if hi is not None else 10**12)
    return {"sources": sources, "date_range": date_range}


def _sources(cond) -> set[str]:
    if isinstance(cond, str):
        return {cond}
    if isinstance(cond, dict) and len(cond) == 1:
        (op, v), = cond.items()
        if op == "$eq":
            return {v}
        if op == "$in":
            return set(v)
    raise ValueError(f"filter niet ondersteund: source {cond!r}")

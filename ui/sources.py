"""Naming indexed documents on the command line: `--doc`, `remove`, `show`, and filters."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from vectorstore.records import Filters


def resolve_source(known: list[str], given: str) -> str | None:
    """The indexed source for `given`: exact, as a path, or as the unique end of one
    (None: no document, or several)."""
    for candidate in (given, str(Path(given).expanduser().resolve())):
        if candidate in known:
            return candidate
    matches = [s for s in known if s.endswith(given)]
    return matches[0] if len(matches) == 1 else None


def indexed_source(catalog, given: str) -> str | None:
    """`resolve_source` over the catalog's documents; None after telling stderr, in Dutch,
    that no such document is indexed (the CLI's error for `show`, `diff`, `remove`)."""
    source = resolve_source([d.source for d in catalog.documents()], given)
    if source is None:
        print(f"fout: document niet gevonden in de index: {given}", file=sys.stderr)
    return source


def add_filter_arguments(p: argparse.ArgumentParser) -> None:
    """--doc / --from / --to, shared by search, ask and eval."""
    p.add_argument("--doc", action="append", dest="docs", metavar="BRON",
                   help="alleen dit document (pad of uniek einde ervan; herhaalbaar)")
    p.add_argument("--from", dest="date_from", metavar="DATUM",
                   help="alleen documenten vanaf deze datum (JJJJ, JJJJ-MM of JJJJ-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATUM",
                   help="alleen documenten tot en met deze datum")


def filters_from_args(catalog, args: argparse.Namespace) -> Filters:
    """Filters from --doc/--from/--to; each --doc is resolved against the indexed sources."""
    sources = None
    if getattr(args, "docs", None):
        known = [d.source for d in catalog.documents()]
        sources = []
        for given in args.docs:
            source = resolve_source(known, given)
            if source is None:
                several = any(s.endswith(given) for s in known)
                what = "meerdere documenten" if several else "geen document"
                raise ValueError(f"--doc {given}: {what} in de index")
            sources.append(source)
    return Filters(sources, getattr(args, "date_from", None), getattr(args, "date_to", None))

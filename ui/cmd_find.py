"""`vraagbaak find` (phrase search) and `vraagbaak show` (source viewer) on the command line.

    vraagbaak find "de zorg- en welzijnsdriehoek" [--fuzzy] [--limit N] [--json] [--cite]
    vraagbaak show SOURCE --start N --end M [--context C] [--json]

`find --json` prints a list of hits: source, title, date, page, char_start, char_end, text (the
original wording, line breaks included), context, context_before, context_after, score, and with
`--cite` also citation. `show --json` prints source, title, date, page, char_start, char_end,
text, before, after. Errors go to stderr with a non-zero exit.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

from rag.citation_format import headline
from rag.cited import PassageError, open_passage
from rag.phrase import PhraseHit, PhraseIndex, phrase_index
from ui.sources import indexed_source

EXIT_OK, EXIT_FAIL = 0, 1
MARK_OPEN, MARK_CLOSE = "»", "«"


def add_parser(subparsers) -> None:
    """Add the `find` and `show` subcommands to the `vraagbaak` parser."""
    s = subparsers.add_parser("find", help="een letterlijke zin zoeken in alle documenten")
    s.add_argument("phrase", help="de zin; hoofdletters, regeleinden, afbrekingen en soort "
                   "aanhalingstekens maken niet uit")
    s.add_argument("--fuzzy", action="store_true", help="ook bijna-gelijke tekst (met "
                   "gelijkenis), beste eerst")
    s.add_argument("--limit", type=int, default=50, help="hoogstens zoveel resultaten")
    s.add_argument("--substring", action="store_true", help="ook binnen woorden zoeken "
                   "(standaard: alleen hele woorden, dus 'sociaal werk' niet in 'sociaal "
                   "werkers')")
    s.add_argument("--json", action="store_true")
    s.add_argument("--cite", action="store_true", help="bronvermelding per resultaat")

    s = subparsers.add_parser("show", help="een document lezen met een passage gemarkeerd")
    s.add_argument("source", help="pad zoals geïndexeerd (of een uniek einde ervan)")
    s.add_argument("--start", type=int, default=0)
    s.add_argument("--end", type=int, default=None)
    s.add_argument("--context", type=int, default=None, help="alleen zoveel tekens rond de "
                   "passage (standaard: het hele document)")
    s.add_argument("--version", help="een eerdere versie tonen (het begin van haar "
                   "inhoudshash, zoals een bronvermelding die noemt)")
    s.add_argument("--json", action="store_true")


def _print_json(obj: object) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _index(components) -> PhraseIndex:
    found = getattr(components, "phrase", None)  # a cached Components.phrase, if wired
    return found if isinstance(found, PhraseIndex) else phrase_index(components.catalog)


def hit_json(h: PhraseHit, cite: bool = False) -> dict:
    out = h.as_json()
    if cite:
        out["citation"] = h.citation()
    return out


def hits_text(hits: list[PhraseHit], cite: bool = False, fuzzy: bool = False) -> str:
    if not hits:
        return "Niet gevonden."
    blocks = []
    for n, h in enumerate(hits, 1):
        head = f"{n}. " + headline(h.title, h.date, h.page)
        if fuzzy:
            head += f"  gelijkenis {h.score:.2f}"
        loc = f"   {h.source} [{h.char_start}:{h.char_end}]"
        shown = " ".join((h.context_before + MARK_OPEN + h.text + MARK_CLOSE
                          + h.context_after).split())
        body = textwrap.indent(textwrap.fill(shown, 96), "   | ")
        block = f"{head}\n{loc}\n{body}"
        if cite:
            block += f"\n   {h.citation()}"
        blocks.append(block)
    total = f"{len(hits)} resultaten" if len(hits) != 1 else "1 resultaat"
    return "\n\n".join(blocks) + f"\n\n{total}"


def cmd_find(components, args: argparse.Namespace) -> int:
    if not args.phrase.strip():
        print("fout: lege zoekterm", file=sys.stderr)
        return EXIT_FAIL
    hits = _index(components).find(args.phrase, fuzzy=args.fuzzy, limit=max(1, args.limit),
                                   whole_words=not getattr(args, "substring", False))
    if args.json:
        _print_json([hit_json(h, args.cite) for h in hits])
    else:
        print(hits_text(hits, args.cite, args.fuzzy))
    return EXIT_OK


def cmd_show(components, args: argparse.Namespace) -> int:
    catalog = components.catalog
    source = indexed_source(catalog, args.source)
    if source is None:
        return EXIT_FAIL
    try:
        p = open_passage(catalog, source, args.start, args.end, getattr(args, "version", None),
                         args.context)
    except PassageError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return EXIT_FAIL
    if args.json:
        _print_json(p.as_json())
        return EXIT_OK
    note = f" — oudere versie {p.version}, niet de geïndexeerde" if p.older_version else ""
    print(headline(p.title, p.date, p.page) + f"\n{source} [{p.char_start}:{p.char_end}]{note}\n")
    print(p.before + MARK_OPEN + p.text + MARK_CLOSE + p.after)
    return EXIT_OK


def run(components, args: argparse.Namespace) -> int:
    """Dispatch `find` / `show` (what `ui.cli.COMMANDS` calls)."""
    return cmd_show(components, args) if args.command == "show" else cmd_find(components, args)

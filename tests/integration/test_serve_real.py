"""`vraagbaak serve` as a real process (real model, real index), asked through gradio_client."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS, need
from tests.ui_server import free_port

pytestmark = pytest.mark.integration

VRAAGBAAK = [sys.executable, "-m", "ui.cli"]


def test_serve_answers_with_citations_over_http(tmp_path):
    env = {**os.environ, "VRAAGBAAK_DATA_DIR": str(tmp_path)}
    subprocess.run([*VRAAGBAAK, "ingest", str(need(CORPUS)), "--no-progress"], env=env,
                   check=True, capture_output=True)
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen([*VRAAGBAAK, "serve", "--port", str(port)], env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        from gradio_client import Client

        deadline, client = time.monotonic() + 120, None
        while client is None and time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(Path(log.name).read_text())
            try:
                client = Client(f"http://127.0.0.1:{port}/", verbose=False)
            except Exception:
                time.sleep(1)
        assert client is not None, "server did not come up"
        _chat, sources, data = client.predict(
            "Wie vormen samen de zorg- en welzijnsdriehoek?", api_name="/chat")
        assert not data["refused"]
        cite = data["citations"][0]
        assert cite["source"].endswith("003_60de30e4263decae.txt") and cite["verified"]
        original = (CORPUS / "003_60de30e4263decae.txt").read_text(encoding="utf-8")
        assert original[cite["char_start"]:cite["char_end"]] == cite["quote"]
        assert "wijkverpleegkundigen" in sources
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()

"""The served app over raw HTTP: security headers on every response, requests for another
Host refused (DNS rebinding), and an over-long question refused without reaching `ask`."""

from __future__ import annotations

import http.client
from urllib.parse import urlparse

import pytest

from tests.ui_server import running_app

pytestmark = pytest.mark.integration


def _get(url: str, host: str | None = None) -> http.client.HTTPResponse:
    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.request("GET", "/", headers={"Host": host} if host else {})
    return conn.getresponse()


def test_headers_host_allow_list_and_question_length():
    from gradio_client import Client

    from ui.chat_flow import MAX_QUESTION_CHARS, TOO_LONG

    with running_app() as (url, ask):
        r = _get(url)
        assert r.status == 200
        csp = r.getheader("Content-Security-Policy")
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "img-src 'self' data: blob:" in csp  # no images from other hosts
        assert r.getheader("X-Frame-Options") == "DENY"
        assert r.getheader("X-Content-Type-Options") == "nosniff"
        rebound = _get(url, host=f"evil.example:{urlparse(url).port}")
        assert rebound.status == 400
        assert _get(url, host=f"localhost:{urlparse(url).port}").status == 200

        client = Client(url, verbose=False)
        _, _, data = client.predict("waarom " * MAX_QUESTION_CHARS, api_name="/chat")
        assert data["refused"] and data["answer"] == TOO_LONG
        assert ask.calls == []  # never reached retrieval or a model


def _join(url: str, fn_index: int, session: str, question: str,
          forwarded_for: str | None = None) -> tuple[int, str]:
    import json

    u = urlparse(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    headers = {"Content-Type": "application/json"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    body = json.dumps({"data": [question, [], []], "fn_index": fn_index,
                       "session_hash": session})
    conn.request("POST", "/gradio_api/queue/join", body=body, headers=headers)
    r = conn.getresponse()
    return r.status, r.read().decode()


def test_one_client_holds_at_most_its_share_of_the_queue():
    import json
    import time
    import urllib.request

    from tests.ui_server import SLOW_WORD
    from ui.security import TOO_MANY

    with running_app() as (url, ask):
        ask.delay = 0.1  # a slow question takes 1 s
        with urllib.request.urlopen(url.rstrip("/") + "/config", timeout=10) as r:
            config = json.load(r)
        chat = next(d["id"] for d in config["dependencies"] if d.get("api_name") == "chat")
        statuses = [_join(url, chat, f"sessie{i}", f"vraag {i} {SLOW_WORD}")[0]
                    for i in range(4)]
        assert statuses == [200] * 4  # four of one client's questions wait or run
        status, body = _join(url, chat, "sessie5", f"nog een {SLOW_WORD}")
        assert status == 429 and TOO_MANY in json.loads(body)["detail"]
        # another client (through a proxy on 127.0.0.1) is not held up by the first one's cap
        assert _join(url, chat, "ander", "vraag", forwarded_for="10.1.2.3")[0] == 200
        deadline = time.monotonic() + 30
        while len(ask.calls) < 5 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(ask.calls) == 5
        time.sleep(0.5)
        assert _join(url, chat, "later", "vraag")[0] == 200  # done requests free the cap

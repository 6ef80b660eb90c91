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

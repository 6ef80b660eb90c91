"""HTTP hardening around the Gradio app (an ASGI middleware, passed in through Gradio's
`app_kwargs`): a Host allow-list against DNS rebinding, and security headers on every
response: a Content-Security-Policy that lets the page load nothing from other hosts (a
Markdown image in a document cannot make the browser call out), no framing, no MIME sniffing,
no referrer. It also caps how many queued or running requests one client may hold (a
per-client concurrency limit; Gradio's own limits are per event, for all clients together)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
       "connect-src 'self' ws: wss:; media-src 'self' blob:; object-src 'none'; "
       "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
]


def allowed_hosts(host: str, port: int, extra: Iterable[str] = ()) -> frozenset[str]:
    """The Host header values served: the bound address and localhost on the port, plus the
    names a reverse proxy passes on (VRAAGBAAK_ALLOWED_HOSTS)."""
    names = {host, "127.0.0.1", "localhost"} if host in ("127.0.0.1", "localhost") else {host}
    out = {f"{n}:{port}" for n in names} | set(names)
    return frozenset(out | {h.strip().lower() for h in extra if h.strip()})


TOO_MANY = ("Te veel vragen tegelijk vanaf uw adres: wacht tot uw vorige vragen beantwoord "
            "zijn. (Too many concurrent requests from this client.)")


def joins_queue(scope) -> bool:
    """A request that puts work in Gradio's queue (the page's and gradio_client's join, or the
    REST `call` route)."""
    path = scope.get("path", "")
    return scope.get("method") == "POST" and (path.rstrip("/").endswith("/queue/join")
                                              or "/call/" in path)


class SecurityMiddleware:
    """ASGI: refuse requests for other hosts (400), without an admin part uploads (403), and
    a client's queue joins beyond `per_client` of its requests waiting or running (429);
    add the security headers. `pending(client)` counts a client's queued and running
    requests; the client is the socket's address, or X-Forwarded-For's from a proxy on
    127.0.0.1 (uvicorn's FORWARDED_ALLOW_IPS)."""

    def __init__(self, app, hosts: frozenset[str], uploads: bool = False,
                 per_client: int = 0, pending: Callable[[str], int] | None = None) -> None:
        self.app = app
        self.hosts = hosts
        self.uploads = uploads  # Gradio's upload route open (only with an admin part)
        self.per_client = per_client  # 0: no limit
        self.pending = pending

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").lower()
        if host not in self.hosts:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return None
            return await _refuse(send, 400, b"Onbekende host (unknown host).")

        if not self.uploads and scope["type"] == "http" and scope.get("path", "").rstrip(
                "/").endswith("/upload"):
            return await _refuse(send, 403, b"Uploaden is hier niet open.")

        if (self.per_client and self.pending is not None and joins_queue(scope)
                and self.pending(client_of(scope)) >= self.per_client):
            return await _refuse(send, 429, json.dumps({"detail": TOO_MANY}).encode(),
                                 b"application/json", HEADERS)

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        return await self.app(scope, receive, with_headers)


async def _refuse(send, status: int, body: bytes,
                  content_type: bytes = b"text/plain; charset=utf-8",
                  headers: Iterable[tuple[bytes, bytes]] = ()) -> None:
    """Answer an HTTP request at once with `status` and `body`, without the app."""
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", content_type), *headers]})
    await send({"type": "http.response.body", "body": body})


def client_of(scope_or_request) -> str:
    """The client address of an ASGI scope or a Starlette request ("" when unknown)."""
    client = (scope_or_request.get("client") if isinstance(scope_or_request, dict)
              else getattr(scope_or_request, "client", None))
    if not client:
        return ""
    return client[0] if isinstance(client, tuple | list) else getattr(client, "host", "")

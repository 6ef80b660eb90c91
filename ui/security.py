"""HTTP hardening around the Gradio app (an ASGI middleware, passed in through Gradio's
`app_kwargs`): a Host allow-list against DNS rebinding, and security headers on every
response: a Content-Security-Policy that lets the page load nothing from other hosts (a
Markdown image in a document cannot make the browser call out), no framing, no MIME sniffing,
no referrer."""

from __future__ import annotations

from collections.abc import Iterable

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


class SecurityMiddleware:
    """ASGI: refuse requests for other hosts (400) and, without an admin part, uploads
    (403); add the security headers."""

    def __init__(self, app, hosts: frozenset[str], uploads: bool = False) -> None:
        self.app = app
        self.hosts = hosts
        self.uploads = uploads  # Gradio's upload route open (only with an admin part)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").lower()
        if host not in self.hosts:
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return None
            await send({"type": "http.response.start", "status": 400,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
            await send({"type": "http.response.body",
                        "body": b"Onbekende host (unknown host)."})
            return None

        if not self.uploads and scope["type"] == "http" and scope.get("path", "").rstrip(
                "/").endswith("/upload"):
            await send({"type": "http.response.start", "status": 403,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
            await send({"type": "http.response.body", "body": b"Uploaden is hier niet open."})
            return None

        async def with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        return await self.app(scope, receive, with_headers)

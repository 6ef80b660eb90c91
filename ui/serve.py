"""Serve the Gradio app fully offline: no telemetry, no version check, no share link, no CDN.

The entry point (`vraagbaak serve`, tests) calls `offline_env()` before gradio is first
imported (`ui.app` imports it); nothing here changes the environment at import.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import gradio as gr

OFFLINE_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_SSR_MODE": "False",
}


def offline_env() -> None:
    """Force the environment variables that keep Gradio and huggingface_hub off the network."""
    os.environ.update(OFFLINE_ENV)


def launch(app: gr.Blocks, host: str = "127.0.0.1", port: int = 7860, block: bool = True,
           extra_hosts: tuple[str, ...] = (), queue_size: int = 64, uploads: bool = False,
           max_upload_mb: float = 25.0, per_client: int = 4) -> str:
    """Start `app` on http://host:port/ and return its local URL.

    `block=True` serves until interrupted (Ctrl+C); `block=False` serves from a background
    thread and returns at once (stop it with `app.close()`). Requests for another Host are
    refused and every response carries security headers (ui/security.py); the queue holds at
    most `queue_size` waiting requests, and one client at most `per_client` waiting or running
    (0: no limit). Gradio's upload route is closed unless `uploads`
    (the admin part is configured); then files are capped at `max_upload_mb`.
    """
    from starlette.middleware import Middleware

    from ui.security import SecurityMiddleware, allowed_hosts
    from ui.styles import CSS

    hosts = allowed_hosts(host, port, extra_hosts)
    app.queue(default_concurrency_limit=1, max_size=queue_size)
    _, url, _ = app.launch(
        server_name=host,
        server_port=port,
        share=False,
        inbrowser=False,
        prevent_thread_lock=not block,
        show_error=False,
        quiet=True,
        ssr_mode=False,
        mcp_server=False,
        pwa=False,
        enable_monitoring=False,
        footer_links=[],  # no English API page or settings panel for citizens
        css=CSS,
        strict_cors=True,
        max_file_size=f"{max_upload_mb:g}mb",
        app_kwargs={"middleware": [Middleware(SecurityMiddleware, hosts=hosts,
                                              uploads=uploads, per_client=per_client,
                                              pending=pending_counter(app))]},
    )
    return url


def pending_counter(app: gr.Blocks):
    """`client -> number of its requests waiting in or running from `app`'s queue`. Reads
    Gradio's queue (events stay in `event_ids_to_events` until they finish or are cancelled):
    the one place that knows Gradio's internals for the per-client limit."""
    from ui.security import client_of

    def pending(client: str) -> int:
        queue = getattr(app, "_queue", None)
        events = list(getattr(queue, "event_ids_to_events", {}).values())
        return sum(1 for e in events if client_of(getattr(e, "request", None)) == client)

    return pending

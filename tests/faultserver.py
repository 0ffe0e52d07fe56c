"""A misbehaving web server for the fault-injection tests (tests/test_faults.py).

``FaultServer`` is a real HTTP/1.1 server on 127.0.0.1, port 0 (the socket is kept, no
re-binding race), in a background thread. It serves a folder (the bundled demo site) and, on
top, routes that misbehave on purpose: 5xx, 429 with Retry-After, resets, truncated bodies,
hangs, slow drips, decompression bombs, huge pages, odd encodings, redirect tricks.

Every handler is bounded in count and time: a "hanging" response sleeps at most
``MAX_HANG`` seconds and stops early when the server shuts down, a drip sends at most
``MAX_DRIP`` bytes. Each request is recorded (path, time, headers) so tests can assert how
often and when the crawler came back.
"""

from __future__ import annotations

import functools
import gzip
import socket
import struct
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

MAX_HANG = 15.0  # seconds a hanging handler waits at most
MAX_DRIP = 60  # bytes a slow drip sends at most
DRIP_INTERVAL = 0.25

FaultHandler = Callable[["FaultRequestHandler"], None]


@dataclass
class Hit:
    path: str
    at: float  # time.monotonic()
    headers: dict[str, str] = field(default_factory=dict)


class FaultRequestHandler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.server.record(Hit(path, time.monotonic(), {k: v for k, v in self.headers.items()}))
        if "/article/" in path and self.server.article_delay:
            # a slow site: crawls last long enough to be paused or killed mid-way
            self.server.stopping.wait(min(self.server.article_delay, MAX_HANG))
        handler = self.server.routes.get(path)
        if handler is None:
            for prefix, prefix_handler in self.server.prefix_routes.items():
                if path.startswith(prefix):
                    handler = prefix_handler
                    break
        try:
            if handler is not None:
                handler(self)
            else:
                super().do_GET()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass  # the crawler hung up on us: expected for the size-limit scenarios

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass

    # --- building blocks for handlers --------------------------------------------------------

    def send_body(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send_body(status, b"", headers={"Location": location})

    def reset(self) -> None:
        """Close with a TCP RST (SO_LINGER 0) before answering."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def hang(self) -> None:
        self.server.stopping.wait(MAX_HANG)
        self.close_connection = True

    def drip(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for i in range(min(len(body), MAX_DRIP)):
            if self.server.stopping.wait(DRIP_INTERVAL):
                break
            self.wfile.write(body[i : i + 1])
            self.wfile.flush()
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        handler = functools.partial(FaultRequestHandler, directory=str(root))
        super().__init__(("127.0.0.1", 0), handler)
        self.routes: dict[str, FaultHandler] = {}
        self.prefix_routes: dict[str, FaultHandler] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.article_delay = 0.0  # seconds before answering any /<section>/article/ URL

    def record(self, hit: Hit) -> None:
        with self.lock:
            self.hits.append(hit)


class FaultServer:
    """A folder over HTTP plus misbehaving routes; use as a context manager."""

    def __init__(self, root: Path) -> None:
        self.server = _Server(root)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def netloc(self) -> str:
        host, port = self.server.server_address[:2]
        return f"{host}:{port}"

    def route(self, path: str, handler: FaultHandler) -> None:
        self.server.routes[path] = handler

    def slow_articles(self, seconds: float) -> None:
        self.server.article_delay = seconds

    def route_prefix(self, prefix: str, handler: FaultHandler) -> None:
        self.server.prefix_routes[prefix] = handler

    def hits(self, path: str | None = None) -> list[Hit]:
        with self.server.lock:
            return [h for h in self.server.hits if path is None or h.path == path]

    def count(self, path: str) -> int:
        return len(self.hits(path))

    def count_prefix(self, prefix: str) -> int:
        with self.server.lock:
            return sum(1 for h in self.server.hits if h.path.startswith(prefix))

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


# --- payloads ---------------------------------------------------------------------------------


@functools.cache
def bomb(encoding: str, size: int = 64 * 1024 * 1024) -> bytes:
    """``size`` bytes of spaces, compressed: tiny on the wire, huge once decoded."""
    raw = b" " * size
    if encoding == "gzip":
        return gzip.compress(raw, compresslevel=6)
    if encoding == "deflate":
        return zlib.compress(raw, 6)
    if encoding == "br":
        import brotli

        return bytes(brotli.compress(raw, quality=1))
    raise ValueError(encoding)


def counter_route(responses: list[FaultHandler]) -> FaultHandler:
    """A handler that answers the n-th request with ``responses[n]`` (the last one repeats)."""
    state = {"n": 0}
    lock = threading.Lock()

    def handle(h: FaultRequestHandler) -> None:
        with lock:
            n = state["n"]
            state["n"] += 1
        responses[min(n, len(responses) - 1)](h)

    return handle


class DropEverySecondItem:
    """A FEEDS ``item_filter`` that silently loses half the items of one feed.

    Used to provoke an end-of-run reconciliation mismatch (tests/test_atomic.py).
    """

    def __init__(self, feed_options: dict[str, Any] | None) -> None:
        from scrapy.extensions.feedexport import ItemFilter

        self.inner = ItemFilter(feed_options)
        self.seen = 0

    def accepts(self, item: Any) -> bool:
        if not self.inner.accepts(item):
            return False
        self.seen += 1
        return self.seen % 2 == 1

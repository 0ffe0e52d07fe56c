"""Real HTTP servers on 127.0.0.1 for the tests: bound to port 0, the socket kept (no race).

``StaticSite`` serves a folder (the bundled demo site, or a copy a test changed). Tests that
need misbehaving endpoints add routes with ``site.route(path, handler)``; a handler gets the
request handler object and writes the whole response itself.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

Handler = Callable[[SimpleHTTPRequestHandler], None]


class _RequestHandler(SimpleHTTPRequestHandler):
    # extensionless paths are pages, as on real news sites (/news/2026/02/21/some-story)
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, "": "text/html"}
    routes: dict[str, Handler] = {}
    hits: dict[str, int] = {}

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        self.hits[path] = self.hits.get(path, 0) + 1
        handler = self.routes.get(path)
        if handler is not None:
            handler(self)
        else:
            super().do_GET()

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        pass


class StaticSite:
    """A folder served over HTTP on 127.0.0.1 in a background thread."""

    def __init__(self, root: Path) -> None:
        handler_class = type("Handler", (_RequestHandler,), {"routes": {}, "hits": {}})
        self.handler_class = handler_class
        handler = functools.partial(handler_class, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def route(self, path: str, handler: Handler) -> None:
        self.handler_class.routes[path] = handler

    def hits(self, path: str) -> int:
        return int(self.handler_class.hits.get(path, 0))

    def __enter__(self) -> StaticSite:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

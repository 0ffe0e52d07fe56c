"""A static file server that waits a fixed time before every response: a remote site, locally.

    python benchmarks/delay_server.py --root /tmp/newsspider-bench/site-2000 --delay 100

nginx cannot delay a response without a module, so this is a small asyncio HTTP/1.1 server
(keep-alive, GET/HEAD, ``index.html`` for folders, nginx's content types). It binds
127.0.0.1 port 0 and prints ``http://127.0.0.1:<port>/`` as its first line of stdout. The
delay is an ``asyncio.sleep``: waiting costs no CPU, so the server's own CPU per response
(~0.1-0.3 ms for a 76 KB page) stays far below a crawler's; :func:`serve` measures it
(``cpu_s`` and ``busy``, CPU seconds per wall second) so a benchmark can show the server was
not the bottleneck.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import resource
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

TYPES = {
    ".html": "text/html",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".css": "text/css",
}


def resolve(root: Path, target: str) -> Path | None:
    """The file a request target names under ``root``, or None (missing, or outside root)."""
    path = (root / unquote(urlsplit(target).path).lstrip("/")).resolve()
    if path != root and root not in path.parents:
        return None
    if path.is_dir():
        path = path / "index.html"
    return path if path.is_file() else None


async def handle(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, root: Path, delay: float
) -> None:
    try:
        while True:
            line = await reader.readline()
            if not line:
                break
            close = False
            while True:
                header = await reader.readline()
                if header in (b"\r\n", b"\n", b""):
                    break
                if header.lower().startswith(b"connection:") and b"close" in header.lower():
                    close = True
            parts = line.decode("latin-1").split()
            if len(parts) < 2:
                break
            method, target = parts[0], parts[1]
            if delay:
                await asyncio.sleep(delay)
            path = resolve(root, target)
            if path is None:
                status, body, ctype = "404 Not Found", b"not found\n", "text/plain"
            else:
                status, body = "200 OK", path.read_bytes()
                ctype = TYPES.get(path.suffix, "application/octet-stream")
            head = (
                f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode("latin-1")
            writer.write(head if method == "HEAD" else head + body)
            await writer.drain()
            if close:
                break
    except (ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()


async def main_async(root: Path, delay: float) -> None:
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, root, delay), "127.0.0.1", 0, backlog=1024
    )
    port = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}/", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    async with server:
        await stop.wait()


@contextlib.contextmanager
def serve(root: Path, delay_ms: float, stats: dict[str, Any]) -> Iterator[str]:
    """Run the server in a child process; yields its URL. On exit ``stats`` gets the server's
    ``cpu_s`` (user+system), ``wall_s`` and ``busy`` (cpu_s / wall_s; 1.0 = one core full).

    The server's CPU is the change of this process's RUSAGE_CHILDREN across reaping it, so
    no other child may be reaped meanwhile (the benchmark's crawls finish before)."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "--root", str(root), "--delay", str(delay_ms)],
        stdout=subprocess.PIPE,
        text=True,
    )
    started = time.monotonic()
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        if not url.startswith("http://"):
            raise RuntimeError("the delay server did not start")
        yield url
    finally:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.monotonic() - started
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        stats.update(cpu_s=round(cpu, 2), wall_s=round(wall, 1), busy=round(cpu / wall, 3))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--delay", type=float, default=100.0, help="milliseconds per response")
    args = parser.parse_args(argv)
    asyncio.run(main_async(args.root.resolve(), args.delay / 1000.0))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

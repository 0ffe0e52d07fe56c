"""A first-in first-out queue of URLs that costs ~10 bytes per URL instead of ~130.

The ``site`` spider reads every sitemap before most article requests are released, so its
backlog holds nearly every article URL of the site at once: 50,000 ``str`` objects in a
``deque`` are ~6.5 MB, and that grows with the site (docs/BENCHMARKS.md "Memory"). Here URLs
are kept in blocks of :data:`BLOCK` joined by newlines and zlib-compressed (URLs of one site
share long prefixes); only the block being filled and the block being drained are plain.
"""

from __future__ import annotations

import zlib
from collections import deque

BLOCK = 1024  # URLs per compressed block


class UrlBacklog:
    """``append`` / ``popleft`` / ``clear`` / ``len`` of a ``deque[str]``, compressed."""

    def __init__(self) -> None:
        self._head: deque[str] = deque()  # the oldest URLs, plain, being drained
        self._blocks: deque[bytes] = deque()  # full blocks, compressed, oldest first
        self._tail: list[str] = []  # the newest URLs, plain, being filled
        self._length = 0

    def append(self, url: str) -> None:
        if "\n" in url:
            raise ValueError(f"a URL with a newline can't be queued: {url!r}")
        self._tail.append(url)
        self._length += 1
        if len(self._tail) >= BLOCK:
            self._blocks.append(zlib.compress("\n".join(self._tail).encode("utf-8"), 6))
            self._tail = []

    def popleft(self) -> str:
        if not self._head:
            if self._blocks:
                text = zlib.decompress(self._blocks.popleft()).decode("utf-8")
                self._head.extend(text.split("\n"))
            elif self._tail:
                self._head.extend(self._tail)
                self._tail = []
            else:
                raise IndexError("pop from an empty UrlBacklog")
        self._length -= 1
        return self._head.popleft()

    def clear(self) -> None:
        self._head.clear()
        self._blocks.clear()
        self._tail = []
        self._length = 0

    def __len__(self) -> int:
        return self._length

    def __bool__(self) -> bool:
        return self._length > 0

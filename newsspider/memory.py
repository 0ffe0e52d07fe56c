"""Hand the C heap's free pages back to the system while a crawl runs (glibc ``malloc_trim``).

Each page's HTML, lxml tree and response body (over pymalloc's 512-byte limit) come from the C
heap and are freed a moment later. The freed chunks stay resident: glibc returns memory to the
system only from the top of the heap, and a few long-lived allocations between the free chunks
keep the rest in place. In a 20,000-article crawl the heap's free-but-resident part grew from
~5 to ~10 MB while the memory in use stayed flat (``benchmarks/memtrace.py``'s breakdown), a
share of the peak RSS that grows with the site (docs/BENCHMARKS.md, memory, session 5).

:class:`MallocTrim` (an extension) calls ``malloc_trim(0)`` every
``NEWSSPIDER_MALLOC_TRIM_INTERVAL`` seconds of the crawl and once when the spider closes,
before the feeds close and the end of the run writes its files. Since glibc 2.8 it releases
the free pages inside the heap too (``madvise(MADV_DONTNEED)``), not only its top. It costs
well under a millisecond per call; a released page that is used again is a page fault. The
stats ``newsspider/memory/malloc_trims`` and ``newsspider/memory/malloc_trimmed_kb`` (the RSS
it gave back) record what it did. Off (``NotConfigured``) at 0 and where the C library has no
``malloc_trim`` (macOS, musl).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import resource
from collections.abc import Callable
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from newsspider import settings as defaults

logger = logging.getLogger(__name__)
STAT = "newsspider/memory"


def malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        trim: Any = libc.malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim  # type: ignore[no-any-return]


def rss_kb() -> int:
    """This process's resident set, KB (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            resident_pages = int(fh.read().split()[1])
    except (OSError, IndexError, ValueError):
        return 0
    return resident_pages * resource.getpagesize() // 1024


class MallocTrim:
    """``malloc_trim(0)`` on a timer during the crawl and at spider close (see module doc)."""

    def __init__(self, crawler: Crawler, interval: float, trim: Callable[[int], int]) -> None:
        self.crawler = crawler
        self.interval = interval
        self.trim = trim
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MallocTrim:
        interval = crawler.settings.getfloat(
            "NEWSSPIDER_MALLOC_TRIM_INTERVAL", defaults.NEWSSPIDER_MALLOC_TRIM_INTERVAL
        )
        if interval <= 0:
            raise NotConfigured("NEWSSPIDER_MALLOC_TRIM_INTERVAL is 0")
        trim = malloc_trim()
        if trim is None:
            raise NotConfigured("the C library has no malloc_trim (not glibc)")
        ext = cls(crawler, interval, trim)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self) -> None:
        self.loop = task.LoopingCall(self.release)
        self.loop.start(self.interval, now=False)

    def spider_closed(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.release()

    def release(self) -> None:
        before = rss_kb()
        self.trim(0)
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value(f"{STAT}/malloc_trims")
            stats.inc_value(f"{STAT}/malloc_trimmed_kb", max(before - rss_kb(), 0))

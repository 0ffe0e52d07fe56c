"""Engine tuning of a crawl: Python's garbage collector, and the settings shared with benchmarks.

A crawl allocates many short-lived container objects per response (requests, responses,
selectors, items, Deferreds), and CPython's generation-0 collection runs every 2,000 net
allocations by default: thousands of collections per run, each walking the objects that
survived start-up (Scrapy, Twisted, lxml, the settings). :class:`GcTuning` (an extension,
``EXTENSIONS`` in settings.py) raises the thresholds when the crawler is built
(``NEWSSPIDER_GC_THRESHOLD``) and moves every object that exists once the engine has started
into the permanent generation (``gc.freeze()``, ``NEWSSPIDER_GC_FREEZE``), so collections only
walk what the crawl itself made. Reference counting still frees everything that is not in a
cycle at once; only cyclic garbage waits a little longer.

:data:`ENGINE_SETTINGS` names the settings that decide how fast Scrapy's own engine runs,
independent of what the project does per page; ``benchmarks/bare_spider.py --tuned`` applies
exactly these (and this extension) to a bare fetch, so the throughput benchmark compares the
full crawl with a bare fetch like for like.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

logger = logging.getLogger(__name__)

ENGINE_SETTINGS: tuple[str, ...] = (
    "CONCURRENT_ITEMS",
    "TWISTED_REACTOR",
    "NEWSSPIDER_GC_THRESHOLD",
    "NEWSSPIDER_GC_FREEZE",
)


class GcTuning:
    """Raise the GC thresholds at start-up and freeze the start-up objects (see module doc)."""

    def __init__(self, threshold: tuple[int, ...], freeze: bool) -> None:
        self.threshold = threshold
        self.freeze = freeze

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GcTuning:
        settings = crawler.settings
        raw = settings.getlist("NEWSSPIDER_GC_THRESHOLD")
        freeze = settings.getbool("NEWSSPIDER_GC_FREEZE")
        if not raw and not freeze:
            raise NotConfigured("GC tuning is off")
        try:
            threshold = tuple(int(value) for value in raw)
            if len(threshold) not in (0, 3) or any(value < 0 for value in threshold):
                raise ValueError
        except ValueError:
            raise NotConfigured(
                f"NEWSSPIDER_GC_THRESHOLD={raw!r} is not three non-negative integers (e.g."
                " [50000, 20, 100]); GC tuning is off"
            ) from None
        tuning = cls(threshold, freeze)
        tuning.apply_threshold()
        crawler.signals.connect(tuning.engine_started, signal=signals.engine_started)
        crawler.signals.connect(tuning.engine_stopped, signal=signals.engine_stopped)
        return tuning

    def apply_threshold(self) -> None:
        if self.threshold:
            gc.set_threshold(*self.threshold)

    def engine_started(self) -> None:
        if self.freeze:
            gc.collect()  # what start-up left as garbage goes now, not into the frozen heap
            gc.freeze()
            logger.debug("GC: %d start-up objects frozen", gc.get_freeze_count())

    def engine_stopped(self, *args: Any) -> None:
        if self.freeze:
            gc.unfreeze()  # a second crawl in this process starts from a normal heap

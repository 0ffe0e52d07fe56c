"""One ``item_scraped`` receiver for every newsspider extension that looks at each item.

Scrapy sends ``item_scraped`` with ``send_catch_log_async``, which wraps *each* receiver in
its own coroutine and asyncio task and gathers them: ~25 us of the crawling process per
receiver per item, for a receiver that only counts (issue 14; docs/BENCHMARKS.md "Session 6
(perf-main)"). The run-files extension, the health observer and the progress line each
want every item, so they register here instead, and one receiver calls them in order,
each in its own ``try`` (an error in one is logged as Scrapy logs a receiver's error, and
the others still run).
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any

from scrapy import signals

logger = logging.getLogger(__name__)

ItemReceiver = Callable[[Any, Any], None]  # (item, spider)


class ItemReceivers:
    """The per-item receivers of one crawler, behind a single ``item_scraped`` receiver."""

    def __init__(self) -> None:
        self.receivers: list[ItemReceiver] = []

    def item_scraped(self, item: Any, spider: Any) -> None:
        for receiver in self.receivers:
            try:
                receiver(item, spider)
            except Exception:
                logger.error(
                    "Error caught on signal handler: %(receiver)s",
                    {"receiver": receiver},
                    exc_info=True,
                    extra={"spider": spider},
                )


_BY_CRAWLER: weakref.WeakKeyDictionary[Any, ItemReceivers] = weakref.WeakKeyDictionary()


def on_item_scraped(crawler: Any, receiver: ItemReceiver) -> None:
    """Call ``receiver(item, spider)`` for every scraped item of ``crawler``'s crawl."""
    shared = _BY_CRAWLER.get(crawler)
    if shared is None:
        shared = _BY_CRAWLER[crawler] = ItemReceivers()
        # a bound method of an object this module keeps alive as long as the crawler
        crawler.signals.connect(shared.item_scraped, signal=signals.item_scraped)
    shared.receivers.append(receiver)

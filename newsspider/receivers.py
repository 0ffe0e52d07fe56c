"""One ``item_scraped`` receiver for every newsspider extension that looks at each item.

Scrapy sends ``item_scraped`` with ``send_catch_log_async``, which wraps *each* receiver in
its own coroutine and asyncio task and gathers them: ~25 us of the crawling process per
receiver per item, for a receiver that only counts (issue 14; docs/benchmarks/log.md "Session 6
(perf-main)"). The run-files extension, the health observer and the progress line each
want every item, so they register here instead, and one receiver calls them in order,
each in its own ``try`` (an error in one is logged as Scrapy logs a receiver's error, and
the others still run). Scrapy's own two receivers of every item, CoreStats' count and the
FeedExporter's exports, register here too (:class:`CoreStats` below and
:class:`newsspider.feeds.FeedExporter`, in their places in ``EXTENSIONS_BASE``): one
receiver per item in all, called in the order the five were.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import Any

from scrapy import signals
from scrapy.extensions.corestats import CoreStats as _ScrapyCoreStats

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


class CoreStats(_ScrapyCoreStats):  # type: ignore[misc]
    """Scrapy's CoreStats (EXTENSIONS_BASE, in its place): its ``item_scraped_count`` is
    counted by the shared receiver, first of all (where its own receiver was), instead of a
    receiver of its own: one task less per item."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> CoreStats:
        stats: CoreStats = with_shared_item_receiver(
            crawler, lambda: super(CoreStats, cls).from_crawler(crawler)
        )
        return stats


def with_shared_item_receiver(crawler: Any, build: Callable[[], Any]) -> Any:
    """``build()`` (a Scrapy component's own ``from_crawler``) with every ``item_scraped``
    receiver it connects registered with :func:`on_item_scraped` instead; its other signals
    are connected as it connects them. (Scrapy's wiring is kept as it is, whatever it is; a
    receiver once connected can't be taken back: pydispatch's ``disconnect`` does not find
    bound methods.)"""
    manager = crawler.signals
    caught: list[ItemReceiver] = []

    def connect(receiver: Any, signal: Any, **kwargs: Any) -> None:
        if signal is signals.item_scraped:
            caught.append(receiver)
        else:
            type(manager).connect(manager, receiver, signal, **kwargs)

    manager.connect = connect
    try:
        built = build()
    finally:
        del manager.connect  # the class's method again
    for receiver in caught:
        on_item_scraped(crawler, receiver)
    return built

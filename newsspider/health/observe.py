"""``HealthObserver``: records, as stats, what the monitors need and Scrapy does not count.

* ``newsspider/health/start_page/status`` - HTTP status of the start page (absent: never
  fetched), ``newsspider/health/start_page/error`` - why it failed (the Reject's message);
* ``newsspider/health/newest_published_at`` - the newest ``published_at`` of the run.

After the manifest is written it also prunes old run folders (``NEWSSPIDER_KEEP_RUNS`` /
``NEWSSPIDER_KEEP_DAYS``, :mod:`newsspider.health.prune`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from newsspider.items import Article, Reject
from newsspider.receivers import on_item_scraped
from newsspider.run import RunContext, run_context

START_STATUS = "newsspider/health/start_page/status"
START_ERROR = "newsspider/health/start_page/error"
NEWEST = "newsspider/health/newest_published_at"


class HealthObserver:
    def __init__(self, crawler: Crawler, context: RunContext) -> None:
        self.crawler = crawler
        self.context = context
        self.newest: datetime | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HealthObserver:
        ext = cls(crawler, run_context(crawler))  # NotConfigured outside a newsspider run
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        on_item_scraped(crawler, ext.item_scraped)  # one receiver for all (receivers.py)
        # after the run-files extension (lower order, connected first) wrote the manifest
        crawler.signals.connect(ext.feed_exporter_closed, signal=signals.feed_exporter_closed)
        return ext

    def feed_exporter_closed(self) -> None:
        from newsspider.health.prune import prune_runs, retention_from_settings

        keep_runs, keep_days = retention_from_settings(self.crawler.settings)
        if keep_runs > 0 or keep_days > 0:
            prune_runs(self.context.export_dir, keep_runs=keep_runs, keep_days=keep_days)

    def _start_url(self) -> str | None:
        return self.context.site_url

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        start = self._start_url()
        first = (request.meta.get("redirect_urls") or [request.url])[0]
        if start and first == start and self.crawler.stats is not None:
            self.crawler.stats.set_value(START_STATUS, response.status)

    def item_scraped(self, item: Any, spider: Spider) -> None:
        stats = self.crawler.stats
        if stats is None:
            return
        if isinstance(item, Reject):
            if item.url and item.url == self._start_url() and item.messages:
                stats.set_value(START_ERROR, item.messages[0])
        elif isinstance(item, Article) and item.published_at:
            try:
                when = datetime.fromisoformat(item.published_at)
            except ValueError:
                return
            if when.tzinfo is not None and (self.newest is None or when > self.newest):
                self.newest = when
                stats.set_value(NEWEST, when.isoformat())

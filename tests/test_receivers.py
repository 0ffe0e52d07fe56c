"""newsspider/receivers.py: the extensions' per-item receivers behind one ``item_scraped``
receiver, on a real crawler's signal manager (no crawl started)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pydispatch.dispatcher import getAllReceivers
from scrapy import signals
from scrapy.extensions.feedexport import ItemFilter
from scrapy.utils.test import get_crawler

from newsspider.feeds import FeedExporter
from newsspider.items import Article, Reject
from newsspider.receivers import CoreStats, on_item_scraped


def item_receivers(crawler: Any) -> list[Any]:
    return list(getAllReceivers(crawler.signals.sender, signals.item_scraped))


def test_receivers_share_one_signal_receiver_and_run_in_order() -> None:
    crawler = get_crawler()
    before = len(item_receivers(crawler))
    seen: list[tuple[str, Any]] = []
    on_item_scraped(crawler, lambda item, spider: seen.append(("first", item)))
    on_item_scraped(crawler, lambda item, spider: seen.append(("second", item)))
    assert len(item_receivers(crawler)) == before + 1
    article = Article(url="https://www.example.com/a/1.html")
    crawler.signals.send_catch_log(signal=signals.item_scraped, item=article, spider=None)
    assert seen == [("first", article), ("second", article)]


def test_an_error_in_one_receiver_is_logged_and_the_others_still_run(
    caplog: pytest.LogCaptureFixture,
) -> None:
    crawler = get_crawler()
    seen: list[Any] = []

    def broken(item: Any, spider: Any) -> None:
        raise RuntimeError("boom")

    on_item_scraped(crawler, broken)
    on_item_scraped(crawler, lambda item, spider: seen.append(item))
    reject = Reject(url="https://www.example.com/")
    with caplog.at_level(logging.ERROR, logger="newsspider.receivers"):
        crawler.signals.send_catch_log(signal=signals.item_scraped, item=reject, spider=None)
    assert seen == [reject]
    assert [r.message for r in caplog.records] == [f"Error caught on signal handler: {broken}"]


def test_each_crawler_has_its_own_receivers() -> None:
    one, two = get_crawler(), get_crawler()
    seen: list[str] = []
    on_item_scraped(one, lambda item, spider: seen.append("one"))
    on_item_scraped(two, lambda item, spider: seen.append("two"))
    two.signals.send_catch_log(signal=signals.item_scraped, item=Article(), spider=None)
    assert seen == ["two"]


# --- Scrapy's CoreStats and FeedExporter through the shared receiver ----------------------------


def exported_files(tmp_path: Any, exporter_class: Any, items: list[Any], **feed: Any) -> Any:
    """Run ``exporter_class`` (a FeedExporter) over ``items`` on a real crawler: three JSON
    lines feeds (Articles; Articles and Rejects; every item); the files' bytes and the
    crawler's item_scraped receivers."""
    from scrapy import Spider

    out = tmp_path / exporter_class.__module__
    feeds = {
        str(out / "articles.jsonl"): {"format": "jsonlines", "item_classes": [Article], **feed},
        str(out / "both.jsonl"): {"format": "jsonlines", "item_classes": [Article, Reject]},
        str(out / "all.jsonl"): {"format": "jsonlines", **feed},
    }
    # no extension of get_crawler's own: only the two built here receive the items
    crawler = get_crawler(Spider, {"FEEDS": feeds, "EXTENSIONS_BASE": {}})
    crawler.spider = crawler._create_spider("feeds")
    stats = CoreStats.from_crawler(crawler)
    exporter = exporter_class.from_crawler(crawler)
    assert stats.stats is crawler.stats
    exporter.open_spider(crawler.spider)
    for item in items:
        crawler.signals.send_catch_log(signal=signals.item_scraped, item=item, spider=None)
    for slot in exporter.slots:
        slot.finish_exporting()
        slot.file.close()
    files = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    return files, item_receivers(crawler), crawler.stats.get_value("item_scraped_count")


ITEMS: list[Any] = [
    Article(url="https://www.example.com/a/1.html", headline="One"),
    Reject(url="https://www.example.com/b", reasons=["missing_headline"]),
    {"page": "a dict item: only the feed without item classes takes it"},
    Article(url="https://www.example.com/a/2.html", headline="Two"),
]


def test_feed_exporter_writes_what_scrapys_writes_through_one_receiver(tmp_path: Any) -> None:
    from scrapy.extensions.feedexport import FeedExporter as ScrapyFeedExporter

    ours, receivers, count = exported_files(tmp_path, FeedExporter, ITEMS)
    theirs, _, _ = exported_files(tmp_path, ScrapyFeedExporter, ITEMS)
    assert ours == theirs
    assert ours["articles.jsonl"].count(b"\n") == 2
    assert ours["both.jsonl"].count(b"\n") == 3
    assert ours["all.jsonl"].count(b"\n") == 4
    assert len(receivers) == 1  # CoreStats' count and the exports: one shared receiver
    assert count == len(ITEMS)


def test_feed_exporter_in_batches_or_with_another_filter_takes_scrapys_own_loop(
    tmp_path: Any,
) -> None:
    from scrapy import Spider

    class Headlined(ItemFilter):  # a filter that looks at more than the item's class
        def accepts(self, item: Any) -> bool:
            return bool(getattr(item, "headline", None))

    def exporter_for(feed: dict[str, Any]) -> FeedExporter:
        crawler = get_crawler(
            Spider, {"FEEDS": {str(tmp_path / "%(batch_id)d.jsonl"): feed}, "EXTENSIONS_BASE": {}}
        )
        crawler.spider = crawler._create_spider("feeds")
        exporter: FeedExporter = FeedExporter.from_crawler(crawler)
        exporter.open_spider(crawler.spider)
        return exporter

    assert not exporter_for({"format": "jsonlines"})._needs_scrapys_loop()
    assert exporter_for({"format": "jsonlines", "batch_item_count": 2})._needs_scrapys_loop()
    assert exporter_for({"format": "jsonlines", "item_filter": Headlined})._needs_scrapys_loop()

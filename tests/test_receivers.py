"""newsspider/receivers.py: the extensions' per-item receivers behind one ``item_scraped``
receiver, on a real crawler's signal manager (no crawl started)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pydispatch.dispatcher import getAllReceivers
from scrapy import signals
from scrapy.utils.test import get_crawler

from newsspider.items import Article, Reject
from newsspider.receivers import on_item_scraped


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

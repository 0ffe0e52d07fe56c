"""newsspider.perf.GatedLogFormatter: Scrapy's messages, not built when not logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.logformatter import LogFormatter

from newsspider import settings as defaults
from newsspider.items import Article
from newsspider.perf import GatedLogFormatter


@pytest.fixture
def scrapy_level() -> Iterator[logging.Logger]:
    log = logging.getLogger("scrapy")
    before = log.level
    yield log
    log.setLevel(before)


def page() -> HtmlResponse:
    request = Request(
        "https://www.example.com/a/1.html", headers={"Referer": "https://www.example.com/"}
    )
    return HtmlResponse(request.url, body=b"<html></html>", request=request)


def test_debug_messages_are_scrapys_when_logged(scrapy_level: logging.Logger) -> None:
    scrapy_level.setLevel(logging.DEBUG)
    response, item = page(), Article(url="https://www.example.com/a/1.html")
    ours, scrapys = GatedLogFormatter(), LogFormatter()
    assert ours.crawled(response.request, response, None) == scrapys.crawled(
        response.request, response, None
    )
    assert ours.scraped(item, response, None) == scrapys.scraped(item, response, None)


def test_debug_messages_are_not_built_when_not_logged(scrapy_level: logging.Logger) -> None:
    scrapy_level.setLevel(logging.INFO)  # what DebugLogGate sets for a crawl at INFO
    response, item = page(), Article(url="https://www.example.com/a/1.html")
    ours = GatedLogFormatter()
    assert ours.crawled(response.request, response, None) is None
    assert ours.scraped(item, response, None) is None
    exc = RuntimeError("boom")
    assert ours.item_error(item, exc, response, None) == LogFormatter().item_error(
        item, exc, response, None
    )  # errors and everything else: Scrapy's, always


def test_the_project_uses_it() -> None:
    assert defaults.LOG_FORMATTER == "newsspider.perf.GatedLogFormatter"

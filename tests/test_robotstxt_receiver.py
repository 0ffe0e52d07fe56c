"""RobotsTxtSizeLimitMiddleware listens to ``bytes_received`` only while a robots.txt download
is on its way: Scrapy sends that signal for every chunk of every page, and every receiver
costs each one a dispatch (issue 14). The cut itself is tested end to end in
tests/test_offsite_bounds.py (``newsspider/robotstxt/truncated``)."""

from __future__ import annotations

import pytest
from pydispatch.dispatcher import getAllReceivers, liveReceivers
from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http import TextResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from newsspider.middlewares import RobotsTxtSizeLimitMiddleware


def middleware(max_bytes: int = 100) -> RobotsTxtSizeLimitMiddleware:
    crawler = get_crawler(settings_dict={"NEWSSPIDER_ROBOTSTXT_MAX_BYTES": max_bytes})
    crawler.stats = MemoryStatsCollector(crawler)
    return RobotsTxtSizeLimitMiddleware.from_crawler(crawler)


def listening(mw: RobotsTxtSizeLimitMiddleware) -> bool:
    receivers = liveReceivers(getAllReceivers(mw.signals.sender, signals.bytes_received))
    return any(r == mw.stop_at_max_bytes for r in receivers)


def answer(request: Request, body: bytes = b"User-agent: *\n") -> TextResponse:
    return TextResponse(request.url, body=body, request=request, encoding="utf-8")


def test_no_receiver_while_only_pages_are_downloaded() -> None:
    mw = middleware()
    page = Request("https://news.example/world/article/1.html")
    mw.process_request(page)
    assert not listening(mw)
    mw.process_response(page, answer(page))
    assert not listening(mw) and mw.pending == 0


def test_the_receiver_is_on_from_a_robots_request_until_its_answer() -> None:
    mw = middleware()
    first = Request("https://news.example/robots.txt")
    second = Request("https://other.example/robots.txt")
    mw.process_request(first)
    assert listening(mw)
    mw.process_request(second)
    mw.process_response(first, answer(first))
    assert listening(mw)  # the other host's robots.txt is still on its way
    with pytest.raises(StopDownload):  # and is still cut at the limit
        mw.stop_at_max_bytes(b"x" * 101, second)
    mw.process_exception(second, IgnoreRequest())
    assert not listening(mw) and mw.pending == 0


def test_a_retried_or_redirected_copy_is_the_same_download() -> None:
    mw = middleware()
    request = Request("https://news.example/robots.txt")
    mw.process_request(request)
    retry = request.replace(dont_filter=True)  # what a retry or redirect builds: meta copied
    mw.process_request(retry)
    assert mw.pending == 1
    mw.process_response(retry, answer(retry))
    assert not listening(mw) and mw.pending == 0


def test_no_receiver_when_the_limit_is_off() -> None:
    mw = middleware(max_bytes=0)
    request = Request("https://news.example/robots.txt")
    mw.process_request(request)
    assert not listening(mw) and mw.pending == 0

"""Navigation: feed spider callbacks saved pages, assert the requests and items they yield."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import scrapy
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from newsspider.items import Article, FrontPageSlot, PopularEntry, Reject
from newsspider.spiders.article import ArticleSpider
from newsspider.spiders.frontpage import FrontpageSpider

DEMO = Path(__file__).resolve().parent.parent / "newsspider" / "demo_site"
BASE = "https://www.news1global.com/"


def response_for(path: str, url: str) -> HtmlResponse:
    body = (DEMO / path).read_bytes()
    return HtmlResponse(url=url, body=body, encoding="utf-8", request=Request(url))


def make_spider(cls: type[scrapy.Spider], workers: int = 0, **kwargs: Any) -> Any:
    """``workers``: NEWSSPIDER_PARSE_WORKERS (0: article pages parsed in this process)."""
    crawler = get_crawler(cls, {"NEWSSPIDER_PARSE_WORKERS": workers})
    return cls.from_crawler(crawler, **kwargs)


def collect(spider: Any, output: AsyncIterator[Any]) -> list[Any]:
    """Everything an async callback yields (run on an asyncio loop, as the crawl's reactor
    does); the spider's parse pool, if it started one, is shut down after."""

    async def drain() -> list[Any]:
        return [o async for o in output]

    try:
        return asyncio.run(drain())
    finally:
        spider.parse_pool.close()


def test_front_page_yields_slots_popular_and_one_request_per_article() -> None:
    spider = make_spider(FrontpageSpider, url=BASE, run_id="nav")
    out = list(spider.parse_front(response_for("index.html", BASE)))
    slots = [o for o in out if isinstance(o, FrontPageSlot)]
    popular = [o for o in out if isinstance(o, PopularEntry)]
    requests = [o for o in out if isinstance(o, Request)]
    assert len(slots) == 48 and len(popular) == 10
    urls = [r.url for r in requests]
    assert len(urls) == len(set(urls)) == 34  # 1007 is linked three times, fetched once
    assert all("utm_" not in u and "#" not in u for u in urls)
    assert all(u.startswith(BASE) and "/article/" in u for u in urls)
    assert all(r.callback == spider.parse_article and r.errback is not None for r in requests)
    assert all(s.crawled_at for s in slots)  # the run id is stamped by a pipeline (stamp.py)
    assert spider.allowed_domains == ["news1global.com"]


def test_max_articles_limits_requests() -> None:
    spider = make_spider(FrontpageSpider, url=BASE, max_articles="5")
    out = list(spider.parse_front(response_for("index.html", BASE)))
    assert sum(isinstance(o, Request) for o in out) == 5


@pytest.mark.parametrize("workers", [0, 1], ids=["inline", "pool"])
def test_article_callback_yields_article_and_popular(workers: int) -> None:
    spider = make_spider(FrontpageSpider, workers=workers, url=BASE)
    url = BASE + "etc/article/1007"
    page = response_for("etc/article/1007.html", url)
    profile = spider.profile_for(page)
    out = collect(spider, spider.parse_article(page, profile_name=profile.name))
    (article,) = [o for o in out if isinstance(o, Article)]
    assert article.article_id == "1007" and article.site == "news1global"
    assert article.headline_source == "profile"
    assert sum(isinstance(o, PopularEntry) for o in out) == 10
    stats = spider.crawler.stats
    where = "pages" if workers else "inline_pages"
    assert stats.get_value(f"newsspider/parse_pool/{where}") == 1
    # the profile's drift counters are kept in this process, from what the worker found
    assert stats.get_value("newsspider/profile/news1global/category/profile") == 1


def test_binary_response_is_a_reject_not_a_crash() -> None:
    spider = make_spider(ArticleSpider, url=BASE + "etc/article/1")
    response = scrapy.http.Response(
        url=BASE + "etc/article/1", body=b"\x89PNG\r\n", headers={"Content-Type": "image/png"}
    )
    (reject,) = collect(spider, spider.parse_article(response))
    assert isinstance(reject, Reject)
    assert reject.reasons == ["not_html"]
    assert spider.crawler.stats.get_value("newsspider/fetch/not_html") == 1


def test_front_page_parsed_in_the_pool_yields_what_inline_parsing_yields() -> None:
    """With the parse pool in use the front page goes to a worker: the same slots (their
    fields), popular entries and article requests, in the same order, and the same stats."""
    from dataclasses import asdict

    def described(out: list[Any]) -> list[Any]:
        return [
            (o.url, o.cb_kwargs["profile_name"])
            if isinstance(o, Request)
            else (type(o).__name__, {k: v for k, v in asdict(o).items() if k != "crawled_at"})
            for o in out
        ]

    inline_spider = make_spider(FrontpageSpider, url=BASE)
    inline = list(inline_spider.parse_front(response_for("index.html", BASE)))
    pool_spider = make_spider(FrontpageSpider, workers=1, url=BASE)
    output = pool_spider.parse_front(response_for("index.html", BASE))
    assert isinstance(output, AsyncIterator)  # awaited: parsed in a worker
    pooled = collect(pool_spider, output)
    assert len(pooled) == 48 + 10 + 34
    assert described(pooled) == described(inline)
    stats = [s.crawler.stats.get_stats() for s in (inline_spider, pool_spider)]
    assert stats[1].pop("newsspider/parse_pool/listing_pages") == 1
    assert stats[0].pop("newsspider/parse_pool/inline_listing_pages") == 1
    for spider_stats in stats:  # the pool's own figures
        for key in ("workers", "worker_cpu_s"):
            spider_stats.pop(f"newsspider/parse_pool/{key}", None)
    assert stats[1] == stats[0]
